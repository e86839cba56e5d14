package dev.gridhouse.bench;

import dev.gridhouse.contract.grid.EnrichedTelemetry;
import dev.gridhouse.dws.DwsPipeline;
import java.util.concurrent.atomic.LongAdder;
import org.apache.flink.api.common.functions.MapFunction;

/**
 * Counts the DWD records a {@link LivePipeline} has processed, in a static counter read by the
 * harness: the job runs on a MiniCluster in the harness's JVM, and one pipeline runs at a time.
 */
final class ProcessedProbe implements MapFunction<EnrichedTelemetry, EnrichedTelemetry> {
    private static final long serialVersionUID = 1L;
    static final LongAdder PROCESSED = new LongAdder();

    /**
     * {@code dws} with its DWD telemetry through the probe ("Probe : processed", uid {@code
     * <prefix>-probe}), so that the DWD sink and the ADS layer count what they consume.
     */
    static DwsPipeline.Outputs probed(DwsPipeline.Outputs dws, String uidPrefix) {
        return dws.withDwdTelemetry(
                dws.dwdTelemetry
                        .map(new ProcessedProbe())
                        .name("Probe : processed")
                        .uid(uidPrefix + "-probe"));
    }

    @Override
    public EnrichedTelemetry map(EnrichedTelemetry t) {
        PROCESSED.increment();
        return t;
    }
}
