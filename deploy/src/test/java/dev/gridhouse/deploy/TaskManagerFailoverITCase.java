package dev.gridhouse.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gridhouse.core.catalog.GridTables;
import dev.gridhouse.core.catalog.TableSpec;
import dev.gridhouse.core.cluster.LocalFlussCluster;
import dev.gridhouse.core.config.GridOptions;
import dev.gridhouse.core.config.JobSetup;
import dev.gridhouse.core.io.FlussEndpoint;
import dev.gridhouse.core.io.GridSources;
import dev.gridhouse.core.io.TableReader;
import dev.gridhouse.core.model.Device;
import dev.gridhouse.core.serde.FlussRowConverter;
import dev.gridhouse.core.sim.GridSimulator;
import dev.gridhouse.core.sim.SimulatorConfig;
import dev.gridhouse.dws.DwsSettings;
import java.io.BufferedWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.JobID;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.runtime.jobgraph.JobGraph;
import org.apache.flink.runtime.jobmaster.JobResult;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.runtime.minicluster.MiniClusterConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.fluss.client.Connection;
import org.apache.fluss.client.ConnectionFactory;
import org.apache.fluss.client.table.Table;
import org.apache.fluss.client.table.writer.UpsertWriter;
import org.apache.fluss.metadata.TablePath;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Exactly-once DWS: the same bounded replay of simulated telemetry run once undisturbed and once
 * with a TaskManager killed mid-stream (and a new one started); the job restores from its last
 * checkpoint and the DWS tables (Fluss upserts) come out identical.
 */
class TaskManagerFailoverITCase {
    /** 10 minutes of event time: 300 devices at 200 records per event-time second. */
    private static final long RECORDS = 120_000;

    private static final List<TableSpec> DWS =
            Arrays.asList(
                    GridTables.DWS_DEVICE_MINUTE,
                    GridTables.DWS_REGION_MINUTE,
                    GridTables.DWS_REGION_HOUR,
                    GridTables.DWS_REGION_DAY);

    private static GridSimulator simulator() {
        return new GridSimulator(
                SimulatorConfig.builder()
                        .deviceCount(300)
                        .regionCount(3)
                        .recordsPerSecond(200)
                        .recordCount(RECORDS)
                        .seed(7)
                        .build());
    }

    @TempDir static Path dir;
    private static Path telemetry;

    @BeforeAll
    static void writeTelemetry() throws Exception {
        GridSimulator sim = simulator();
        telemetry = dir.resolve("telemetry.jsonl");
        try (BufferedWriter w = Files.newBufferedWriter(telemetry, StandardCharsets.UTF_8)) {
            for (long i = 0; i < RECORDS; i++) {
                w.write(sim.telemetryJson(i));
                w.write('\n');
            }
        }
    }

    private static Map<String, String> run(boolean killTaskManager) throws Exception {
        try (LocalFlussCluster cluster = LocalFlussCluster.start()) {
            FlussEndpoint fluss =
                    new FlussEndpoint(cluster.bootstrapServers(), "grid")
                            .withClientOption("client.lookup.batch-timeout", "5ms");
            JobSetup.ensureTables(fluss, 0, GridTables.ALL);
            GridSimulator sim = simulator();
            loadDevices(fluss, sim.devices());

            Configuration flink = LocalRunner.flinkConfig(2);
            flink.setString("restart-strategy.type", "fixed-delay");
            flink.setString("restart-strategy.fixed-delay.attempts", "5");
            flink.setString("restart-strategy.fixed-delay.delay", "500 ms");
            MiniCluster mini =
                    new MiniCluster(
                            new MiniClusterConfiguration.Builder()
                                    .setConfiguration(flink)
                                    .setNumTaskManagers(2)
                                    .setNumSlotsPerTaskManager(2)
                                    .build());
            mini.start();
            try {
                StreamExecutionEnvironment env =
                        StreamExecutionEnvironment.getExecutionEnvironment(flink);
                Configuration job = new Configuration();
                job.set(GridOptions.PARALLELISM, 2);
                job.set(GridOptions.CHECKPOINT_INTERVAL, Duration.ofMillis(500));
                JobSetup.configure(env, job);
                ComposedPipeline.build(
                        GridSources.fileLines(
                                env, telemetry.toString(), "telemetry", Duration.ZERO, "gridhouse"),
                        fluss,
                        DwsSettings.from(new Configuration(), 2),
                        true,
                        "gridhouse");
                JobGraph graph = env.getStreamGraph().getJobGraph();
                JobID id = mini.submitJob(graph).get().getJobID();

                if (killTaskManager) {
                    try (TableReader reader =
                            new TableReader(fluss.toFlussConfig(), fluss.database())) {
                        long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
                        // mid-stream: a quarter of the input validated and written
                        long written;
                        while ((written = rows(reader, fluss, GridTables.ODS_GRID_TELEMETRY))
                                        < RECORDS / 4
                                && System.nanoTime() < deadline) {
                            Thread.sleep(20);
                        }
                        assertThat(written).isLessThan(RECORDS);
                    }
                    assertThat(mini.getJobStatus(id).get()).isEqualTo(JobStatus.RUNNING);
                    mini.terminateTaskManager(0).get();
                    mini.startTaskManager();
                }
                JobResult result = mini.requestJobResult(id).get();
                assertThat(result.isSuccess())
                        .as(String.valueOf(result.getSerializedThrowable()))
                        .isTrue();
            } finally {
                mini.close();
            }

            Map<String, String> tables = new LinkedHashMap<>();
            try (TableReader reader = new TableReader(fluss.toFlussConfig(), fluss.database())) {
                for (TableSpec t : DWS) {
                    StringWriter csv = new StringWriter();
                    TableFormat.writeCsv(t, reader.readAll(t, Duration.ofMinutes(1)), csv);
                    tables.put(t.name(), csv.toString());
                }
            }
            return tables;
        }
    }

    private static long rows(TableReader reader, FlussEndpoint fluss, TableSpec table)
            throws Exception {
        return LocalRunner.totalRows(reader, fluss, table);
    }

    private static void loadDevices(FlussEndpoint fluss, List<Device> devices) throws Exception {
        FlussRowConverter<Device> rows = FlussRowConverter.forTable(GridTables.ODS_DEVICES);
        try (Connection conn = ConnectionFactory.createConnection(fluss.toFlussConfig());
                Table table = conn.getTable(TablePath.of(fluss.database(), "ods_devices"))) {
            UpsertWriter writer = table.newUpsert().createWriter();
            for (Device d : devices) {
                writer.upsert(rows.toRow(d));
            }
            writer.flush();
        }
    }

    @Test
    void killingATaskManagerMidStreamGivesTheSameDwsTables() throws Exception {
        Map<String, String> undisturbed = run(false);
        Map<String, String> recovered = run(true);
        // 3 regions x 10 minutes, plus the header
        assertThat(undisturbed.get("dws_region_minute").split("\n").length).isGreaterThan(28);
        for (TableSpec t : DWS) {
            assertThat(recovered.get(t.name())).as(t.name()).isEqualTo(undisturbed.get(t.name()));
        }
    }
}
