package dev.gridhouse.dws.ops;

import dev.gridhouse.contract.grid.EnrichedTelemetry;
import dev.gridhouse.core.ops.ClosedWindowGate;
import dev.gridhouse.core.ops.DeadLetters;
import java.time.Duration;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;

/**
 * Sends a record whose one-minute window the watermark has already closed (window end − 1 + allowed
 * lateness ≤ watermark, Flink's own test) to the dead letter as LATE ({@link DeadLetters#TAG}),
 * before the record reaches the DWD table or the window. The frontier is checkpointed, so the
 * decision holds after any restore ({@link ClosedWindowGate}). Chain it directly in front of the
 * window operator.
 *
 * <pre>{@code
 * stream.transform("Route : late telemetry", TypeInformation.of(EnrichedTelemetry.class),
 *         new LateTelemetryRouter(Duration.ofMinutes(1), allowedLateness))
 * }</pre>
 */
public class LateTelemetryRouter extends ClosedWindowGate<EnrichedTelemetry> {
    private static final long serialVersionUID = 1L;

    private final long windowMs;

    public LateTelemetryRouter(Duration window, Duration allowedLateness) {
        super(window, allowedLateness, null, e -> e.ts);
        this.windowMs = window.toMillis();
    }

    @Override
    protected void onLate(StreamRecord<EnrichedTelemetry> record, long windowStart) {
        output.collect(
                DeadLetters.TAG,
                new StreamRecord<>(
                        LateRecords.deadLetter(
                                record.getValue(),
                                windowMs,
                                getProcessingTimeService().getCurrentProcessingTime()),
                        record.getTimestamp()));
    }
}
