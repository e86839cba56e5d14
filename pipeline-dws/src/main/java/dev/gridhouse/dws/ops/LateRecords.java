package dev.gridhouse.dws.ops;

import dev.gridhouse.contract.grid.EnrichedTelemetry;
import dev.gridhouse.core.model.DeadLetter;
import dev.gridhouse.core.model.RejectReason;
import dev.gridhouse.core.ops.DeadLetters;
import java.time.Duration;
import java.time.Instant;
import org.apache.flink.api.common.functions.RichMapFunction;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.metrics.Counter;

/**
 * Turns a record that arrived after its window closed into a LATE dead letter whose detail is the
 * window start (ISO-8601, contract §2).
 */
public class LateRecords extends RichMapFunction<EnrichedTelemetry, DeadLetter> {
    private static final long serialVersionUID = 1L;

    private final long windowMs;
    private transient Counter late;

    /**
     * @param window the size of the tumbling window the records were late for
     */
    public LateRecords(Duration window) {
        this.windowMs = window.toMillis();
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
    public DeadLetter map(EnrichedTelemetry e) {
        late.inc();
        return deadLetter(e, windowMs, System.currentTimeMillis());
    }

    /** The LATE dead letter of a record, detail = its window start. */
    public static DeadLetter deadLetter(EnrichedTelemetry e, long windowMs, long now) {
        long windowStart = Math.floorDiv(e.ts, windowMs) * windowMs;
        return TelemetryDeadLetters.of(
                e, RejectReason.LATE, Instant.ofEpochMilli(windowStart).toString(), now);
    }
}
