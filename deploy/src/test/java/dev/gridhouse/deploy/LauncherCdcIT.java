package dev.gridhouse.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.fluss.config.Configuration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * CDC on the path users run: {@code deploy/bin/gridhouse} itself (its classpath file, its JVM
 * flags), not Maven's test classpath. Each test keeps changing PostgreSQL from before the launcher
 * starts until after the CDC snapshot is in Fluss, so changes land before, during and right after
 * the snapshot of every captured table; then every Fluss table must equal SQL over PostgreSQL's
 * current rows, the job must not have restarted, and the slot must be dropped on shutdown. Runs in
 * the {@code integration-test} phase (failsafe), after the launcher's jar and classpath exist.
 */
class LauncherCdcIT {
    private static final Duration WAIT = Duration.ofMinutes(3);
    private static final String ID = UUID.randomUUID().toString().replace("-", "").substring(0, 8);
    private static final String PASSWORD =
            System.getenv().getOrDefault("GRIDHOUSE_PG_PASSWORD", "gridhouse");
    private static final int PG_PORT =
            Integer.parseInt(System.getenv().getOrDefault("GRIDHOUSE_PG_PORT", "55432"));
    private static final Pattern FLUSS =
            Pattern.compile("Fluss (?:is up at )?(127\\.0\\.0\\.1:\\d+)");

    @TempDir static Path dir;
    private static Path repo;

    @BeforeAll
    static void startPostgres() throws Exception {
        repo = Paths.get("").toAbsolutePath().getParent();
        Process p =
                new ProcessBuilder(repo.resolve("deploy/bin/pg-local").toString(), "start")
                        .redirectErrorStream(true)
                        .redirectOutput(dir.resolve("pg-local.log").toFile())
                        .start();
        assertThat(p.waitFor(10, TimeUnit.MINUTES)).as("pg-local start finished").isTrue();
        assertThat(p.exitValue())
                .as("pg-local start: %s", Files.readString(dir.resolve("pg-local.log")))
                .isZero();
    }

    @AfterAll
    static void dropDatabases() throws Exception {
        try (Connection admin = connect("gridhouse");
                Statement st = admin.createStatement()) {
            for (String db : new String[] {"gh_launch_svc_" + ID, "gh_launch_grid_" + ID}) {
                st.execute("DROP DATABASE IF EXISTS " + db + " WITH (FORCE)");
            }
        }
    }

    @Test
    void launcherClasspathPutsFlinkCdcsPatchedDebeziumClassesFirst() throws Exception {
        List<String> entries =
                List.of(
                        Files.readString(repo.resolve("deploy/target/launcher.classpath"))
                                .trim()
                                .split(":"));
        assertThat(entries).allSatisfy(e -> assertThat(Paths.get(e)).isRegularFile());
        int cdc = indexOf(entries, "flink-connector-postgres-cdc-");
        int debezium = indexOf(entries, "debezium-connector-postgres-");
        assertThat(cdc).isNotNegative().isLessThan(debezium);
        assertThat(Files.readString(repo.resolve("deploy/bin/gridhouse")))
                .contains("launcher.classpath")
                .doesNotContain("-cp \"$JAR:$LIB/*\"");
    }

    private static int indexOf(List<String> entries, String jarPrefix) {
        for (int i = 0; i < entries.size(); i++) {
            if (Paths.get(entries.get(i)).getFileName().toString().startsWith(jarPrefix)) {
                return i;
            }
        }
        return -1;
    }

    @Test
    void servicePipelineThroughTheLauncherEqualsSqlWithChangesDuringTheSnapshot() throws Exception {
        String db = "gh_launch_svc_" + ID;
        String slot = db + "_slot";
        createDatabase(db);
        try (Connection pg = connect(db);
                Connection changes = connect(db)) {
            ServiceData.createSchema(pg);
            long t0 = Instant.parse("2026-05-01T00:00:00Z").toEpochMilli();
            new ServiceData(pg, 5L, t0, 5, 6).seed(150);
            ServiceData data = new ServiceData(changes, 6L, t0, 5, 6);
            Changer changer = new Changer(data::change);
            Launched run =
                    launch(
                            changer,
                            "Ticket warehouse running",
                            "local",
                            "--pipeline",
                            "service",
                            "--change-rate",
                            "0",
                            "--refresh",
                            "2s",
                            "--pg.port",
                            String.valueOf(PG_PORT),
                            "--pg.database",
                            db,
                            "--pg.slot-name",
                            slot,
                            "--pg.publication-name",
                            db + "_pub");
            try {
                assertThat(changer.before.get() + changer.after.get())
                        .as("changes made around the snapshot")
                        .isGreaterThan(20);
                PostgresOracle oracle = new PostgresOracle(pg, run.fluss(), "service", WAIT);
                oracle.awaitServiceOdsEqualsSql();
                oracle.awaitServiceDwsEqualsSql();
                oracle.awaitServiceRankingEqualsSql();
                oracle.awaitPostgresRankingEqualsSql();
                run.assertNoRestarts();
            } finally {
                run.stop();
            }
            assertThat(run.output()).contains("Stopped; Fluss and Flink are shut down.");
            assertNoSlotLeft(pg, slot);
        }
    }

    @Test
    void gridDimensionsFromPostgresThroughTheLauncherEqualSqlWithChangesDuringTheSnapshot()
            throws Exception {
        String db = "gh_launch_grid_" + ID;
        String slot = db + "_slot";
        createDatabase(db);
        try (Connection pg = connect(db);
                Connection changes = connect(db)) {
            try (Statement st = pg.createStatement()) {
                st.execute(Files.readString(repo.resolve("deploy/sql/grid-schema.sql")));
            }
            String[] pgArgs = {"--pg.port", String.valueOf(PG_PORT), "--pg.database", db};
            Process load =
                    launcher(concat(new String[] {"pg-load", "--sim.device-count", "3000"}, pgArgs))
                            .redirectOutput(dir.resolve("pg-load.log").toFile())
                            .start();
            assertThat(load.waitFor(5, TimeUnit.MINUTES)).isTrue();
            assertThat(load.exitValue())
                    .as("gridhouse pg-load: %s", Files.readString(dir.resolve("pg-load.log")))
                    .isZero();
            GridChanges grid = new GridChanges(changes, 11L);
            Changer changer = new Changer(grid::change);
            Launched run =
                    launch(
                            changer,
                            "from PostgreSQL; CDC keeps them current",
                            concat(
                                    new String[] {
                                        "local",
                                        "--devices-source",
                                        "postgres",
                                        "--device-count",
                                        "3000",
                                        "--rate",
                                        "300",
                                        "--refresh",
                                        "2s",
                                        "--serve.port",
                                        "0",
                                        "--pg.slot-name",
                                        slot,
                                        "--pg.publication-name",
                                        db + "_pub"
                                    },
                                    pgArgs));
            try {
                assertThat(changer.before.get() + changer.after.get())
                        .as("changes made around the snapshot")
                        .isGreaterThan(20);
                assertThat(grid.kinds).as("kinds of change made").hasSizeGreaterThan(6);
                new PostgresOracle(pg, run.fluss(), "grid", WAIT).awaitGridDimensionsEqualSql();
                // the pipeline runs on the captured dimension: telemetry is accepted
                run.awaitPattern(Pattern.compile(" [1-9][0-9]* accepted,"), Duration.ofMinutes(3));
                try (dev.gridhouse.core.io.TableReader reader =
                        new dev.gridhouse.core.io.TableReader(run.fluss(), "grid")) {
                    java.util.Map<String, Integer> reasons = new java.util.TreeMap<>();
                    for (Object[] r :
                            reader.readAll(
                                    dev.gridhouse.core.catalog.GridTables.ODS_DEAD_LETTER,
                                    Duration.ofMinutes(1))) {
                        reasons.merge(r[0] + ":" + r[1], 1, Integer::sum);
                    }
                    System.out.println("Dead letters by source:reason: " + reasons);
                    // every row the changes wrote is valid: no dimension row was rejected
                    assertThat(reasons.keySet()).allMatch(k -> k.startsWith("telemetry:"));
                }
                run.assertNoRestarts();
            } finally {
                run.stop();
            }
            assertThat(run.output()).contains("Stopped; Fluss and Flink are shut down.");
            assertNoSlotLeft(pg, slot);
        }
    }

    // ------------------------------------------------------------------------------------------

    /** Applies changes in a loop; counts those before and after the readiness line. */
    private static final class Changer implements Runnable {
        interface Change {
            Object apply() throws Exception;
        }

        private final Change change;
        final AtomicBoolean ready = new AtomicBoolean();
        final AtomicBoolean stop = new AtomicBoolean();
        final AtomicInteger before = new AtomicInteger();
        final AtomicInteger after = new AtomicInteger();
        volatile Exception failure;

        Changer(Change change) {
            this.change = change;
        }

        @Override
        public void run() {
            try {
                while (!stop.get()) {
                    change.apply();
                    (ready.get() ? after : before).incrementAndGet();
                    Thread.sleep(20);
                }
            } catch (Exception e) {
                failure = e;
            }
        }
    }

    /** Random valid changes of devices, substations and lines (all three CDC tables). */
    private static final class GridChanges {
        private static final String[] STATUS = {"IN_SERVICE", "MAINTENANCE", "OUT_OF_SERVICE"};
        private static final String[] TYPES = {"GENERATOR", "TRANSFORMER", "FEEDER", "BREAKER"};
        private final Connection c;
        private final Random random;
        private final List<String> substations = new ArrayList<>();
        private final List<String> regions = new ArrayList<>();
        final java.util.Set<Integer> kinds = Collections.synchronizedSet(new java.util.HashSet<>());
        private int next;

        GridChanges(Connection c, long seed) throws Exception {
            this.c = c;
            this.random = new Random(seed);
            try (Statement st = c.createStatement();
                    ResultSet rs =
                            st.executeQuery(
                                    "SELECT substation_id, region FROM grid.substations ORDER BY 1")) {
                while (rs.next()) {
                    substations.add(rs.getString(1));
                    regions.add(rs.getString(2));
                }
            }
        }

        Object change() throws Exception {
            int kind = random.nextInt(9);
            kinds.add(kind);
            int s = random.nextInt(substations.size());
            switch (kind) {
                case 0:
                    return exec(
                            "UPDATE grid.devices SET status = ?, updated_at = now() WHERE"
                                    + " device_id = (SELECT device_id FROM grid.devices ORDER BY"
                                    + " random() LIMIT 1)",
                            STATUS[random.nextInt(STATUS.length)]);
                case 1:
                    return exec(
                            "UPDATE grid.devices SET capacity_mw = ?::float8, updated_at = now()"
                                    + " WHERE device_id = (SELECT device_id FROM grid.devices"
                                    + " ORDER BY random() LIMIT 1)",
                            String.valueOf(1 + random.nextInt(500)));
                case 2:
                    return exec(
                            "UPDATE grid.devices SET substation_id = ?, region = ?, updated_at ="
                                    + " now() WHERE device_id = (SELECT device_id FROM"
                                    + " grid.devices ORDER BY random() LIMIT 1)",
                            substations.get(s),
                            regions.get(s));
                case 3:
                    return exec(
                            "DELETE FROM grid.devices WHERE device_id = (SELECT device_id FROM"
                                    + " grid.devices ORDER BY random() LIMIT 1)");
                case 4:
                    return exec(
                            "INSERT INTO grid.devices VALUES (?, ?, ?, ?, ?, 120.0, 110.0,"
                                    + " 'IN_SERVICE', now())",
                            "DX" + ID + "_" + next,
                            "new device " + next++,
                            TYPES[random.nextInt(TYPES.length)],
                            substations.get(s),
                            regions.get(s));
                case 5:
                    return exec(
                            "UPDATE grid.substations SET capacity_mw = ?::float8 WHERE"
                                    + " substation_id = ?",
                            String.valueOf(100 + random.nextInt(900)),
                            substations.get(s));
                case 6:
                    return exec(
                            "UPDATE grid.lines SET status = CASE status WHEN 'OPEN' THEN 'CLOSED'"
                                    + " ELSE 'OPEN' END WHERE line_id = (SELECT line_id FROM"
                                    + " grid.lines ORDER BY random() LIMIT 1)");
                case 7:
                    return exec(
                            "INSERT INTO grid.lines VALUES (?, ?, ?, 80.0, 'CLOSED')",
                            "LX" + ID + "_" + next++,
                            substations.get(s),
                            substations.get((s + 1) % substations.size()));
                default:
                    return exec(
                            "DELETE FROM grid.lines WHERE line_id = (SELECT line_id FROM"
                                    + " grid.lines ORDER BY random() LIMIT 1)");
            }
        }

        private int exec(String sql, String... args) throws Exception {
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                for (int i = 0; i < args.length; i++) {
                    ps.setString(i + 1, args[i]);
                }
                return ps.executeUpdate();
            }
        }
    }

    /** A running {@code deploy/bin/gridhouse} process and the lines it printed. */
    private static final class Launched {
        private final Process process;
        private final List<String> lines = Collections.synchronizedList(new ArrayList<>());
        private final Thread reader;

        Launched(Process process) {
            this.process = process;
            reader =
                    new Thread(
                            () -> {
                                try (BufferedReader r =
                                        new BufferedReader(
                                                new InputStreamReader(
                                                        process.getInputStream(),
                                                        StandardCharsets.UTF_8))) {
                                    String line;
                                    while ((line = r.readLine()) != null) {
                                        lines.add(line);
                                    }
                                } catch (Exception ignored) {
                                    // the process ended
                                }
                            },
                            "gridhouse-output");
            reader.setDaemon(true);
            reader.start();
        }

        String output() {
            synchronized (lines) {
                return String.join("\n", lines);
            }
        }

        String awaitOutput(String text, Duration timeout) throws Exception {
            long deadline = System.nanoTime() + timeout.toNanos();
            while (System.nanoTime() < deadline) {
                synchronized (lines) {
                    for (String l : lines) {
                        if (l.contains(text)) {
                            return l;
                        }
                    }
                }
                assertThat(process.isAlive())
                        .as("gridhouse is still running; it printed:\n%s", output())
                        .isTrue();
                Thread.sleep(200);
            }
            throw new AssertionError("gridhouse never printed '" + text + "':\n" + output());
        }

        Matcher awaitPattern(Pattern pattern, Duration timeout) throws Exception {
            long deadline = System.nanoTime() + timeout.toNanos();
            while (System.nanoTime() < deadline) {
                synchronized (lines) {
                    for (String l : lines) {
                        Matcher m = pattern.matcher(l);
                        if (m.find()) {
                            return m;
                        }
                    }
                }
                assertThat(process.isAlive())
                        .as("gridhouse is still running; it printed:\n%s", output())
                        .isTrue();
                Thread.sleep(200);
            }
            throw new AssertionError("gridhouse never printed /" + pattern + "/:\n" + output());
        }

        Configuration fluss() throws Exception {
            Configuration conf = new Configuration();
            conf.setString(
                    "bootstrap.servers", awaitPattern(FLUSS, Duration.ofMinutes(2)).group(1));
            return conf;
        }

        /** The job-status lines never reported a restart, and no job ended. */
        void assertNoRestarts() {
            String out = output();
            assertThat(out).contains("RUNNING");
            assertThat(out).doesNotContainPattern("\\d+ restarts? \\(").doesNotContain("job ended");
        }

        /** SIGTERM, as Ctrl-C: the launcher stops the jobs and drops its slot, then exits. */
        void stop() throws Exception {
            // kill(1), not Process#destroy: destroy also closes our end of its output pipe
            new ProcessBuilder("kill", "-TERM", String.valueOf(process.pid()))
                    .inheritIO()
                    .start()
                    .waitFor();
            if (!process.waitFor(2, TimeUnit.MINUTES)) {
                process.destroyForcibly().waitFor();
            }
            reader.join(TimeUnit.SECONDS.toMillis(30)); // what it printed last
            Path logs = repo.resolve("deploy/target/launcher-it");
            Files.createDirectories(logs);
            Files.write(
                    logs.resolve("gridhouse-" + process.pid() + ".log"),
                    output().getBytes(StandardCharsets.UTF_8));
        }
    }

    private static Launched launch(Changer changer, String readyLine, String... args)
            throws Exception {
        Thread thread = new Thread(changer, "pg-changes");
        thread.start(); // changes before the launcher starts, then all through its startup
        Launched run = new Launched(launcher(args).start());
        try {
            run.awaitOutput(readyLine, Duration.ofMinutes(4));
            changer.ready.set(true);
            Thread.sleep(5_000); // and for a while after the snapshot
        } finally {
            changer.stop.set(true);
            thread.join();
        }
        if (changer.failure != null) {
            throw changer.failure;
        }
        return run;
    }

    private static ProcessBuilder launcher(String... args) {
        List<String> command = new ArrayList<>();
        command.add(repo.resolve("deploy/bin/gridhouse").toString());
        Collections.addAll(command, args);
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        pb.environment().put("GRIDHOUSE_NO_BUILD", "1"); // the build under test made the jar
        pb.environment().put("GRIDHOUSE_PG_PASSWORD", PASSWORD);
        pb.environment().put("GRIDHOUSE_HEAP", "1500m");
        return pb;
    }

    private static String[] concat(String[] a, String[] b) {
        String[] all = new String[a.length + b.length];
        System.arraycopy(a, 0, all, 0, a.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        return all;
    }

    private static void createDatabase(String db) throws Exception {
        try (Connection admin = connect("gridhouse");
                Statement st = admin.createStatement()) {
            st.execute("CREATE DATABASE " + db);
        }
    }

    private static void assertNoSlotLeft(Connection pg, String slot) throws Exception {
        try (PreparedStatement ps =
                pg.prepareStatement(
                        "SELECT slot_name FROM pg_replication_slots WHERE slot_name LIKE ?")) {
            ps.setString(1, slot + "%");
            try (ResultSet rs = ps.executeQuery()) {
                assertThat(rs.next()).as("replication slot left behind").isFalse();
            }
        }
    }

    private static Connection connect(String database) throws Exception {
        return DriverManager.getConnection(
                "jdbc:postgresql://127.0.0.1:" + PG_PORT + "/" + database, "gridhouse", PASSWORD);
    }
}
