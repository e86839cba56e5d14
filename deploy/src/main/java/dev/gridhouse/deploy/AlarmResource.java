package dev.gridhouse.deploy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gridhouse.contract.grid.GridTables;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/** The alarms ({@code ads_alarms}). */
final class AlarmResource {
    /** The values of the {@code status} parameter; the first is the default. */
    static final List<String> STATUSES = List.of("ACTIVE", "CLEARED", "ALL");

    private static final Map<String, Integer> SEVERITY_RANK = Map.of("CRITICAL", 0, "MAJOR", 1);

    private final ApiTables tables;

    AlarmResource(ApiTables tables) {
        this.tables = tables;
    }

    /** The alarms of a status (or ALL): most severe first, then newest first; and their total. */
    ObjectNode list(String status, int limit) throws Exception {
        List<ObjectNode> rows =
                tables.rows(
                        GridTables.ADS_ALARMS,
                        r -> status.equals("ALL") || status.equals(r.get("status")));
        rows.sort(
                Comparator.comparing(
                                (ObjectNode n) ->
                                        SEVERITY_RANK.getOrDefault(n.get("severity").asText(), 2))
                        .thenComparing(
                                Comparator.comparing((ObjectNode n) -> n.get("raised_at").asText())
                                        .reversed())
                        .thenComparing(n -> n.get("alarm_id").asText()));
        ObjectNode out = ApiTables.object().put("status", status).put("total", rows.size());
        out.set("alarms", ApiTables.array(rows, limit));
        return out;
    }
}
