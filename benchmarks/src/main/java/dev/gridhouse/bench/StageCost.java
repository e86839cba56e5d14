package dev.gridhouse.bench;

import java.util.ArrayList;
import java.util.List;

/**
 * One row of the per-stage CPU table of scenarios 4 and 6 (see {@link CpuStages}), as written to
 * {@code results.json}.
 */
public class StageCost {
    /** The stage: a Flink operator chain, a client or server thread group, GC, JIT, a process. */
    public String stage;

    /** Threads (or processes) that used CPU in the window and belong to the stage. */
    public int threads;

    /** CPU seconds (user + system) of the stage in the measured window. */
    public double cpuSeconds;

    /** {@link #cpuSeconds} per input record sent in the window, in microseconds. */
    public double microsPerInputRecord;

    /** Share of the total CPU of the window, in percent. */
    public double sharePercent;

    /** The stage's threads that used most CPU, as {@code name: seconds} (at most 5). */
    public List<String> topThreads = new ArrayList<>();

    public StageCost() {}
}
