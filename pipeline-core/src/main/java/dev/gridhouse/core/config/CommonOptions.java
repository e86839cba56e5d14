package dev.gridhouse.core.config;

import dev.gridhouse.core.io.FlussEndpoint;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;
import org.apache.flink.configuration.Configuration;

/** Options every job accepts: where Fluss is, parallelism, checkpointing, restarts, uids. */
public final class CommonOptions {
    private CommonOptions() {}

    public static final ConfigOption<String> FLUSS_BOOTSTRAP_SERVERS =
            ConfigOptions.key("fluss.bootstrap-servers")
                    .stringType()
                    .defaultValue("127.0.0.1:9123")
                    .withDescription("Fluss coordinator address(es), host:port[,host:port].");

    public static final ConfigOption<String> FLUSS_DATABASE =
            ConfigOptions.key("fluss.database")
                    .stringType()
                    .defaultValue("grid")
                    .withDescription("Fluss database holding the warehouse tables.");

    public static final ConfigOption<Integer> FLUSS_BUCKETS =
            ConfigOptions.key("fluss.buckets")
                    .intType()
                    .defaultValue(0)
                    .withDescription(
                            "Bucket count of tables this job creates; 0 keeps each table's own.");

    public static final ConfigOption<Map<String, String>> FLUSS_CLIENT_OPTIONS =
            ConfigOptions.key("fluss.client-options")
                    .mapType()
                    .defaultValue(new LinkedHashMap<>())
                    .withDescription(
                            "Extra Fluss client options as key:value,key:value, e.g."
                                    + " client.writer.batch-size:2mb.");

    public static final ConfigOption<Integer> PARALLELISM =
            ConfigOptions.key("parallelism")
                    .intType()
                    .defaultValue(-1)
                    .withDescription(
                            "Parallelism of the keyed operators; -1 uses the environment's.");

    public static final ConfigOption<Duration> CHECKPOINT_INTERVAL =
            ConfigOptions.key("checkpoint.interval")
                    .durationType()
                    .defaultValue(Duration.ofSeconds(30))
                    .withDescription("Exactly-once checkpoint interval; 0 disables checkpoints.");

    public static final ConfigOption<String> UID_PREFIX =
            ConfigOptions.key("uid-prefix")
                    .stringType()
                    .defaultValue("gridhouse")
                    .withDescription(
                            "Prefix of every operator uid; keep it stable across upgrades so"
                                    + " savepoints restore.");

    public static final ConfigOption<Integer> MAX_PARALLELISM =
            ConfigOptions.key("max-parallelism")
                    .intType()
                    .defaultValue(-1)
                    .withDescription(
                            "Maximum parallelism = number of key groups, the upper bound for"
                                    + " rescaling from a savepoint; fix it before the first"
                                    + " production run (e.g. 128 or 720). -1 keeps Flink's"
                                    + " default.");

    public static final ConfigOption<String> CHECKPOINT_DIR =
            ConfigOptions.key("checkpoint.dir")
                    .stringType()
                    .noDefaultValue()
                    .withDescription(
                            "Durable checkpoint storage URI (s3://…, hdfs://…, file:///shared/…);"
                                    + " checkpoints are then retained on cancellation. Unset keeps"
                                    + " the cluster's storage.");

    public static final ConfigOption<String> SAVEPOINT_DIR =
            ConfigOptions.key("savepoint.dir")
                    .stringType()
                    .noDefaultValue()
                    .withDescription("Default savepoint directory; unset keeps the cluster's.");

    public static final ConfigOption<Duration> CHECKPOINT_TIMEOUT =
            ConfigOptions.key("checkpoint.timeout")
                    .durationType()
                    .defaultValue(Duration.ofMinutes(10))
                    .withDescription("A checkpoint not complete after this long is aborted.");

    public static final ConfigOption<Duration> CHECKPOINT_MIN_PAUSE =
            ConfigOptions.key("checkpoint.min-pause")
                    .durationType()
                    .defaultValue(Duration.ZERO)
                    .withDescription(
                            "Least time between the end of a checkpoint and the start of the"
                                    + " next, so slow checkpoints do not starve processing.");

    /** State backends a job can choose. */
    public enum StateBackend {
        /** Keep the cluster's configured backend. */
        CLUSTER,
        /** Objects on the JVM heap: fastest, bounded by TaskManager memory. */
        HASHMAP,
        /**
         * RocksDB on local disk with incremental checkpoints: for large state (hundreds of
         * thousands of devices × dedup keys × windows).
         */
        ROCKSDB
    }

    public static final ConfigOption<StateBackend> STATE_BACKEND =
            ConfigOptions.key("state.backend")
                    .enumType(StateBackend.class)
                    .defaultValue(StateBackend.CLUSTER)
                    .withDescription(
                            "State backend: hashmap (heap), rocksdb (large device counts;"
                                    + " incremental checkpoints) or cluster (keep the cluster's).");

    public static final ConfigOption<Integer> RESTART_ATTEMPTS =
            ConfigOptions.key("restart.attempts")
                    .intType()
                    .defaultValue(-1)
                    .withDescription(
                            "Restart attempts of the exponential-delay restart strategy after"
                                    + " a failure; 0 fails the job at once; -1 keeps the"
                                    + " cluster's strategy.");

    public static final ConfigOption<Duration> RESTART_MAX_DELAY =
            ConfigOptions.key("restart.max-delay")
                    .durationType()
                    .defaultValue(Duration.ofMinutes(1))
                    .withDescription("Longest back-off between restarts (starting at 1 s).");

    /** The options above, accepted by every job. */
    public static List<ConfigOption<?>> common() {
        return Arrays.asList(
                FLUSS_BOOTSTRAP_SERVERS,
                FLUSS_DATABASE,
                FLUSS_BUCKETS,
                FLUSS_CLIENT_OPTIONS,
                PARALLELISM,
                MAX_PARALLELISM,
                CHECKPOINT_INTERVAL,
                CHECKPOINT_TIMEOUT,
                CHECKPOINT_MIN_PAUSE,
                CHECKPOINT_DIR,
                SAVEPOINT_DIR,
                STATE_BACKEND,
                RESTART_ATTEMPTS,
                RESTART_MAX_DELAY,
                UID_PREFIX);
    }

    /**
     * The Fluss endpoint the options name, with {@code defaultDatabase} in place of {@link
     * #FLUSS_DATABASE}'s default when {@code --fluss.database} is not given (a job whose tables
     * live in another database by default).
     */
    public static FlussEndpoint endpoint(Configuration conf, String defaultDatabase) {
        return new FlussEndpoint(
                conf.get(FLUSS_BOOTSTRAP_SERVERS),
                conf.getOptional(FLUSS_DATABASE).orElse(defaultDatabase),
                conf.get(FLUSS_CLIENT_OPTIONS));
    }

    /** The Fluss endpoint the options name. */
    public static FlussEndpoint endpoint(Configuration conf) {
        return new FlussEndpoint(
                conf.get(FLUSS_BOOTSTRAP_SERVERS),
                conf.get(FLUSS_DATABASE),
                conf.get(FLUSS_CLIENT_OPTIONS));
    }
}
