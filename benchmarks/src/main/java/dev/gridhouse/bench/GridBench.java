package dev.gridhouse.bench;

import dev.gridhouse.core.config.JobOptions;
import dev.gridhouse.testkafka.LocalKafkaBroker;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.apache.flink.configuration.Configuration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * GridBench: the same workload on the same machine in one run, on two architectures — the Fluss
 * design (embedded Fluss cluster: telemetry log table, device primary-key table with lookups and a
 * mirror) and the Kafka baseline (a Kafka 3.4 broker JVM with Avro and JSON topics; Redis and
 * PostgreSQL as dimension stores). Scenarios 1 (ingest), 2 (read all vs 3 columns), 3 (lookup join
 * against the device dimension) and 5 (point query of a device's current state); each reports
 * throughput, latency percentiles, CPU and heap. Writes {@code results.json}, {@code report.md} and
 * PNG charts. Scenarios 4 (alarm latency at a fixed rate) and 6 (highest sustainable rate) run the
 * full pipeline of each architecture on a Flink MiniCluster ({@link PipelineBench}), fed by the
 * "devices × reporting interval" {@link LiveWorkload}, and break their CPU down by stage ({@link
 * CpuStages}).
 *
 * <p>Results go to {@code --output-dir}, by default a new directory under {@code
 * benchmarks/target/gridbench-results/}; {@code --output-dir benchmarks/results} replaces the
 * committed results.
 *
 * <pre>
 * benchmarks/bin/gridbench --profile smoke --output-dir /tmp/gridbench
 * benchmarks/bin/gridbench --save --profile default       # into benchmarks/results
 * </pre>
 */
public final class GridBench {
    private static final Logger LOG = LoggerFactory.getLogger(GridBench.class);
    private static final Duration READ_TIMEOUT = Duration.ofMinutes(10);

    private GridBench() {}

    public static void main(String[] args) throws Exception {
        JobOptions options =
                JobOptions.of(
                        "gridbench",
                        "Compares the Fluss design with a Kafka + Redis/PostgreSQL baseline on"
                                + " this machine (scenarios 1-6 of issue 5). Writes report.md,"
                                + " results.json and charts to a new directory under"
                                + " benchmarks/target/gridbench-results/ unless --output-dir says"
                                + " otherwise; --output-dir benchmarks/results (or the script's"
                                + " --save as first argument) updates the committed results."
                                + " Scenarios 4 and 6 feed the full pipelines with"
                                + " --workload.devices devices reporting every"
                                + " --workload.interval, paced at --alarm.rate (4) or a ramp"
                                + " from --ramp.start-rate (6), and add a per-stage CPU table;"
                                + " --profile-jfr records them with JFR. JMH: 'gridbench jmh"
                                + " [--save] [JMH options]', 'gridbench jmh -l' lists.",
                        BenchOptions.all());
        try {
            Configuration conf = options.parse(args);
            if (conf == null) {
                return;
            }
            Path out = run(conf, args);
            System.out.println("GridBench report: " + out.resolve("report.md").toAbsolutePath());
        } catch (Throwable t) {
            // printed here: the Fluss/Flink classes on the classpath swallow uncaught exceptions
            System.err.println("GridBench failed: " + t);
            t.printStackTrace();
            System.exit(1);
        }
    }

    /** Runs the scenarios of {@code conf} and writes the report; returns the output directory. */
    public static Path run(Configuration conf, String[] args) throws Exception {
        System.setProperty("java.awt.headless", "true");
        BenchOptions.Settings s = new BenchOptions.Settings(conf);
        Path out = s.outputDir;
        Files.createDirectories(out);
        LOG.info("GridBench output directory: {}", out.toAbsolutePath());
        Report report = new Report(s, "GridBench " + String.join(" ", args));
        report.loadStart = loadAverage();
        report.started = Instant.now().toString();
        Path work = Files.createTempDirectory("gridbench-");
        // its own directory directly under the temp dir: pg-local hands it to the postgres user
        Path pgDir = Files.createTempDirectory("gridbench-pg-");
        List<Long> serverPids = new ArrayList<>();
        List<Measurement> results = report.measurements;
        boolean pipelines = s.scenarios.contains("4") || s.scenarios.contains("6");
        boolean soak = s.scenarios.contains(BenchOptions.SOAK);
        boolean dimensions = s.scenarios.contains("3") || s.scenarios.contains("5") || pipelines;
        LOG.info("GridBench profile {}: generating the workload", s.profile);
        int pool = (int) Math.min(s.records, 200_000L);
        BenchData data = BenchData.generate(s.devices, pool, 10_000);
        Workload w = new Workload(data);
        LiveWorkload live = null;
        if (pipelines || soak) {
            LOG.info(
                    "Generating the live workload: {} devices × {} rounds",
                    s.workloadDevices,
                    Math.max(2, Math.min(8, 1_000_000 / s.workloadDevices)));
            live =
                    new LiveWorkload(
                            data.simulator(), w.devices(), s.workloadDevices, s.workloadInterval);
        }
        long warmup = Math.max(1, Math.min(s.records / 10, 200_000L));
        FlussBench fluss = null;
        KafkaBench kafka = null;
        RedisStore redis = null;
        PostgresStore pg = null;
        try {
            fluss = new FlussBench(work.resolve("fluss"), serverPids);
            if (s.comparisons()) {
                // the soak alone runs the Fluss design only: no Kafka, Redis or PostgreSQL
                kafka = new KafkaBench(LocalKafkaBroker.start(), serverPids, s.partitions);
                serverPids.add(KafkaBench.brokerPid());
            }
            if (dimensions) {
                redis = RedisStore.start(work.resolve("redis"), serverPids);
                pg =
                        PostgresStore.start(
                                PostgresStore.findPgLocal(conf.get(BenchOptions.PG_LOCAL)),
                                pgDir,
                                serverPids);
            }
            int every = (int) Math.max(1, s.records / 100_000);
            if (s.scenarios.contains("1")) {
                LOG.info(
                        "Scenario 1: ingest {} records (after {} warm-up records)",
                        s.records,
                        warmup);
                fluss.ingest(w, warmup, every);
                results.add(fluss.ingest(w, s.records, every));
                kafka.ingest(w, warmup, KafkaBench.Format.AVRO, every);
                results.add(kafka.ingest(w, s.records, KafkaBench.Format.AVRO, every));
                kafka.ingest(w, warmup, KafkaBench.Format.JSON, every);
                results.add(kafka.ingest(w, s.records, KafkaBench.Format.JSON, every));
            }
            if (s.scenarios.contains("2")) {
                long total = s.records + warmup;
                LOG.info("Scenario 2: read back {} records", total);
                for (boolean three : new boolean[] {false, true}) {
                    fluss.read(warmup, three, READ_TIMEOUT);
                    results.add(fluss.read(total, three, READ_TIMEOUT));
                }
                for (KafkaBench.Format f : KafkaBench.Format.values()) {
                    for (boolean three : new boolean[] {false, true}) {
                        kafka.read(warmup, f, three, READ_TIMEOUT);
                        results.add(kafka.read(total, f, three, READ_TIMEOUT));
                    }
                }
            }
            if (dimensions) {
                LOG.info("Loading {} devices into Fluss, Redis and PostgreSQL", s.devices);
                results.add(fluss.loadDevices(w.devices()));
                results.add(redis.loadDevices(w.devices()));
                results.add(pg.loadDevices(w.devices()));
            }
            if (s.scenarios.contains("3")) {
                LOG.info("Scenario 3: up to {} lookups per store", s.lookups);
                String[] keys = w.lookupKeys(s.lookups, 3);
                String[] warm = w.lookupKeys(Math.max(1, Math.min(s.lookups / 10, 50_000)), 4);
                Duration warmTime = Duration.ofSeconds(5);
                fluss.lookups(warm, s.inFlight, warmTime);
                results.add(fluss.lookups(keys, s.inFlight, s.lookupTime));
                results.addAll(Arrays.asList(fluss.mirror(keys, s.lookupTime)));
                redis.lookups(warm, s.inFlight, warmTime);
                results.add(redis.lookups(keys, s.inFlight, s.lookupTime));
                pg.lookups(warm, s.pgThreads, warmTime);
                results.add(pg.lookups(keys, s.pgThreads, s.lookupTime));
            }
            if (s.scenarios.contains("5")) {
                LOG.info("Scenario 5: {} sequential point queries per store", s.pointQueries);
                String[] keys = w.lookupKeys(s.pointQueries, 5);
                String[] warm = w.lookupKeys(Math.max(1, s.pointQueries / 10), 6);
                fluss.pointQueries(warm);
                results.add(fluss.pointQueries(keys));
                redis.pointQueries(warm);
                results.add(redis.pointQueries(keys));
                pg.pointQueries(warm);
                results.add(pg.pointQueries(keys));
            }
            if (pipelines) {
                PipelineBench bench = new PipelineBench(s, live, serverPids, work);
                LOG.info("Scenarios 4/6: the Fluss design's full pipeline");
                try (LivePipeline p = new FlussPipeline(fluss.bootstrapServers(), w, s)) {
                    results.addAll(bench.run(p));
                }
                LOG.info("Scenarios 4/6: the Kafka baseline's full pipeline");
                try (LivePipeline p =
                        new KafkaPipeline(kafka.broker(), s.partitions, redis, pg, w, s)) {
                    results.addAll(bench.run(p));
                }
            }
            if (soak) {
                PipelineBench bench = new PipelineBench(s, live, serverPids, work);
                LOG.info(
                        "Soak: the Fluss design's full pipeline for {} at {}",
                        s.soakDuration,
                        s.workloadAt(s.soakRate));
                try (LivePipeline p = new FlussPipeline(fluss.bootstrapServers(), w, s)) {
                    PipelineBench.SoakRun run = bench.soak(p);
                    results.add(run.measurement);
                    report.soak = run.summary;
                }
            }
        } finally {
            closeQuietly(pg);
            closeQuietly(redis);
            closeQuietly(kafka);
            closeQuietly(fluss);
            deleteRecursively(work);
            deleteRecursively(pgDir);
        }
        report.finished = Instant.now().toString();
        report.loadEnd = loadAverage();
        report.write(out);
        return out;
    }

    static String loadAverage() {
        try {
            return Files.readString(Paths.get("/proc/loadavg")).trim();
        } catch (IOException e) {
            return "unknown";
        }
    }

    private static void closeQuietly(AutoCloseable c) {
        if (c == null) {
            return;
        }
        try {
            c.close();
        } catch (Exception e) {
            LOG.warn("Closing {} failed", c.getClass().getSimpleName(), e);
        }
    }

    private static void deleteRecursively(Path dir) {
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).map(Path::toFile).forEach(File::delete);
        } catch (IOException e) {
            LOG.warn("Could not delete {}", dir, e);
        }
    }
}
