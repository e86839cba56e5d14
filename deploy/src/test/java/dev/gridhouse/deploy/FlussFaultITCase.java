package dev.gridhouse.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gridhouse.contract.grid.Device;
import dev.gridhouse.contract.grid.EnrichedTelemetry;
import dev.gridhouse.contract.grid.GridTables;
import dev.gridhouse.contract.grid.Telemetry;
import dev.gridhouse.core.catalog.TableSpec;
import dev.gridhouse.core.config.CommonOptions;
import dev.gridhouse.core.config.JobSetup;
import dev.gridhouse.core.io.BoundedCloseSink;
import dev.gridhouse.core.io.FlussEndpoint;
import dev.gridhouse.core.io.FlussIo;
import dev.gridhouse.core.io.TableReader;
import dev.gridhouse.core.ops.FlussLookupJoin;
import dev.gridhouse.core.ops.LookupJoinOptions;
import dev.gridhouse.dws.DwsOptions;
import dev.gridhouse.dws.DwsPipeline;
import dev.gridhouse.dws.DwsSettings;
import dev.gridhouse.dws.LookupMode;
import dev.gridhouse.dws.ops.UnknownDeviceRouter;
import dev.gridhouse.ods.sim.GridSimulator;
import dev.gridhouse.ods.sim.SimulatorConfig;
import dev.gridhouse.testing.LocalFlussCluster;
import java.io.BufferedWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.StreamSupport;
import org.apache.flink.api.common.JobID;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.connector.source.SourceReaderContext;
import org.apache.flink.api.connector.source.util.ratelimit.RateLimiterStrategy;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.connector.datagen.source.DataGeneratorSource;
import org.apache.flink.connector.datagen.source.GeneratorFunction;
import org.apache.flink.runtime.jobgraph.JobGraph;
import org.apache.flink.runtime.jobmaster.JobResult;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.runtime.minicluster.MiniClusterConfiguration;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.async.ResultFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * Fault injection against the real Fluss servers (issue 16): the ODS → DWD/DWS → ADS job (one job
 * graph, as {@code gridhouse local} runs it) replays simulated telemetry once undisturbed and once
 * with the only Fluss tablet server stopped mid-stream and started again a few seconds later, on
 * one embedded Fluss cluster (a database per run) and one Flink MiniCluster.
 *
 * <p>While the tablet server is down every Fluss write, read and device lookup fails or waits. The
 * DWS device join runs in the async lookup mode ({@link LookupMode#ASYNC}, the default): lookups
 * time out ({@code --lookup.timeout}) or fail (the Fluss client's own retries bounded by {@code
 * client.lookup.max-retries}) and are retried by the job; the topology mirrors keep serving their
 * rows for up to a minute and resume their changelogs; the job rides the outage out, or fails over
 * when the first operator gives up (a lookup out of retries, a Fluss writer) and restores from its
 * last checkpoint. The Fluss sink writers' close is bounded ({@link BoundedCloseSink}), so the
 * cancellations of these failovers cannot hang on the unreachable servers (apache/fluss#3809).
 * Afterwards DWD, the dead letters, the four DWS tables, {@code ads_alarms} and {@code
 * ads_dispatch_decisions} equal the undisturbed run, every input record is in DWD or a dead letter,
 * and no DWD or dead-letter key is in the changelog twice. Timings are printed ({@code RECOVERY
 * fluss-tablet-restart: ...}), not asserted.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class FlussFaultITCase {
    /** 3 minutes of event time: 300 devices at 200 records per event-time second. */
    private static final long RECORDS = 36_000;

    /**
     * Input lines per second: the replay lasts about 18 s, so the outage (at a quarter of the
     * input) falls mid-stream instead of after a full-speed replay has already finished.
     */
    private static final int INPUT_RATE = 2_000;

    /** How long the tablet server stays down. */
    private static final Duration OUTAGE = Duration.ofSeconds(6);

    /**
     * The Fluss client's own lookup retries (default unlimited, which would hide every failure from
     * the job's retry strategy; set through {@code --fluss.client-options}).
     */
    private static final String CLIENT_LOOKUP_RETRIES = "3";

    /** Timeout of a device lookup including retries ({@code --lookup.timeout}). */
    private static final Duration LOOKUP_TIMEOUT = Duration.ofSeconds(3);

    /** Writer close bound for this test's sinks (default 10 s), so failovers stay short. */
    private static final long WRITER_CLOSE_TIMEOUT_MS = 3_000;

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

    /** Columns that depend on the wall clock, left out of the comparison. */
    @TempDir static Path dir;

    private static Path telemetry;
    private static long inputLines;
    private static LocalFlussCluster cluster;
    private static Configuration flink;
    private static MiniCluster mini;
    private static String closeTimeoutBefore;

    private static Run undisturbed;
    private static Run faulted;

    private static GridSimulator simulator() {
        return new GridSimulator(
                SimulatorConfig.builder()
                        .deviceCount(300)
                        .regionCount(3)
                        .recordsPerSecond(200)
                        .recordCount(RECORDS)
                        .seed(11)
                        .build());
    }

    @BeforeAll
    static void start() throws Exception {
        GridSimulator sim = simulator();
        telemetry = dir.resolve("telemetry.jsonl");
        try (BufferedWriter w = Files.newBufferedWriter(telemetry, StandardCharsets.UTF_8)) {
            for (long i = 0; i < RECORDS; i++) {
                w.write(sim.telemetryJson(i));
                w.write('\n');
                inputLines++;
                if (i >= RECORDS / 2 && i % 997 == 0) {
                    // out of order within the 5 s bound
                    w.write(sim.telemetryJson(i, -3_000));
                    w.write('\n');
                    inputLines++;
                }
                if (i >= RECORDS / 2 && i % 1_499 == 0) {
                    // two minutes late, for a minute that has closed
                    w.write(sim.telemetryJson(i, -120_000));
                    w.write('\n');
                    inputLines++;
                }
            }
        }
        closeTimeoutBefore =
                System.setProperty(
                        "gridhouse.fluss.writer-close-timeout-ms", "" + WRITER_CLOSE_TIMEOUT_MS);

        cluster = LocalFlussCluster.start();
        flink = LocalCluster.flinkConfig(2);
        mini =
                new MiniCluster(
                        new MiniClusterConfiguration.Builder()
                                .setConfiguration(flink)
                                .setNumTaskManagers(1)
                                .setNumSlotsPerTaskManager(2)
                                .build());
        mini.start();
    }

    @AfterAll
    static void stop() throws Exception {
        try {
            if (mini != null) {
                mini.close();
            }
        } finally {
            if (cluster != null) {
                cluster.close();
            }
            if (closeTimeoutBefore == null) {
                System.clearProperty("gridhouse.fluss.writer-close-timeout-ms");
            } else {
                System.setProperty("gridhouse.fluss.writer-close-timeout-ms", closeTimeoutBefore);
            }
        }
    }

    /** Both runs, once for the class: undisturbed first, then with the outage. */
    private static synchronized void runBoth() throws Exception {
        if (undisturbed == null) {
            undisturbed = run("grid_undisturbed", false);
            faulted = run("grid_tablet_restart", true);
            System.out.printf(
                    "RECOVERY fluss-tablet-restart: tablet server down %.1f s; job writing again"
                            + " %.1f s after the restart (%.1f s after the stop); %d restart(s);"
                            + " %d writer close(s) timed out; lookups: %d invoked, %d failed, %d"
                            + " retried, %d timed out; first lookup error: %s%n",
                    faulted.down.toMillis() / 1000.0,
                    faulted.recovery.toMillis() / 1000.0,
                    (faulted.down.toMillis() + faulted.recovery.toMillis()) / 1000.0,
                    faulted.restarts,
                    faulted.closeTimeouts,
                    faulted.lookupsInvoked,
                    faulted.lookupsFailed,
                    faulted.lookupsRetried,
                    faulted.lookupsTimedOut,
                    faulted.firstLookupError);
            System.out.println(
                    "RECOVERY fluss-tablet-restart: stopping the tablet server took "
                            + faulted.stopping.toMillis()
                            + " ms; "
                            + faulted.lookupTimeline);
            for (String f : faulted.failures) {
                System.out.println("RECOVERY fluss-tablet-restart: failure: " + f);
            }
            for (Run r : List.of(undisturbed, faulted)) {
                System.out.printf(
                        "RECOVERY fluss-tablet-restart: %s: %d input lines, %d DWD rows, %d dead"
                                + " letters, %d ods_grid_telemetry rows; DWD changelog %s records,"
                                + " %s keys twice; dead-letter changelog %s records, %s keys"
                                + " twice%n",
                        r.database,
                        inputLines,
                        r.dwdRows,
                        r.deadLetterRows,
                        r.odsRows,
                        r.tables.get("dwd_grid_telemetry changelog records"),
                        r.tables.get("dwd_grid_telemetry keys in the changelog more than once"),
                        r.tables.get("ods_dead_letter changelog records"),
                        r.tables.get("ods_dead_letter keys in the changelog more than once"));
            }
        }
    }

    @Test
    @Order(1)
    void tabletServerRestartedMidStreamGivesTheSameTablesWithNothingLostOrDoubled()
            throws Exception {
        runBoth();
        assertThat(undisturbed.restarts).isZero();
        // the outage reached the job: its writers and lookups waited or failed while it lasted
        // (whether the job rode it out on retries or failed over is printed, not asserted: the
        // writers retry, the mirrors ride out a minute, lookups retry within --lookup.timeout)
        assertThat(faulted.down).as("tablet server down").isGreaterThan(OUTAGE);
        // 3 regions x 3 minutes, plus the header
        assertThat(undisturbed.tables.get("dws_region_minute").split("\n").length).isGreaterThan(9);
        for (String reason :
                List.of("MALFORMED", "OUT_OF_RANGE", "DUPLICATE", "UNKNOWN_DEVICE", "LATE")) {
            assertThat(undisturbed.tables.get("ods_dead_letter")).contains("," + reason + ",");
        }
        assertThat(undisturbed.tables.get("ads_alarms").split("\n").length).isGreaterThan(1);
        // DWD is a primary-key table (first_row) now: no key may be written twice
        assertThat(GridTables.DWD_GRID_TELEMETRY.hasPrimaryKey()).isTrue();
        for (Map.Entry<String, String> e : undisturbed.tables.entrySet()) {
            if (e.getKey().endsWith("more than once")) {
                assertThat(e.getValue()).as("undisturbed: " + e.getKey()).isEqualTo("0");
                assertThat(faulted.tables.get(e.getKey())).as(e.getKey()).isEqualTo("0");
            } else {
                SameRows.assertSameRows(e.getKey(), e.getValue(), faulted.tables.get(e.getKey()));
            }
        }
        // every input line is in DWD or a dead letter, in both runs
        for (Run r : List.of(undisturbed, faulted)) {
            assertThat(r.dwdRows + r.deadLetterRows).as(r.database).isEqualTo(inputLines);
        }
    }

    @Test
    @Order(2)
    void deviceLookupsFailingWhileTheTabletServerIsDownAreRetriedThenFailOverLosingNothing()
            throws Exception {
        runBoth();
        for (Run r : List.of(undisturbed, faulted)) {
            assertThat(r.lookupMode).as(r.database).isEqualTo(LookupMode.ASYNC);
            assertThat(r.asyncLookupInGraph).as(r.database).isTrue();
        }
        assertThat(undisturbed.lookupsFailed).isZero();
        assertThat(undisturbed.lookupsRetried).isZero();
        // during the outage: lookups failed, were retried with back-off, and the job failed over
        assertThat(faulted.lookupsFailed + faulted.lookupsTimedOut)
                .as("lookups that failed or timed out")
                .isPositive();
        assertThat(faulted.lookupsRetried).as("lookups retried").isPositive();
        // whether the retries outlasted the outage or the job failed over when they ran out and
        // restored from its checkpoint is in the RECOVERY lines; either way nothing is lost:
        // nothing lost: the rows DWS derived from the lookups equal the undisturbed run's
        for (String t :
                List.of(
                        "dwd_grid_telemetry",
                        "ods_dead_letter",
                        "dws_device_minute",
                        "dws_region_minute")) {
            SameRows.assertSameRows(t, undisturbed.tables.get(t), faulted.tables.get(t));
        }
        assertThat(faulted.dwdRows).isEqualTo(undisturbed.dwdRows);
        assertThat(faulted.deadLetterRows).isEqualTo(undisturbed.deadLetterRows);
    }

    /** The tables of one run, as text, and what happened during it. */
    private static final class Run {
        final String database;
        final Map<String, String> tables = new LinkedHashMap<>();
        LookupMode lookupMode;
        boolean asyncLookupInGraph;
        long restarts;
        List<String> failures = new ArrayList<>();
        Duration down = Duration.ZERO;
        Duration recovery = Duration.ZERO;
        Duration stopping = Duration.ZERO;
        String lookupTimeline = "";
        long closeTimeouts;
        long lookupsInvoked;
        long lookupsFailed;
        long lookupsRetried;
        long lookupsTimedOut;
        String firstLookupError;
        long dwdRows;
        long deadLetterRows;
        long odsRows;

        Run(String database) {
            this.database = database;
        }
    }

    private static Run run(String database, boolean restartTabletServer) throws Exception {
        Run out = new Run(database);
        FlussEndpoint fluss =
                new FlussEndpoint(cluster.bootstrapServers(), database)
                        .withClientOption("client.lookup.batch-timeout", "5ms")
                        .withClientOption("client.lookup.max-retries", CLIENT_LOOKUP_RETRIES);
        JobSetup.ensureTables(fluss, 0, GridTables.ALL);
        GridSimulator sim = simulator();
        FaultRuns.upsert(fluss, GridTables.ODS_DEVICES, sim.devices());
        FaultRuns.upsert(fluss, GridTables.ODS_SUBSTATIONS, sim.substations());
        FaultRuns.upsert(fluss, GridTables.ODS_LINES, sim.lines());

        Configuration dws = new Configuration();
        dws.set(DwsOptions.LOOKUP_TIMEOUT, LOOKUP_TIMEOUT);
        DwsSettings settings = DwsSettings.from(dws, 2);
        out.lookupMode = settings.lookupMode;

        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(flink);
        Configuration job = new Configuration();
        job.set(CommonOptions.PARALLELISM, 2);
        job.set(CommonOptions.CHECKPOINT_INTERVAL, Duration.ofMillis(500));
        job.set(CommonOptions.RESTART_ATTEMPTS, 30);
        job.set(CommonOptions.RESTART_MAX_DELAY, Duration.ofSeconds(2));
        JobSetup.configure(env, job);
        try (FlussIo.PreparedSinks ignored = FlussIo.prepareSinks(fluss, GridTables.ALL)) {
            compose(
                    env.fromSource(
                                    new DataGeneratorSource<>(
                                            new FileLines(telemetry.toString()),
                                            inputLines,
                                            RateLimiterStrategy.perSecond(INPUT_RATE),
                                            Types.STRING),
                                    WatermarkStrategy.noWatermarks(),
                                    "telemetry")
                            .setParallelism(1)
                            .uid("gridhouse-telemetry-source"),
                    fluss,
                    settings,
                    "gridhouse");
        }
        JobGraph graph = env.getStreamGraph().getJobGraph();
        out.asyncLookupInGraph =
                StreamSupport.stream(graph.getVertices().spliterator(), false)
                        .anyMatch(v -> v.getName().contains("Lookup : ods_devices"));

        ProbedLookupJoin.reset();
        long closeTimeoutsBefore = BoundedCloseSink.timedOutCloses();
        JobID id = mini.submitJob(graph).get().getJobID();
        if (restartTabletServer) {
            long before;
            try (TableReader reader = new TableReader(fluss.toFlussConfig(), fluss.database())) {
                long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
                // mid-stream: a quarter of the input validated and written
                while ((before =
                                        LocalSummary.totalRows(
                                                reader, fluss, GridTables.ODS_GRID_TELEMETRY))
                                < RECORDS / 4
                        && System.nanoTime() < deadline) {
                    Thread.sleep(20);
                }
            }
            assertThat(before).as("ODS rows when the tablet server stops").isLessThan(RECORDS);
            assertThat(mini.getJobStatus(id).get()).isEqualTo(JobStatus.RUNNING);
            long stopped = System.nanoTime();
            cluster.stopTabletServer();
            out.stopping = Duration.ofNanos(System.nanoTime() - stopped);
            Thread.sleep(OUTAGE.toMillis());
            cluster.startTabletServer();
            long restarted = System.nanoTime();
            out.down = Duration.ofNanos(restarted - stopped);
            // recovered: every task runs again and the job writes past what ODS held at the stop
            // (or it has finished)
            try (TableReader reader = new TableReader(fluss.toFlussConfig(), fluss.database())) {
                while (System.nanoTime() - restarted < Duration.ofMinutes(3).toNanos()) {
                    if (mini.getJobStatus(id).get().isGloballyTerminalState()) {
                        break;
                    }
                    if (FaultRuns.allTasksUp(rest("/jobs/" + id), false)
                            && odsRows(reader, fluss) > before) {
                        break;
                    }
                    Thread.sleep(100);
                }
            }
            out.recovery = Duration.ofNanos(System.nanoTime() - restarted);
            out.lookupTimeline =
                    String.format(
                            "lookups first failed %s, last failed %s, first timed out %s (s after"
                                    + " the stop; the restart at %.1f)",
                            since(stopped, ProbedLookupJoin.FIRST_FAILED_AT.get()),
                            since(stopped, ProbedLookupJoin.LAST_FAILED_AT.get()),
                            since(stopped, ProbedLookupJoin.FIRST_TIMED_OUT_AT.get()),
                            (restarted - stopped) / 1e9);
        }
        JobResult result = mini.requestJobResult(id).get();
        assertThat(result.isSuccess()).as(String.valueOf(result.getSerializedThrowable())).isTrue();
        out.failures = failures(id);
        out.restarts = out.failures.size();
        out.closeTimeouts = BoundedCloseSink.timedOutCloses() - closeTimeoutsBefore;
        out.lookupsInvoked = ProbedLookupJoin.INVOKED.get();
        out.lookupsFailed = ProbedLookupJoin.FAILED.get();
        out.lookupsRetried = ProbedLookupJoin.RETRIED.get();
        out.lookupsTimedOut = ProbedLookupJoin.TIMED_OUT.get();
        out.firstLookupError = ProbedLookupJoin.FIRST_ERROR.get();

        try (TableReader reader = new TableReader(fluss.toFlussConfig(), fluss.database())) {
            for (TableSpec t : COMPARED) {
                List<Object[]> rows = reader.readAll(t, Duration.ofMinutes(1));
                out.tables.put(t.name(), FaultRuns.text(t, rows));
                if (t == GridTables.DWD_GRID_TELEMETRY) {
                    out.dwdRows = rows.size();
                } else if (t == GridTables.ODS_DEAD_LETTER) {
                    out.deadLetterRows = rows.size();
                }
            }
            out.odsRows = LocalSummary.totalRows(reader, fluss, GridTables.ODS_GRID_TELEMETRY);
            FaultRuns.putChangelogCounts(reader, out.tables);
        }
        return out;
    }

    private static String since(long start, long at) {
        return at == 0 ? "never" : String.format("%.1f", (at - start) / 1e9);
    }

    private static long odsRows(TableReader reader, FlussEndpoint fluss) {
        try {
            return LocalSummary.totalRows(reader, fluss, GridTables.ODS_GRID_TELEMETRY);
        } catch (Exception e) {
            return -1; // the bucket has no leader yet
        }
    }

    /**
     * ODS → DWD/DWS → ADS as {@link ComposedPipeline#build} composes it (bounded replay), with the
     * async device lookup of {@code settings} counted by {@link ProbedLookupJoin} (same operator
     * name and uid as {@link DwsPipeline#flussDeviceJoin}).
     */
    private static void compose(
            DataStream<String> rawTelemetry,
            FlussEndpoint fluss,
            DwsSettings settings,
            String uid) {
        assertThat(settings.lookupMode).isEqualTo(LookupMode.ASYNC);
        DwsPipeline.DeviceJoin lookup =
                (byDevice, dwsUid) ->
                        FlussLookupJoin.apply(
                                        byDevice,
                                        new ProbedLookupJoin(fluss, settings.lookup),
                                        TypeInformation.of(EnrichedTelemetry.class))
                                .name("Lookup : ods_devices")
                                .uid(dwsUid + "-lookup-ods_devices");
        ComposedPipeline.build(rawTelemetry, fluss, lookup, settings, true, uid, null);
    }

    /**
     * The device lookup of the DWS layer ({@link FlussLookupJoin} against {@code ods_devices},
     * joined by {@link UnknownDeviceRouter#join}), counting in this JVM how often a lookup is
     * invoked, fails, is retried (invoked again for a record whose lookup failed or timed out in
     * this subtask) and times out.
     */
    static final class ProbedLookupJoin
            extends FlussLookupJoin<Telemetry, Device, EnrichedTelemetry> {
        private static final long serialVersionUID = 1L;
        static final AtomicLong INVOKED = new AtomicLong();
        static final AtomicLong FAILED = new AtomicLong();
        static final AtomicLong RETRIED = new AtomicLong();
        static final AtomicLong TIMED_OUT = new AtomicLong();
        static final AtomicReference<String> FIRST_ERROR = new AtomicReference<>();
        static final AtomicLong FIRST_FAILED_AT = new AtomicLong();
        static final AtomicLong LAST_FAILED_AT = new AtomicLong();
        static final AtomicLong FIRST_TIMED_OUT_AT = new AtomicLong();

        private transient Set<Telemetry> failed;

        ProbedLookupJoin(FlussEndpoint fluss, LookupJoinOptions options) {
            super(
                    fluss,
                    GridTables.ODS_DEVICES,
                    t -> new Object[] {t.deviceId},
                    UnknownDeviceRouter::join,
                    options);
        }

        static void reset() {
            INVOKED.set(0);
            FAILED.set(0);
            RETRIED.set(0);
            TIMED_OUT.set(0);
            FIRST_ERROR.set(null);
            FIRST_FAILED_AT.set(0);
            LAST_FAILED_AT.set(0);
            FIRST_TIMED_OUT_AT.set(0);
        }

        @Override
        public void open(Configuration parameters) {
            super.open(parameters);
            failed =
                    Collections.synchronizedSet(Collections.newSetFromMap(new IdentityHashMap<>()));
        }

        @Override
        public void asyncInvoke(Telemetry record, ResultFuture<EnrichedTelemetry> resultFuture) {
            INVOKED.incrementAndGet();
            if (failed.remove(record)) {
                RETRIED.incrementAndGet();
            }
            super.asyncInvoke(
                    record,
                    new ResultFuture<>() {
                        @Override
                        public void complete(Collection<EnrichedTelemetry> result) {
                            resultFuture.complete(result);
                        }

                        @Override
                        public void completeExceptionally(Throwable error) {
                            FAILED.incrementAndGet();
                            FIRST_FAILED_AT.compareAndSet(0, System.nanoTime());
                            LAST_FAILED_AT.set(System.nanoTime());
                            FIRST_ERROR.compareAndSet(null, String.valueOf(error));
                            failed.add(record);
                            resultFuture.completeExceptionally(error);
                        }
                    });
        }

        @Override
        public void timeout(Telemetry input, ResultFuture<EnrichedTelemetry> resultFuture)
                throws Exception {
            TIMED_OUT.incrementAndGet();
            FIRST_TIMED_OUT_AT.compareAndSet(0, System.nanoTime());
            // Flink retries a timed-out lookup too while attempts are left
            failed.add(input);
            super.timeout(input, resultFuture);
        }
    }

    /**
     * The failures the job recovered from (each one a restart), from its exception history: the
     * failing task and the exception's first lines.
     */
    private static List<String> failures(JobID id) {
        JsonNode ex = rest("/jobs/" + id + "/exceptions?maxExceptions=100");
        List<String> out = new ArrayList<>();
        if (ex == null) {
            out.add("(exception history unavailable)");
            return out;
        }
        for (JsonNode e : ex.path("exceptionHistory").path("entries")) {
            StringBuilder failure = new StringBuilder(summary(e));
            for (JsonNode c : e.path("concurrentExceptions")) {
                failure.append(" ++ concurrently: ").append(summary(c));
            }
            out.add(failure.toString());
        }
        return out;
    }

    /** The failing task and the first lines of the exception and its causes. */
    private static String summary(JsonNode exception) {
        List<String> causes = new ArrayList<>();
        for (String line : exception.path("stacktrace").asText("").split("\n")) {
            if (!line.startsWith("\t") && !line.trim().isEmpty() && causes.size() < 4) {
                causes.add(line.trim());
            }
        }
        return exception.path("taskName").asText("?") + " :: " + String.join(" | ", causes);
    }

    /**
     * The lines of the replay file by index, for a rate-limited {@link DataGeneratorSource}
     * (checkpointed by index, so a restore resumes at the same line).
     */
    private static final class FileLines implements GeneratorFunction<Long, String> {
        private static final long serialVersionUID = 1L;
        private final String path;
        private transient List<String> lines;

        FileLines(String path) {
            this.path = path;
        }

        @Override
        public void open(SourceReaderContext readerContext) throws Exception {
            lines = Files.readAllLines(Path.of(path), StandardCharsets.UTF_8);
        }

        @Override
        public String map(Long index) {
            return lines.get(index.intValue());
        }
    }

    private static JsonNode rest(String path) {
        return FaultRuns.rest(JobWatch.restPort(flink), path);
    }
}
