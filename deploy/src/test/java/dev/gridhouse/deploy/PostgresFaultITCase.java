package dev.gridhouse.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.gridhouse.ads.AdsJob;
import dev.gridhouse.ads.AdsPostgresOptions;
import dev.gridhouse.contract.grid.Device;
import dev.gridhouse.contract.grid.EnrichedTelemetry;
import dev.gridhouse.contract.grid.GridTables;
import dev.gridhouse.contract.grid.RegionMinute;
import dev.gridhouse.core.catalog.TableSpec;
import dev.gridhouse.core.io.TableReader;
import dev.gridhouse.core.serde.FlussRowConverter;
import dev.gridhouse.ods.OdsJob;
import dev.gridhouse.ods.sim.GridSimulator;
import dev.gridhouse.ods.sim.SimulatorConfig;
import dev.gridhouse.testing.LocalFlussCluster;
import dev.gridhouse.testing.PgLocal;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.zip.CRC32;
import org.apache.flink.api.common.JobID;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.runtime.minicluster.MiniClusterConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.fluss.client.ConnectionFactory;
import org.apache.fluss.client.table.Table;
import org.apache.fluss.client.table.writer.AppendWriter;
import org.apache.fluss.client.table.writer.UpsertWriter;
import org.apache.fluss.metadata.TablePath;
import org.apache.fluss.row.TimestampLtz;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * Fault injection against a real PostgreSQL (issue 16): the ODS job with {@code --devices-source
 * postgres} on one Flink MiniCluster and one embedded Fluss cluster, while the test restarts the
 * server, kills the CDC walsender, changes a column type under the running job and truncates {@code
 * grid.devices}; then the ADS job's PostgreSQL dashboard sink with the server down for ~20 s. After
 * every fault the Fluss tables must equal PostgreSQL's rows (nothing lost, nothing doubled: the
 * comparison is by primary key over every row); the time to get there and the number of Flink job
 * restarts are printed as {@code RECOVERY <fault>: ...} lines (not asserted).
 *
 * <p>The server is this class's own ({@code deploy/bin/pg-local} with {@code GRIDHOUSE_PG_DIR} =
 * {@code /tmp/gridhouse-pg-fault-<checkout id>}, any free port), stopped in {@link #stop()}: the
 * other PostgreSQL test classes run in parallel JVMs against the shared server, which these faults
 * must not touch.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PostgresFaultITCase {
    private static final Duration WAIT = Duration.ofMinutes(2);
    private static final String ID = UUID.randomUUID().toString().replace("-", "").substring(0, 8);
    private static final String DB = "gh_fault_it_" + ID;
    private static final String SLOT = "gh_fault_it_" + ID + "_slot";
    private static final String PUBLICATION = "gh_fault_it_" + ID + "_pub";
    private static final String PASSWORD =
            System.getenv().getOrDefault("GRIDHOUSE_PG_PASSWORD", "gridhouse");
    private static final long T0 = Instant.parse("2026-05-01T00:00:00Z").toEpochMilli();
    private static final ObjectMapper JSON = new ObjectMapper();

    /** pg-local's environment: this class's data directory, the port chosen by the script. */
    private static final Map<String, String> PG_ENV = new HashMap<>();

    @TempDir static Path dir;
    private static int pgPort;
    private static Connection pg;
    private static LocalFlussCluster fluss;
    private static MiniCluster mini;
    private static URI rest;
    private static JobID odsJob;
    private static JobID adsJob;
    private static int deviceSeq;

    @BeforeAll
    static void start() throws Exception {
        CRC32 crc = new CRC32();
        crc.update(PgLocal.repo().toString().getBytes(StandardCharsets.UTF_8));
        PG_ENV.put("GRIDHOUSE_PG_DIR", "/tmp/gridhouse-pg-fault-" + crc.getValue());
        PG_ENV.put("GRIDHOUSE_PG_PORT", null); // the script picks a free port
        pgPort = PgLocal.start(dir, PG_ENV);
        try (Connection admin = connect("gridhouse");
                Statement st = admin.createStatement()) {
            st.execute("CREATE DATABASE " + DB);
        }
        try (Statement st = pg().createStatement()) {
            st.execute(Files.readString(PgLocal.repo().resolve("deploy/sql/grid-schema.sql")));
        }
        GridSimulator sim =
                new GridSimulator(
                        SimulatorConfig.builder()
                                .deviceCount(20)
                                .devicesPerSubstation(4)
                                .regionCount(3)
                                .startTimeMs(T0)
                                .noBadRecords()
                                .build());
        PgCommands.load(pg(), sim.devices(), sim.substations(), sim.lines());
        Files.writeString(dir.resolve("pg.password"), PASSWORD + "\n");

        fluss = LocalFlussCluster.start();
        Configuration flink = LocalCluster.flinkConfig(4);
        // the cluster's restart strategy (the jobs keep it): retry quickly and for long enough
        flink.setString("restart-strategy.type", "exponential-delay");
        flink.setString("restart-strategy.exponential-delay.initial-backoff", "500 ms");
        flink.setString("restart-strategy.exponential-delay.max-backoff", "2 s");
        flink.setString("restart-strategy.exponential-delay.attempts-before-reset-backoff", "1000");
        mini =
                new MiniCluster(
                        new MiniClusterConfiguration.Builder()
                                .setConfiguration(flink)
                                .setNumTaskManagers(1)
                                .setNumSlotsPerTaskManager(4)
                                .build());
        mini.start();
        rest = mini.getRestAddress().get();

        odsJob = submit(odsJob());
        awaitDimensionsInSync();
    }

    @AfterAll
    static void stop() throws Exception {
        try {
            for (JobID job : new JobID[] {odsJob, adsJob}) {
                if (job != null && mini != null) {
                    try {
                        mini.cancelJob(job).get(1, TimeUnit.MINUTES);
                    } catch (Exception ignored) {
                        // already ended
                    }
                }
            }
            if (mini != null) {
                mini.close();
            }
            if (fluss != null) {
                fluss.close();
            }
        } finally {
            try {
                if (pgPort > 0) {
                    dropSlotPublicationAndDatabase();
                }
            } finally {
                PgLocal.stop(dir, PG_ENV);
            }
        }
    }

    // ------------------------------------------------------------------ 1. server restart

    @Test
    @Order(1)
    void cdcRecoversFromAPostgresRestartMidStream() throws Exception {
        long restartsBefore = restarts(odsJob);
        // before: applied and in Fluss
        insertDevices(3);
        exec("UPDATE grid.devices SET status = 'MAINTENANCE' WHERE device_id = 'D000001'");
        awaitDimensionsInSync();

        // during: committed right before the stop, not yet seen by the job
        insertDevices(5);
        exec("UPDATE grid.devices SET capacity_mw = capacity_mw + 1 WHERE device_id = 'D000002'");
        exec("DELETE FROM grid.devices WHERE device_id = 'D000003'");
        long fault = System.nanoTime();
        long stopTook = restartServer(Duration.ofSeconds(3));
        long up = System.nanoTime();
        // after: right after the server is back, while the job is still recovering
        insertDevices(5);
        exec("UPDATE grid.devices SET device_name = 'after restart' WHERE device_id = 'D000004'");
        exec("DELETE FROM grid.devices WHERE device_id = 'D000005'");
        exec("UPDATE grid.substations SET capacity_mw = 4321 WHERE substation_id = 'S00001'");

        awaitDimensionsInSync();
        long synced = System.nanoTime();
        long restarts = restarts(odsJob) - restartsBefore;
        report(
                "pg-restart",
                "%s s after the server was back (%s s from the stop; pg-local stop took %s s, 3 s"
                        + " down, start took %s s), %d job restarts",
                seconds(synced - up),
                seconds(synced - fault),
                seconds(stopTook),
                seconds(up - fault - stopTook - 3_000_000_000L),
                restarts);
        System.out.println("RECOVERY pg-restart failures: " + failures(odsJob, restarts));
        assertThat(status(odsJob)).isEqualTo(JobStatus.RUNNING);
    }

    // ------------------------------------------------------------------ 2. walsender killed

    @Test
    @Order(2)
    void cdcRecoversWhenItsWalsenderIsTerminated() throws Exception {
        long restartsBefore = restarts(odsJob);
        insertDevices(3);
        awaitDimensionsInSync();

        insertDevices(5);
        exec("UPDATE grid.devices SET capacity_mw = capacity_mw + 1 WHERE device_id = 'D000006'");
        long fault = System.nanoTime();
        List<String> killed =
                query(
                        "SELECT pg_terminate_backend(s.pid)::text FROM pg_stat_replication s"
                                + " JOIN pg_replication_slots r ON r.active_pid = s.pid"
                                + " WHERE r.slot_name = ?",
                        SLOT);
        assertThat(killed).as("the job's walsender").containsExactly("true");
        insertDevices(5);
        exec("DELETE FROM grid.devices WHERE device_id = 'D000007'");
        exec(
                "UPDATE grid.lines SET status = 'OPEN' WHERE line_id = (SELECT min(line_id) FROM"
                        + " grid.lines)");

        awaitDimensionsInSync();
        long synced = System.nanoTime();
        long restarts = restarts(odsJob) - restartsBefore;
        report(
                "walsender-kill",
                "%s s from pg_terminate_backend to in sync, %d job restarts",
                seconds(synced - fault),
                restarts);
        System.out.println("RECOVERY walsender-kill failures: " + failures(odsJob, restarts));
        assertThat(query("SELECT active::text FROM pg_replication_slots WHERE slot_name = ?", SLOT))
                .as("the slot is in use again")
                .containsExactly("true");
        assertThat(status(odsJob)).isEqualTo(JobStatus.RUNNING);
    }

    // ------------------------------------------------------------------ 3. column type change

    /** ods_devices against grid.devices while capacity_mw is text (bad rows left out). */
    private static final String DEVICES_WITH_TEXT_CAPACITY =
            "SELECT device_id, device_name, device_type, substation_id, region,"
                    + " capacity_mw::double precision, rated_voltage_kv, status, "
                    + String.format(PostgresOracle.MILLIS, "updated_at")
                    + " FROM grid.devices WHERE device_id NOT LIKE 'BAD%'";

    @Test
    @Order(3)
    void anUnconvertibleValueAfterAColumnTypeChangeIsDeadLetteredAndTheJobKeepsRunning()
            throws Exception {
        long restartsBefore = restarts(odsJob);
        int deadBefore = deadLetters().size();
        String capacity8 =
                query("SELECT capacity_mw::text FROM grid.devices WHERE device_id = ?", "D000008")
                        .get(0);
        exec("ALTER TABLE grid.devices ALTER COLUMN capacity_mw TYPE text");
        // convertible: a number as text
        exec(
                "INSERT INTO grid.devices VALUES ('TXT_1', 'text capacity', 'FEEDER', 'S00000',"
                        + " 'NORTH', '12.5', 10, 'IN_SERVICE', now())");
        long bad = System.nanoTime();
        exec(
                "INSERT INTO grid.devices VALUES ('BAD_TYPE', 'x', 'FEEDER', 'S00000', 'NORTH',"
                        + " 'abc', 10, 'IN_SERVICE', now())");
        // an update that makes a valid row unconvertible: rejected, the last valid row stays
        exec("UPDATE grid.devices SET capacity_mw = 'n/a' WHERE device_id = 'D000008'");
        // valid changes after the bad ones still arrive
        exec(
                "INSERT INTO grid.devices VALUES ('TXT_2', 'after the bad row', 'GENERATOR',"
                        + " 'S00001', 'EAST', '7', 20, 'IN_SERVICE', now())");
        exec("UPDATE grid.devices SET device_name = 'renamed' WHERE device_id = 'D000009'");

        List<Object[]> dead =
                poll(PostgresFaultITCase::deadLetters, d -> d.size() >= deadBefore + 2);
        List<Object[]> fresh = dead.subList(deadBefore, dead.size());
        assertThat(fresh)
                .extracting(r -> r[0] + ":" + r[1] + ":" + r[2])
                .containsExactlyInAnyOrder(
                        "devices:INVALID_TYPE:capacity_mw", "devices:INVALID_TYPE:capacity_mw");
        assertThat(fresh)
                .extracting(r -> (String) r[3])
                .anySatisfy(
                        p ->
                                assertThat(p)
                                        .contains("\"device_id\":\"BAD_TYPE\"")
                                        .contains("\"capacity_mw\":\"abc\""))
                .anySatisfy(
                        p ->
                                assertThat(p)
                                        .contains("\"device_id\":\"D000008\"")
                                        .contains("\"capacity_mw\":\"n/a\""));
        // D000008 keeps its last valid capacity in Fluss
        oracle().awaitEqual(
                        GridTables.ODS_DEVICES,
                        DEVICES_WITH_TEXT_CAPACITY.replace(
                                "capacity_mw::double precision",
                                "CASE WHEN device_id = 'D000008' THEN "
                                        + capacity8
                                        + "::double precision ELSE"
                                        + " capacity_mw::double precision END"));
        long synced = System.nanoTime();
        long restarts = restarts(odsJob) - restartsBefore;
        report(
                "alter-column-type",
                "%s s from the unconvertible row to the later valid rows in Fluss, %d job"
                        + " restarts",
                seconds(synced - bad),
                restarts);
        assertThat(restarts).as("job restarts").isZero();
        assertThat(status(odsJob)).isEqualTo(JobStatus.RUNNING);

        // back to the contract type for the next tests (the bad values first)
        exec("DELETE FROM grid.devices WHERE device_id = 'BAD_TYPE'");
        exec("UPDATE grid.devices SET capacity_mw = '3.5' WHERE device_id = 'D000008'");
        exec(
                "ALTER TABLE grid.devices ALTER COLUMN capacity_mw TYPE double precision"
                        + " USING capacity_mw::double precision");
        exec("UPDATE grid.devices SET capacity_mw = 4.5 WHERE device_id = 'TXT_1'");
        awaitDimensionsInSync();
        assertThat(restarts(odsJob) - restartsBefore).as("job restarts").isZero();
    }

    // ------------------------------------------------------------------ 4. TRUNCATE

    @Test
    @Order(4)
    void aTruncateDeletesTheRowsTheCdcPathHadWritten() throws Exception {
        long restartsBefore = restarts(odsJob);
        awaitDimensionsInSync();
        assertThat(rowCount(GridTables.ODS_DEVICES)).isGreaterThan(20);
        long fault = System.nanoTime();
        exec("TRUNCATE grid.devices");
        // after the truncate: an old key again, and new ones
        exec(
                "INSERT INTO grid.devices VALUES ('D000001', 'back after truncate', 'FEEDER',"
                        + " 'S00000', 'NORTH', 5, 10, 'IN_SERVICE', now())");
        insertDevices(3);
        awaitDimensionsInSync();
        long synced = System.nanoTime();
        assertThat(rowCount(GridTables.ODS_DEVICES)).isEqualTo(4);
        long restarts = restarts(odsJob) - restartsBefore;
        report(
                "truncate",
                "%s s from TRUNCATE to ods_devices equal to grid.devices, %d job restarts",
                seconds(synced - fault),
                restarts);
        assertThat(restarts).as("job restarts").isZero();
        assertThat(status(odsJob)).isEqualTo(JobStatus.RUNNING);
    }

    // ------------------------------------------------------------------ 5. dashboard sink

    @Test
    @Order(5)
    void theDashboardSinkRecoversFromAPostgresOutage() throws Exception {
        // the ODS job is done: it would only fail over with the server down
        mini.cancelJob(odsJob).get(1, TimeUnit.MINUTES);
        odsJob = null;

        Configuration conf = jobConf();
        conf.setBoolean(AdsPostgresOptions.ENABLED.key(), true);
        conf.setString(
                AdsPostgresOptions.URL.key(), "jdbc:postgresql://127.0.0.1:" + pgPort + "/" + DB);
        conf.setString(
                AdsPostgresOptions.PASSWORD_FILE.key(), dir.resolve("pg.password").toString());
        conf.setString("parallelism", "1");
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        AdsJob.build(env, conf);
        adsJob = submit(env);

        long minute0 = Instant.parse("2026-05-01T10:00:00Z").toEpochMilli();
        writeAdsInput(minute0, 0);
        awaitDashboardEqualsFluss();
        long restartsBefore = restarts(adsJob);

        long fault = System.nanoTime();
        PgLocal.stop(dir, PG_ENV);
        long stopped = System.nanoTime();
        // ~20 s of ADS output while the server is down: new minutes, alarms raised and cleared
        for (int i = 1; i <= 3; i++) {
            Thread.sleep(i == 1 ? 1_000 : 5_000);
            writeAdsInput(minute0 + i * 60_000L, i);
        }
        long downFor = 18_000 - (System.nanoTime() - stopped) / 1_000_000;
        Thread.sleep(Math.max(0, downFor));
        PgLocal.start(dir, fixedPort());
        long up = System.nanoTime();
        writeAdsInput(minute0 + 4 * 60_000L, 5);
        awaitDashboardEqualsFluss();
        long synced = System.nanoTime();
        long restarts = restarts(adsJob) - restartsBefore;
        report(
                "dashboard-sink-outage",
                "%s s after the server was back (down %s s: stopped at %s s, up again at %s s),"
                        + " %d job restarts",
                seconds(synced - up),
                seconds(up - fault),
                seconds(stopped - fault),
                seconds(up - fault),
                restarts);
        System.out.println(
                "RECOVERY dashboard-sink-outage failures: " + failures(adsJob, restarts));
        assertThat(status(adsJob)).isEqualTo(JobStatus.RUNNING);
    }

    /**
     * One minute of ADS input straight into Fluss: a {@code dws_region_minute} row per region and a
     * DWD record per device of a small fixed set; in odd steps one device runs at 50.7 Hz (CRITICAL
     * FREQUENCY_DEVIATION raised), in even steps it is back at 50 Hz (cleared).
     */
    private static void writeAdsInput(long minute, int step) throws Exception {
        List<RegionMinute> minutes = new ArrayList<>();
        for (String region : new String[] {"NORTH", "EAST", "SOUTH"}) {
            RegionMinute m = new RegionMinute();
            m.region = region;
            m.windowStart = minute;
            m.deviceCount = 4;
            m.sampleCount = 4;
            m.loadMw = 100 + step;
            m.generationMw = 120 + step * 2;
            m.avgFrequencyHz = 50;
            m.minFrequencyHz = 50;
            m.maxFrequencyHz = 50;
            m.frequencyStabilityPct = 100;
            m.faultCount = 0;
            m.freqInBandCount = 4;
            minutes.add(m);
        }
        List<EnrichedTelemetry> records = new ArrayList<>();
        for (int d = 0; d < 4; d++) {
            EnrichedTelemetry t = new EnrichedTelemetry();
            t.deviceId = "ADS_D" + d;
            t.ts = minute + d;
            t.activePowerMw = 10;
            t.voltageKv = 110;
            t.frequencyHz = d == step % 4 && step % 2 == 1 ? 50.7 : 50.0;
            t.statusCode = 0;
            t.ingestTime = System.currentTimeMillis();
            t.deviceName = "ads device " + d;
            t.deviceType = "FEEDER";
            t.substationId = "S0000" + d;
            t.region = d % 2 == 0 ? "NORTH" : "EAST";
            t.capacityMw = 100;
            t.ratedVoltageKv = 110;
            t.deviceStatus = "IN_SERVICE";
            records.add(t);
        }
        write(GridTables.DWD_GRID_TELEMETRY, records);
        write(GridTables.DWS_REGION_MINUTE, minutes);
    }

    private static <T> void write(TableSpec spec, List<T> rows) throws Exception {
        FlussRowConverter<T> convert = FlussRowConverter.forTable(spec);
        try (org.apache.fluss.client.Connection conn =
                        ConnectionFactory.createConnection(fluss.clientConfig());
                Table table = conn.getTable(TablePath.of("grid", spec.name()))) {
            if (spec.hasPrimaryKey()) {
                UpsertWriter w = table.newUpsert().createWriter();
                for (T r : rows) {
                    w.upsert(convert.toRow(r));
                }
                w.flush();
            } else {
                AppendWriter w = table.newAppend().createWriter();
                for (T r : rows) {
                    w.append(convert.toRow(r));
                }
                w.flush();
            }
        }
    }

    /** Polls until ads.grid_realtime and ads.alarms in PostgreSQL equal the Fluss ADS tables. */
    private static void awaitDashboardEqualsFluss() throws Exception {
        Map<String, String> expected = Map.of();
        Map<String, String> actual = Map.of();
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (System.nanoTime() < deadline) {
            try {
                expected = flussDashboard();
                actual = pgDashboard();
                if (!expected.isEmpty() && expected.equals(actual)) {
                    break;
                }
            } catch (java.sql.SQLException e) {
                closePg(); // the server is still coming back
            }
            Thread.sleep(300);
        }
        assertThat(actual).isEqualTo(expected).isNotEmpty();
    }

    private static Map<String, String> flussDashboard() throws Exception {
        Map<String, String> rows = new TreeMap<>();
        try (TableReader reader = new TableReader(fluss.clientConfig(), "grid")) {
            List<String> rc = GridTables.ADS_GRID_REALTIME.columnNames();
            for (Object[] r : reader.readAll(GridTables.ADS_GRID_REALTIME, Duration.ofMinutes(1))) {
                rows.put(
                        "realtime|" + r[rc.indexOf("region")],
                        millis(r[rc.indexOf("window_start")])
                                + "|"
                                + num(r[rc.indexOf("load_mw")])
                                + "|"
                                + num(r[rc.indexOf("generation_mw")])
                                + "|"
                                + num(r[rc.indexOf("balance_mw")])
                                + "|"
                                + r[rc.indexOf("active_alarm_count")]);
            }
            List<String> ac = GridTables.ADS_ALARMS.columnNames();
            for (Object[] r : reader.readAll(GridTables.ADS_ALARMS, Duration.ofMinutes(1))) {
                rows.put(
                        "alarm|" + r[ac.indexOf("alarm_id")],
                        r[ac.indexOf("status")]
                                + "|"
                                + r[ac.indexOf("severity")]
                                + "|"
                                + millis(r[ac.indexOf("raised_at")])
                                + "|"
                                + millis(r[ac.indexOf("cleared_at")])
                                + "|"
                                + num(r[ac.indexOf("value")]));
            }
        }
        return rows;
    }

    private static Map<String, String> pgDashboard() throws Exception {
        Map<String, String> rows = new TreeMap<>();
        try (Statement st = pg().createStatement();
                ResultSet rs =
                        st.executeQuery(
                                "SELECT region, (extract(epoch FROM window_start AT TIME ZONE"
                                        + " 'UTC') * 1000)::bigint, load_mw, generation_mw,"
                                        + " balance_mw, active_alarm_count FROM ads.grid_realtime")) {
            while (rs.next()) {
                rows.put(
                        "realtime|" + rs.getString(1),
                        rs.getLong(2)
                                + "|"
                                + num(rs.getObject(3))
                                + "|"
                                + num(rs.getObject(4))
                                + "|"
                                + num(rs.getObject(5))
                                + "|"
                                + rs.getLong(6));
            }
        }
        try (Statement st = pg().createStatement();
                ResultSet rs =
                        st.executeQuery(
                                "SELECT alarm_id, status, severity,"
                                        + " (extract(epoch FROM raised_at) * 1000)::bigint,"
                                        + " (extract(epoch FROM cleared_at) * 1000)::bigint,"
                                        + " value FROM ads.alarms")) {
            while (rs.next()) {
                rows.put(
                        "alarm|" + rs.getString(1),
                        rs.getString(2)
                                + "|"
                                + rs.getString(3)
                                + "|"
                                + rs.getObject(4)
                                + "|"
                                + rs.getObject(5)
                                + "|"
                                + num(rs.getObject(6)));
            }
        }
        return rows;
    }

    private static String millis(Object v) {
        if (v == null) {
            return "null";
        }
        if (v instanceof TimestampLtz) {
            return String.valueOf(((TimestampLtz) v).getEpochMillisecond());
        }
        if (v instanceof org.apache.fluss.row.TimestampNtz) {
            return String.valueOf(((org.apache.fluss.row.TimestampNtz) v).getMillisecond());
        }
        return String.valueOf(v);
    }

    private static String num(Object v) {
        return v == null ? "null" : String.format(Locale.ROOT, "%.6f", ((Number) v).doubleValue());
    }

    // ------------------------------------------------------------------ jobs

    private static Configuration jobConf() {
        Configuration conf = new Configuration();
        conf.setString("fluss.bootstrap-servers", fluss.bootstrapServers());
        conf.setString("checkpoint.interval", "1s");
        conf.setString("parallelism", "2");
        conf.setString("uid-prefix", "fault");
        return conf;
    }

    private static StreamExecutionEnvironment odsJob() throws Exception {
        Configuration conf = jobConf();
        conf.setString("telemetry-source", "none");
        conf.setString("devices-source", "postgres");
        conf.setString("pg.host", "127.0.0.1");
        conf.setString("pg.port", String.valueOf(pgPort));
        conf.setString("pg.database", DB);
        conf.setString("pg.user", "gridhouse");
        conf.setString("pg.password-file", dir.resolve("pg.password").toString());
        conf.setString("pg.slot-name", SLOT);
        conf.setString("pg.publication-name", PUBLICATION);
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        OdsJob.build(env, conf);
        return env;
    }

    private static JobID submit(StreamExecutionEnvironment env) throws Exception {
        JobID id = mini.submitJob(env.getStreamGraph().getJobGraph()).get().getJobID();
        long deadline = System.nanoTime() + Duration.ofMinutes(1).toNanos();
        while (status(id) != JobStatus.RUNNING && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        return id;
    }

    private static JobStatus status(JobID job) throws Exception {
        return mini.getJobStatus(job).get(30, TimeUnit.SECONDS);
    }

    /**
     * The job's restarts so far (Flink's {@code numRestarts}, read from the MiniCluster's REST
     * API). A request returns the metric store's contents and only then fetches anew (at most once
     * a second): the value counts once two reads 1.1 s apart agree.
     */
    private static long restarts(JobID job) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        Long last = null;
        while (true) {
            JsonNode metrics = get("/jobs/" + job + "/metrics?get=numRestarts");
            Long value = null;
            for (JsonNode m : metrics) {
                if ("numRestarts".equals(m.path("id").asText())) {
                    value = m.path("value").asLong();
                }
            }
            if (value != null && value.equals(last)) {
                return value;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("no stable numRestarts metric: " + metrics);
            }
            last = value;
            Thread.sleep(1_100);
        }
    }

    /** The root cause of each of the job's newest {@code count} failures, for the report. */
    private static List<String> failures(JobID job, long count) throws Exception {
        List<String> out = new ArrayList<>();
        JsonNode entries =
                get("/jobs/" + job + "/exceptions?maxExceptions=20")
                        .path("exceptionHistory")
                        .path("entries");
        for (JsonNode e : entries) {
            if (out.size() < count) {
                out.add(JobWatch.rootLine(e.path("stacktrace").asText("")));
            }
        }
        return out;
    }

    private static JsonNode get(String path) throws Exception {
        HttpResponse<String> r =
                HttpClient.newHttpClient()
                        .send(
                                HttpRequest.newBuilder(rest.resolve(path))
                                        .timeout(Duration.ofSeconds(10))
                                        .build(),
                                HttpResponse.BodyHandlers.ofString());
        return JSON.readTree(r.body());
    }

    // ------------------------------------------------------------------ PostgreSQL

    /**
     * Stops the server, waits {@code down}, starts it again on the same port; returns how long
     * {@code pg-local stop} took.
     */
    private static long restartServer(Duration down) throws Exception {
        closePg();
        long t = System.nanoTime();
        PgLocal.stop(dir, PG_ENV);
        long stopTook = System.nanoTime() - t;
        Thread.sleep(down.toMillis());
        assertThat(PgLocal.start(dir, fixedPort())).isEqualTo(pgPort);
        return stopTook;
    }

    /** pg-local's environment for a restart: the same port, or fail if it was taken meanwhile. */
    private static Map<String, String> fixedPort() {
        Map<String, String> env = new HashMap<>(PG_ENV);
        env.put("GRIDHOUSE_PG_PORT", String.valueOf(pgPort));
        return env;
    }

    private static Connection connect(String database) throws Exception {
        return DriverManager.getConnection(
                "jdbc:postgresql://127.0.0.1:" + pgPort + "/" + database, "gridhouse", PASSWORD);
    }

    /** The test's connection to its database, opened again after a restart. */
    private static Connection pg() throws Exception {
        if (pg == null || !pg.isValid(5)) {
            closePg();
            pg = connect(DB);
        }
        return pg;
    }

    private static void closePg() {
        if (pg != null) {
            try {
                pg.close();
            } catch (Exception ignored) {
                // the server went away
            }
            pg = null;
        }
    }

    private static void exec(String sql) throws Exception {
        try (Statement st = pg().createStatement()) {
            st.execute(sql);
        }
    }

    private static List<String> query(String sql, String arg) throws Exception {
        List<String> out = new ArrayList<>();
        try (PreparedStatement ps = pg().prepareStatement(sql)) {
            ps.setString(1, arg);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getString(1));
                }
            }
        }
        return out;
    }

    /** Inserts {@code n} new valid devices (FLT_0001, ...), one statement each. */
    private static void insertDevices(int n) throws Exception {
        for (int i = 0; i < n; i++) {
            deviceSeq++;
            Device d =
                    new Device(
                            String.format(Locale.ROOT, "FLT_%04d", deviceSeq),
                            "fault test " + deviceSeq,
                            deviceSeq % 2 == 0 ? "FEEDER" : "GENERATOR",
                            "S0000" + (deviceSeq % 4),
                            "NORTH",
                            10 + deviceSeq,
                            110,
                            "IN_SERVICE",
                            T0 + deviceSeq);
            try (PreparedStatement ps = pg().prepareStatement(PgCommands.DEVICE_UPSERT)) {
                PgCommands.bindDevice(ps, d);
                ps.executeUpdate();
            }
        }
    }

    private static void dropSlotPublicationAndDatabase() throws Exception {
        PrintStream quiet = new PrintStream(new ByteArrayOutputStream(), true, "UTF-8");
        long deadline = System.nanoTime() + Duration.ofMinutes(1).toNanos();
        while (!PgCommands.cleanup(pg(), SLOT, PUBLICATION, quiet).isEmpty()
                && System.nanoTime() < deadline) {
            Thread.sleep(200);
        }
        closePg();
        try (Connection admin = connect("gridhouse");
                Statement st = admin.createStatement()) {
            st.execute("DROP DATABASE IF EXISTS " + DB);
        }
    }

    // ------------------------------------------------------------------ Fluss

    private static PostgresOracle oracle() throws Exception {
        return new PostgresOracle(pg(), fluss.clientConfig(), "grid", WAIT);
    }

    /** ods_devices, ods_substations and ods_lines equal grid.* (bad rows left out). */
    private static void awaitDimensionsInSync() throws Exception {
        PostgresOracle oracle = oracle();
        oracle.awaitEqual(
                GridTables.ODS_DEVICES,
                "SELECT device_id, device_name, device_type, substation_id, region, capacity_mw,"
                        + " rated_voltage_kv, status, "
                        + String.format(PostgresOracle.MILLIS, "updated_at")
                        + " FROM grid.devices WHERE device_id NOT LIKE 'BAD%'");
        oracle.awaitEqual(
                GridTables.ODS_SUBSTATIONS,
                "SELECT substation_id, substation_name, region, voltage_level_kv, capacity_mw"
                        + " FROM grid.substations");
        oracle.awaitEqual(
                GridTables.ODS_LINES,
                "SELECT line_id, from_substation_id, to_substation_id, capacity_mw, status"
                        + " FROM grid.lines");
    }

    private static int rowCount(TableSpec table) throws Exception {
        try (TableReader reader = new TableReader(fluss.clientConfig(), "grid")) {
            return reader.readAll(table, Duration.ofMinutes(1)).size();
        }
    }

    private static List<Object[]> deadLetters() throws Exception {
        try (TableReader reader = new TableReader(fluss.clientConfig(), "grid")) {
            List<Object[]> rows = reader.readAll(GridTables.ODS_DEAD_LETTER, Duration.ofMinutes(1));
            // in the order they were rejected
            rows.sort(
                    (a, b) ->
                            Long.compare(
                                    ((TimestampLtz) a[5]).getEpochMillisecond(),
                                    ((TimestampLtz) b[5]).getEpochMillisecond()));
            return rows;
        }
    }

    interface Read<T> {
        T get() throws Exception;
    }

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

    // ------------------------------------------------------------------ report

    private static String seconds(long nanos) {
        return String.format(Locale.ROOT, "%.1f", nanos / 1e9);
    }

    private static void report(String fault, String format, Object... args) {
        System.out.println("RECOVERY " + fault + ": " + String.format(Locale.ROOT, format, args));
    }
}
