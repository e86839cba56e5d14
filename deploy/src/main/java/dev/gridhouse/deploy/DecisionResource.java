package dev.gridhouse.deploy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gridhouse.contract.grid.GridTables;
import java.util.Comparator;
import java.util.List;

/** The dispatch decisions ({@code ads_dispatch_decisions}). */
final class DecisionResource {
    private final ApiTables tables;

    DecisionResource(ApiTables tables) {
        this.tables = tables;
    }

    /** The newest {@code limit} decisions, newest first, and their total. */
    ObjectNode list(int limit) throws Exception {
        List<ObjectNode> rows = tables.rows(GridTables.ADS_DISPATCH_DECISIONS, r -> true);
        rows.sort(
                Comparator.comparing((ObjectNode n) -> n.get("decided_at").asText())
                        .reversed()
                        .thenComparing(n -> n.get("decision_id").asText()));
        ObjectNode out = ApiTables.object().put("total", rows.size());
        out.set("decisions", ApiTables.array(rows, limit));
        return out;
    }
}
