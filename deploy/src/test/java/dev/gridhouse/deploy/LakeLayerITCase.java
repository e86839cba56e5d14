package dev.gridhouse.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gridhouse.contract.grid.GridTables;
import dev.gridhouse.core.catalog.TableSpec;
import dev.gridhouse.core.io.FlussEndpoint;
import dev.gridhouse.core.io.TableReader;
import dev.gridhouse.lake.HistoryQuery;
import dev.gridhouse.lake.LakeHistory;
import dev.gridhouse.lake.LakeOptions;
import dev.gridhouse.lake.LakeTiering;
import dev.gridhouse.lake.PaimonLakehouse;
import dev.gridhouse.ods.sim.GridSimulator;
import dev.gridhouse.ods.sim.SimulatorConfig;
import dev.gridhouse.testing.LocalFlussCluster;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.fluss.metadata.TablePath;
import org.apache.paimon.catalog.Catalog;
import org.apache.paimon.catalog.Identifier;
import org.apache.paimon.table.FileStoreTable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The lake layer over the whole local warehouse: a simulator replay (with its malformed,
 * out-of-range, unknown-device and duplicate records) through ODS → DWS → ADS while Fluss's tiering
 * job tiers telemetry, DWD and the DWS tables into Paimon; then the DWS rollups recomputed in BATCH
 * mode from the tiered DWD history ({@code gridhouse recompute}, to Fluss and to Paimon) must equal
 * the streaming DWS tables exactly, and {@code gridhouse history} answers a device's hour from lake
 * + Fluss.
 */
class LakeLayerITCase {
    private static final long T0 = Instant.parse("2026-01-01T10:00:00Z").toEpochMilli();
    private static final int RECORDS = 36_000; // 3 minutes at 200 records/s over 400 devices

    @TempDir static Path dir;
    private static LocalFlussCluster cluster;
    private static FlussEndpoint fluss;
    private static PaimonLakehouse lake;
    private static JobClient tiering;

    @BeforeAll
    static void replayWithTiering() throws Exception {
        GridSimulator sim =
                new GridSimulator(
                        SimulatorConfig.builder()
                                .deviceCount(400)
                                .regionCount(7)
                                .seed(42)
                                .startTimeMs(T0)
                                .recordsPerSecond(200)
                                .build());
        List<String> lines = new ArrayList<>();
        for (long i = 0; i < RECORDS; i++) {
            lines.add(sim.telemetryJson(i));
        }
        Path telemetry = dir.resolve("t.jsonl");
        Files.write(telemetry, lines);

        lake = PaimonLakehouse.at(dir.resolve("lake").toString());
        cluster = LocalFlussCluster.start(dir.resolve("fluss"), false, lake.serverConfig());
        fluss =
                new FlussEndpoint(cluster.bootstrapServers(), GridTables.DEFAULT_DATABASE)
                        .withClientOption("client.lookup.batch-timeout", "5ms");
        Configuration conf = new Configuration();
        conf.set(LocalOptions.TELEMETRY, telemetry.toString());
        conf.set(LocalOptions.BOUNDED, true);
        conf.set(LocalOptions.DEVICE_COUNT, 400);
        conf.set(LocalOptions.SEED, 42L);
        conf.set(LocalOptions.LAKE, true);
        conf.set(LakeOptions.FRESHNESS, Duration.ofSeconds(2));
        ByteArrayOutputStream console = new ByteArrayOutputStream();
        PrintStream consoleOut = new PrintStream(console, true, "UTF-8");
        LocalRunner runner = new LocalRunner(conf, consoleOut);
        dev.gridhouse.core.config.JobSetup.ensureTables(fluss, 0, GridTables.ALL);
        tiering = LocalCluster.startTiering(conf, fluss, lake, consoleOut);
        runner.replayInto(fluss);

        try (TableReader reader = new TableReader(fluss.toFlussConfig(), fluss.database())) {
            long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
            for (TableSpec t : LocalCluster.TIERED) {
                TablePath path = TablePath.of(fluss.database(), t.name());
                while (!LakeTiering.caughtUp(reader.admin(), path)) {
                    assertThat(System.nanoTime())
                            .as("%s tiered within 3 minutes", t.name())
                            .isLessThan(deadline);
                    Thread.sleep(500);
                }
            }
        }
    }

    @AfterAll
    static void stop() throws Exception {
        if (tiering != null) {
            tiering.cancel().get();
        }
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void batchRecomputationOverTheLakeEqualsTheStreamingRollups() throws Exception {
        String[] common = {
            "--fluss.bootstrap-servers", cluster.bootstrapServers(),
            "--lake.warehouse", lake.warehouse(),
            "--recompute.from", "2026-01-01T00:00:00Z",
            "--recompute.to", "2026-01-02T00:00:00Z",
            "--parallelism", "2"
        };
        ByteArrayOutputStream console = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(console, true, "UTF-8");
        assertThat(RecomputeCommand.run(concat(common, "--recompute.sink", "FLUSS"), out)).isZero();
        assertThat(
                        RecomputeCommand.run(
                                concat(
                                        common,
                                        "--recompute.sink",
                                        "PAIMON",
                                        "--recompute.database",
                                        "grid_recomputed_lake"),
                                out))
                .isZero();

        FlussEndpoint recomputed = new FlussEndpoint(cluster.bootstrapServers(), "grid_recomputed");
        try (TableReader streaming = new TableReader(fluss.toFlussConfig(), "grid");
                TableReader batch = new TableReader(recomputed.toFlussConfig(), "grid_recomputed");
                Catalog paimon = lake.openCatalog();
                LakeHistory lakeDb =
                        new LakeHistory(
                                lake,
                                new FlussEndpoint(
                                        cluster.bootstrapServers(), "grid_recomputed_lake"))) {
            for (TableSpec t :
                    List.of(
                            GridTables.DWS_DEVICE_MINUTE,
                            GridTables.DWS_REGION_MINUTE,
                            GridTables.DWS_REGION_HOUR,
                            GridTables.DWS_REGION_DAY)) {
                List<String> expected = rendered(streaming.readAll(t, Duration.ofMinutes(2)));
                assertThat(expected).as(t.name()).isNotEmpty();
                assertThat(rendered(batch.readAll(t, Duration.ofMinutes(2))))
                        .as("%s recomputed into Fluss", t.name())
                        .containsExactlyElementsOf(expected);
                long snapshot =
                        ((FileStoreTable)
                                        paimon.getTable(
                                                Identifier.create(
                                                        "grid_recomputed_lake", t.name())))
                                .snapshotManager()
                                .latestSnapshotId();
                assertThat(
                                rendered(
                                        sorted(
                                                lakeDb.read(
                                                                HistoryQuery.of(t)
                                                                        .asOfSnapshot(snapshot)
                                                                        .build())
                                                        .rows)))
                        .as("%s recomputed into Paimon", t.name())
                        .containsExactlyInAnyOrderElementsOf(expected);
            }
            // the streaming tables themselves are in the lake, each row once
            try (LakeHistory history = new LakeHistory(lake, fluss)) {
                for (TableSpec t : LocalCluster.TIERED) {
                    List<Object[]> inFluss = streaming.readAll(t, Duration.ofMinutes(2));
                    LakeHistory.Result union = history.read(HistoryQuery.of(t).build());
                    assertThat(rendered(union.rows))
                            .as("%s: lake + Fluss tail = Fluss", t.name())
                            .containsExactlyInAnyOrderElementsOf(rendered(inFluss));
                    assertThat(union.source.lakeRows).as(t.name()).isEqualTo(inFluss.size());
                }
            }
        }
    }

    @Test
    void historyCommandAnswersADevicesHourFromTheLake() throws Exception {
        List<Object[]> all;
        try (TableReader reader = new TableReader(fluss.toFlussConfig(), "grid")) {
            all = reader.readAll(GridTables.ODS_GRID_TELEMETRY, Duration.ofMinutes(2));
        }
        String device = (String) all.get(all.size() / 2)[0];
        long from = T0 + 60_000;
        long to = T0 + 120_000;
        List<String> expected =
                all.stream()
                        .filter(r -> r[0].equals(device))
                        .filter(r -> (Long) r[1] >= from && (Long) r[1] < to)
                        .map(r -> r[0] + "," + r[1])
                        .sorted()
                        .collect(Collectors.toList());
        assertThat(expected).isNotEmpty();

        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        int code =
                HistoryCommand.run(
                        new String[] {
                            "--fluss.bootstrap-servers", cluster.bootstrapServers(),
                            "--lake.warehouse", lake.warehouse(),
                            "--device", device,
                            "--from", Instant.ofEpochMilli(from).toString(),
                            "--to", String.valueOf(to),
                            "--format", "csv"
                        },
                        new PrintStream(buf, true, "UTF-8"));
        assertThat(code).isZero();
        List<String> csv =
                Arrays.asList(buf.toString(StandardCharsets.UTF_8).split("\n")).stream()
                        .skip(1)
                        .filter(l -> !l.isBlank())
                        .map(l -> String.join(",", Arrays.asList(l.split(",")).subList(0, 2)))
                        .sorted()
                        .collect(Collectors.toList());
        assertThat(csv).containsExactlyElementsOf(expected);
    }

    private static String[] concat(String[] a, String... b) {
        String[] all = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        return all;
    }

    private static List<Object[]> sorted(List<Object[]> rows) {
        return rows;
    }

    private static List<String> rendered(List<Object[]> rows) {
        return rows.stream().map(Arrays::toString).collect(Collectors.toList());
    }
}
