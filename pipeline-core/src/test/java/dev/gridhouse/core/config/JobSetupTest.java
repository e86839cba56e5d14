package dev.gridhouse.core.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.apache.flink.api.common.functions.RichMapFunction;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.ExternalizedCheckpointRetention;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.configuration.StateBackendOptions;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JobSetupTest {

    @Test
    void defaultsLeaveTheClustersSettingsAlone() {
        Configuration flink = JobSetup.flinkSettings(new Configuration());
        assertThat(flink.get(PipelineOptions.GENERIC_TYPES)).isFalse();
        assertThat(flink.getOptional(PipelineOptions.MAX_PARALLELISM)).isEmpty();
        assertThat(flink.getOptional(StateBackendOptions.STATE_BACKEND)).isEmpty();
        assertThat(flink.getOptional(RestartStrategyOptions.RESTART_STRATEGY)).isEmpty();
        assertThat(flink.getOptional(CheckpointingOptions.CHECKPOINTS_DIRECTORY)).isEmpty();
    }

    @Test
    void productionOptionsBecomeFlinkSettings() {
        Configuration conf =
                JobOptions.of("t", "t", CommonOptions.common())
                        .parse(
                                new String[] {
                                    "--max-parallelism", "720",
                                    "--state.backend", "rocksdb",
                                    "--checkpoint.dir", "s3://bucket/checkpoints",
                                    "--savepoint.dir", "s3://bucket/savepoints",
                                    "--checkpoint.timeout", "5min",
                                    "--checkpoint.min-pause", "10s",
                                    "--restart.attempts", "20",
                                    "--restart.max-delay", "2min"
                                });
        Configuration flink = JobSetup.flinkSettings(conf);
        assertThat(flink.get(PipelineOptions.MAX_PARALLELISM)).isEqualTo(720);
        assertThat(flink.get(StateBackendOptions.STATE_BACKEND)).isEqualTo("rocksdb");
        assertThat(flink.get(CheckpointingOptions.INCREMENTAL_CHECKPOINTS)).isTrue();
        assertThat(flink.get(CheckpointingOptions.CHECKPOINTS_DIRECTORY))
                .isEqualTo("s3://bucket/checkpoints");
        assertThat(flink.get(CheckpointingOptions.EXTERNALIZED_CHECKPOINT_RETENTION))
                .isEqualTo(ExternalizedCheckpointRetention.RETAIN_ON_CANCELLATION);
        assertThat(flink.get(CheckpointingOptions.SAVEPOINT_DIRECTORY))
                .isEqualTo("s3://bucket/savepoints");
        assertThat(flink.get(CheckpointingOptions.CHECKPOINTING_TIMEOUT))
                .isEqualTo(Duration.ofMinutes(5));
        assertThat(flink.get(CheckpointingOptions.MIN_PAUSE_BETWEEN_CHECKPOINTS))
                .isEqualTo(Duration.ofSeconds(10));
        assertThat(flink.get(RestartStrategyOptions.RESTART_STRATEGY))
                .isEqualTo("exponential-delay");
        assertThat(flink.get(RestartStrategyOptions.RESTART_STRATEGY_EXPONENTIAL_DELAY_ATTEMPTS))
                .isEqualTo(20);
        assertThat(flink.get(RestartStrategyOptions.RESTART_STRATEGY_EXPONENTIAL_DELAY_MAX_BACKOFF))
                .isEqualTo(Duration.ofMinutes(2));

        Configuration none = new Configuration();
        none.set(CommonOptions.RESTART_ATTEMPTS, 0);
        assertThat(JobSetup.flinkSettings(none).get(RestartStrategyOptions.RESTART_STRATEGY))
                .isEqualTo("none");
    }

    /** A keyed job on a MiniCluster with the RocksDB backend and checkpoints in a directory. */
    @Test
    void rocksDbJobRunsWithCheckpointsInTheDirectory(@TempDir Path dir) throws Exception {
        Configuration conf = new Configuration();
        conf.set(CommonOptions.STATE_BACKEND, CommonOptions.StateBackend.ROCKSDB);
        conf.set(CommonOptions.CHECKPOINT_DIR, dir.toUri().toString());
        conf.set(CommonOptions.CHECKPOINT_INTERVAL, Duration.ofMillis(100));
        conf.set(CommonOptions.PARALLELISM, 2);
        conf.set(CommonOptions.MAX_PARALLELISM, 64);
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        JobSetup.configure(env, conf);
        assertThat(env.getConfig().getMaxParallelism()).isEqualTo(64);
        List<Long> counts =
                env.fromSequence(0, 9_999)
                        .keyBy(i -> i % 10, Types.LONG)
                        .map(new CountPerKey())
                        .executeAndCollect(20_000);
        assertThat(counts).hasSize(10_000);
        assertThat(counts.stream().mapToLong(Long::longValue).max()).hasValue(1_000L);
    }

    private static final class CountPerKey extends RichMapFunction<Long, Long> {
        private transient ValueState<Long> count;

        @Override
        public void open(org.apache.flink.api.common.functions.OpenContext ctx) {
            count = getRuntimeContext().getState(new ValueStateDescriptor<>("n", Types.LONG));
        }

        @Override
        public Long map(Long value) throws Exception {
            long n = count.value() == null ? 1 : count.value() + 1;
            count.update(n);
            return n;
        }
    }
}
