package dev.gridhouse.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gridhouse.contract.grid.GridTables;
import dev.gridhouse.core.catalog.TableSpec;
import dev.gridhouse.core.config.CommonOptions;
import dev.gridhouse.core.config.JobSetup;
import dev.gridhouse.core.io.FlussEndpoint;
import dev.gridhouse.core.io.TableReader;
import dev.gridhouse.dws.DwsSettings;
import dev.gridhouse.ods.sim.GridSimulator;
import dev.gridhouse.ods.sim.SimulatorConfig;
import dev.gridhouse.ods.source.GridSources;
import dev.gridhouse.testing.LocalFlussCluster;
import java.io.BufferedWriter;
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
import org.apache.flink.core.execution.SavepointFormatType;
import org.apache.flink.runtime.jobgraph.JobGraph;
import org.apache.flink.runtime.jobgraph.SavepointRestoreSettings;
import org.apache.flink.runtime.jobmaster.JobResult;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.runtime.minicluster.MiniClusterConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Exactly once after a failover: the same bounded replay of simulated telemetry (with malformed,
 * out-of-range, duplicate and unknown-device records, and after the fault point also out-of-order
 * and LATE records) run once undisturbed, once with a TaskManager killed mid-stream (and a new one
 * started; the job restores from its last checkpoint) and once stopped with a savepoint mid-stream
 * and resubmitted from it. After either fault DWD, the dead letters, the four DWS tables, {@code
 * ads_alarms} and {@code ads_dispatch_decisions} come out identical to the undisturbed run, and no
 * DWD or dead-letter row is in the changelog twice.
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
                if (i >= RECORDS / 2 && i % 997 == 0) {
                    // after the fault point: out of order within the 5 s bound
                    w.write(sim.telemetryJson(i, -3_000));
                    w.write('\n');
                }
                if (i >= RECORDS / 2 && i % 1_499 == 0) {
                    // after the fault point: two minutes late, for a minute that has closed
                    w.write(sim.telemetryJson(i, -120_000));
                    w.write('\n');
                }
            }
        }
    }

    /** The tables of one run, as text, and how often the job restarted. */
    private static final class Run {
        final Map<String, String> tables = new LinkedHashMap<>();
        long restarts;
        Duration recovery = Duration.ZERO;
        String resumedFromSavepoint;
    }

    /** Decision columns that depend on the wall clock, left out of the comparison. */

    /** What happens to the job mid-stream. */
    private enum Fault {
        NONE,
        /** One of the two TaskManagers is killed and a new one started; the job fails over. */
        TASK_MANAGER_KILL,
        /** The job is stopped with a savepoint and resubmitted from it. */
        SAVEPOINT_STOP_RESUME
    }

    private static Run run(Fault fault) throws Exception {
        Run out = new Run();
        try (LocalFlussCluster cluster = LocalFlussCluster.start()) {
            FlussEndpoint fluss =
                    new FlussEndpoint(cluster.bootstrapServers(), "grid")
                            .withClientOption("client.lookup.batch-timeout", "5ms");
            JobSetup.ensureTables(fluss, 0, GridTables.ALL);
            GridSimulator sim = simulator();
            FaultRuns.upsert(fluss, GridTables.ODS_DEVICES, sim.devices());

            Configuration flink = LocalCluster.flinkConfig(2);
            JobWatch.restOnFreePort(flink);
            flink.setString("restart-strategy.type", "fixed-delay");
            flink.setString("restart-strategy.fixed-delay.attempts", "5");
            flink.setString("restart-strategy.fixed-delay.delay", "500 ms");
            // one slot of the job per TaskManager, so the killed one always runs half the job
            flink.setString("taskmanager.load-balance.mode", "SLOTS");
            MiniCluster mini =
                    new MiniCluster(
                            new MiniClusterConfiguration.Builder()
                                    .setConfiguration(flink)
                                    .setNumTaskManagers(2)
                                    .setNumSlotsPerTaskManager(2)
                                    .build());
            mini.start();
            try {
                JobGraph graph = jobGraph(flink, fluss);
                JobID id = mini.submitJob(graph).get().getJobID();

                if (fault != Fault.NONE) {
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
                    long killed = System.nanoTime();
                    if (fault == Fault.TASK_MANAGER_KILL) {
                        mini.terminateTaskManager(0).get();
                        mini.startTaskManager();
                        // the failure is seen (an exception history entry) before recovery counts
                        while (failures(flink, id) < 1
                                && System.nanoTime() - killed < Duration.ofMinutes(1).toNanos()) {
                            Thread.sleep(20);
                        }
                    } else {
                        String savepoint =
                                mini.stopWithSavepoint(
                                                id,
                                                dir.resolve("savepoints").toUri().toString(),
                                                false,
                                                SavepointFormatType.CANONICAL)
                                        .get();
                        JobGraph resumed = jobGraph(flink, fluss);
                        resumed.setSavepointRestoreSettings(
                                SavepointRestoreSettings.forPath(savepoint, false));
                        id = mini.submitJob(resumed).get().getJobID();
                        out.resumedFromSavepoint = savepoint;
                    }
                    // recovery: until every task of the job runs again
                    while (!FaultRuns.allTasksUp(rest(flink, "/jobs/" + id), true)
                            && System.nanoTime() - killed < Duration.ofMinutes(2).toNanos()) {
                        Thread.sleep(50);
                    }
                    out.recovery = Duration.ofNanos(System.nanoTime() - killed);
                }
                JobResult result = mini.requestJobResult(id).get();
                assertThat(result.isSuccess())
                        .as(String.valueOf(result.getSerializedThrowable()))
                        .isTrue();
                out.restarts = failures(flink, id);
            } finally {
                mini.close();
            }

            try (TableReader reader = new TableReader(fluss.toFlussConfig(), fluss.database())) {
                for (TableSpec t : COMPARED) {
                    List<Object[]> rows = reader.readAll(t, Duration.ofMinutes(1));
                    out.tables.put(t.name(), FaultRuns.text(t, rows));
                }
                FaultRuns.putChangelogCounts(reader, out.tables);
            }
            return out;
        }
    }

    private static final List<TableSpec> COMPARED =
            Arrays.asList(
                    GridTables.DWD_GRID_TELEMETRY,
                    GridTables.ODS_DEAD_LETTER,
                    GridTables.DWS_DEVICE_MINUTE,
                    GridTables.DWS_REGION_MINUTE,
                    GridTables.DWS_REGION_HOUR,
                    GridTables.DWS_REGION_DAY,
                    GridTables.ADS_ALARMS,
                    GridTables.ADS_DISPATCH_DECISIONS);

    /** The ODS → DWD/DWS → ADS job over the replay file, as {@code gridhouse local} builds it. */
    private static JobGraph jobGraph(Configuration flink, FlussEndpoint fluss) throws Exception {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(flink);
        Configuration job = new Configuration();
        job.set(CommonOptions.PARALLELISM, 2);
        job.set(CommonOptions.CHECKPOINT_INTERVAL, Duration.ofMillis(500));
        JobSetup.configure(env, job);
        ComposedPipeline.build(
                GridSources.fileLines(
                        env, telemetry.toString(), "telemetry", Duration.ZERO, "gridhouse"),
                fluss,
                DwsSettings.from(new Configuration(), 2),
                true,
                "gridhouse");
        return env.getStreamGraph().getJobGraph();
    }

    /** Failures the job recovered from (each one a restart): its exception history. */
    private static long failures(Configuration flink, JobID id) {
        JsonNode ex = rest(flink, "/jobs/" + id + "/exceptions?maxExceptions=100");
        return ex == null ? -1 : ex.path("exceptionHistory").path("entries").size();
    }

    private static long rows(TableReader reader, FlussEndpoint fluss, TableSpec table)
            throws Exception {
        return LocalSummary.totalRows(reader, fluss, table);
    }

    private static Run undisturbed;

    /** The undisturbed run both faults are compared with (run once per class). */
    private static synchronized Run undisturbed() throws Exception {
        if (undisturbed == null) {
            undisturbed = run(Fault.NONE);
            assertThat(undisturbed.restarts).isZero();
            // 3 regions x 10 minutes, plus the header
            assertThat(undisturbed.tables.get("dws_region_minute").split("\n").length)
                    .isGreaterThan(30);
            // the input has every kind of dead letter, LATE included
            for (String reason :
                    List.of("MALFORMED", "OUT_OF_RANGE", "DUPLICATE", "UNKNOWN_DEVICE", "LATE")) {
                assertThat(undisturbed.tables.get("ods_dead_letter")).contains("," + reason + ",");
            }
            assertThat(undisturbed.tables.get("ads_alarms").split("\n").length).isGreaterThan(1);
        }
        return undisturbed;
    }

    @Test
    void killingATaskManagerMidStreamGivesTheSameTablesWithNothingDoubled() throws Exception {
        Run expected = undisturbed();
        Run recovered = run(Fault.TASK_MANAGER_KILL);
        System.out.printf(
                "RECOVERY taskmanager-kill: %.1f s, %d restart(s)%n",
                recovered.recovery.toMillis() / 1000.0, recovered.restarts);
        assertThat(recovered.restarts).as("job restarts after the kill").isGreaterThanOrEqualTo(1);
        assertSameTables(expected, recovered);
    }

    @Test
    void stoppingWithASavepointAndResumingGivesTheSameTablesWithNothingDoubled() throws Exception {
        Run expected = undisturbed();
        Run resumed = run(Fault.SAVEPOINT_STOP_RESUME);
        System.out.printf(
                "RECOVERY savepoint-stop-resume: %.1f s from the stop to every task running"
                        + " again, %d restart(s)%n",
                resumed.recovery.toMillis() / 1000.0, resumed.restarts);
        assertThat(resumed.resumedFromSavepoint).as("savepoint path").isNotBlank();
        assertThat(resumed.restarts).as("restarts of the resumed job").isZero();
        assertSameTables(expected, resumed);
    }

    /** Every compared table equal to the undisturbed run's, and no changelog key twice. */
    private static void assertSameTables(Run expected, Run actual) {
        for (Map.Entry<String, String> e : expected.tables.entrySet()) {
            if (e.getKey().endsWith("more than once")) {
                assertThat(e.getValue()).as("undisturbed: " + e.getKey()).isEqualTo("0");
                assertThat(actual.tables.get(e.getKey())).as(e.getKey()).isEqualTo("0");
            } else {
                SameRows.assertSameRows(e.getKey(), e.getValue(), actual.tables.get(e.getKey()));
            }
        }
    }

    private static JsonNode rest(Configuration flink, String path) {
        return FaultRuns.rest(JobWatch.restPort(flink), path);
    }
}
