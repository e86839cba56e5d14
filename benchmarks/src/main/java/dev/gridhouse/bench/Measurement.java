package dev.gridhouse.bench;

/**
 * One measured variant of one scenario, as written to {@code results.json}. Public fields for
 * Jackson. CPU is the sum over this JVM (which also hosts the embedded Fluss cluster) and the
 * external server processes (Kafka broker JVM, redis-server, PostgreSQL) over the variant's run.
 */
public class Measurement {
    public String scenario;
    public String variant;
    public String system;
    public long count;
    public double seconds;
    public double perSecond;

    /** What the latency percentiles time. */
    public String latencyOf;

    public int latencySamples;

    /** Latency percentiles; null when the variant times no latency (JSON has no NaN). */
    public Double p50Ms;

    public Double p99Ms;
    public Double p999Ms;
    public Double maxMs;
    public double cpuSeconds;
    public double cpuMicrosPerRecord;
    public double heapPeakMb;
    public double serversRssMb;
    public String settings;

    /** Scenario 6 only: the steps of the rate ramp; null otherwise. */
    public java.util.List<RateStep> steps;

    /** Scenarios 4 and 6: the input records sent in the measured window (0 otherwise). */
    public long inputRecords;

    /**
     * Scenarios 4 and 6: the CPU of the window by stage ({@link CpuStages}), sorted by cost, the
     * last row the total (= {@link #cpuSeconds}); null otherwise.
     */
    public java.util.List<StageCost> cpuStages;

    /** With {@code --profile-jfr}: the JFR recording of the window; null otherwise. */
    public String jfrFile;

    /** Every thread's CPU in the window (not in the JSON; written as a listing per variant). */
    java.util.List<CpuStages.ThreadCost> threadCosts;

    public Measurement() {}
}
