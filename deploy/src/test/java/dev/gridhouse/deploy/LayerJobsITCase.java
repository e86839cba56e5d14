package dev.gridhouse.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gridhouse.ads.AdsJob;
import dev.gridhouse.contract.grid.GridTables;
import dev.gridhouse.core.catalog.TableSpec;
import dev.gridhouse.core.io.TableReader;
import dev.gridhouse.dws.DwsJob;
import dev.gridhouse.ods.OdsJob;
import dev.gridhouse.testing.LocalFlussCluster;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.fluss.row.TimestampNtz;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * Each layer's job main, as {@code flink run} would start it, against one shared embedded Fluss
 * cluster: ODS (bounded files) → DWS (unbounded, reads ods_grid_telemetry) → ADS (unbounded, reads
 * dws_region_minute).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class LayerJobsITCase {
    private static final long T0 = Instant.parse("2026-05-01T12:00:00Z").toEpochMilli();
    private static final Duration WAIT = Duration.ofMinutes(3);

    @TempDir static Path dir;
    private static LocalFlussCluster fluss;
    private static int validLines;

    @BeforeAll
    static void start() throws Exception {
        fluss = LocalFlussCluster.start();
        Files.writeString(
                dir.resolve("devices.csv"),
                "device_id,device_name,device_type,substation_id,region,capacity_mw,"
                        + "rated_voltage_kv,status,updated_at\n"
                        + "D1,Feeder 1,FEEDER,S1,NORTH,100,110,IN_SERVICE,\n"
                        + "D2,Plant 2,GENERATOR,S1,NORTH,100,110,IN_SERVICE,\n"
                        + "D3,Feeder 3,FEEDER,S2,SOUTH,100,110,IN_SERVICE,\n");
        Files.writeString(
                dir.resolve("substations.csv"),
                "substation_id,substation_name,region,voltage_level_kv,capacity_mw\n"
                        + "S1,North 1,NORTH,110,300\n"
                        + "S2,South 2,SOUTH,110,200\n");
        Files.writeString(
                dir.resolve("lines.csv"),
                "line_id,from_substation_id,to_substation_id,capacity_mw,status\n"
                        + "L1,S1,S2,50,CLOSED\n");
        List<String> lines = new ArrayList<>();
        for (int step = 0; step < 15; step++) { // 2.5 minutes: minutes 0 and 1 close
            for (String d : new String[] {"D1", "D2", "D3"}) {
                lines.add(
                        "{\"device_id\":\""
                                + d
                                + "\",\"ts\":"
                                + (T0 + step * 10_000L)
                                + ",\"active_power_mw\":"
                                + (step + 1)
                                + ",\"voltage_kv\":110,\"frequency_hz\":50.05}");
            }
        }
        validLines = lines.size();
        lines.add("{\"device_id\":\"D1\""); // MALFORMED
        lines.add(
                "{\"device_id\":\"NOPE\",\"ts\":"
                        + (T0 + 1)
                        + ",\"active_power_mw\":1,\"voltage_kv\":1,\"frequency_hz\":50}");
        Files.write(dir.resolve("telemetry.jsonl"), lines);
    }

    @AfterAll
    static void stop() throws Exception {
        if (fluss != null) {
            fluss.close();
        }
    }

    private static Configuration conf(String... kv) {
        Configuration c = new Configuration();
        c.setString("fluss.bootstrap-servers", fluss.bootstrapServers());
        c.setString("checkpoint.interval", "1s");
        c.setString("parallelism", "2");
        for (int i = 0; i < kv.length; i += 2) {
            c.setString(kv[i], kv[i + 1]);
        }
        return c;
    }

    private static StreamExecutionEnvironment env() {
        return StreamExecutionEnvironment.createLocalEnvironment(2, LocalCluster.flinkConfig(2));
    }

    private static List<Object[]> read(TableSpec table) throws Exception {
        try (TableReader reader = new TableReader(fluss.clientConfig(), "grid")) {
            return reader.readAll(table, Duration.ofMinutes(1));
        }
    }

    /** Polls a table until its rows satisfy the condition (the job runs unbounded). */
    private static List<Object[]> awaitRows(TableSpec table, Predicate<List<Object[]>> done)
            throws Exception {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (true) {
            List<Object[]> rows = read(table);
            if (done.test(rows) || System.nanoTime() > deadline) {
                return rows;
            }
            Thread.sleep(500);
        }
    }

    @Test
    @Order(1)
    void odsJobValidatesFilesIntoOdsTables() throws Exception {
        StreamExecutionEnvironment env = env();
        OdsJob.build(
                env,
                conf(
                        "telemetry-source", "file:" + dir.resolve("telemetry.jsonl"),
                        "devices-source", "csv:" + dir.resolve("devices.csv"),
                        "substations-source", "csv:" + dir.resolve("substations.csv"),
                        "lines-source", "csv:" + dir.resolve("lines.csv")));
        env.execute("ods");

        assertThat(read(GridTables.ODS_DEVICES)).hasSize(3);
        assertThat(read(GridTables.ODS_SUBSTATIONS))
                .extracting(r -> r[0] + ":" + r[4])
                .containsExactly("S1:300.0", "S2:200.0");
        assertThat(read(GridTables.ODS_LINES))
                .extracting(r -> r[0] + ":" + r[1] + "-" + r[2] + ":" + r[4])
                .containsExactly("L1:S1-S2:CLOSED");
        // the unknown device passes ODS validation: it is a DWS decision
        assertThat(read(GridTables.ODS_GRID_TELEMETRY)).hasSize(validLines + 1);
        assertThat(read(GridTables.ODS_DEAD_LETTER))
                .extracting(r -> r[0] + ":" + r[1])
                .containsExactly("telemetry:MALFORMED");
    }

    @Test
    @Order(2)
    void dwsJobRollsUpOdsTelemetry() throws Exception {
        StreamExecutionEnvironment env = env();
        DwsJob.build(env, conf("watermark.idleness", "1s"));
        JobClient job = env.executeAsync("dws");
        try {
            List<Object[]> minutes =
                    awaitRows(GridTables.DWS_REGION_MINUTE, rows -> rows.size() >= 4);
            // NORTH and SOUTH for minutes 0 and 1; minute 2 stays open (watermark = 2:20 - 5 s)
            assertThat(minutes).hasSize(4);
            for (Object[] r : minutes) {
                long start = ((TimestampNtz) r[1]).getMillisecond();
                assertThat(start).isIn(T0, T0 + 60_000);
                long devices = "NORTH".equals(r[0]) ? 2 : 1;
                assertThat((Long) r[2]).isEqualTo(devices); // device_count
                assertThat((Long) r[3]).isEqualTo(6 * devices); // sample_count
                double avgPower = start == T0 ? 3.5 : 9.5; // mean of 1..6 and 7..12
                // NORTH: D1 is load, D2 generation; SOUTH: D3 is load
                assertThat((Double) r[4]).isEqualTo(avgPower);
                assertThat((Double) r[5]).isEqualTo("NORTH".equals(r[0]) ? avgPower : 0.0);
                assertThat((Double) r[9]).isEqualTo(100.0); // 50.05 Hz is in band
            }
            List<Object[]> dead = awaitRows(GridTables.ODS_DEAD_LETTER, rows -> rows.size() >= 2);
            assertThat(dead).extracting(r -> r[1] + ":" + r[2]).contains("UNKNOWN_DEVICE:NOPE");
            assertThat(read(GridTables.DWD_GRID_TELEMETRY)).hasSize(validLines);
        } finally {
            job.cancel().get();
        }
    }

    @Test
    @Order(3)
    void adsJobKeepsTheNewestMinutePerRegion() throws Exception {
        StreamExecutionEnvironment env = env();
        AdsJob.build(env, conf());
        JobClient job = env.executeAsync("ads");
        try {
            List<Object[]> rows =
                    awaitRows(
                            GridTables.ADS_GRID_REALTIME,
                            r ->
                                    r.size() == 2
                                            && r.stream()
                                                    .allMatch(
                                                            x ->
                                                                    ((TimestampNtz) x[1])
                                                                                    .getMillisecond()
                                                                            == T0 + 60_000));
            assertThat(rows).extracting(r -> r[0]).containsExactly("NORTH", "SOUTH");
            for (Object[] r : rows) {
                assertThat(((TimestampNtz) r[1]).getMillisecond()).isEqualTo(T0 + 60_000);
                assertThat((Double) r[12]).isEqualTo((Double) r[5] - (Double) r[4]); // balance
            }
        } finally {
            job.cancel().get();
        }
    }

    @Test
    @Order(4)
    void queryLooksUpByPrimaryKeyAndScansWithFilters() throws Exception {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        java.io.PrintStream ps = new java.io.PrintStream(out, true, "UTF-8");
        QueryCommand.run(
                new String[] {
                    "--bootstrap",
                    fluss.bootstrapServers(),
                    "ods_devices",
                    "--key",
                    "device_id=D2",
                    "--format",
                    "csv"
                },
                ps);
        assertThat(out.toString("UTF-8"))
                .isEqualTo(
                        "device_id,device_name,device_type,substation_id,region,capacity_mw,"
                                + "rated_voltage_kv,status,updated_at\n"
                                + "D2,\"Plant 2\",GENERATOR,S1,NORTH,100.0,110.0,IN_SERVICE,"
                                + "1970-01-01T00:00:00.000Z\n");

        out.reset();
        QueryCommand.run(
                new String[] {
                    "--bootstrap",
                    fluss.bootstrapServers(),
                    "dws_region_minute",
                    "--key",
                    "region=SOUTH",
                    "--format",
                    "json"
                },
                ps);
        String[] json = out.toString("UTF-8").trim().split("\n");
        assertThat(json).hasSize(2);
        assertThat(json[0]).contains("\"region\":\"SOUTH\"", "\"device_count\":1");
    }
}
