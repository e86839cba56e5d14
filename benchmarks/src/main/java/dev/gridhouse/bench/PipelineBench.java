package dev.gridhouse.bench;

import dev.gridhouse.ads.ops.AlarmRules;
import dev.gridhouse.contract.grid.GridTables;
import dev.gridhouse.contract.grid.Telemetry;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import jdk.jfr.Recording;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.ExecutionOptions;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Scenarios 4 and 6 on one {@link LivePipeline}, with the pipeline running on a Flink MiniCluster
 * in this JVM and fed live by a paced producer whose records carry the send time as event time. The
 * producer sends the {@link LiveWorkload}: at rate R it cycles in a fixed order through the first
 * min(devices, R × interval) devices, each device's record holding the simulator's values of that
 * device; both architectures get exactly the same sequence of records (same devices, values,
 * injections; only the event times differ, being send times).
 *
 * <ul>
 *   <li>4 — at a fixed rate, a DEVICE_FAULT (status 3) is injected into one record every {@code
 *       alarm.rate / alarm.injections-per-second} records — into the record of the device whose
 *       turn it is, unless that device's previous record carried the last fault (then the next
 *       device's); the device's next record reports status 0 and clears the alarm. A watcher
 *       queries the architecture's alarm and decision tables every 2 ms for the deterministic ids
 *       of the pending alarms and of the load-transfer decisions they trigger; the latency is the
 *       time from sending the record to the first query that returns the row.
 *   <li>6 — the input rate is raised step by step ({@code ramp-factor}); a step is sustained when
 *       the producer reached 95 % of the rate and the records sent but not yet processed stayed
 *       within 2 s of input. The result is the highest sustained step; the ramp stops at the first
 *       step that is not. Faults are injected at the same share of records as in 4.
 * </ul>
 *
 * <p>Both scenarios measure the CPU per stage ({@link CpuStages}) over their window and, with
 * {@code --profile-jfr}, record it with JFR into {@code <output-dir>/<scenario>-<system>.jfr}.
 */
final class PipelineBench {
    private static final Logger LOG = LoggerFactory.getLogger(PipelineBench.class);
    private static final long WATCH_INTERVAL_NANOS = TimeUnit.MILLISECONDS.toNanos(2);
    private static final Duration ALARM_WAIT = Duration.ofSeconds(30);
    private static final long SLOW_NANOS = TimeUnit.MILLISECONDS.toNanos(500);

    private final BenchOptions.Settings s;
    private final LiveWorkload workload;
    private final List<Long> serverPids;
    private final Path checkpoints;

    PipelineBench(
            BenchOptions.Settings s, LiveWorkload workload, List<Long> serverPids, Path work) {
        this.s = s;
        this.workload = workload;
        this.serverPids = serverPids;
        this.checkpoints = work;
    }

    /** The soak's summary row (records/s, CPU, heap peak, latency) and its verdict. */
    static final class SoakRun {
        Measurement measurement;
        Report.SoakSummary summary;
    }

    /**
     * The soak: {@code pipeline} at {@code soak.rate} for {@code soak.duration}, with scenario 4's
     * fault injections and watcher as latency probes, sampled every {@code soak.sample-interval}
     * from the moment the job runs (no separate warm-up: the verdict leaves out the first third).
     * Each sample is appended to {@code soak.csv}, {@code soak-operator-state.csv} and {@code
     * soak.svg} in the output directory (rewritten at every sample, so an aborted run keeps its
     * series); the checkpoint statistics come from the MiniCluster's REST API on a free port.
     */
    SoakRun soak(LivePipeline pipeline) throws Exception {
        ProcessedProbe.PROCESSED.reset();
        int restPort = freePort();
        Configuration conf = jobConfiguration(pipeline);
        conf.set(RestOptions.BIND_ADDRESS, "127.0.0.1");
        conf.set(RestOptions.ADDRESS, "127.0.0.1");
        conf.set(RestOptions.BIND_PORT, Integer.toString(restPort));
        conf.set(RestOptions.PORT, restPort);
        StreamExecutionEnvironment env =
                StreamExecutionEnvironment.createLocalEnvironment(s.pipelineParallelism, conf);
        env.enableCheckpointing(s.checkpointInterval.toMillis());
        pipeline.build(env);
        JobClient job = env.executeAsync("gridbench-soak-" + pipeline.system());
        SoakSeries series = new SoakSeries();
        String title =
                String.format(
                        Locale.ROOT,
                        "GridBench soak: %s, %s for %s, sampled every %s",
                        pipeline.system(),
                        s.workloadAt(s.soakRate),
                        s.soakDuration,
                        s.soakSampleInterval);
        java.nio.file.Files.createDirectories(s.outputDir);
        ScheduledExecutorService sampler =
                Executors.newSingleThreadScheduledExecutor(
                        r -> {
                            Thread t = new Thread(r, "gridbench-soak-sampler");
                            t.setDaemon(true);
                            return t;
                        });
        try (Driver driver = new Driver(pipeline)) {
            awaitRunning(job);
            String rest = "http://127.0.0.1:" + restPort;
            LOG.info(
                    "Soak ({}): pipeline running (REST {}), {} for {}",
                    pipeline.system(),
                    rest,
                    s.workloadAt(s.soakRate),
                    s.soakDuration);
            SoakProbe probe = new SoakProbe(rest, job.getJobID().toHexString());
            Latencies alarmLat = new Latencies(1_000_000);
            Latencies decisionLat = new Latencies(1_000_000);
            Meter meter = Meter.start(serverPids);
            long t0 = System.nanoTime();
            long[] previous = {t0, 0, 0}; // nanos, sent, processed of the previous sample
            driver.alarmWindow = new Latencies(100_000);
            driver.decisionWindow = new Latencies(100_000);
            long every = s.soakSampleInterval.toNanos();
            long gcEvery = s.soakGcInterval.toNanos();
            long[] lastGc = {t0};
            sampler.scheduleAtFixedRate(
                    () -> {
                        try {
                            long now = System.nanoTime();
                            if (gcEvery > 0 && now - lastGc[0] >= gcEvery) {
                                // G1 with -XX:+ExplicitGCInvokesConcurrent: a concurrent cycle;
                                // the next sample's post-GC heap shows the old gen collected
                                lastGc[0] = now;
                                System.gc();
                            }
                            SoakSeries.Sample x =
                                    sampleOf(driver, probe, t0, previous, System.nanoTime());
                            synchronized (series) {
                                series.add(x);
                                series.write(s.outputDir, null, title);
                            }
                            LOG.info(
                                    "Soak {} s: heap {} MB (after GC {} MB), checkpoint {} ({}"
                                            + " MB, {} ms), backlog {}, alarm p99 {} ms",
                                    Math.round(x.elapsedSeconds),
                                    Math.round(x.heapUsedMb),
                                    Math.round(x.heapAfterGcMb),
                                    x.checkpointId,
                                    String.format(Locale.ROOT, "%.1f", x.checkpointStateMb),
                                    x.checkpointDurationMs,
                                    x.backlog(),
                                    x.alarmP99Ms);
                        } catch (Throwable t) {
                            LOG.warn("Soak: sampling failed", t);
                        }
                    },
                    0,
                    every,
                    TimeUnit.NANOSECONDS);
            long sent = driver.produce(s.soakRate, s.soakDuration, alarmLat, decisionLat);
            sampler.shutdown();
            sampler.awaitTermination(60, TimeUnit.SECONDS);
            long processed = ProcessedProbe.PROCESSED.sum();
            Measurement m =
                    meter.stop(
                            "soak",
                            pipeline.variant(),
                            pipeline.system(),
                            sent,
                            alarmLat,
                            "telemetry sent → alarm row returned by a query",
                            "",
                            sent);
            long missing = driver.awaitAlarms(List.of(alarmLat, decisionLat));
            m.latencySamples = alarmLat.size();
            if (alarmLat.size() > 0) {
                m.p50Ms = alarmLat.percentileMs(50);
                m.p99Ms = alarmLat.percentileMs(99);
                m.p999Ms = alarmLat.percentileMs(99.9);
                m.maxMs = alarmLat.percentileMs(100);
            }
            SoakSeries.Verdict verdict;
            synchronized (series) {
                verdict = series.verdict(s.soakFlatThreshold);
                series.write(s.outputDir, verdict, title);
            }
            m.settings =
                    String.format(
                            Locale.ROOT,
                            "steady %s for %s; %d faults injected (1 per %d records), %d"
                                    + " alarm/decision rows not seen within %d s; %d of %d"
                                    + " records processed when the input stopped; samples every"
                                    + " %s, GC requested every %s; parallelism %d, checkpoints"
                                    + " every %d s; %s",
                            s.workloadAt(s.soakRate),
                            s.soakDuration,
                            driver.injected,
                            s.faultEvery(),
                            missing,
                            ALARM_WAIT.getSeconds(),
                            processed,
                            sent,
                            s.soakSampleInterval,
                            s.soakGcInterval.isZero() ? "never" : s.soakGcInterval.toString(),
                            s.pipelineParallelism,
                            s.checkpointInterval.getSeconds(),
                            pipeline.settings());
            LOG.info("Soak ({}): {}", pipeline.system(), verdict.sentence());
            SoakRun run = new SoakRun();
            run.measurement = m;
            run.summary = Report.SoakSummary.of(verdict, series, s);
            return run;
        } finally {
            sampler.shutdownNow();
            try {
                job.cancel().get(60, TimeUnit.SECONDS);
            } catch (Exception e) {
                LOG.warn("Cancelling the {} soak pipeline failed", pipeline.system(), e);
            }
        }
    }

    /** One soak sample at {@code now}; {@code previous} (nanos, sent, processed) is advanced. */
    private static SoakSeries.Sample sampleOf(
            Driver driver, SoakProbe probe, long t0, long[] previous, long now) {
        SoakSeries.Sample x = new SoakSeries.Sample();
        x.elapsedSeconds = (now - t0) / 1e9;
        x.sent = driver.sentLive;
        x.processed = ProcessedProbe.PROCESSED.sum();
        double secs = (now - previous[0]) / 1e9;
        if (secs > 0.5) {
            x.sentPerSecond = (x.sent - previous[1]) / secs;
            x.processedPerSecond = (x.processed - previous[2]) / secs;
        }
        previous[0] = now;
        previous[1] = x.sent;
        previous[2] = x.processed;
        Latencies a = driver.alarmWindow;
        Latencies d = driver.decisionWindow;
        driver.alarmWindow = new Latencies(100_000);
        driver.decisionWindow = new Latencies(100_000);
        x.alarmsSeen = a.size();
        if (a.size() > 0) {
            x.alarmP50Ms = a.percentileMs(50);
            x.alarmP99Ms = a.percentileMs(99);
            x.alarmMaxMs = a.percentileMs(100);
        }
        if (d.size() > 0) {
            x.decisionP50Ms = d.percentileMs(50);
            x.decisionP99Ms = d.percentileMs(99);
        }
        probe.sample(x);
        return x;
    }

    private static int freePort() throws java.io.IOException {
        try (java.net.ServerSocket socket =
                new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    /** The MiniCluster's configuration of scenarios 4, 6 and the soak. */
    private Configuration jobConfiguration(LivePipeline pipeline) {
        Configuration conf = new Configuration();
        conf.set(PipelineOptions.GENERIC_TYPES, false);
        conf.set(ExecutionOptions.BUFFER_TIMEOUT, s.bufferTimeout);
        conf.set(
                CheckpointingOptions.CHECKPOINTS_DIRECTORY,
                checkpoints.resolve("checkpoints-" + pipeline.system()).toUri().toString());
        return conf;
    }

    /** Runs the scenarios of the settings that are among 4 and 6 on {@code pipeline}. */
    List<Measurement> run(LivePipeline pipeline) throws Exception {
        ProcessedProbe.PROCESSED.reset();
        Configuration conf = jobConfiguration(pipeline);
        StreamExecutionEnvironment env =
                StreamExecutionEnvironment.createLocalEnvironment(s.pipelineParallelism, conf);
        env.enableCheckpointing(s.checkpointInterval.toMillis());
        pipeline.build(env);
        JobClient job = env.executeAsync("gridbench-pipeline-" + pipeline.system());
        List<Measurement> out = new ArrayList<>();
        try (Driver driver = new Driver(pipeline)) {
            awaitRunning(job);
            LOG.info(
                    "{} pipeline running; warm-up at {}",
                    pipeline.system(),
                    s.workloadAt(s.alarmRate));
            Latencies warm = new Latencies(100_000);
            driver.produce(s.alarmRate, s.pipelineWarmup, warm, warm);
            driver.awaitProcessed(Duration.ofSeconds(60));
            driver.awaitAlarms(List.of(warm));
            if (s.scenarios.contains("4")) {
                out.addAll(alarmLatency(pipeline, driver));
            }
            if (s.scenarios.contains("6")) {
                driver.awaitProcessed(Duration.ofSeconds(60));
                out.add(maxRate(pipeline, driver));
            }
        } finally {
            try {
                job.cancel().get(60, TimeUnit.SECONDS);
            } catch (Exception e) {
                LOG.warn("Cancelling the {} pipeline failed", pipeline.system(), e);
            }
        }
        return out;
    }

    private List<Measurement> alarmLatency(LivePipeline pipeline, Driver driver) throws Exception {
        LOG.info(
                "Scenario 4 ({}): {} for {}, {} faults/s",
                pipeline.system(),
                s.workloadAt(s.alarmRate),
                s.alarmDuration,
                s.alarmInjections);
        Latencies alarmLat = new Latencies(1_000_000);
        Latencies decisionLat = new Latencies(1_000_000);
        for (int i = 0; i < 60; i++) {
            driver.slowAlarmsBySecond.set(i, 0);
        }
        Recording jfr = startJfr();
        Meter meter = Meter.withStages(serverPids);
        long injected0 = driver.injected;
        long sent = driver.produce(s.alarmRate, s.alarmDuration, alarmLat, decisionLat);
        Measurement alarms =
                meter.stop(
                        "4-alarm-latency",
                        pipeline.variant(),
                        pipeline.system(),
                        sent,
                        alarmLat,
                        "telemetry sent → alarm row returned by a query",
                        "",
                        sent);
        alarms.jfrFile = stopJfr(jfr, alarms);
        long injected = driver.injected - injected0;
        driver.awaitAlarms(List.of(alarmLat, decisionLat));
        // the device-minute windows fire when the watermark (newest event time - 5 s) passes the
        // minute: records sent in seconds 4-18 of a minute (a quarter of the time) meet the firing
        long slow = 0;
        long slowAtFiring = 0;
        for (int i = 0; i < 60; i++) {
            slow += driver.slowAlarmsBySecond.get(i);
            if (i >= 4 && i <= 18) {
                slowAtFiring += driver.slowAlarmsBySecond.get(i);
            }
        }
        String tail =
                String.format(
                        Locale.ROOT,
                        "; %d alarms slower than 500 ms, %d of them sent in seconds 4-18 of a"
                                + " minute (when the device-minute windows fire)",
                        slow,
                        slowAtFiring);
        Measurement decisions = copyOf(alarms);
        decisions.scenario = "4-decision-latency";
        decisions.latencyOf = "fault sent → load-transfer decision row returned by a query";
        List<Measurement> out = new ArrayList<>();
        for (Measurement m : List.of(alarms, decisions)) {
            Latencies lat = m == alarms ? alarmLat : decisionLat;
            // the percentiles include the rows that showed after the input stopped
            m.latencySamples = lat.size();
            m.p50Ms = lat.size() > 0 ? lat.percentileMs(50) : null;
            m.p99Ms = lat.size() > 0 ? lat.percentileMs(99) : null;
            m.p999Ms = lat.size() > 0 ? lat.percentileMs(99.9) : null;
            m.maxMs = lat.size() > 0 ? lat.percentileMs(100) : null;
            m.settings =
                    String.format(
                            Locale.ROOT,
                            "fixed rate %s; %d faults injected (1 per %d records), %d rows seen,"
                                    + " %d not seen within %d s; watcher polls every 2 ms;"
                                    + " parallelism %d, buffer timeout %d ms, checkpoints every"
                                    + " %d s; %s",
                            s.workloadAt(s.alarmRate),
                            injected,
                            s.faultEvery(),
                            lat.size(),
                            injected - lat.size(),
                            ALARM_WAIT.getSeconds(),
                            s.pipelineParallelism,
                            s.bufferTimeout.toMillis(),
                            s.checkpointInterval.getSeconds(),
                            pipeline.settings());
            if (m == alarms) {
                m.settings += tail;
            }
            LOG.info(
                    "Scenario {} ({}): p50 {} ms, p99 {} ms, p99.9 {} ms over {} of {} rows",
                    m.scenario,
                    pipeline.system(),
                    m.p50Ms,
                    m.p99Ms,
                    m.p999Ms,
                    lat.size(),
                    injected);
            out.add(m);
        }
        LOG.info("Scenario 4 ({}){}", pipeline.system(), tail);
        return out;
    }

    private static Measurement copyOf(Measurement m) {
        Measurement c = new Measurement();
        c.scenario = m.scenario;
        c.variant = m.variant;
        c.system = m.system;
        c.count = m.count;
        c.seconds = m.seconds;
        c.perSecond = m.perSecond;
        c.cpuSeconds = m.cpuSeconds;
        c.cpuMicrosPerRecord = m.cpuMicrosPerRecord;
        c.heapPeakMb = m.heapPeakMb;
        c.serversRssMb = m.serversRssMb;
        c.inputRecords = m.inputRecords;
        c.cpuStages = m.cpuStages;
        c.jfrFile = m.jfrFile;
        return c;
    }

    private Measurement maxRate(LivePipeline pipeline, Driver driver) throws Exception {
        List<RateStep> steps = new ArrayList<>();
        List<Latencies> stepLatencies = new ArrayList<>();
        List<Latencies> stepDecisionLatencies = new ArrayList<>();
        Recording jfr = startJfr();
        Meter meter = Meter.withStages(serverPids);
        long sent0 = driver.sent;
        long processed0 = ProcessedProbe.PROCESSED.sum();
        double rate = s.rampStart;
        double best = 0;
        for (int i = 0; i < s.rampSteps; i++) {
            Latencies lat = new Latencies(100_000);
            Latencies decisionLat = new Latencies(100_000);
            long p0 = ProcessedProbe.PROCESSED.sum();
            long t0 = System.nanoTime();
            long sent = driver.produce(rate, s.rampStepTime, lat, decisionLat);
            double secs = (System.nanoTime() - t0) / 1e9;
            long p1 = ProcessedProbe.PROCESSED.sum();
            RateStep step = new RateStep();
            step.targetPerSecond = rate;
            step.sentPerSecond = sent / secs;
            step.processedPerSecond = (p1 - p0) / secs;
            step.backlogAtEnd = driver.sent - p1;
            stepLatencies.add(lat);
            stepDecisionLatencies.add(decisionLat);
            step.sustained = step.sentPerSecond >= 0.95 * rate && step.backlogAtEnd <= 2 * rate;
            steps.add(step);
            LOG.info(
                    "Scenario 6 ({}): target {}/s ({} devices), sent {}/s, processed {}/s,"
                            + " backlog {}: {}",
                    pipeline.system(),
                    Math.round(rate),
                    s.activeDevices(rate),
                    Math.round(step.sentPerSecond),
                    Math.round(step.processedPerSecond),
                    step.backlogAtEnd,
                    step.sustained ? "sustained" : "NOT sustained");
            if (!step.sustained) {
                break;
            }
            best = rate;
            rate *= s.rampFactor;
        }
        long processed = ProcessedProbe.PROCESSED.sum() - processed0;
        List<Latencies> all = new ArrayList<>(stepLatencies);
        all.addAll(stepDecisionLatencies);
        driver.awaitAlarms(all);
        for (int i = 0; i < steps.size(); i++) {
            Latencies lat = stepLatencies.get(i);
            Latencies dl = stepDecisionLatencies.get(i);
            steps.get(i).alarms = lat.size();
            steps.get(i).alarmP50Ms = lat.size() > 0 ? lat.percentileMs(50) : null;
            steps.get(i).alarmP99Ms = lat.size() > 0 ? lat.percentileMs(99) : null;
            steps.get(i).decisions = dl.size();
            steps.get(i).decisionP50Ms = dl.size() > 0 ? dl.percentileMs(50) : null;
            steps.get(i).decisionP99Ms = dl.size() > 0 ? dl.percentileMs(99) : null;
        }
        Measurement m =
                meter.stop(
                        "6-max-sustainable-rate",
                        pipeline.variant(),
                        pipeline.system(),
                        processed,
                        new Latencies(1),
                        "-",
                        "",
                        driver.sent - sent0);
        m.jfrFile = stopJfr(jfr, m);
        // records/s of this scenario is the highest sustained input rate, not the ramp's average
        m.perSecond = best;
        m.steps = steps;
        double peak = steps.stream().mapToDouble(st -> st.processedPerSecond).max().orElse(0);
        m.settings =
                String.format(
                        Locale.ROOT,
                        "ramp from %,.0f records/s × %.2f per %d s step, at most %d steps; %,d"
                                + " devices × %s reporting interval (nominal %,.0f records/s;"
                                + " below it rate × interval devices report); a fault in 1 of"
                                + " %d records; highest processing rate seen %,.0f records/s;"
                                + " parallelism %d; %s",
                        s.rampStart,
                        s.rampFactor,
                        s.rampStepTime.getSeconds(),
                        s.rampSteps,
                        s.workloadDevices,
                        s.workloadInterval,
                        s.nominalRate(),
                        s.faultEvery(),
                        peak,
                        s.pipelineParallelism,
                        pipeline.settings());
        return m;
    }

    /** With {@code --profile-jfr}: a JFR recording with the "profile" settings, started. */
    private Recording startJfr() throws Exception {
        if (!s.profileJfr) {
            return null;
        }
        Recording r = new Recording(jdk.jfr.Configuration.getConfiguration("profile"));
        r.setName("gridbench");
        r.start();
        return r;
    }

    /** Stops {@code r} and writes it to {@code <output-dir>/<scenario>-<system>.jfr}. */
    private String stopJfr(Recording r, Measurement m) throws Exception {
        if (r == null) {
            return null;
        }
        try {
            r.stop();
            java.nio.file.Files.createDirectories(s.outputDir);
            Path file = s.outputDir.resolve(m.scenario + "-" + m.system + ".jfr");
            r.dump(file);
            LOG.info("JFR recording of {} ({}): {}", m.scenario, m.system, file);
            return file.toAbsolutePath().toString();
        } finally {
            r.close();
        }
    }

    private static void awaitRunning(JobClient job) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
        while (true) {
            JobStatus status = job.getJobStatus().get(30, TimeUnit.SECONDS);
            if (status == JobStatus.RUNNING) {
                return;
            }
            if (status.isTerminalState() || System.nanoTime() > deadline) {
                job.getJobExecutionResult().get(30, TimeUnit.SECONDS); // throws the cause
                throw new IllegalStateException("The pipeline job is " + status);
            }
            Thread.sleep(200);
        }
    }

    /** The paced producer and the alarm watcher of one pipeline run. */
    private final class Driver implements AutoCloseable {
        private final LivePipeline pipeline;
        private final Map<String, Pending> alarms = new ConcurrentHashMap<>();
        private final Map<String, Pending> decisions = new ConcurrentHashMap<>();

        /** Alarms slower than 500 ms by the second of the minute their record was sent in. */
        private final AtomicLongArray slowAlarmsBySecond = new AtomicLongArray(60);

        private final AtomicReference<Throwable> watcherFailure = new AtomicReference<>();
        private final Thread watcher;
        private volatile boolean closed;
        private final Telemetry record = new Telemetry();

        /** Devices whose last record carried an injected fault (their next one clears it). */
        private final boolean[] faulted = new boolean[workload.devices()];

        private final long faultEvery = s.faultEvery();
        private long nextFault;
        private int cursor;
        private long cycle;
        private long sequence;
        private long sent;
        private long injected;

        /** Records sent so far, updated after every batch (read by the soak's sampler). */
        private volatile long sentLive;

        /** The soak's latencies of the rows seen since its last sample (null: none kept). */
        private volatile Latencies alarmWindow;

        private volatile Latencies decisionWindow;

        Driver(LivePipeline pipeline) {
            this.pipeline = pipeline;
            this.watcher = new Thread(this::watch, "gridbench-alarm-watcher");
            watcher.setDaemon(true);
            watcher.start();
        }

        /**
         * Sends at {@code rate} records/s for {@code time}, cycling through the first {@code rate ×
         * interval} devices, a fault every {@code alarm.rate / alarm.injections-per-second}
         * records; returns the records sent.
         */
        long produce(
                double rate, Duration time, Latencies alarmLatencies, Latencies decisionLatencies)
                throws Exception {
            int active = s.activeDevices(rate);
            if (cursor >= active) {
                cursor = 0;
                cycle++;
            }
            long start = System.nanoTime();
            long end = start + time.toNanos();
            long n = 0;
            while (true) {
                long now = System.nanoTime();
                if (now >= end) {
                    break;
                }
                long due = (long) ((now - start) / 1e9 * rate);
                if (n >= due) {
                    LockSupport.parkNanos(100_000);
                    continue;
                }
                for (long k = Math.min(due - n, 5_000); k > 0; k--) {
                    int device = cursor;
                    workload.record(device, cycle, record);
                    record.ts = System.currentTimeMillis();
                    record.ingestTime = record.ts;
                    if (faulted[device]) {
                        // the report after the fault: status present and normal, the alarm clears
                        faulted[device] = false;
                        record.statusCode = 0;
                    } else if (sequence >= nextFault) {
                        faulted[device] = true;
                        nextFault = sequence + faultEvery;
                        injected++;
                        record.statusCode = 3;
                        // the alarm id, and the id of the decision it triggers
                        String id =
                                record.deviceId + ":" + AlarmRules.DEVICE_FAULT + ":" + record.ts;
                        long now2 = System.nanoTime();
                        alarms.put(id, new Pending(now2, record.ts, alarmLatencies));
                        decisions.put(id, new Pending(now2, record.ts, decisionLatencies));
                    }
                    pipeline.send(record);
                    sequence++;
                    n++;
                    if (++cursor >= active) {
                        cursor = 0;
                        cycle++;
                    }
                }
                sentLive = sent + n;
                checkWatcher();
            }
            sent += n;
            return n;
        }

        /** Waits until the pipeline has processed every record sent (or the timeout passed). */
        void awaitProcessed(Duration timeout) throws Exception {
            pipeline.flush();
            // a record whose (device, ts) happens to repeat is dead-lettered as DUPLICATE, not
            // counted: allow for a few
            long target = sent - Math.max(10, sent / 10_000);
            long deadline = System.nanoTime() + timeout.toNanos();
            while (ProcessedProbe.PROCESSED.sum() < target && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            if (ProcessedProbe.PROCESSED.sum() < target) {
                LOG.warn(
                        "{}: {} of {} records processed after {}",
                        pipeline.system(),
                        ProcessedProbe.PROCESSED.sum(),
                        sent,
                        timeout);
            }
        }

        /**
         * Waits (at most 30 s) for the pending alarms timed into {@code lats}; forgets and returns
         * how many never showed.
         */
        long awaitAlarms(List<Latencies> lats) throws Exception {
            pipeline.flush();
            long deadline = System.nanoTime() + ALARM_WAIT.toNanos();
            while (System.nanoTime() < deadline && waitingFor(lats) > 0) {
                checkWatcher();
                Thread.sleep(20);
            }
            long missing = waitingFor(lats);
            alarms.values().removeIf(p -> lats.contains(p.lat));
            decisions.values().removeIf(p -> lats.contains(p.lat));
            return missing;
        }

        private long waitingFor(List<Latencies> lats) {
            return alarms.values().stream().filter(p -> lats.contains(p.lat)).count()
                    + decisions.values().stream().filter(p -> lats.contains(p.lat)).count();
        }

        private void checkWatcher() {
            Throwable t = watcherFailure.get();
            if (t != null) {
                throw new IllegalStateException("The alarm watcher failed", t);
            }
        }

        private void watch() {
            while (!closed) {
                try {
                    watch(GridTables.ADS_ALARMS.name(), alarms);
                    watch(GridTables.ADS_DISPATCH_DECISIONS.name(), decisions);
                    LockSupport.parkNanos(WATCH_INTERVAL_NANOS);
                } catch (Throwable t) {
                    if (!closed) {
                        watcherFailure.compareAndSet(null, t);
                    }
                    return;
                }
            }
        }

        private void watch(String table, Map<String, Pending> pending) throws Exception {
            List<String> ids = new ArrayList<>(pending.keySet());
            if (ids.isEmpty()) {
                return;
            }
            for (String id : pipeline.visible(table, ids)) {
                long seen = System.nanoTime();
                Pending p = pending.remove(id);
                if (p != null) {
                    p.lat.add(seen - p.sentNanos);
                    Latencies window = pending == alarms ? alarmWindow : decisionWindow;
                    if (window != null) {
                        window.add(seen - p.sentNanos);
                    }
                    if (pending == alarms && seen - p.sentNanos > SLOW_NANOS) {
                        slowAlarmsBySecond.incrementAndGet((int) (p.sentMillis % 60_000 / 1_000));
                    }
                }
            }
        }

        @Override
        public void close() throws InterruptedException {
            closed = true;
            watcher.join(5_000);
        }
    }

    private static final class Pending {
        final long sentNanos;
        final long sentMillis;
        final Latencies lat;

        Pending(long sentNanos, long sentMillis, Latencies lat) {
            this.sentNanos = sentNanos;
            this.sentMillis = sentMillis;
            this.lat = lat;
        }
    }
}
