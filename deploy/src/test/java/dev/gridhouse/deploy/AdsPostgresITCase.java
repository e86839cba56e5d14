package dev.gridhouse.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvParser;
import dev.gridhouse.ads.AdsPostgresOptions;
import dev.gridhouse.contract.grid.Device;
import dev.gridhouse.contract.grid.Substation;
import dev.gridhouse.ods.sim.GridSimulator;
import dev.gridhouse.ods.sim.SimulatorConfig;
import dev.gridhouse.testing.PgLocal;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import org.apache.flink.configuration.Configuration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The ADS layer end to end with its PostgreSQL dashboard sink, on a real embedded Fluss cluster,
 * Flink MiniCluster and PostgreSQL ({@code deploy/bin/pg-local}): a simulator grid where one
 * substation's feeders run at 3× capacity for a minute, one device reports a fault and one a
 * frequency excursion → exactly the expected alarms (raised, then cleared), one dispatch decision
 * per CRITICAL OVERLOAD / DEVICE_FAULT alarm, and {@code ads.alarms} / {@code ads.grid_realtime} in
 * PostgreSQL equal to the Fluss tables. Replaying the same input (on a fresh Fluss cluster) leaves
 * PostgreSQL unchanged.
 */
class AdsPostgresITCase {
    private static final String ID = UUID.randomUUID().toString().replace("-", "").substring(0, 8);
    private static final String DB = "gh_ads_it_" + ID;
    private static final String PASSWORD =
            System.getenv().getOrDefault("GRIDHOUSE_PG_PASSWORD", "gridhouse");

    /** The port pg-local chose (55432 unless another server holds it). */
    private static int PG_PORT;

    private static final long T0 = Instant.parse("2026-01-01T10:00:00Z").toEpochMilli();
    private static final long MINUTE = 60_000L;

    @TempDir static Path dir;
    private static Connection pg;
    private static Path telemetry;

    /** (device_id, alarm_type, severity) of every alarm the input must raise. */
    private static final Set<String> expectedAlarms = new TreeSet<>();

    private static int decisionAlarms;

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
        Files.writeString(dir.resolve("pg.password"), PASSWORD + "\n");
        telemetry = writeTelemetry();
    }

    @AfterAll
    static void stop() throws Exception {
        if (pg != null) {
            pg.close();
        }
        try (Connection admin = connect("gridhouse");
                Statement st = admin.createStatement()) {
            st.execute("DROP DATABASE IF EXISTS " + DB);
        }
    }

    /**
     * Four event-time minutes of every simulator device. Minute 1: the feeders of one substation at
     * 3× capacity (CRITICAL OVERLOAD), one feeder elsewhere with status 7 (DEVICE_FAULT), one at
     * 50.7 Hz (CRITICAL FREQUENCY_DEVIATION). Minutes 2 and 3: all normal again (every alarm
     * clears).
     */
    private static Path writeTelemetry() throws Exception {
        GridSimulator sim =
                new GridSimulator(
                        SimulatorConfig.builder()
                                .deviceCount(400)
                                .regionCount(7)
                                .recordsPerSecond(2000)
                                .seed(42)
                                .build());
        Substation hot = sim.substations().get(0);
        Device faulty = null;
        Device swinging = null;
        for (Device d : sim.devices()) {
            if (!d.isGenerator() && !d.substationId.equals(hot.substationId)) {
                if (faulty == null) {
                    faulty = d;
                } else if (swinging == null && !d.substationId.equals(faulty.substationId)) {
                    swinging = d;
                }
            }
        }
        List<Device> devices = sim.devices();
        List<String> lines = new ArrayList<>();
        for (int minute = 0; minute < 4; minute++) {
            long ts = T0 + minute * MINUTE;
            for (Device d : devices) {
                boolean overloaded =
                        minute == 1 && d.substationId.equals(hot.substationId) && !d.isGenerator();
                double power = overloaded ? 3 * d.capacityMw : 0.5 * d.capacityMw;
                int status = minute == 1 && d.deviceId.equals(faulty.deviceId) ? 7 : 0;
                double freq = minute == 1 && d.deviceId.equals(swinging.deviceId) ? 50.7 : 50.0;
                lines.add(
                        String.format(
                                "{\"device_id\":\"%s\",\"ts\":%d,\"active_power_mw\":%s,"
                                        + "\"voltage_kv\":%s,\"frequency_hz\":%s,"
                                        + "\"status_code\":%d}",
                                d.deviceId,
                                ts++,
                                Math.min(power, 5000),
                                d.ratedVoltageKv,
                                freq,
                                status));
                double ratio = Math.min(power, 5000) / d.capacityMw;
                if (overloaded && ratio > 1.2) {
                    expectedAlarms.add(d.deviceId + "|OVERLOAD|CRITICAL");
                    decisionAlarms++;
                } else if (overloaded && ratio > 1.0) {
                    expectedAlarms.add(d.deviceId + "|OVERLOAD|MAJOR");
                }
            }
        }
        expectedAlarms.add(faulty.deviceId + "|DEVICE_FAULT|CRITICAL");
        decisionAlarms++;
        expectedAlarms.add(swinging.deviceId + "|FREQUENCY_DEVIATION|CRITICAL");
        Path file = dir.resolve("telemetry.jsonl");
        Files.write(file, lines);
        return file;
    }

    private static Path replay(String name) throws Exception {
        Path dump = dir.resolve(name);
        Configuration conf = new Configuration();
        conf.set(LocalOptions.TELEMETRY, telemetry.toString());
        conf.set(LocalOptions.BOUNDED, true);
        conf.set(LocalOptions.DEVICE_COUNT, 400);
        conf.set(LocalOptions.SEED, 42L);
        conf.set(LocalOptions.DUMP_DIR, dump.toString());
        conf.set(AdsPostgresOptions.ENABLED, true);
        conf.set(AdsPostgresOptions.URL, "jdbc:postgresql://127.0.0.1:" + PG_PORT + "/" + DB);
        conf.set(AdsPostgresOptions.PASSWORD_FILE, dir.resolve("pg.password").toString());
        ByteArrayOutputStream console = new ByteArrayOutputStream();
        assertThat(new LocalRunner(conf, new PrintStream(console, true, "UTF-8")).run())
                .as(console.toString(StandardCharsets.UTF_8))
                .isZero();
        return dump;
    }

    @Test
    void alarmsDecisionsAndDashboardRowsAndAnIdempotentReplay() throws Exception {
        Path dump = replay("first");

        // alarms: exactly the injected ones, each raised and cleared, same in Fluss and PostgreSQL
        List<String[]> flussAlarms = readCsv(dump.resolve("ads_alarms.csv"));
        String[] h = flussAlarms.remove(0);
        Set<String> flussRows = new TreeSet<>();
        Set<String> kinds = new TreeSet<>();
        for (String[] r : flussAlarms) {
            kinds.add(
                    r[col(h, "device_id")]
                            + "|"
                            + r[col(h, "alarm_type")]
                            + "|"
                            + r[col(h, "severity")]);
            assertThat(r[col(h, "status")]).isEqualTo("CLEARED");
            flussRows.add(
                    String.join(
                            "|",
                            r[col(h, "alarm_id")],
                            r[col(h, "device_id")],
                            v(r[col(h, "substation_id")]),
                            v(r[col(h, "region")]),
                            r[col(h, "alarm_type")],
                            r[col(h, "severity")],
                            r[col(h, "status")],
                            millis(r[col(h, "raised_at")]),
                            millis(r[col(h, "cleared_at")]),
                            v(r[col(h, "value")]),
                            v(r[col(h, "threshold")])));
        }
        assertThat(kinds).isEqualTo(expectedAlarms);
        assertThat(
                        query(
                                "SELECT alarm_id, device_id, substation_id, region, alarm_type,"
                                        + " severity, status,"
                                        + " (extract(epoch FROM raised_at) * 1000)::bigint,"
                                        + " (extract(epoch FROM cleared_at) * 1000)::bigint,"
                                        + " value, threshold FROM ads.alarms"))
                .isEqualTo(flussRows);

        // one decision per CRITICAL OVERLOAD / DEVICE_FAULT alarm
        assertThat(readCsv(dump.resolve("ads_dispatch_decisions.csv"))).hasSize(decisionAlarms + 1);

        // the dashboard copy of ads_grid_realtime
        List<String[]> flussRealtime = readCsv(dump.resolve("ads_grid_realtime.csv"));
        String[] rh = flussRealtime.remove(0);
        Set<String> realtimeRows = new TreeSet<>();
        for (String[] r : flussRealtime) {
            realtimeRows.add(
                    String.join(
                            "|",
                            r[col(rh, "region")],
                            millis(r[col(rh, "window_start")]),
                            v(r[col(rh, "device_count")]),
                            v(r[col(rh, "load_mw")]),
                            v(r[col(rh, "generation_mw")]),
                            v(r[col(rh, "balance_mw")]),
                            v(r[col(rh, "active_alarm_count")])));
        }
        assertThat(realtimeRows).hasSize(7);
        assertThat(
                        query(
                                "SELECT region,"
                                        + " (extract(epoch FROM window_start AT TIME ZONE 'UTC')"
                                        + " * 1000)::bigint, device_count, load_mw, generation_mw,"
                                        + " balance_mw, active_alarm_count FROM ads.grid_realtime"))
                .isEqualTo(realtimeRows);

        // a replay of the same input leaves PostgreSQL unchanged (updated_at is the ADS job's wall
        // clock when a region's newest minute changed: it is left out of the comparison)
        Set<String> alarmsBefore = query("SELECT t::text FROM ads.alarms t");
        Set<String> realtimeBefore = query(REALTIME_WITHOUT_WALL_CLOCK);
        replay("second");
        assertThat(query("SELECT t::text FROM ads.alarms t")).isEqualTo(alarmsBefore);
        assertThat(query(REALTIME_WITHOUT_WALL_CLOCK)).isEqualTo(realtimeBefore);
    }

    private static final String REALTIME_WITHOUT_WALL_CLOCK =
            "SELECT region, window_start, device_count, sample_count, load_mw, generation_mw,"
                    + " avg_frequency_hz, min_frequency_hz, max_frequency_hz,"
                    + " frequency_stability_pct, max_temperature_c, fault_count, balance_mw,"
                    + " active_alarm_count FROM ads.grid_realtime";

    private static int col(String[] header, String name) {
        for (int i = 0; i < header.length; i++) {
            if (header[i].equals(name)) {
                return i;
            }
        }
        throw new IllegalArgumentException("no column " + name);
    }

    /** A CSV dump field as the query renders it: empty = null. */
    private static String v(String field) {
        return field.isEmpty() ? "null" : field;
    }

    private static String millis(String iso) {
        return iso.isEmpty() ? "null" : String.valueOf(Instant.parse(iso).toEpochMilli());
    }

    private static List<String[]> readCsv(Path file) throws Exception {
        CsvMapper csv = new CsvMapper();
        csv.enable(CsvParser.Feature.WRAP_AS_ARRAY);
        try (MappingIterator<String[]> it =
                csv.readerFor(String[].class).readValues(file.toFile())) {
            return new ArrayList<>(it.readAll());
        }
    }

    /** Every row as its columns joined by '|', nulls as "null". */
    private static Set<String> query(String sql) throws Exception {
        Set<String> rows = new HashSet<>();
        try (Statement st = pg.createStatement();
                ResultSet rs = st.executeQuery(sql)) {
            int n = rs.getMetaData().getColumnCount();
            while (rs.next()) {
                List<String> cols = new ArrayList<>();
                for (int i = 1; i <= n; i++) {
                    Object v = rs.getObject(i);
                    cols.add(v == null ? "null" : v.toString());
                }
                rows.add(String.join("|", cols));
            }
        }
        return new TreeSet<>(rows);
    }

    private static Connection connect(String database) throws Exception {
        return DriverManager.getConnection(
                "jdbc:postgresql://127.0.0.1:" + PG_PORT + "/" + database, "gridhouse", PASSWORD);
    }
}
