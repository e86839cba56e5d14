package dev.gridhouse.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gridhouse.contract.grid.Device;
import dev.gridhouse.contract.grid.GridTables;
import dev.gridhouse.core.catalog.TableSpec;
import dev.gridhouse.core.io.TableReader;
import dev.gridhouse.ods.OdsJob;
import dev.gridhouse.ods.sim.GridSimulator;
import dev.gridhouse.ods.sim.SimulatorConfig;
import dev.gridhouse.testing.LocalFlussCluster;
import dev.gridhouse.testing.PgLocal;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.core.execution.SavepointFormatType;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.fluss.client.ConnectionFactory;
import org.apache.fluss.client.lookup.Lookuper;
import org.apache.fluss.client.table.Table;
import org.apache.fluss.metadata.TablePath;
import org.apache.fluss.row.BinaryString;
import org.apache.fluss.row.GenericRow;
import org.apache.fluss.row.InternalRow;
import org.apache.fluss.row.TimestampLtz;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * The ODS job with {@code --devices-source postgres} against a real PostgreSQL ({@code
 * deploy/bin/pg-local}, started here) and a real embedded Fluss cluster: snapshot, live inserts,
 * updates and deletes, contract violations to the dead letter, and a stop-with-savepoint / restart
 * with changes made while the job was down. Uses its own database, slot and publication and drops
 * them at the end.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PostgresCdcITCase {
    private static final Duration WAIT = Duration.ofMinutes(3);
    private static final String ID = UUID.randomUUID().toString().replace("-", "").substring(0, 8);
    private static final String DB = "gh_cdc_it_" + ID;
    private static final String SLOT = "gh_cdc_it_" + ID + "_slot";
    private static final String PUBLICATION = "gh_cdc_it_" + ID + "_pub";
    private static final String PASSWORD =
            System.getenv().getOrDefault("GRIDHOUSE_PG_PASSWORD", "gridhouse");

    /** The port pg-local chose (55432 unless another server holds it). */
    private static int PG_PORT;

    private static final long T0 = Instant.parse("2026-05-01T00:00:00Z").toEpochMilli();

    @TempDir static Path dir;
    private static LocalFlussCluster fluss;
    private static Connection pg;
    private static JobClient job;
    private static String savepoint;

    @BeforeAll
    static void start() throws Exception {
        Path repo = Paths.get("").toAbsolutePath().getParent();
        // may install the Debian package on a fresh machine
        PG_PORT = PgLocal.start(dir);

        try (Connection admin = connect("gridhouse");
                Statement st = admin.createStatement()) {
            st.execute("CREATE DATABASE " + DB);
        }
        pg = connect(DB);
        try (Statement st = pg.createStatement()) {
            st.execute(Files.readString(repo.resolve("deploy/sql/grid-schema.sql")));
        }
        GridSimulator sim =
                new GridSimulator(
                        SimulatorConfig.builder()
                                .deviceCount(40)
                                .devicesPerSubstation(4)
                                .regionCount(3)
                                .startTimeMs(T0)
                                .noBadRecords()
                                .build());
        PgCommands.load(pg, sim.devices(), sim.substations(), sim.lines());
        // rows that break the contract exist before the job starts: the snapshot sees them too
        exec(
                "INSERT INTO grid.devices VALUES ('BAD_SNAP', 'x', 'FEEDER', 'S00000', 'NORTH',"
                        + " 1, 10, 'BROKEN', now())");
        exec("INSERT INTO grid.lines VALUES ('BAD_LINE', 'S00000', 'S00001', -1, 'CLOSED')");

        Files.writeString(dir.resolve("pg.password"), PASSWORD + "\n");
        fluss = LocalFlussCluster.start();
    }

    @AfterAll
    static void stop() throws Exception {
        try {
            if (job != null) {
                try {
                    job.cancel().get(1, TimeUnit.MINUTES);
                } catch (Exception ignored) {
                    // already stopped
                }
            }
        } finally {
            try {
                if (pg != null) {
                    dropSlotAndPublication();
                    pg.close();
                    try (Connection admin = connect("gridhouse");
                            Statement st = admin.createStatement()) {
                        st.execute("DROP DATABASE IF EXISTS " + DB);
                    }
                }
            } finally {
                if (fluss != null) {
                    fluss.close();
                }
            }
        }
    }

    /** Drops this test's slots (waiting for the job's walsender to let go) and publication. */
    private static void dropSlotAndPublication() throws Exception {
        long deadline = System.nanoTime() + Duration.ofMinutes(1).toNanos();
        PrintStream quiet = new PrintStream(new ByteArrayOutputStream(), true, "UTF-8");
        while (!PgCommands.cleanup(pg, SLOT, PUBLICATION, quiet).isEmpty()
                && System.nanoTime() < deadline) {
            Thread.sleep(200);
        }
        assertThat(
                        query(
                                "SELECT slot_name FROM pg_replication_slots WHERE slot_name LIKE ?",
                                SLOT + "%"))
                .as("replication slots left behind")
                .isEmpty();
        assertThat(query("SELECT pubname FROM pg_publication WHERE pubname = ?", PUBLICATION))
                .isEmpty();
    }

    // ------------------------------------------------------------------ the cases

    @Test
    @Order(1)
    void snapshotOfExistingRowsReachesTheOdsTables() throws Exception {
        job = startJob(null);
        awaitInSync();
        assertThat(pgRows("devices")).hasSizeGreaterThanOrEqualTo(40);
        assertLookup(GridTables.ODS_DEVICES, "D000007", true);
        assertLookup(GridTables.ODS_DEVICES, "BAD_SNAP", false);
        assertLookup(GridTables.ODS_SUBSTATIONS, "S00000", true);
        assertLookup(GridTables.ODS_LINES, "BAD_LINE", false);
        awaitDeadLetters(2);
        assertThat(deadLetters())
                .containsExactlyInAnyOrder(
                        "devices:INVALID_VALUE:status", "lines:OUT_OF_RANGE:capacity_mw");
    }

    @Test
    @Order(2)
    void liveInsertsUpdatesAndDeletesReachThePrimaryKeyTables() throws Exception {
        upsertDevice(
                new Device(
                        "NEW_1",
                        "New 1",
                        "GENERATOR",
                        "S00001",
                        "EAST",
                        50,
                        110,
                        "IN_SERVICE",
                        T0 + 1));
        assertThat(
                        exec(
                                "UPDATE grid.devices SET capacity_mw = 777.5, status = 'MAINTENANCE'"
                                        + " WHERE device_id = 'D000003'"))
                .isOne();
        assertThat(exec("DELETE FROM grid.devices WHERE device_id = 'D000004'")).isOne();
        assertThat(
                        exec(
                                "UPDATE grid.substations SET capacity_mw = 999 WHERE substation_id = 'S00001'"))
                .isOne();
        exec("INSERT INTO grid.substations VALUES ('S_NEW', 'New', 'EAST', 220, 300)");
        assertThat(
                        exec(
                                "DELETE FROM grid.lines WHERE line_id = (SELECT min(line_id) FROM grid.lines"
                                        + " WHERE line_id <> 'BAD_LINE')"))
                .isOne();
        assertThat(
                        exec(
                                "UPDATE grid.lines SET status = 'OPEN' WHERE line_id = (SELECT max(line_id)"
                                        + " FROM grid.lines WHERE line_id <> 'BAD_LINE')"))
                .isOne();

        awaitInSync();
        InternalRow d3 = lookup(GridTables.ODS_DEVICES, "D000003");
        assertThat(d3.getDouble(5)).isEqualTo(777.5);
        assertThat(d3.getString(7).toString()).isEqualTo("MAINTENANCE");
        assertLookup(GridTables.ODS_DEVICES, "D000004", false);
        assertLookup(GridTables.ODS_DEVICES, "NEW_1", true);
        assertThat(lookup(GridTables.ODS_SUBSTATIONS, "S00001").getDouble(4)).isEqualTo(999.0);
        assertLookup(GridTables.ODS_SUBSTATIONS, "S_NEW", true);
    }

    @Test
    @Order(3)
    void contractViolationsAreDeadLetteredAndTheJobKeepsRunning() throws Exception {
        exec(
                "INSERT INTO grid.devices VALUES ('BAD_CAP', 'x', 'FEEDER', 'S00000', 'NORTH',"
                        + " 0, 10, 'IN_SERVICE', now())");
        exec(
                "INSERT INTO grid.devices VALUES ('BAD_TYPE', 'x', 'PUMP', 'S00000', 'NORTH',"
                        + " 5, 10, 'IN_SERVICE', now())");
        exec(
                "INSERT INTO grid.devices VALUES ('BAD_REGION', 'x', 'FEEDER', 'S00000', NULL,"
                        + " 5, 10, 'IN_SERVICE', now())");
        // a valid change after the violations still arrives
        upsertDevice(
                new Device(
                        "NEW_2",
                        "New 2",
                        "FEEDER",
                        "S00001",
                        "EAST",
                        5,
                        110,
                        "IN_SERVICE",
                        T0 + 2));

        awaitDeadLetters(5);
        awaitInSync();
        assertThat(deadLetters())
                .containsExactlyInAnyOrder(
                        "devices:INVALID_VALUE:status",
                        "lines:OUT_OF_RANGE:capacity_mw",
                        "devices:OUT_OF_RANGE:capacity_mw",
                        "devices:INVALID_VALUE:device_type",
                        "devices:MISSING_FIELD:region");
        List<Object[]> dead = readAll(GridTables.ODS_DEAD_LETTER);
        assertThat(dead)
                .filteredOn(r -> "MISSING_FIELD".equals(r[1]))
                .singleElement()
                .satisfies(
                        r ->
                                assertThat((String) r[3])
                                        .contains("\"device_id\":\"BAD_REGION\"")
                                        .contains("\"region\":null"));
        assertLookup(GridTables.ODS_DEVICES, "BAD_CAP", false);
        assertLookup(GridTables.ODS_DEVICES, "NEW_2", true);
        assertThat(job.getJobStatus().get()).isEqualTo(JobStatus.RUNNING);
    }

    @Test
    @Order(4)
    void restartFromSavepointLosesAndDoublesNothing() throws Exception {
        savepoint =
                job.stopWithSavepoint(
                                false,
                                dir.resolve("savepoints").toUri().toString(),
                                SavepointFormatType.CANONICAL)
                        .get(2, TimeUnit.MINUTES);
        job = null;

        // changes while the job is down
        upsertDevice(
                new Device(
                        "NEW_3",
                        "New 3",
                        "BREAKER",
                        "S00002",
                        "SOUTH",
                        9,
                        35,
                        "OUT_OF_SERVICE",
                        T0 + 3));
        assertThat(
                        exec(
                                "UPDATE grid.devices SET device_name = 'renamed', updated_at = now()"
                                        + " WHERE device_id = 'NEW_1'"))
                .isOne();
        assertThat(exec("DELETE FROM grid.devices WHERE device_id IN ('D000005', 'D000006')"))
                .isEqualTo(2);
        assertThat(exec("DELETE FROM grid.substations WHERE substation_id = 'S_NEW'")).isOne();
        exec("INSERT INTO grid.lines VALUES ('L_NEW', 'S00000', 'S00002', 12.5, 'CLOSED')");
        exec(
                "INSERT INTO grid.devices VALUES ('BAD_VOLT', 'x', 'FEEDER', 'S00000', 'NORTH',"
                        + " 5, -10, 'IN_SERVICE', now())");

        job = startJob(savepoint);
        awaitDeadLetters(6);
        awaitInSync();
        assertLookup(GridTables.ODS_DEVICES, "D000005", false);
        assertLookup(GridTables.ODS_DEVICES, "NEW_3", true);
        assertLookup(GridTables.ODS_SUBSTATIONS, "S_NEW", false);
        assertLookup(GridTables.ODS_LINES, "L_NEW", true);
        assertThat(lookup(GridTables.ODS_DEVICES, "NEW_1").getString(1).toString())
                .isEqualTo("renamed");
        // exactly one dead letter per violating row: nothing re-read after the restart
        assertThat(deadLetters())
                .containsExactlyInAnyOrder(
                        "devices:INVALID_VALUE:status",
                        "lines:OUT_OF_RANGE:capacity_mw",
                        "devices:OUT_OF_RANGE:capacity_mw",
                        "devices:INVALID_VALUE:device_type",
                        "devices:MISSING_FIELD:region",
                        "devices:OUT_OF_RANGE:rated_voltage_kv");
        assertThat(job.getJobStatus().get()).isEqualTo(JobStatus.RUNNING);
    }

    // ------------------------------------------------------------------ job

    private static JobClient startJob(String fromSavepoint) throws Exception {
        Configuration flink = LocalCluster.flinkConfig(2);
        if (fromSavepoint != null) {
            flink.setString("execution.savepoint.path", fromSavepoint);
        }
        StreamExecutionEnvironment env =
                StreamExecutionEnvironment.createLocalEnvironment(2, flink);
        Configuration conf = new Configuration();
        conf.setString("fluss.bootstrap-servers", fluss.bootstrapServers());
        conf.setString("checkpoint.interval", "1s");
        conf.setString("parallelism", "2");
        conf.setString("uid-prefix", "it");
        conf.setString("telemetry-source", "none");
        conf.setString("devices-source", "postgres");
        conf.setString("pg.host", "127.0.0.1");
        conf.setString("pg.port", String.valueOf(PG_PORT));
        conf.setString("pg.database", DB);
        conf.setString("pg.user", "gridhouse");
        conf.setString("pg.password-file", dir.resolve("pg.password").toString());
        conf.setString("pg.slot-name", SLOT);
        conf.setString("pg.publication-name", PUBLICATION);
        OdsJob.build(env, conf);
        return env.executeAsync("ods-postgres-cdc");
    }

    // ------------------------------------------------------------------ PostgreSQL

    private static Connection connect(String database) throws Exception {
        return DriverManager.getConnection(
                "jdbc:postgresql://127.0.0.1:" + PG_PORT + "/" + database, "gridhouse", PASSWORD);
    }

    /** Runs a statement; returns the number of rows it changed. */
    private static int exec(String sql) throws Exception {
        try (Statement st = pg.createStatement()) {
            st.execute(sql);
            return Math.max(0, st.getUpdateCount());
        }
    }

    private static void upsertDevice(Device d) throws Exception {
        try (PreparedStatement ps = pg.prepareStatement(PgCommands.DEVICE_UPSERT)) {
            PgCommands.bindDevice(ps, d);
            ps.executeUpdate();
        }
    }

    private static List<String> query(String sql, String arg) throws Exception {
        List<String> out = new ArrayList<>();
        try (PreparedStatement ps = pg.prepareStatement(sql)) {
            ps.setString(1, arg);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getString(1));
                }
            }
        }
        return out;
    }

    /**
     * The rows of {@code grid.<table>} that satisfy the contract (ids not starting with BAD_), by
     * key, rendered like {@link #flussRows}.
     */
    private static Map<String, List<String>> pgRows(String table) throws Exception {
        Map<String, List<String>> rows = new TreeMap<>();
        try (Statement st = pg.createStatement();
                ResultSet rs = st.executeQuery("SELECT * FROM grid." + table)) {
            ResultSetMetaData md = rs.getMetaData();
            while (rs.next()) {
                List<String> values = new ArrayList<>();
                for (int i = 1; i <= md.getColumnCount(); i++) {
                    Object v = rs.getObject(i);
                    if (v instanceof Timestamp) {
                        v = ((Timestamp) v).getTime();
                    }
                    values.add(String.valueOf(v));
                }
                if (!values.get(0).startsWith("BAD_")) {
                    rows.put(values.get(0), values);
                }
            }
        }
        return rows;
    }

    // ------------------------------------------------------------------ Fluss

    private static List<Object[]> readAll(TableSpec table) throws Exception {
        try (TableReader reader = new TableReader(fluss.clientConfig(), "grid")) {
            return reader.readAll(table, Duration.ofMinutes(1));
        }
    }

    private static Map<String, List<String>> flussRows(TableSpec table) throws Exception {
        Map<String, List<String>> rows = new TreeMap<>();
        for (Object[] r : readAll(table)) {
            List<String> values = new ArrayList<>();
            for (Object v : r) {
                values.add(
                        String.valueOf(
                                v instanceof TimestampLtz
                                        ? ((TimestampLtz) v).getEpochMillisecond()
                                        : v));
            }
            rows.put(values.get(0), values);
        }
        return rows;
    }

    /** Waits until all three ODS tables equal PostgreSQL's valid rows, then asserts it. */
    private static void awaitInSync() throws Exception {
        awaitEqual(GridTables.ODS_DEVICES, "devices");
        awaitEqual(GridTables.ODS_SUBSTATIONS, "substations");
        awaitEqual(GridTables.ODS_LINES, "lines");
    }

    private static void awaitEqual(TableSpec table, String pgTable) throws Exception {
        Map<String, List<String>> expected = pgRows(pgTable);
        Map<String, List<String>> actual =
                poll(() -> flussRows(table), rows -> rows.equals(expected));
        assertThat(actual).as(table.name()).isEqualTo(expected);
    }

    private static List<String> deadLetters() throws Exception {
        List<String> out = new ArrayList<>();
        for (Object[] r : readAll(GridTables.ODS_DEAD_LETTER)) {
            out.add(r[0] + ":" + r[1] + ":" + r[2]);
        }
        return out;
    }

    private static void awaitDeadLetters(int count) throws Exception {
        List<String> dead = poll(PostgresCdcITCase::deadLetters, d -> d.size() >= count);
        assertThat(dead).hasSizeGreaterThanOrEqualTo(count);
    }

    private static InternalRow lookup(TableSpec table, String key) throws Exception {
        try (org.apache.fluss.client.Connection conn =
                        ConnectionFactory.createConnection(fluss.clientConfig());
                Table t = conn.getTable(TablePath.of("grid", table.name()))) {
            Lookuper lookuper = t.newLookup().createLookuper();
            return lookuper.lookup(GenericRow.of(BinaryString.fromString(key)))
                    .get(30, TimeUnit.SECONDS)
                    .getSingletonRow();
        }
    }

    private static void assertLookup(TableSpec table, String key, boolean present)
            throws Exception {
        InternalRow row = lookup(table, key);
        if (present) {
            assertThat(row).as("%s %s", table.name(), key).isNotNull();
            assertThat(row.getString(0).toString()).isEqualTo(key);
        } else {
            assertThat(row).as("%s %s", table.name(), key).isNull();
        }
    }

    interface Read<T> {
        T get() throws Exception;
    }

    /** Polls until the condition holds or {@link #WAIT} has passed; returns the last value. */
    private static <T> T poll(Read<T> read, Predicate<T> done) throws Exception {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (true) {
            T value = read.get();
            if (done.test(value) || System.nanoTime() > deadline) {
                return value;
            }
            Thread.sleep(300);
        }
    }
}
