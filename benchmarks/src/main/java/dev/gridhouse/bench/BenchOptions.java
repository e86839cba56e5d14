package dev.gridhouse.bench;

import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;
import org.apache.flink.configuration.Configuration;

/** Options of {@link GridBench}; a profile sets the scale, any explicit option overrides it. */
public final class BenchOptions {
    private BenchOptions() {}

    public static final ConfigOption<String> PROFILE =
            ConfigOptions.key("profile")
                    .stringType()
                    .defaultValue("default")
                    .withDescription(
                            "default (5M records, 500K devices; < 15 min on 2 cores) or smoke (a"
                                    + " few thousand records, 1K devices; for CI).");

    public static final ConfigOption<String> OUTPUT_DIR =
            ConfigOptions.key("output-dir")
                    .stringType()
                    .noDefaultValue()
                    .withDescription(
                            "Where results.json, report.md, the PNG charts, the per-thread CPU"
                                    + " listings and JFR recordings are written. Default: a new"
                                    + " directory benchmarks/target/gridbench-results/<UTC time>;"
                                    + " the committed results are only replaced when asked:"
                                    + " --output-dir benchmarks/results (or the script's --save).");

    public static final ConfigOption<String> SCENARIOS =
            ConfigOptions.key("scenarios")
                    .stringType()
                    .defaultValue("1,2,3,4,5,6")
                    .withDescription(
                            "Scenarios to run, comma-separated: 1 ingest, 2 read all vs 3 columns,"
                                    + " 3 lookup join, 4 alarm latency at a fixed rate, 5 point"
                                    + " query, 6 highest sustainable rate of the full pipeline;"
                                    + " soak: the Fluss design's full pipeline at --soak.rate for"
                                    + " --soak.duration, sampled every --soak.sample-interval"
                                    + " (not part of the default; 'gridbench soak' runs it"
                                    + " alone).");

    public static final ConfigOption<Long> RECORDS =
            ConfigOptions.key("records")
                    .longType()
                    .noDefaultValue()
                    .withDescription(
                            "Telemetry records ingested and read back (profile: 5,000,000 /"
                                    + " 5,000).");

    public static final ConfigOption<Integer> DEVICES =
            ConfigOptions.key("devices")
                    .intType()
                    .noDefaultValue()
                    .withDescription("Devices in the dimension (profile: 500,000 / 1,000).");

    public static final ConfigOption<Integer> LOOKUPS =
            ConfigOptions.key("lookups")
                    .intType()
                    .noDefaultValue()
                    .withDescription(
                            "Lookups per store in scenario 3, at most (profile: 2,000,000 /"
                                    + " 5,000).");

    public static final ConfigOption<Duration> LOOKUP_TIME =
            ConfigOptions.key("lookup-time")
                    .durationType()
                    .defaultValue(Duration.ofSeconds(20))
                    .withDescription("Time limit of each store's lookups in scenario 3.");

    public static final ConfigOption<Integer> POINT_QUERIES =
            ConfigOptions.key("point-queries")
                    .intType()
                    .noDefaultValue()
                    .withDescription(
                            "Sequential point queries per store in scenario 5 (profile: 20,000 /"
                                    + " 200).");

    public static final ConfigOption<Integer> IN_FLIGHT =
            ConfigOptions.key("lookup-in-flight")
                    .intType()
                    .defaultValue(1_000)
                    .withDescription(
                            "Outstanding async lookups (Fluss, Redis); the DWD lookup join's"
                                    + " default capacity.");

    public static final ConfigOption<Integer> PG_THREADS =
            ConfigOptions.key("pg-lookup-threads")
                    .intType()
                    .defaultValue(4)
                    .withDescription("Connections querying PostgreSQL in scenario 3.");

    public static final ConfigOption<Integer> PARTITIONS =
            ConfigOptions.key("partitions")
                    .intType()
                    .defaultValue(2)
                    .withDescription(
                            "Kafka partitions per topic (the Fluss tables have 2 buckets, as in"
                                    + " the contract).");

    public static final ConfigOption<String> PG_LOCAL =
            ConfigOptions.key("pg-local")
                    .stringType()
                    .noDefaultValue()
                    .withDescription(
                            "Path of deploy/bin/pg-local; default: found from the working"
                                    + " directory.");

    public static final ConfigOption<Integer> PIPELINE_PARALLELISM =
            ConfigOptions.key("pipeline.parallelism")
                    .intType()
                    .defaultValue(2)
                    .withDescription(
                            "Parallelism of the full pipeline in scenarios 4 and 6 (both"
                                    + " architectures).");

    public static final ConfigOption<Duration> BUFFER_TIMEOUT =
            ConfigOptions.key("pipeline.buffer-timeout")
                    .durationType()
                    .defaultValue(Duration.ofMillis(10))
                    .withDescription(
                            "Flink's network buffer timeout in scenarios 4 and 6 (Flink's default"
                                    + " is 100 ms).");

    public static final ConfigOption<Duration> CHECKPOINT_INTERVAL =
            ConfigOptions.key("pipeline.checkpoint-interval")
                    .durationType()
                    .defaultValue(Duration.ofSeconds(10))
                    .withDescription("Checkpoint interval of the pipeline in scenarios 4 and 6.");

    public static final ConfigOption<Duration> PIPELINE_WARMUP =
            ConfigOptions.key("pipeline.warmup")
                    .durationType()
                    .noDefaultValue()
                    .withDescription(
                            "Input at the alarm rate before scenario 4 is measured (profile: 60 s"
                                    + " / 3 s): a minute, so that the JIT has compiled the hot"
                                    + " paths, the first checkpoints and the first device-minute"
                                    + " windows have passed, and the dimension mirrors loaded.");

    public static final ConfigOption<Integer> WORKLOAD_DEVICES =
            ConfigOptions.key("workload.devices")
                    .intType()
                    .noDefaultValue()
                    .withDescription(
                            "Scenarios 4 and 6: devices of the live telemetry stream, the first"
                                    + " of the dimension (profile: --devices, i.e. 500,000 /"
                                    + " 1,000). Each reports once per --workload.interval, so"
                                    + " devices / interval is the stream's nominal rate (500,000"
                                    + " / 5 s = 100,000 records/s; 100,000 devices every 1 s is"
                                    + " the other realistic profile). The paced rate decides how"
                                    + " many send: at rate R the producer cycles in a fixed order"
                                    + " through the first min(devices, R × interval) devices, so"
                                    + " below the nominal rate a subset reports every interval"
                                    + " (scenario 4: 20,000/s × 5 s = 100,000 devices) and above"
                                    + " it every device reports every devices / R seconds.");

    public static final ConfigOption<Duration> WORKLOAD_INTERVAL =
            ConfigOptions.key("workload.interval")
                    .durationType()
                    .defaultValue(Duration.ofSeconds(5))
                    .withDescription(
                            "Scenarios 4 and 6: the reporting interval of each device (see"
                                    + " --workload.devices).");

    public static final ConfigOption<Double> ALARM_RATE =
            ConfigOptions.key("alarm.rate")
                    .doubleType()
                    .noDefaultValue()
                    .withDescription(
                            "Scenario 4: the fixed input rate in records/s (profile: 20,000 /"
                                    + " 300); rate × --workload.interval devices report, each"
                                    + " once per interval.");

    public static final ConfigOption<Duration> ALARM_DURATION =
            ConfigOptions.key("alarm.duration")
                    .durationType()
                    .noDefaultValue()
                    .withDescription("Scenario 4: how long the rate runs (profile: 60 s / 5 s).");

    public static final ConfigOption<Double> ALARM_INJECTIONS =
            ConfigOptions.key("alarm.injections-per-second")
                    .doubleType()
                    .noDefaultValue()
                    .withDescription(
                            "DEVICE_FAULT records injected per second at scenario 4's rate, each"
                                    + " raising one alarm and one decision with a known id"
                                    + " (profile: 20 / 5; 20 of 20,000 records/s is 0.1 %, the"
                                    + " simulator's fault share). Scenario 6 injects the same"
                                    + " share of records at every step. The live stream has no"
                                    + " other DEVICE_FAULTs; its other alarms (overload,"
                                    + " frequency, voltage, temperature) come at the"
                                    + " simulator's rates.");

    public static final ConfigOption<Double> RAMP_START =
            ConfigOptions.key("ramp.start-rate")
                    .doubleType()
                    .noDefaultValue()
                    .withDescription(
                            "Scenario 6: the first step's rate in records/s (profile: 10,000 /"
                                    + " 300); each step multiplies it by --ramp.factor (10,000,"
                                    + " 15,000, 22,500, … 113,906, 170,859 with the defaults).");

    public static final ConfigOption<Double> RAMP_FACTOR =
            ConfigOptions.key("ramp.factor")
                    .doubleType()
                    .defaultValue(1.5)
                    .withDescription("Scenario 6: each step's rate over the previous one's.");

    public static final ConfigOption<Duration> RAMP_STEP_TIME =
            ConfigOptions.key("ramp.step-time")
                    .durationType()
                    .noDefaultValue()
                    .withDescription("Scenario 6: length of a step (profile: 20 s / 3 s).");

    public static final ConfigOption<Integer> RAMP_STEPS =
            ConfigOptions.key("ramp.max-steps")
                    .intType()
                    .noDefaultValue()
                    .withDescription(
                            "Scenario 6: at most this many steps; the ramp stops earlier at the"
                                    + " first step not sustained (profile: 10 / 2).");

    public static final ConfigOption<Boolean> PROFILE_JFR =
            ConfigOptions.key("profile-jfr")
                    .booleanType()
                    .defaultValue(false)
                    .withDescription(
                            "Record scenarios 4 and 6 with Java Flight Recorder (the 'profile'"
                                    + " settings) into <output-dir>/<scenario>-<architecture>.jfr,"
                                    + " e.g. 4-alarm-latency-fluss.jfr; the report names the"
                                    + " files. Adds a few percent of CPU.");

    public static final ConfigOption<Duration> BULK_BATCH_TIMEOUT =
            ConfigOptions.key("pipeline.bulk-batch-timeout")
                    .durationType()
                    .defaultValue(Duration.ofMillis(200))
                    .withDescription(
                            "Scenarios 4 and 6: how long the bulk sinks (DWD, the four DWS tables,"
                                    + " dead letters) batch — the Fluss writer's batch timeout,"
                                    + " the baseline's JDBC batch interval and Kafka linger.ms."
                                    + " The ADS sinks (alarms, substation loads, decisions,"
                                    + " realtime) keep 10 ms in both designs.");

    public static final ConfigOption<dev.gridhouse.dws.LookupMode> FLUSS_DEVICE_JOIN =
            ConfigOptions.key("fluss.device-join")
                    .enumType(dev.gridhouse.dws.LookupMode.class)
                    .defaultValue(dev.gridhouse.dws.LookupMode.MIRROR)
                    .withDescription(
                            "Scenarios 4 and 6: the Fluss design's device join — MIRROR (an"
                                    + " in-memory copy of ods_devices that follows its"
                                    + " changelog), ASYNC (async primary-key lookups) or CACHE."
                                    + " The baseline always looks devices up in Redis.");

    public static final ConfigOption<Duration> SOAK_DURATION =
            ConfigOptions.key("soak.duration")
                    .durationType()
                    .defaultValue(Duration.ofMinutes(30))
                    .withDescription(
                            "Soak: how long the Fluss design's full pipeline runs at --soak.rate"
                                    + " (sampled from the start: the first third is warm-up and"
                                    + " not part of the memory verdict).");

    public static final ConfigOption<Double> SOAK_RATE =
            ConfigOptions.key("soak.rate")
                    .doubleType()
                    .defaultValue(10_000.0)
                    .withDescription(
                            "Soak: the steady input rate in records/s; rate ×"
                                    + " --workload.interval devices report (10,000/s × 5 s ="
                                    + " 50,000 devices), with a DEVICE_FAULT every"
                                    + " alarm.rate / alarm.injections-per-second records as in"
                                    + " scenario 4 (the latency probes).");

    public static final ConfigOption<Duration> SOAK_SAMPLE_INTERVAL =
            ConfigOptions.key("soak.sample-interval")
                    .durationType()
                    .defaultValue(Duration.ofSeconds(10))
                    .withDescription(
                            "Soak: every this long, heap (used, after GC, old generation after"
                                    + " GC), the latest completed checkpoint (size, duration,"
                                    + " state per operator chain) and the alarm/decision latency"
                                    + " and backlog of the interval are recorded into soak.csv.");

    public static final ConfigOption<Duration> SOAK_GC_INTERVAL =
            ConfigOptions.key("soak.gc-interval")
                    .durationType()
                    .defaultValue(Duration.ofMinutes(1))
                    .withDescription(
                            "Soak: request a GC (System.gc()) this often, so that the old"
                                    + " generation is collected within the run and the post-GC"
                                    + " heap tracks the live data rather than G1's sawtooth of"
                                    + " promoted garbage; 'gridbench soak' runs the JVM with"
                                    + " -XX:+ExplicitGCInvokesConcurrent, so the request is a"
                                    + " concurrent G1 cycle, not a stop-the-world full GC. 0"
                                    + " disables.");

    public static final ConfigOption<Double> SOAK_FLAT_THRESHOLD =
            ConfigOptions.key("soak.flat-threshold")
                    .doubleType()
                    .defaultValue(1.0)
                    .withDescription(
                            "Soak: memory is FLAT when the least-squares slope of the post-GC"
                                    + " heap over the last two thirds of the run is within ± this"
                                    + " many MB per minute (1 MB/min = 60 MB/h: 4 GB of heap"
                                    + " would last ≈ 2.5 days).");

    public static List<ConfigOption<?>> all() {
        return List.of(
                PROFILE,
                OUTPUT_DIR,
                SCENARIOS,
                RECORDS,
                DEVICES,
                LOOKUPS,
                LOOKUP_TIME,
                POINT_QUERIES,
                IN_FLIGHT,
                PG_THREADS,
                PARTITIONS,
                PG_LOCAL,
                PIPELINE_PARALLELISM,
                BUFFER_TIMEOUT,
                CHECKPOINT_INTERVAL,
                PIPELINE_WARMUP,
                WORKLOAD_DEVICES,
                WORKLOAD_INTERVAL,
                ALARM_RATE,
                ALARM_DURATION,
                ALARM_INJECTIONS,
                RAMP_START,
                RAMP_FACTOR,
                RAMP_STEP_TIME,
                RAMP_STEPS,
                PROFILE_JFR,
                BULK_BATCH_TIMEOUT,
                FLUSS_DEVICE_JOIN,
                SOAK_DURATION,
                SOAK_RATE,
                SOAK_SAMPLE_INTERVAL,
                SOAK_GC_INTERVAL,
                SOAK_FLAT_THRESHOLD);
    }

    /** The soak scenario's name in {@code --scenarios}. */
    static final String SOAK = "soak";

    /** The resolved scale of a run. */
    static final class Settings {
        final String profile;
        final Path outputDir;
        final long records;
        final int devices;
        final int lookups;
        final Duration lookupTime;
        final int pointQueries;
        final int inFlight;
        final int pgThreads;
        final int partitions;
        final List<String> scenarios;
        final int pipelineParallelism;
        final Duration bufferTimeout;
        final Duration checkpointInterval;
        final Duration pipelineWarmup;
        final double alarmRate;
        final Duration alarmDuration;
        final double alarmInjections;
        final double rampStart;
        final double rampFactor;
        final Duration rampStepTime;
        final int rampSteps;
        final int workloadDevices;
        final Duration workloadInterval;
        final boolean profileJfr;
        final Duration bulkBatchTimeout;
        final dev.gridhouse.dws.LookupMode flussDeviceJoin;
        final Duration soakDuration;
        final double soakRate;
        final Duration soakSampleInterval;
        final Duration soakGcInterval;
        final double soakFlatThreshold;

        Settings(Configuration conf) {
            profile = conf.get(PROFILE);
            boolean smoke;
            if (profile.equals("smoke")) {
                smoke = true;
            } else if (profile.equals("default")) {
                smoke = false;
            } else {
                throw new IllegalArgumentException(
                        "--profile must be 'default' or 'smoke', is '" + profile + "'.");
            }
            outputDir =
                    conf.getOptional(OUTPUT_DIR)
                            .map(Paths::get)
                            .orElseGet(() -> ResultsDirs.fresh("gridbench-results"));
            records = conf.getOptional(RECORDS).orElse(smoke ? 5_000L : 5_000_000L);
            devices = conf.getOptional(DEVICES).orElse(smoke ? 1_000 : 500_000);
            lookups = conf.getOptional(LOOKUPS).orElse(smoke ? 5_000 : 2_000_000);
            pointQueries = conf.getOptional(POINT_QUERIES).orElse(smoke ? 200 : 20_000);
            lookupTime = conf.get(LOOKUP_TIME);
            inFlight = conf.get(IN_FLIGHT);
            pgThreads = conf.get(PG_THREADS);
            partitions = conf.get(PARTITIONS);
            pipelineParallelism = conf.get(PIPELINE_PARALLELISM);
            bufferTimeout = conf.get(BUFFER_TIMEOUT);
            checkpointInterval = conf.get(CHECKPOINT_INTERVAL);
            pipelineWarmup =
                    conf.getOptional(PIPELINE_WARMUP).orElse(Duration.ofSeconds(smoke ? 3 : 60));
            alarmRate = conf.getOptional(ALARM_RATE).orElse(smoke ? 300.0 : 20_000.0);
            alarmDuration =
                    conf.getOptional(ALARM_DURATION).orElse(Duration.ofSeconds(smoke ? 5 : 60));
            alarmInjections = conf.getOptional(ALARM_INJECTIONS).orElse(smoke ? 5.0 : 20.0);
            rampStart = conf.getOptional(RAMP_START).orElse(smoke ? 300.0 : 10_000.0);
            rampFactor = conf.get(RAMP_FACTOR);
            rampStepTime =
                    conf.getOptional(RAMP_STEP_TIME).orElse(Duration.ofSeconds(smoke ? 3 : 20));
            rampSteps = conf.getOptional(RAMP_STEPS).orElse(smoke ? 2 : 10);
            workloadDevices = conf.getOptional(WORKLOAD_DEVICES).orElse(devices);
            workloadInterval = conf.get(WORKLOAD_INTERVAL);
            profileJfr = conf.get(PROFILE_JFR);
            bulkBatchTimeout = conf.get(BULK_BATCH_TIMEOUT);
            flussDeviceJoin = conf.get(FLUSS_DEVICE_JOIN);
            soakDuration = conf.get(SOAK_DURATION);
            soakRate = conf.get(SOAK_RATE);
            soakSampleInterval = conf.get(SOAK_SAMPLE_INTERVAL);
            soakGcInterval = conf.get(SOAK_GC_INTERVAL);
            soakFlatThreshold = conf.get(SOAK_FLAT_THRESHOLD);
            scenarios = List.of(conf.get(SCENARIOS).replace(" ", "").split(","));
            for (String s : scenarios) {
                if (!List.of("1", "2", "3", "4", "5", "6", SOAK).contains(s)) {
                    throw new IllegalArgumentException(
                            "--scenarios: '" + s + "' is not one of 1, 2, 3, 4, 5, 6, soak.");
                }
            }
            positive("soak.rate", (long) Math.ceil(soakRate));
            if (soakDuration.isNegative()
                    || soakDuration.isZero()
                    || soakSampleInterval.isNegative()
                    || soakSampleInterval.isZero()
                    || soakGcInterval.isNegative()) {
                throw new IllegalArgumentException(
                        "--soak.duration and --soak.sample-interval must be positive,"
                                + " --soak.gc-interval not negative.");
            }
            if (!(soakFlatThreshold > 0)) {
                throw new IllegalArgumentException(
                        "--soak.flat-threshold must be positive, is " + soakFlatThreshold + ".");
            }
            positive("pipeline.parallelism", pipelineParallelism);
            positive("alarm.rate", (long) Math.ceil(alarmRate));
            positive("alarm.injections-per-second", (long) Math.ceil(alarmInjections));
            positive("ramp.start-rate", (long) Math.ceil(rampStart));
            positive("ramp.max-steps", rampSteps);
            if (rampFactor <= 1.0) {
                throw new IllegalArgumentException(
                        "--ramp.factor must be greater than 1, is " + rampFactor + ".");
            }
            if (alarmInjections > alarmRate) {
                throw new IllegalArgumentException(
                        "--alarm.injections-per-second ("
                                + alarmInjections
                                + ") cannot exceed --alarm.rate ("
                                + alarmRate
                                + ").");
            }
            positive("workload.devices", workloadDevices);
            if (workloadDevices > devices) {
                throw new IllegalArgumentException(
                        "--workload.devices ("
                                + workloadDevices
                                + ") cannot exceed the dimension's --devices ("
                                + devices
                                + "): every device of the stream must be known.");
            }
            for (Duration d : List.of(alarmDuration, rampStepTime, workloadInterval)) {
                if (d.isZero() || d.isNegative()) {
                    throw new IllegalArgumentException(
                            "--alarm.duration, --ramp.step-time and --workload.interval must be"
                                    + " positive, one is "
                                    + d
                                    + ".");
                }
            }
            positive("records", records);
            positive("devices", devices);
            positive("lookups", lookups);
            positive("point-queries", pointQueries);
            positive("lookup-in-flight", inFlight);
            positive("pg-lookup-threads", pgThreads);
            positive("partitions", partitions);
            if (scenarios.contains("2") && !scenarios.contains("1")) {
                throw new IllegalArgumentException(
                        "--scenarios: 2 reads what 1 ingested; add 1 (e.g. --scenarios 1,2).");
            }
        }

        /** Whether a scenario other than the soak runs (they need Kafka and the baseline). */
        boolean comparisons() {
            return scenarios.stream().anyMatch(x -> !x.equals(SOAK));
        }

        /** Records/s at which every device of the live stream reports once per interval. */
        double nominalRate() {
            return workloadDevices / seconds(workloadInterval);
        }

        /** Devices that report at {@code rate}: the first min(devices, rate × interval). */
        int activeDevices(double rate) {
            return (int)
                    Math.max(
                            1,
                            Math.min(
                                    workloadDevices, Math.round(rate * seconds(workloadInterval))));
        }

        /** Records between two injected faults: alarm.rate / alarm.injections-per-second. */
        long faultEvery() {
            return Math.max(1, Math.round(alarmRate / alarmInjections));
        }

        /** How rate, devices and interval relate at {@code rate}, for the report. */
        String workloadAt(double rate) {
            int active = activeDevices(rate);
            return String.format(
                    Locale.ROOT,
                    "%,.0f records/s: %,d devices, each every %.2f s",
                    rate,
                    active,
                    active / rate);
        }

        static double seconds(Duration d) {
            return d.toNanos() / 1e9;
        }

        private static void positive(String key, long value) {
            if (value <= 0) {
                throw new IllegalArgumentException(
                        "--" + key + " must be positive, is " + value + ".");
            }
        }
    }
}
