package dev.gridhouse.deploy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gridhouse.contract.grid.GridTables;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The regions: their realtime rows ({@code ads_grid_realtime}) and minutes ({@code
 * dws_region_minute}).
 */
final class RegionResource {
    private final ApiTables tables;

    RegionResource(ApiTables tables) {
        this.tables = tables;
    }

    /** {@code {"regions": [...]}}: one realtime row per region, by region. */
    ObjectNode all() throws Exception {
        List<ObjectNode> rows = tables.rows(GridTables.ADS_GRID_REALTIME, r -> true);
        rows.sort(Comparator.comparing(n -> n.get("region").asText()));
        return ApiTables.object().set("regions", ApiTables.array(rows, Integer.MAX_VALUE));
    }

    /** The region's newest {@code limit} minutes, newest first; 404 for an unknown region. */
    ObjectNode minutes(String region, int limit) throws Exception {
        List<ObjectNode> rows =
                tables.rows(GridTables.DWS_REGION_MINUTE, r -> region.equals(r.get("region")));
        if (rows.isEmpty()
                && tables.rows(GridTables.ADS_GRID_REALTIME, r -> region.equals(r.get("region")))
                        .isEmpty()) {
            throw new ApiError(404, "No region '" + region + "'");
        }
        rows.sort(
                Comparator.comparing((ObjectNode n) -> n.get("window_start").asText()).reversed());
        ObjectNode out = ApiTables.object().put("region", region);
        out.set("minutes", ApiTables.array(rows, limit));
        return out;
    }

    /** {@code {"regions": {region: [...]}}}: each region's newest {@code minutes}, oldest first. */
    ObjectNode trends(int minutes) throws Exception {
        Map<String, List<ObjectNode>> byRegion = new TreeMap<>();
        for (ObjectNode n : tables.rows(GridTables.DWS_REGION_MINUTE, r -> true)) {
            byRegion.computeIfAbsent(n.get("region").asText(), k -> new ArrayList<>()).add(n);
        }
        ObjectNode out = ApiTables.object();
        for (Map.Entry<String, List<ObjectNode>> e : byRegion.entrySet()) {
            List<ObjectNode> list = e.getValue();
            list.sort(Comparator.comparing((ObjectNode n) -> n.get("window_start").asText()));
            out.set(
                    e.getKey(),
                    ApiTables.array(
                            list.subList(Math.max(0, list.size() - minutes), list.size()),
                            minutes));
        }
        return ApiTables.object().set("regions", out);
    }
}
