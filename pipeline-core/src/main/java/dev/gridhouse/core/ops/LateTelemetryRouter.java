package dev.gridhouse.core.ops;

import dev.gridhouse.core.model.EnrichedTelemetry;
import dev.gridhouse.core.model.RejectReason;
import java.time.Duration;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Sends a record whose tumbling window the watermark has already closed (window end − 1 + allowed
 * lateness ≤ watermark, Flink's own test) to the dead letter as LATE, before the record reaches the
 * DWD table or the window. Chain it directly in front of the window operator so both see the same
 * watermark; the window then never drops a record itself.
 */
public class LateTelemetryRouter extends ProcessFunction<EnrichedTelemetry, EnrichedTelemetry> {
    private static final long serialVersionUID = 1L;

    private final long windowMs;
    private final long allowedLatenessMs;
    private transient Counter late;

    public LateTelemetryRouter(Duration window, Duration allowedLateness) {
        this.windowMs = window.toMillis();
        this.allowedLatenessMs = allowedLateness.toMillis();
    }

    @Override
    public void open(Configuration parameters) {
        late =
                getRuntimeContext()
                        .getMetricGroup()
                        .addGroup(DeadLetters.METRIC_GROUP)
                        .counter(RejectReason.LATE.name());
    }

    @Override
    public void processElement(EnrichedTelemetry e, Context ctx, Collector<EnrichedTelemetry> out) {
        long windowEnd = Math.floorDiv(e.ts, windowMs) * windowMs + windowMs;
        if (windowEnd - 1 + allowedLatenessMs <= ctx.timerService().currentWatermark()) {
            late.inc();
            ctx.output(
                    DeadLetters.TAG,
                    LateRecords.deadLetter(
                            e, windowMs, ctx.timerService().currentProcessingTime()));
        } else {
            out.collect(e);
        }
    }
}
