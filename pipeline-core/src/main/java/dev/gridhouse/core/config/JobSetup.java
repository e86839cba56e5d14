package dev.gridhouse.core.config;

import dev.gridhouse.core.catalog.FlussCatalog;
import dev.gridhouse.core.catalog.TableSpec;
import dev.gridhouse.core.io.FlussEndpoint;
import java.time.Duration;
import java.util.Collection;
import org.apache.flink.api.common.ExecutionConfig;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.ExternalizedCheckpointRetention;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.configuration.StateBackendOptions;
import org.apache.flink.streaming.api.CheckpointingMode;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/** What every Gridhouse job does before building its graph. */
public final class JobSetup {
    private JobSetup() {}

    /**
     * Applies the common options: no generic (Kryo) types, exactly-once checkpoints at the
     * configured interval, parallelism, and the options as global job parameters (shown in the web
     * UI).
     */
    public static void configure(StreamExecutionEnvironment env, Configuration conf) {
        env.configure(flinkSettings(conf));
        Duration interval = conf.get(CommonOptions.CHECKPOINT_INTERVAL);
        if (!interval.isZero()) {
            env.enableCheckpointing(interval.toMillis(), CheckpointingMode.EXACTLY_ONCE);
        }
        int parallelism = conf.get(CommonOptions.PARALLELISM);
        if (parallelism > 0) {
            env.setParallelism(parallelism);
        }
        ExecutionConfig.GlobalJobParameters params = conf;
        env.getConfig().setGlobalJobParameters(params);
    }

    /**
     * The Flink settings the job options stand for: no generic types, max parallelism, checkpoint
     * timeout/pause/storage (retained on cancellation when a durable directory is set), savepoint
     * directory, state backend (RocksDB with incremental checkpoints) and restart strategy. Options
     * left at their defaults leave the cluster's settings alone.
     */
    public static Configuration flinkSettings(Configuration conf) {
        Configuration flink = new Configuration();
        flink.set(PipelineOptions.GENERIC_TYPES, false);
        int maxParallelism = conf.get(CommonOptions.MAX_PARALLELISM);
        if (maxParallelism > 0) {
            flink.set(PipelineOptions.MAX_PARALLELISM, maxParallelism);
        }
        flink.set(
                CheckpointingOptions.CHECKPOINTING_TIMEOUT,
                conf.get(CommonOptions.CHECKPOINT_TIMEOUT));
        flink.set(
                CheckpointingOptions.MIN_PAUSE_BETWEEN_CHECKPOINTS,
                conf.get(CommonOptions.CHECKPOINT_MIN_PAUSE));
        conf.getOptional(CommonOptions.CHECKPOINT_DIR)
                .ifPresent(
                        dir -> {
                            flink.set(CheckpointingOptions.CHECKPOINT_STORAGE, "filesystem");
                            flink.set(CheckpointingOptions.CHECKPOINTS_DIRECTORY, dir);
                            flink.set(
                                    CheckpointingOptions.EXTERNALIZED_CHECKPOINT_RETENTION,
                                    ExternalizedCheckpointRetention.RETAIN_ON_CANCELLATION);
                        });
        conf.getOptional(CommonOptions.SAVEPOINT_DIR)
                .ifPresent(dir -> flink.set(CheckpointingOptions.SAVEPOINT_DIRECTORY, dir));
        switch (conf.get(CommonOptions.STATE_BACKEND)) {
            case HASHMAP:
                flink.set(StateBackendOptions.STATE_BACKEND, "hashmap");
                break;
            case ROCKSDB:
                flink.set(StateBackendOptions.STATE_BACKEND, "rocksdb");
                flink.set(CheckpointingOptions.INCREMENTAL_CHECKPOINTS, true);
                break;
            default:
                break;
        }
        int attempts = conf.get(CommonOptions.RESTART_ATTEMPTS);
        if (attempts == 0) {
            flink.set(RestartStrategyOptions.RESTART_STRATEGY, "none");
        } else if (attempts > 0) {
            flink.set(RestartStrategyOptions.RESTART_STRATEGY, "exponential-delay");
            flink.set(RestartStrategyOptions.RESTART_STRATEGY_EXPONENTIAL_DELAY_ATTEMPTS, attempts);
            flink.set(
                    RestartStrategyOptions.RESTART_STRATEGY_EXPONENTIAL_DELAY_INITIAL_BACKOFF,
                    Duration.ofSeconds(1));
            flink.set(
                    RestartStrategyOptions.RESTART_STRATEGY_EXPONENTIAL_DELAY_MAX_BACKOFF,
                    conf.get(CommonOptions.RESTART_MAX_DELAY));
        }
        return flink;
    }

    /** Creates the tables the job writes or reads, where they are missing. */
    public static void ensureTables(
            FlussEndpoint fluss, int bucketOverride, Collection<TableSpec> tables) {
        try (FlussCatalog catalog =
                new FlussCatalog(fluss.toFlussConfig(), fluss.database(), bucketOverride)) {
            catalog.ensureTables(tables);
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException("Could not close the Fluss catalog", e);
        }
    }
}
