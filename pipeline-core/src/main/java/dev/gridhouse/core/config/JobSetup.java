package dev.gridhouse.core.config;

import dev.gridhouse.core.catalog.GridCatalog;
import dev.gridhouse.core.catalog.TableSpec;
import dev.gridhouse.core.io.FlussEndpoint;
import java.time.Duration;
import java.util.Collection;
import org.apache.flink.api.common.ExecutionConfig;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.PipelineOptions;
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
        Configuration pipeline = new Configuration();
        pipeline.set(PipelineOptions.GENERIC_TYPES, false);
        env.configure(pipeline);
        Duration interval = conf.get(GridOptions.CHECKPOINT_INTERVAL);
        if (!interval.isZero()) {
            env.enableCheckpointing(interval.toMillis(), CheckpointingMode.EXACTLY_ONCE);
        }
        int parallelism = conf.get(GridOptions.PARALLELISM);
        if (parallelism > 0) {
            env.setParallelism(parallelism);
        }
        ExecutionConfig.GlobalJobParameters params = conf;
        env.getConfig().setGlobalJobParameters(params);
    }

    /** Creates the tables the job writes or reads, where they are missing. */
    public static void ensureTables(
            FlussEndpoint fluss, int bucketOverride, Collection<TableSpec> tables) {
        try (GridCatalog catalog =
                new GridCatalog(fluss.toFlussConfig(), fluss.database(), bucketOverride)) {
            catalog.ensureTables(tables);
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException("Could not close the Fluss catalog", e);
        }
    }
}
