package dev.gridhouse.deploy;

import com.sun.net.httpserver.HttpServer;
import dev.gridhouse.core.io.FlussEndpoint;
import dev.gridhouse.core.io.TableReader;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
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
 * region or device, 405 for another method than GET. This class owns the server's lifecycle and the
 * routing table ({@link #routes}); {@link ApiRouter} dispatches, the resource classes answer.
 */
public final class GridApiServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(GridApiServer.class);

    private final HttpServer server;
    private final ExecutorService executor;
    private final TableReader reader;

    private GridApiServer(HttpServer server, ExecutorService executor, TableReader reader) {
        this.server = server;
        this.executor = executor;
        this.reader = reader;
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
        GridApiServer api = new GridApiServer(server, executor, reader);
        server.createContext("/", routes(new ApiTables(reader)));
        server.setExecutor(executor);
        server.start();
        LOG.info("Gridhouse API serving {} at {}", fluss, api.url());
        return api;
    }

    /**
     * The routing table: every API path, the query parameters it takes and what answers it. The
     * dashboard's files ({@code /}, {@code /index.html}, {@code /app.js}, {@code /style.css}) are
     * answered by {@link DashboardFiles} before any route, whatever their query.
     */
    static ApiRouter routes(ApiTables tables) {
        RegionResource regions = new RegionResource(tables);
        AlarmResource alarms = new AlarmResource(tables);
        DecisionResource decisions = new DecisionResource(tables);
        DeviceResource devices = new DeviceResource(tables);
        return new ApiRouter()
                .get("/api/regions", List.of(), r -> regions.all())
                .get(
                        "/api/regions/{region}/minutes",
                        List.of("limit"),
                        r -> regions.minutes(r.path("region"), r.limit("limit", 60)))
                .get("/api/trends", List.of("minutes"), r -> regions.trends(r.limit("minutes", 30)))
                .get(
                        "/api/alarms",
                        List.of("status", "limit"),
                        r ->
                                alarms.list(
                                        r.oneOf("status", AlarmResource.STATUSES),
                                        r.limit("limit", 200)))
                .get("/api/decisions", List.of("limit"), r -> decisions.list(r.limit("limit", 20)))
                .get(
                        "/api/devices/{device_id}",
                        List.of("minutes"),
                        r -> devices.get(r.path("device_id"), r.limit("minutes", 10)));
    }

    /** The port served on. */
    public int port() {
        return server.getAddress().getPort();
    }

    /** The dashboard's URL, {@code http://host:port/}. */
    public String url() {
        return "http://" + server.getAddress().getHostString() + ":" + port() + "/";
    }

    @Override
    public void close() throws Exception {
        server.stop(0);
        executor.shutdownNow();
        reader.close();
    }
}
