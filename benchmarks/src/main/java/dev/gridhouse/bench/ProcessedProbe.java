package dev.gridhouse.bench;

import dev.gridhouse.contract.grid.EnrichedTelemetry;
import java.util.concurrent.atomic.LongAdder;
import org.apache.flink.api.common.functions.MapFunction;

/**
 * Counts the DWD records a {@link LivePipeline} has processed, in a static counter read by the
 * harness: the job runs on a MiniCluster in the harness's JVM, and one pipeline runs at a time.
 */
final class ProcessedProbe implements MapFunction<EnrichedTelemetry, EnrichedTelemetry> {
    private static final long serialVersionUID = 1L;
    static final LongAdder PROCESSED = new LongAdder();

    @Override
    public EnrichedTelemetry map(EnrichedTelemetry t) {
        PROCESSED.increment();
        return t;
    }
}
