package dev.gridhouse.deploy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.gridhouse.contract.grid.GridTables;
import dev.gridhouse.core.catalog.TableSpec;
import dev.gridhouse.core.io.FlussEndpoint;
import dev.gridhouse.core.io.TableReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Predicate;
import org.apache.fluss.client.lookup.LookupResult;
import org.apache.fluss.client.table.Table;
import org.apache.fluss.metadata.TablePath;
import org.apache.fluss.row.BinaryString;
import org.apache.fluss.row.GenericRow;
import org.apache.fluss.row.InternalRow;
import org.apache.fluss.row.TimestampLtz;
import org.apache.fluss.row.TimestampNtz;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The query API and the web dashboard ("big screen") of a running warehouse, answered from Fluss
 * directly: primary-key lookups and reads of the realtime tables, no copy in another store. JSON
 * objects use the contract's column names; timestamps are ISO-8601 UTC strings.
 *
 * <pre>
 * GET /api/regions                        ads_grid_realtime, one row per region
 * GET /api/regions/{region}/minutes?limit=N   the region's newest dws_region_minute rows
 * GET /api/trends?minutes=N               the newest N region-minutes of every region
 * GET /api/alarms?status=ACTIVE|CLEARED|ALL&amp;limit=N   ads_alarms by severity, newest first
 * GET /api/decisions?limit=N              ads_dispatch_decisions, newest first
 * GET /api/devices/{device_id}?minutes=N  ods_devices row + its newest dws_device_minute rows
 * GET /                                   the dashboard
 * </pre>
 *
 * Errors are JSON {@code {"error": "..."}}: 400 for a bad parameter, 404 for an unknown path,
 * region or device, 405 for another method than GET.
 */
public final class GridApiServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(GridApiServer.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration READ_TIMEOUT = Duration.ofSeconds(20);
    private static final int MAX_LIMIT = 1000;
    private static final Map<String, String> STATIC =
            Map.of(
                    "/", "index.html",
                    "/index.html", "index.html",
                    "/app.js", "app.js",
                    "/style.css", "style.css");

    private final HttpServer server;
    private final ExecutorService executor;
    private final TableReader reader;
    private final String database;

    private GridApiServer(
            HttpServer server, ExecutorService executor, TableReader reader, String db) {
        this.server = server;
        this.executor = executor;
        this.reader = reader;
        this.database = db;
    }

    /** Starts serving on {@code host:port} (port 0 = any free port). */
    public static GridApiServer start(FlussEndpoint fluss, String host, int port)
            throws IOException {
        TableReader reader = new TableReader(fluss.toFlussConfig(), fluss.database());
        HttpServer server = HttpServer.create(new InetSocketAddress(host, port), 0);
        ExecutorService executor =
                Executors.newFixedThreadPool(
                        4,
                        r -> {
                            Thread t = new Thread(r, "gridhouse-api");
                            t.setDaemon(true);
                            return t;
                        });
        GridApiServer api = new GridApiServer(server, executor, reader, fluss.database());
        server.createContext("/", api::handle);
        server.setExecutor(executor);
        server.start();
        LOG.info("Gridhouse API serving {} at {}", fluss, api.url());
        return api;
    }

    public int port() {
        return server.getAddress().getPort();
    }

    public String url() {
        return "http://" + server.getAddress().getHostString() + ":" + port() + "/";
    }

    @Override
    public void close() throws Exception {
        server.stop(0);
        executor.shutdownNow();
        reader.close();
    }

    /** An error answered as {@code {"error": message}} with an HTTP status. */
    static final class ApiError extends RuntimeException {
        final int status;

        ApiError(int status, String message) {
            super(message);
            this.status = status;
        }
    }

    private void handle(HttpExchange ex) throws IOException {
        try {
            if (!"GET".equals(ex.getRequestMethod())) {
                ex.getResponseHeaders().set("Allow", "GET");
                throw new ApiError(405, "Only GET is supported, got " + ex.getRequestMethod());
            }
            URI uri = ex.getRequestURI();
            String path = uri.getPath();
            if (STATIC.containsKey(path)) {
                serveStatic(ex, STATIC.get(path));
                return;
            }
            Map<String, String> query = parseQuery(uri.getRawQuery());
            Object body = route(path, query);
            send(ex, 200, "application/json", JSON.writeValueAsBytes(body));
        } catch (ApiError e) {
            ObjectNode err = JSON.createObjectNode().put("error", e.getMessage());
            send(ex, e.status, "application/json", JSON.writeValueAsBytes(err));
        } catch (Exception e) {
            LOG.warn("API request {} failed", ex.getRequestURI(), e);
            ObjectNode err =
                    JSON.createObjectNode().put("error", "Internal error: " + e.getMessage());
            send(ex, 500, "application/json", JSON.writeValueAsBytes(err));
        } finally {
            ex.close();
        }
    }

    private Object route(String path, Map<String, String> q) throws Exception {
        String[] parts = path.replaceAll("/+$", "").split("/");
        // parts[0] is "" (leading slash)
        if (parts.length >= 3 && parts[1].equals("api")) {
            switch (parts[2]) {
                case "regions":
                    if (parts.length == 3) {
                        allowOnly(q);
                        return regions();
                    }
                    if (parts.length == 5 && parts[4].equals("minutes")) {
                        allowOnly(q, "limit");
                        return regionMinutes(decode(parts[3]), limit(q, "limit", 60));
                    }
                    break;
                case "trends":
                    if (parts.length == 3) {
                        allowOnly(q, "minutes");
                        return trends(limit(q, "minutes", 30));
                    }
                    break;
                case "alarms":
                    if (parts.length == 3) {
                        allowOnly(q, "status", "limit");
                        return alarms(status(q), limit(q, "limit", 200));
                    }
                    break;
                case "decisions":
                    if (parts.length == 3) {
                        allowOnly(q, "limit");
                        return decisions(limit(q, "limit", 20));
                    }
                    break;
                case "devices":
                    if (parts.length == 4) {
                        allowOnly(q, "minutes");
                        return device(decode(parts[3]), limit(q, "minutes", 10));
                    }
                    break;
                default:
                    break;
            }
        }
        throw new ApiError(404, "No such resource: " + path);
    }

    // ------------------------------------------------------------------ resources

    private ObjectNode regions() throws Exception {
        List<ObjectNode> rows = rows(GridTables.ADS_GRID_REALTIME, r -> true);
        rows.sort(Comparator.comparing(n -> n.get("region").asText()));
        return JSON.createObjectNode().set("regions", array(rows, Integer.MAX_VALUE));
    }

    private ObjectNode regionMinutes(String region, int limit) throws Exception {
        List<ObjectNode> rows =
                rows(GridTables.DWS_REGION_MINUTE, r -> region.equals(r.get("region")));
        if (rows.isEmpty()
                && rows(GridTables.ADS_GRID_REALTIME, r -> region.equals(r.get("region")))
                        .isEmpty()) {
            throw new ApiError(404, "No region '" + region + "'");
        }
        rows.sort(
                Comparator.comparing((ObjectNode n) -> n.get("window_start").asText()).reversed());
        ObjectNode out = JSON.createObjectNode().put("region", region);
        out.set("minutes", array(rows, limit));
        return out;
    }

    private ObjectNode trends(int minutes) throws Exception {
        Map<String, List<ObjectNode>> byRegion = new TreeMap<>();
        for (ObjectNode n : rows(GridTables.DWS_REGION_MINUTE, r -> true)) {
            byRegion.computeIfAbsent(n.get("region").asText(), k -> new ArrayList<>()).add(n);
        }
        ObjectNode out = JSON.createObjectNode();
        for (Map.Entry<String, List<ObjectNode>> e : byRegion.entrySet()) {
            List<ObjectNode> list = e.getValue();
            list.sort(Comparator.comparing((ObjectNode n) -> n.get("window_start").asText()));
            out.set(
                    e.getKey(),
                    array(list.subList(Math.max(0, list.size() - minutes), list.size()), minutes));
        }
        return JSON.createObjectNode().set("regions", out);
    }

    private ObjectNode alarms(String status, int limit) throws Exception {
        List<ObjectNode> rows =
                rows(
                        GridTables.ADS_ALARMS,
                        r -> status.equals("ALL") || status.equals(r.get("status")));
        Map<String, Integer> rank = Map.of("CRITICAL", 0, "MAJOR", 1);
        rows.sort(
                Comparator.comparing(
                                (ObjectNode n) -> rank.getOrDefault(n.get("severity").asText(), 2))
                        .thenComparing(
                                Comparator.comparing((ObjectNode n) -> n.get("raised_at").asText())
                                        .reversed())
                        .thenComparing(n -> n.get("alarm_id").asText()));
        ObjectNode out = JSON.createObjectNode().put("status", status).put("total", rows.size());
        out.set("alarms", array(rows, limit));
        return out;
    }

    private ObjectNode decisions(int limit) throws Exception {
        List<ObjectNode> rows = rows(GridTables.ADS_DISPATCH_DECISIONS, r -> true);
        rows.sort(
                Comparator.comparing((ObjectNode n) -> n.get("decided_at").asText())
                        .reversed()
                        .thenComparing(n -> n.get("decision_id").asText()));
        ObjectNode out = JSON.createObjectNode().put("total", rows.size());
        out.set("decisions", array(rows, limit));
        return out;
    }

    private ObjectNode device(String deviceId, int minutes) throws Exception {
        List<ObjectNode> device = lookup(GridTables.ODS_DEVICES, deviceId, false);
        if (device.isEmpty()) {
            throw new ApiError(404, "No device '" + deviceId + "'");
        }
        List<ObjectNode> rows = lookup(GridTables.DWS_DEVICE_MINUTE, deviceId, true);
        rows.sort(
                Comparator.comparing((ObjectNode n) -> n.get("window_start").asText()).reversed());
        ObjectNode out = JSON.createObjectNode();
        out.set("device", device.get(0));
        out.set("latest_minute", rows.isEmpty() ? null : rows.get(0));
        out.set("minutes", array(rows, minutes));
        return out;
    }

    // ------------------------------------------------------------------ Fluss access

    /** Rows of a table as JSON objects, filtered on the raw column values. */
    private List<ObjectNode> rows(TableSpec spec, Predicate<Map<String, Object>> filter)
            throws Exception {
        List<String> names = spec.columnNames();
        List<ObjectNode> out = new ArrayList<>();
        for (Object[] row : reader.readAll(spec, READ_TIMEOUT)) {
            Map<String, Object> byName = new HashMap<>();
            for (int i = 0; i < row.length; i++) {
                byName.put(names.get(i), row[i]);
            }
            if (filter.test(byName)) {
                out.add(toJson(names, row));
            }
        }
        return out;
    }

    /**
     * A primary-key lookup of {@code ods_devices} by device id, or ({@code prefix}) a prefix lookup
     * of a table whose bucket key is {@code device_id}.
     */
    private List<ObjectNode> lookup(TableSpec spec, String deviceId, boolean prefix)
            throws Exception {
        GenericRow key = GenericRow.of(BinaryString.fromString(deviceId));
        List<ObjectNode> out = new ArrayList<>();
        try (Table table = reader.connection().getTable(TablePath.of(database, spec.name()))) {
            LookupResult result =
                    (prefix
                                    ? table.newLookup().lookupBy("device_id").createLookuper()
                                    : table.newLookup().createLookuper())
                            .lookup(key)
                            .get();
            InternalRow.FieldGetter[] getters =
                    InternalRow.createFieldGetters(table.getTableInfo().getRowType());
            for (InternalRow row : result.getRowList()) {
                Object[] values = new Object[getters.length];
                for (int i = 0; i < getters.length; i++) {
                    Object v = getters[i].getFieldOrNull(row);
                    values[i] = v instanceof BinaryString ? v.toString() : v;
                }
                out.add(toJson(spec.columnNames(), values));
            }
        }
        return out;
    }

    static ObjectNode toJson(List<String> names, Object[] row) {
        ObjectNode node = JSON.createObjectNode();
        for (int i = 0; i < row.length; i++) {
            Object v = row[i];
            String name = names.get(i);
            if (v == null) {
                node.putNull(name);
            } else if (v instanceof Double) {
                node.put(name, (Double) v);
            } else if (v instanceof Long) {
                node.put(name, (Long) v);
            } else if (v instanceof Integer) {
                node.put(name, (Integer) v);
            } else if (v instanceof Boolean) {
                node.put(name, (Boolean) v);
            } else if (v instanceof TimestampLtz || v instanceof TimestampNtz) {
                node.put(name, TableFormat.text(v));
            } else {
                node.put(name, v.toString());
            }
        }
        return node;
    }

    private static ArrayNode array(List<ObjectNode> rows, int limit) {
        ArrayNode a = JSON.createArrayNode();
        for (int i = 0; i < rows.size() && i < limit; i++) {
            a.add(rows.get(i));
        }
        return a;
    }

    // ------------------------------------------------------------------ parameters

    private static Map<String, String> parseQuery(String raw) {
        Map<String, String> q = new HashMap<>();
        if (raw == null || raw.isEmpty()) {
            return q;
        }
        for (String pair : raw.split("&")) {
            int eq = pair.indexOf('=');
            String k = decode(eq < 0 ? pair : pair.substring(0, eq));
            String v = eq < 0 ? "" : decode(pair.substring(eq + 1));
            if (q.put(k, v) != null) {
                throw new ApiError(400, "Parameter '" + k + "' is given more than once");
            }
        }
        return q;
    }

    private static void allowOnly(Map<String, String> q, String... allowed) {
        List<String> ok = List.of(allowed);
        for (String k : q.keySet()) {
            if (!ok.contains(k)) {
                throw new ApiError(
                        400,
                        "Unknown parameter '"
                                + k
                                + "'"
                                + (ok.isEmpty() ? "; this resource takes none" : "; use " + ok));
            }
        }
    }

    private static int limit(Map<String, String> q, String name, int dflt) {
        String v = q.get(name);
        if (v == null) {
            return dflt;
        }
        try {
            int n = Integer.parseInt(v);
            if (n >= 1 && n <= MAX_LIMIT) {
                return n;
            }
        } catch (NumberFormatException ignored) {
            // reported below
        }
        throw new ApiError(
                400, name + " must be an integer from 1 to " + MAX_LIMIT + ", got '" + v + "'");
    }

    private static String status(Map<String, String> q) {
        String v = q.getOrDefault("status", "ACTIVE");
        if (!List.of("ACTIVE", "CLEARED", "ALL").contains(v)) {
            throw new ApiError(400, "status must be ACTIVE, CLEARED or ALL, got '" + v + "'");
        }
        return v;
    }

    private static String decode(String s) {
        return URLDecoder.decode(s, StandardCharsets.UTF_8);
    }

    // ------------------------------------------------------------------ responses

    private static void serveStatic(HttpExchange ex, String name) throws IOException {
        try (InputStream in = GridApiServer.class.getResourceAsStream("/dashboard/" + name)) {
            if (in == null) {
                throw new ApiError(404, "No such resource: " + name);
            }
            String type =
                    name.endsWith(".html")
                            ? "text/html; charset=utf-8"
                            : name.endsWith(".js")
                                    ? "text/javascript; charset=utf-8"
                                    : "text/css; charset=utf-8";
            send(ex, 200, type, in.readAllBytes());
        }
    }

    private static void send(HttpExchange ex, int status, String type, byte[] body)
            throws IOException {
        ex.getResponseHeaders().set("Content-Type", type);
        ex.getResponseHeaders().set("Cache-Control", "no-store");
        ex.sendResponseHeaders(status, body.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(body);
        }
    }
}
