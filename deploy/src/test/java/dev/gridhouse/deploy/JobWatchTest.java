package dev.gridhouse.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gridhouse.core.config.CommonOptions;
import dev.gridhouse.core.config.JobSetup;
import java.time.Duration;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink;
import org.junit.jupiter.api.Test;

/**
 * A job that fails on every attempt, run the way {@code gridhouse local} runs its jobs (local
 * restart strategy, REST on a free port): the watch sees the restarts, and once they are used up
 * the runner's check fails with the root cause instead of the job restarting forever.
 */
class JobWatchTest {

    @Test
    void aJobThatKeepsFailingEndsAfterItsRestartsAndReportsTheRootCause() throws Exception {
        Configuration flink = LocalCluster.flinkConfig(1);
        StreamExecutionEnvironment env =
                StreamExecutionEnvironment.createLocalEnvironment(1, flink);
        Configuration options = new Configuration();
        options.set(CommonOptions.RESTART_ATTEMPTS, 2);
        options.set(CommonOptions.RESTART_MAX_DELAY, Duration.ofSeconds(1));
        Configuration jobConf = new Configuration();
        LocalCluster.restartStrategy(options, jobConf);
        JobSetup.configure(env, jobConf);
        env.fromSequence(0, Long.MAX_VALUE)
                .map(
                        i -> {
                            if (i >= 3) {
                                throw new IllegalStateException("replication slot is gone");
                            }
                            return i;
                        })
                .returns(Types.LONG)
                .sinkTo(new DiscardingSink<>());
        JobClient job = env.executeAsync("always-failing");
        JobWatch watch = new JobWatch("test", job, JobWatch.restPort(flink));

        long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        long restartsSeen = 0;
        while (!watch.status().isGloballyTerminalState() && System.nanoTime() < deadline) {
            restartsSeen = Math.max(restartsSeen, watch.restarts());
            Thread.sleep(100);
        }
        assertThat(watch.status()).isEqualTo(JobStatus.FAILED);
        assertThat(restartsSeen).as("restarts read from the REST API").isGreaterThanOrEqualTo(1);
        assertThat(watch.describe()).startsWith("test FAILED");
        assertThatThrownBy(() -> JobWatch.failIfEnded(watch))
                .isInstanceOf(JobWatch.JobFailedException.class)
                .hasMessageContaining("the test job ended FAILED")
                .hasMessageContaining("IllegalStateException: replication slot is gone");
    }
}
