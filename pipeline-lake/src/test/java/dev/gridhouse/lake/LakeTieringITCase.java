package dev.gridhouse.lake;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gridhouse.contract.grid.Device;
import dev.gridhouse.contract.grid.GridTables;
import dev.gridhouse.contract.grid.Telemetry;
import dev.gridhouse.core.catalog.FlussCatalog;
import dev.gridhouse.core.catalog.TableSpec;
import dev.gridhouse.core.io.FlussEndpoint;
import dev.gridhouse.core.io.TableReader;
import dev.gridhouse.core.serde.FlussRowConverter;
import dev.gridhouse.testing.LocalFlussCluster;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.table.api.EnvironmentSettings;
import org.apache.flink.table.api.TableEnvironment;
import org.apache.flink.types.Row;
import org.apache.flink.util.CloseableIterator;
import org.apache.fluss.client.Connection;
import org.apache.fluss.client.ConnectionFactory;
import org.apache.fluss.client.admin.Admin;
import org.apache.fluss.client.table.Table;
import org.apache.fluss.client.table.writer.AppendWriter;
import org.apache.fluss.client.table.writer.UpsertWriter;
import org.apache.fluss.metadata.TablePath;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Tiering with Fluss's own tiering job into a Paimon warehouse on the local filesystem, over an
 * embedded Fluss cluster started with the lake settings and a Flink MiniCluster: nothing lost or
 * doubled, time travel over Paimon snapshots, and the union of lake and Fluss tail.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class LakeTieringITCase {
    private static final long T0 = 1_767_261_600_000L; // 2026-01-01T10:00:00Z
    private static final Duration WAIT = Duration.ofMinutes(2);

    private static Path dir;
    private static LocalFlussCluster cluster;
    private static PaimonLakehouse lake;
    private static FlussEndpoint fluss;
    private static Connection connection;
    private static Admin admin;
    private static JobClient tiering;

    @BeforeAll
    static void startLakehouse() throws Exception {
        dir = Files.createTempDirectory("gridhouse-lake-it-");
        lake = PaimonLakehouse.at(dir.resolve("lake").toString());
        cluster = LocalFlussCluster.start(dir.resolve("fluss"), false, lake.serverConfig());
        fluss = new FlussEndpoint(cluster.bootstrapServers(), "grid");
        List<TableSpec> tables = List.of(GridTables.ODS_GRID_TELEMETRY, GridTables.ODS_DEVICES);
        try (FlussCatalog catalog = new FlussCatalog(fluss.toFlussConfig(), "grid", 0)) {
            catalog.ensureTables(tables);
        }
        LakeTiering.enable(fluss, tables, Duration.ofSeconds(1));
        connection = ConnectionFactory.createConnection(fluss.toFlussConfig());
        admin = connection.getAdmin();
        StreamExecutionEnvironment env =
                StreamExecutionEnvironment.createLocalEnvironment(1, LakeTiering.flinkConfig());
        tiering = LakeTiering.start(env, fluss, lake, Duration.ofMillis(500));
    }

    @AfterAll
    static void stop() throws Exception {
        if (tiering != null) {
            try {
                tiering.cancel().get();
            } catch (Exception ignored) {
                // already cancelled by the union-read test
            }
        }
        if (admin != null) {
            admin.close();
            connection.close();
        }
        if (cluster != null) {
            cluster.close();
        }
        try (var files = Files.walk(dir)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    @Test
    @Order(1)
    void telemetryArrivesInPaimonWithNothingLostOrDoubled() throws Exception {
        appendTelemetry(0, 20_000);
        awaitTiered(GridTables.ODS_GRID_TELEMETRY);

        List<Object[]> inFluss = flussRows(GridTables.ODS_GRID_TELEMETRY);
        long snapshot = latestSnapshot(GridTables.ODS_GRID_TELEMETRY);
        try (LakeHistory history = new LakeHistory(lake, fluss)) {
            List<Object[]> inLake =
                    history.read(
                                    HistoryQuery.of(GridTables.ODS_GRID_TELEMETRY)
                                            .asOfSnapshot(snapshot)
                                            .build())
                            .rows;
            assertThat(inFluss).hasSize(20_000);
            assertThat(countsByKey(inLake)).isEqualTo(countsByKey(inFluss));
            assertThat(checksum(inLake)).isEqualTo(checksum(inFluss));
        }
    }

    @Test
    @Order(2)
    void anEarlierSnapshotDoesNotShowALaterUpdate() throws Exception {
        upsertDevices(100, "IN_SERVICE", T0);
        awaitTiered(GridTables.ODS_DEVICES);
        long first = latestSnapshot(GridTables.ODS_DEVICES);
        long afterFirst = System.currentTimeMillis();
        Thread.sleep(50);

        upsertDevices(10, "MAINTENANCE", T0 + 60_000); // devices 0..9 change
        deleteDevice(99);
        awaitTiered(GridTables.ODS_DEVICES);
        long second = latestSnapshot(GridTables.ODS_DEVICES);
        assertThat(second).isGreaterThan(first);

        try (LakeHistory history = new LakeHistory(lake, fluss)) {
            HistoryQuery.Builder device3 =
                    HistoryQuery.of(GridTables.ODS_DEVICES).where("device_id", deviceId(3));
            assertThat(statuses(history.read(device3.asOfSnapshot(first).build()).rows))
                    .containsExactly("IN_SERVICE");
            HistoryQuery.Builder device3AsOfTime =
                    HistoryQuery.of(GridTables.ODS_DEVICES).where("device_id", deviceId(3));
            assertThat(
                            statuses(
                                    history.read(device3AsOfTime.asOfTimestamp(afterFirst).build())
                                            .rows))
                    .containsExactly("IN_SERVICE");
            assertThat(
                            statuses(
                                    history.read(
                                                    HistoryQuery.of(GridTables.ODS_DEVICES)
                                                            .where("device_id", deviceId(3))
                                                            .build())
                                            .rows))
                    .containsExactly("MAINTENANCE");

            List<Object[]> atFirst =
                    history.read(
                                    HistoryQuery.of(GridTables.ODS_DEVICES)
                                            .asOfSnapshot(first)
                                            .build())
                            .rows;
            List<Object[]> atSecond =
                    history.read(
                                    HistoryQuery.of(GridTables.ODS_DEVICES)
                                            .asOfSnapshot(second)
                                            .build())
                            .rows;
            assertThat(atFirst).hasSize(100);
            assertThat(statuses(atFirst)).containsOnly("IN_SERVICE");
            assertThat(atSecond).hasSize(99);
            assertThat(statuses(atSecond).stream().filter("MAINTENANCE"::equals)).hasSize(10);
            assertThat(rendered(atSecond))
                    .containsExactlyInAnyOrderElementsOf(
                            rendered(flussRows(GridTables.ODS_DEVICES)));
        }
    }

    @Test
    @Order(3)
    void unionReadJoinsTheLakeAndTheFlussTailWithoutGapOrOverlap() throws Exception {
        tiering.cancel().get();
        appendTelemetry(20_000, 5_000); // stays in Fluss only: nothing tiers it any more
        List<Object[]> inFluss = flussRows(GridTables.ODS_GRID_TELEMETRY);
        assertThat(inFluss).hasSize(25_000);

        try (LakeHistory history = new LakeHistory(lake, fluss)) {
            LakeHistory.Result all =
                    history.read(HistoryQuery.of(GridTables.ODS_GRID_TELEMETRY).build());
            assertThat(all.source.lakeRows).isEqualTo(20_000);
            assertThat(all.source.flussRecords).isEqualTo(5_000);
            assertThat(countsByKey(all.rows)).isEqualTo(countsByKey(inFluss));
            assertThat(checksum(all.rows)).isEqualTo(checksum(inFluss));

            // one device's telemetry in the hour before a "fault" at T0 + 100 min: part of it is
            // in the lake, part only in Fluss
            long fault = T0 + 100 * 60_000L;
            List<Object[]> hour =
                    history.read(
                                    HistoryQuery.of(GridTables.ODS_GRID_TELEMETRY)
                                            .where("device_id", deviceId(7))
                                            .between(fault - 3_600_000L, fault)
                                            .build())
                            .rows;
            List<Object[]> expected =
                    inFluss.stream()
                            .filter(r -> r[0].equals(deviceId(7)))
                            .filter(r -> (Long) r[1] >= fault - 3_600_000L && (Long) r[1] < fault)
                            .collect(Collectors.toList());
            assertThat(expected).isNotEmpty();
            assertThat(rendered(hour)).containsExactlyInAnyOrderElementsOf(rendered(expected));
        }

        // the same union through Flink SQL and the Fluss catalog (README snippet)
        TableEnvironment sql = TableEnvironment.create(EnvironmentSettings.inBatchMode());
        sql.executeSql(
                "CREATE CATALOG fluss WITH ('type' = 'fluss', 'bootstrap.servers' = '"
                        + cluster.bootstrapServers()
                        + "')");
        try (CloseableIterator<Row> it =
                sql.executeSql("SELECT COUNT(*), SUM(ts) FROM fluss.grid.ods_grid_telemetry")
                        .collect()) {
            Row r = it.next();
            assertThat(r.getField(0)).isEqualTo(25_000L);
            assertThat(r.getField(1)).isEqualTo(inFluss.stream().mapToLong(x -> (Long) x[1]).sum());
        }
        try (CloseableIterator<Row> it =
                sql.executeSql("SELECT COUNT(*) FROM fluss.grid.`ods_grid_telemetry$lake`")
                        .collect()) {
            assertThat(it.next().getField(0)).isEqualTo(20_000L);
        }
    }

    // ------------------------------------------------------------------ helpers

    private static String deviceId(int i) {
        return String.format("DEV-%06d", i);
    }

    /** 50 devices, one sample each per 12 s step, values derived from the index. */
    private static void appendTelemetry(int first, int count) throws Exception {
        FlussRowConverter<Telemetry> rows =
                FlussRowConverter.forTable(GridTables.ODS_GRID_TELEMETRY);
        try (Table table = connection.getTable(path(GridTables.ODS_GRID_TELEMETRY))) {
            AppendWriter writer = table.newAppend().createWriter();
            for (int i = first; i < first + count; i++) {
                Telemetry t = new Telemetry();
                t.deviceId = deviceId(i % 50);
                t.ts = T0 + (i / 50) * 12_000L;
                t.activePowerMw = (i % 997) / 10.0;
                t.voltageKv = 110 + (i % 7);
                t.frequencyHz = 50 + (i % 5 - 2) / 100.0;
                t.temperatureC = i % 3 == 0 ? null : 20.0 + i % 11;
                t.statusCode = i % 4 == 0 ? null : 0;
                t.ingestTime = t.ts + 150;
                writer.append(rows.toRow(t));
            }
            writer.flush();
        }
    }

    private static void upsertDevices(int count, String status, long updatedAt) throws Exception {
        FlussRowConverter<Device> rows = FlussRowConverter.forTable(GridTables.ODS_DEVICES);
        try (Table table = connection.getTable(path(GridTables.ODS_DEVICES))) {
            UpsertWriter writer = table.newUpsert().createWriter();
            for (int i = 0; i < count; i++) {
                writer.upsert(
                        rows.toRow(
                                new Device(
                                        deviceId(i),
                                        "Feeder " + i,
                                        "FEEDER",
                                        "SUB-" + (i % 5),
                                        "NORTH",
                                        12.5,
                                        110,
                                        status,
                                        updatedAt)));
            }
            writer.flush();
        }
    }

    private static void deleteDevice(int i) throws Exception {
        FlussRowConverter<Device> rows = FlussRowConverter.forTable(GridTables.ODS_DEVICES);
        try (Table table = connection.getTable(path(GridTables.ODS_DEVICES))) {
            UpsertWriter writer = table.newUpsert().createWriter();
            writer.delete(
                    rows.toRow(new Device(deviceId(i), "", "FEEDER", "", "NORTH", 0, 0, "", T0)));
            writer.flush();
        }
    }

    private static TablePath path(TableSpec spec) {
        return TablePath.of("grid", spec.name());
    }

    /** Waits until the lake holds everything Fluss holds; prints how long that took. */
    private static void awaitTiered(TableSpec spec) throws Exception {
        long start = System.nanoTime();
        long deadline = start + WAIT.toNanos();
        while (!LakeTiering.caughtUp(admin, path(spec))) {
            assertThat(System.nanoTime())
                    .as("%s tiered within %s", spec.name(), WAIT)
                    .isLessThan(deadline);
            Thread.sleep(200);
        }
        System.out.printf(
                "%s: in Paimon %d ms after the write (freshness 1 s)%n",
                spec.name(), (System.nanoTime() - start) / 1_000_000);
    }

    private static long latestSnapshot(TableSpec spec) throws Exception {
        return admin.getLatestLakeSnapshot(path(spec)).get().getSnapshotId();
    }

    private static List<Object[]> flussRows(TableSpec spec) throws Exception {
        try (TableReader reader = new TableReader(fluss.toFlussConfig(), "grid")) {
            return reader.readAll(spec, WAIT);
        }
    }

    private static List<String> statuses(List<Object[]> devices) {
        int status = GridTables.ODS_DEVICES.columnNames().indexOf("status");
        return devices.stream().map(r -> (String) r[status]).collect(Collectors.toList());
    }

    private static List<String> rendered(List<Object[]> rows) {
        return rows.stream().map(Arrays::toString).collect(Collectors.toList());
    }

    private static Map<String, Integer> countsByKey(List<Object[]> telemetry) {
        Map<String, Integer> counts = new HashMap<>();
        for (Object[] r : telemetry) {
            counts.merge(r[0] + "@" + r[1], 1, Integer::sum);
        }
        return counts;
    }

    /** Order-independent checksum over every column of every row. */
    private static long checksum(List<Object[]> rows) {
        long sum = 0;
        for (Object[] r : rows) {
            sum += Arrays.toString(r).hashCode() * 31L + 7;
        }
        return sum;
    }
}
