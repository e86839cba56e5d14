package dev.gridhouse.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Measures one variant: wall time, CPU (this JVM via {@code OperatingSystemMXBean} plus the
 * external server process trees via {@code /proc}), peak heap used (sampled every 20 ms) and the
 * servers' resident memory at the end.
 */
final class Meter {
    private static final com.sun.management.OperatingSystemMXBean OS =
            (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    private static final MemoryMXBean MEMORY = ManagementFactory.getMemoryMXBean();

    private final List<Long> serverPids;
    private final long wall0;
    private final long jvmCpu0;
    private final double serversCpu0;
    private final AtomicLong heapPeak = new AtomicLong();
    private volatile boolean sampling = true;
    private final Thread sampler;

    private Meter(List<Long> serverPids) {
        this.serverPids = serverPids;
        this.serversCpu0 = serversCpu();
        this.jvmCpu0 = OS.getProcessCpuTime();
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
        return new Meter(serverPids);
    }

    private double serversCpu() {
        double s = 0;
        for (long pid : serverPids) {
            s += ProcStats.cpuSeconds(pid);
        }
        return s;
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
        long wall = System.nanoTime() - wall0;
        long jvmCpu = OS.getProcessCpuTime() - jvmCpu0;
        double serversCpu = serversCpu() - serversCpu0;
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
        return m;
    }
}
