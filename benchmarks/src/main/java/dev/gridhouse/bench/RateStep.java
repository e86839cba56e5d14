package dev.gridhouse.bench;

/** One step of scenario 6's rate ramp, as written to {@code results.json}. */
public class RateStep {
    /** The input rate asked for. */
    public double targetPerSecond;

    /** The input rate the producer reached. */
    public double sentPerSecond;

    /** DWD records the pipeline processed per second during the step. */
    public double processedPerSecond;

    /** Records sent but not yet processed at the end of the step. */
    public long backlogAtEnd;

    /** Event → alarm row queryable for the faults injected during the step. */
    public Double alarmP50Ms;

    public Double alarmP99Ms;
    public int alarms;

    /** Fault → load-transfer decision row queryable, for the same faults. */
    public Double decisionP50Ms;

    public Double decisionP99Ms;
    public int decisions;

    /** Whether the step kept up: producer ≥ 95 % of target and backlog ≤ 2 s of input. */
    public boolean sustained;

    public RateStep() {}
}
