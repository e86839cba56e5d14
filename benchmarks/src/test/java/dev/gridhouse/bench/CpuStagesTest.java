package dev.gridhouse.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Thread name → stage grouping and the stage table's arithmetic. */
class CpuStagesTest {
    @Test
    void flinkTaskThreadsGroupByTheirChainOverAllSubtasks() {
        String chain = "Source: Fluss Source : ods_grid_telemetry -> Lookup : ods_devices";
        assertThat(CpuStages.stageOf(chain + " (1/2)#0"))
                .isEqualTo(CpuStages.FLINK_TASK + chain)
                .isEqualTo(CpuStages.stageOf(chain + " (2/2)#0"));
        assertThat(CpuStages.stageOf("Window : dws_device_minute (1/1)"))
                .isEqualTo(CpuStages.FLINK_TASK + "Window : dws_device_minute");
    }

    @Test
    void flinkHelperThreadsOfATaskAreNotTheTask() {
        String chain = "Source: Kafka Source : t -> Validate : telemetry (Avro) (1/2)#0";
        assertThat(CpuStages.stageOf("Source Data Fetcher for " + chain))
                .startsWith("Flink source split fetcher");
        assertThat(CpuStages.stageOf("OutputFlusher for " + chain))
                .startsWith("Flink runtime: output flushers");
        assertThat(CpuStages.stageOf("Time Trigger for " + chain))
                .isEqualTo("Flink runtime: processing-time timer threads")
                .isEqualTo(CpuStages.stageOf("System Time Trigger for " + chain));
        assertThat(CpuStages.stageOf("SourceCoordinator-Source: Kafka Source : t"))
                .startsWith("Flink runtime: RPC");
        assertThat(CpuStages.stageOf("AsyncOperations-thread-3"))
                .isEqualTo("Flink runtime: checkpointing");
        assertThat(CpuStages.stageOf("Checkpoint Timer")).isEqualTo("Flink runtime: checkpointing");
        assertThat(CpuStages.stageOf("flink-pekko.actor.default-dispatcher-5"))
                .startsWith("Flink runtime: RPC");
    }

    @Test
    void jvmNativeThreadsByTheirComm() {
        assertThat(CpuStages.stageOf("GC Thread#0")).isEqualTo("JVM: garbage collection");
        assertThat(CpuStages.stageOf("G1 Conc#0")).isEqualTo("JVM: garbage collection");
        assertThat(CpuStages.stageOf("G1 Refine#0")).isEqualTo("JVM: garbage collection");
        assertThat(CpuStages.stageOf("C2 CompilerThre")).isEqualTo("JVM: JIT compilers");
        assertThat(CpuStages.stageOf("C1 CompilerThre")).isEqualTo("JVM: JIT compilers");
        assertThat(CpuStages.stageOf("VM Thread")).startsWith("JVM: VM thread");
        assertThat(CpuStages.stageOf("VM Periodic Tas")).startsWith("JVM: VM thread");
    }

    @Test
    void clientsServersAndHarness() {
        assertThat(CpuStages.stageOf("kafka-producer-network-thread | producer-3"))
                .startsWith("Kafka clients");
        assertThat(CpuStages.stageOf("lettuce-epollEventLoop-4-1")).startsWith("Redis client");
        assertThat(CpuStages.stageOf("lettuce-timer-3-1")).startsWith("Redis client");
        assertThat(CpuStages.stageOf("jdbc-upsert-output-format-thread-1")).startsWith("JDBC sink");
        assertThat(CpuStages.stageOf("fluss-write-sender-thread-1"))
                .startsWith("Fluss client: writer sender");
        assertThat(CpuStages.stageOf("fluss-lookup-sender-thread-1"))
                .startsWith("Fluss client: lookup sender");
        assertThat(CpuStages.stageOf("fluss-netty-client(EPOLL)-3-1"))
                .startsWith("Fluss client: netty");
        assertThat(CpuStages.stageOf("mirror-ods_lines")).startsWith("Fluss client: scanner");
        assertThat(CpuStages.stageOf("fluss-netty-server-worker-thread-2"))
                .startsWith("Fluss servers: netty");
        assertThat(CpuStages.stageOf("delay fetch log-thread-1"))
                .startsWith("Fluss servers: background");
        assertThat(CpuStages.stageOf("ExpirationReaper-0-delay write"))
                .startsWith("Fluss servers: background");
        assertThat(CpuStages.stageOf("SyncThread:0")).startsWith("ZooKeeper");
        assertThat(CpuStages.stageOf("NIOWorkerThread-2")).startsWith("ZooKeeper");
        assertThat(CpuStages.stageOf("main")).startsWith("GridBench producer");
        assertThat(CpuStages.stageOf("gridbench-alarm-watcher"))
                .startsWith("GridBench alarm watcher");
        assertThat(CpuStages.stageOf("some-unknown-thread-7")).isEqualTo(CpuStages.OTHER);
    }

    @Test
    void nativeNamesAreTheFirst15Bytes() {
        assertThat(CpuStages.comm("C2 CompilerThread0")).isEqualTo("C2 CompilerThre");
        assertThat(CpuStages.comm("main")).isEqualTo("main");
    }

    @Test
    void tableAddsUpToTheProcessCpuAndIsSortedByCost() {
        List<CpuStages.ThreadCost> threads =
                List.of(
                        new CpuStages.ThreadCost(
                                "a (1/2)#0", "Flink task: a", false, 3_000_000_000L),
                        new CpuStages.ThreadCost(
                                "a (2/2)#0", "Flink task: a", false, 1_000_000_000L),
                        new CpuStages.ThreadCost(
                                "GC Thread#0", "JVM: garbage collection", true, 500_000_000L),
                        new CpuStages.ThreadCost("x", CpuStages.OTHER, false, 100_000_000L));
        List<StageCost> table =
                CpuStages.table(
                        threads,
                        5_000_000_000L,
                        Map.of("redis-server (external process)", 2.0),
                        1_000_000);
        assertThat(table)
                .extracting(st -> st.stage)
                .containsExactly(
                        "Flink task: a",
                        "redis-server (external process)",
                        "JVM: garbage collection",
                        CpuStages.UNATTRIBUTED,
                        CpuStages.OTHER,
                        CpuStages.TOTAL);
        StageCost task = table.get(0);
        assertThat(task.threads).isEqualTo(2);
        assertThat(task.cpuSeconds).isEqualTo(4.0);
        assertThat(task.microsPerInputRecord).isEqualTo(4.0);
        assertThat(table.get(3).cpuSeconds)
                .isCloseTo(0.4, org.assertj.core.data.Offset.offset(1e-9));
        StageCost total = table.get(table.size() - 1);
        assertThat(total.cpuSeconds).isCloseTo(7.0, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(total.sharePercent).isCloseTo(100.0, org.assertj.core.data.Offset.offset(1e-9));
    }

    @Test
    void snapshotsOfThisJvmSeeTheCurrentThreadsCpu() {
        CpuStages.Snapshot a = CpuStages.snapshot();
        long x = 0;
        for (long i = 0; i < 50_000_000L; i++) {
            x += i ^ (x >>> 3);
        }
        CpuStages.Snapshot b = CpuStages.snapshot();
        String me = Thread.currentThread().getName();
        assertThat(x).isNotZero();
        assertThat(CpuStages.threadCosts(a, b)).anySatisfy(t -> assertThat(t.name).isEqualTo(me));
    }
}
