package dev.gridhouse.bench;

import dev.gridhouse.contract.grid.Device;
import java.io.File;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The baseline's second dimension store: a throwaway PostgreSQL started with the project's {@code
 * deploy/bin/pg-local} in its own directory and on its own free port (so it never touches a
 * developer's pg-local), devices in table {@code bench_devices}; lookups as one primary-key query
 * per record on a few connections (what a JDBC lookup join does).
 */
final class PostgresStore implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(PostgresStore.class);
    private static final String COLUMNS =
            "device_id, device_name, device_type, substation_id, region, capacity_mw,"
                    + " rated_voltage_kv, status, updated_at";

    private final Path script;
    private final Map<String, String> env;
    private final String url;
    private final List<Long> serverPids;

    private PostgresStore(Path script, Map<String, String> env, int port, List<Long> serverPids) {
        this.script = script;
        this.env = env;
        this.url = "jdbc:postgresql://127.0.0.1:" + port + "/gridhouse";
        this.serverPids = serverPids;
    }

    /** Finds {@code deploy/bin/pg-local} from the working directory or its parents. */
    static Path findPgLocal(String configured) {
        if (configured != null && !configured.isEmpty()) {
            Path p = Paths.get(configured);
            if (!Files.isExecutable(p)) {
                throw new IllegalArgumentException(
                        "--pg-local " + configured + " is not an executable file.");
            }
            return p;
        }
        for (Path dir = Paths.get("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path p = dir.resolve("deploy/bin/pg-local");
            if (Files.isExecutable(p)) {
                return p;
            }
        }
        throw new IllegalArgumentException(
                "deploy/bin/pg-local not found from "
                        + Paths.get("").toAbsolutePath()
                        + "; run from the project directory or pass --pg-local <path>.");
    }

    /** Starts the cluster; its postmaster tree is added to {@code serverPids}. */
    static PostgresStore start(Path script, Path dir, List<Long> serverPids) throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            port = s.getLocalPort();
        }
        Map<String, String> env =
                Map.of("GRIDHOUSE_PG_DIR", dir.toString(), "GRIDHOUSE_PG_PORT", "" + port);
        PostgresStore store = new PostgresStore(script, env, port, serverPids);
        store.run("start");
        serverPids.add(ProcStats.readPid(dir.resolve("data/postmaster.pid")));
        try (Connection c = store.connect();
                Statement st = c.createStatement()) {
            st.execute("DROP TABLE IF EXISTS bench_devices");
            st.execute(
                    "CREATE TABLE bench_devices (device_id text PRIMARY KEY, device_name text,"
                            + " device_type text, substation_id text, region text,"
                            + " capacity_mw double precision, rated_voltage_kv double precision,"
                            + " status text, updated_at bigint)");
        }
        LOG.info("PostgreSQL up on 127.0.0.1:{}", port);
        return store;
    }

    private void run(String command) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(script.toString(), command);
        pb.environment().putAll(env);
        pb.redirectErrorStream(true);
        File log = Files.createTempFile("gridbench-pg-", ".log").toFile();
        pb.redirectOutput(log);
        Process p = pb.start();
        if (!p.waitFor(180, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IllegalStateException(
                    "pg-local " + command + " failed: " + Files.readString(log.toPath()));
        }
        log.delete();
    }

    static final String USER = "gridhouse";

    /** pg-local's password: {@code GRIDHOUSE_PG_PASSWORD} or its default. */
    static String password() {
        return System.getenv().getOrDefault("GRIDHOUSE_PG_PASSWORD", "gridhouse");
    }

    /** The JDBC URL of the benchmark database, with batched inserts rewritten. */
    String jdbcUrl() {
        return url + "?reWriteBatchedInserts=true";
    }

    /** The JDBC URL without batch rewriting (upserts may repeat a key within a batch). */
    String plainJdbcUrl() {
        return url;
    }

    Connection connect() throws Exception {
        return DriverManager.getConnection(jdbcUrl(), USER, password());
    }

    /** Scenario 3 set-up: batched inserts (rewritten into multi-row INSERTs), one transaction. */
    Measurement loadDevices(List<Device> devices) throws Exception {
        Meter meter = Meter.start(serverPids);
        try (Connection c = connect();
                PreparedStatement ps =
                        c.prepareStatement(
                                "INSERT INTO bench_devices ("
                                        + COLUMNS
                                        + ") VALUES (?,?,?,?,?,?,?,?,?)")) {
            c.setAutoCommit(false);
            int n = 0;
            for (Device d : devices) {
                ps.setString(1, d.deviceId);
                ps.setString(2, d.deviceName);
                ps.setString(3, d.deviceType);
                ps.setString(4, d.substationId);
                ps.setString(5, d.region);
                ps.setDouble(6, d.capacityMw);
                ps.setDouble(7, d.ratedVoltageKv);
                ps.setString(8, d.status);
                ps.setLong(9, d.updatedAt);
                ps.addBatch();
                if (++n % 1_000 == 0) {
                    ps.executeBatch();
                }
            }
            ps.executeBatch();
            c.commit();
        }
        try (Connection c = connect();
                Statement st = c.createStatement()) {
            st.execute("ANALYZE bench_devices");
        }
        return meter.stop(
                "3-dimension-load",
                "PostgreSQL (batched INSERT, 1 transaction)",
                "kafka",
                devices.size(),
                new Latencies(1),
                "-",
                "reWriteBatchedInserts=true, batches of 1,000");
    }

    private static Device read(ResultSet rs) throws Exception {
        Device d = new Device();
        d.deviceId = rs.getString(1);
        d.deviceName = rs.getString(2);
        d.deviceType = rs.getString(3);
        d.substationId = rs.getString(4);
        d.region = rs.getString(5);
        d.capacityMw = rs.getDouble(6);
        d.ratedVoltageKv = rs.getDouble(7);
        d.status = rs.getString(8);
        d.updatedAt = rs.getLong(9);
        return d;
    }

    /** Scenario 3: {@code threads} connections, each one blocking primary-key query at a time. */
    Measurement lookups(String[] keys, int threads, Duration maxTime) throws Exception {
        Latencies lat = new Latencies(keys.length);
        AtomicInteger next = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            Meter meter = Meter.start(serverPids);
            long deadline = System.nanoTime() + maxTime.toNanos();
            List<Future<Integer>> done = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                done.add(pool.submit(() -> queryLoop(keys, next, deadline, lat)));
            }
            int total = 0;
            for (Future<Integer> f : done) {
                total += f.get();
            }
            return meter.stop(
                    "3-lookup-join",
                    "PostgreSQL PK query (" + threads + " connections)",
                    "kafka",
                    total,
                    lat,
                    "query → row",
                    "prepared statement, " + threads + " threads");
        } finally {
            pool.shutdownNow();
        }
    }

    private int queryLoop(String[] keys, AtomicInteger next, long deadline, Latencies lat)
            throws Exception {
        int n = 0;
        try (Connection c = connect();
                PreparedStatement ps =
                        c.prepareStatement(
                                "SELECT " + COLUMNS + " FROM bench_devices WHERE device_id = ?")) {
            int i;
            while ((i = next.getAndIncrement()) < keys.length && System.nanoTime() < deadline) {
                long t0 = System.nanoTime();
                ps.setString(1, keys[i]);
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next() || read(rs) == null) {
                        throw new IllegalStateException("Device " + keys[i] + " not in PostgreSQL");
                    }
                }
                lat.add(System.nanoTime() - t0);
                n++;
            }
        }
        return n;
    }

    /** Scenario 5: one query at a time on one connection. */
    Measurement pointQueries(String[] keys) throws Exception {
        Latencies lat = new Latencies(keys.length);
        AtomicInteger next = new AtomicInteger();
        Meter meter = Meter.start(serverPids);
        int n = queryLoop(keys, next, Long.MAX_VALUE, lat);
        return meter.stop(
                "5-point-query",
                "PostgreSQL PK query",
                "kafka",
                n,
                lat,
                "query → row (sequential)",
                "prepared statement, 1 connection");
    }

    @Override
    public void close() throws Exception {
        run("stop");
    }
}
