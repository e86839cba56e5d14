package dev.gridhouse.dws.ops;

import java.time.Duration;
import org.apache.flink.api.common.eventtime.SerializableTimestampAssigner;
import org.apache.flink.api.common.eventtime.Watermark;
import org.apache.flink.api.common.eventtime.WatermarkGenerator;
import org.apache.flink.api.common.eventtime.WatermarkOutput;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;

/**
 * Event-time watermarks of telemetry-derived streams (contract §4): highest {@code ts} seen minus
 * the out-of-orderness bound.
 *
 * <p>{@link #streaming} is Flink's periodic bounded-out-of-orderness strategy with idleness. {@link
 * #replay} emits the watermark after every record instead, so that in a bounded replay whether a
 * record is late depends only on the input order (contract §4), not on when periodic watermarks
 * happened to fire.
 */
public final class TelemetryWatermarks {
    private TelemetryWatermarks() {}

    public static <T> WatermarkStrategy<T> streaming(
            Duration outOfOrderness, Duration idleness, SerializableTimestampAssigner<T> ts) {
        WatermarkStrategy<T> s =
                WatermarkStrategy.<T>forBoundedOutOfOrderness(outOfOrderness)
                        .withTimestampAssigner(ts);
        return idleness.isZero() ? s : s.withIdleness(idleness);
    }

    public static <T> WatermarkStrategy<T> replay(
            Duration outOfOrderness, SerializableTimestampAssigner<T> ts) {
        long bound = outOfOrderness.toMillis();
        return WatermarkStrategy.<T>forGenerator(ctx -> new PerRecordGenerator<>(bound))
                .withTimestampAssigner(ts);
    }

    /** Emits max(ts) − bound − 1 after each record that raises it. */
    static final class PerRecordGenerator<T> implements WatermarkGenerator<T> {
        private final long bound;
        private long maxTs = Long.MIN_VALUE;
        private long emitted = Long.MIN_VALUE;

        PerRecordGenerator(long bound) {
            this.bound = bound;
        }

        @Override
        public void onEvent(T event, long eventTimestamp, WatermarkOutput output) {
            if (eventTimestamp > maxTs) {
                maxTs = eventTimestamp;
                long wm = maxTs - bound - 1;
                if (wm > emitted) {
                    emitted = wm;
                    output.emitWatermark(new Watermark(wm));
                }
            }
        }

        @Override
        public void onPeriodicEmit(WatermarkOutput output) {}
    }
}
