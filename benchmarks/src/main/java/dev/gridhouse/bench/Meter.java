package dev.gridhouse.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Measures one variant: wall time, CPU (this JVM via {@code OperatingSystemMXBean} plus the
 * external server process trees via {@code /proc}), peak heap used (sampled every 20 ms) and the
 * servers' resident memory at the end. Started with {@link #withStages}, it also snapshots every
 * thread's CPU time at the start and the end and breaks the CPU down by stage ({@link CpuStages}).
 */
final class Meter {
    private static final com.sun.management.OperatingSystemMXBean OS =
            (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    private static final MemoryMXBean MEMORY = ManagementFactory.getMemoryMXBean();

    private final List<Long> serverPids;
    private final long wall0;
    private final long jvmCpu0;
    private final Map<Long, Double> serverCpu0 = new LinkedHashMap<>();
    private final CpuStages.Snapshot threads0;
    private final AtomicLong heapPeak = new AtomicLong();
    private volatile boolean sampling = true;
    private final Thread sampler;

    private Meter(List<Long> serverPids, boolean stages) {
        this.serverPids = serverPids;
        for (long pid : serverPids) {
            serverCpu0.put(pid, ProcStats.cpuSeconds(pid));
        }
        this.jvmCpu0 = OS.getProcessCpuTime();
        this.threads0 = stages ? CpuStages.snapshot() : null;
        this.sampler =
                new Thread(
                        () -> {
                            while (sampling) {
                                heapPeak.accumulateAndGet(
                                        MEMORY.getHeapMemoryUsage().getUsed(), Math::max);
                                try {
                                    Thread.sleep(20);
                                } catch (InterruptedException e) {
                                    return;
                                }
                            }
                        },
                        "bench-heap-sampler");
        sampler.setDaemon(true);
        sampler.start();
        this.wall0 = System.nanoTime();
    }

    static Meter start(List<Long> serverPids) {
        return new Meter(serverPids, false);
    }

    /** A meter that also measures the CPU per stage (scenarios 4 and 6). */
    static Meter withStages(List<Long> serverPids) {
        return new Meter(serverPids, true);
    }

    /** Stops measuring; {@code count} records were processed. */
    Measurement stop(
            String scenario,
            String variant,
            String system,
            long count,
            Latencies latencies,
            String latencyOf,
            String settings) {
        return stop(scenario, variant, system, count, latencies, latencyOf, settings, count);
    }

    /**
     * Stops measuring; {@code count} records were processed, {@code inputRecords} sent (the divisor
     * of the per-stage table, when measured).
     */
    Measurement stop(
            String scenario,
            String variant,
            String system,
            long count,
            Latencies latencies,
            String latencyOf,
            String settings,
            long inputRecords) {
        long wall = System.nanoTime() - wall0;
        CpuStages.Snapshot threads1 = threads0 == null ? null : CpuStages.snapshot();
        long jvmCpu = OS.getProcessCpuTime() - jvmCpu0;
        Map<String, Double> processCpu = new LinkedHashMap<>();
        double serversCpu = 0;
        for (long pid : serverPids) {
            double d = ProcStats.cpuSeconds(pid) - serverCpu0.getOrDefault(pid, 0.0);
            serversCpu += d;
            processCpu.merge(ProcStats.label(pid), d, Double::sum);
        }
        sampling = false;
        sampler.interrupt();
        Measurement m = new Measurement();
        m.scenario = scenario;
        m.variant = variant;
        m.system = system;
        m.count = count;
        m.seconds = wall / 1e9;
        m.perSecond = count / m.seconds;
        m.latencyOf = latencyOf;
        m.latencySamples = latencies.size();
        if (latencies.size() > 0) {
            m.p50Ms = latencies.percentileMs(50);
            m.p99Ms = latencies.percentileMs(99);
            m.p999Ms = latencies.percentileMs(99.9);
            m.maxMs = latencies.percentileMs(100);
        }
        m.cpuSeconds = jvmCpu / 1e9 + serversCpu;
        m.cpuMicrosPerRecord = count == 0 ? 0 : m.cpuSeconds * 1e6 / count;
        m.heapPeakMb = Math.max(heapPeak.get(), MEMORY.getHeapMemoryUsage().getUsed()) / 1048576.0;
        double rss = 0;
        for (long pid : serverPids) {
            rss += ProcStats.rssMb(pid);
        }
        m.serversRssMb = rss;
        m.settings = settings;
        if (threads1 != null) {
            m.inputRecords = inputRecords;
            m.threadCosts = CpuStages.threadCosts(threads0, threads1);
            m.cpuStages = CpuStages.table(m.threadCosts, jvmCpu, processCpu, inputRecords);
        }
        return m;
    }
}
