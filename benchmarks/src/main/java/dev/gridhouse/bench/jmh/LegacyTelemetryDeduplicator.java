package dev.gridhouse.bench.jmh;

import dev.gridhouse.contract.grid.EnrichedTelemetry;
import dev.gridhouse.contract.grid.Telemetry;
import dev.gridhouse.core.model.DeadLetter;
import dev.gridhouse.core.model.RejectReason;
import dev.gridhouse.core.ops.DeadLetters;
import dev.gridhouse.core.serde.ModelJson;
import dev.gridhouse.ods.parse.TelemetryValidator;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.StateTtlConfig;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * The dedup operator as it was before the per-device {@code long[]} redesign of {@link
 * dev.gridhouse.dws.ops.TelemetryDeduplicator}, kept only as the "before" of {@link
 * DedupBenchmarks}: a TTL'd {@code MapState<Long, Boolean>} of every seen ts, one event-time timer
 * per record and a scan of the whole map in {@code onTimer}.
 *
 * <p>Drops repeated {@code (device_id, ts)} samples to the dead letter as DUPLICATE (contract §4).
 * Keyed by device id; remembers each seen {@code ts} until the watermark passes {@code ts +
 * retention} (event-time timers), with processing-time state TTL as a backstop for devices that
 * fall silent. Retention must cover out-of-orderness + allowed lateness + 1 minute.
 */
public class LegacyTelemetryDeduplicator
        extends KeyedProcessFunction<String, EnrichedTelemetry, EnrichedTelemetry> {
    private static final long serialVersionUID = 1L;

    private final long retentionMs;
    private final Duration stateTtl;

    private transient MapState<Long, Boolean> seen;
    private transient Counter duplicates;

    /**
     * @param retention how long after its event time a sample is remembered
     * @param stateTtl processing-time TTL of the remembered samples (a backstop)
     */
    public LegacyTelemetryDeduplicator(Duration retention, Duration stateTtl) {
        if (retention.isNegative() || retention.isZero()) {
            throw new IllegalArgumentException("Dedup retention must be positive: " + retention);
        }
        this.retentionMs = retention.toMillis();
        this.stateTtl = stateTtl;
    }

    @Override
    public void open(Configuration parameters) {
        MapStateDescriptor<Long, Boolean> desc =
                new MapStateDescriptor<>("seen-ts", Types.LONG, Types.BOOLEAN);
        if (!stateTtl.isZero()) {
            desc.enableTimeToLive(StateTtlConfig.newBuilder(stateTtl).build());
        }
        seen = getRuntimeContext().getMapState(desc);
        duplicates =
                getRuntimeContext()
                        .getMetricGroup()
                        .addGroup(DeadLetters.METRIC_GROUP)
                        .counter(RejectReason.DUPLICATE.name());
    }

    @Override
    public void processElement(EnrichedTelemetry e, Context ctx, Collector<EnrichedTelemetry> out)
            throws Exception {
        if (seen.contains(e.ts)) {
            duplicates.inc();
            Telemetry plain = new Telemetry();
            plain.copyTelemetryFrom(e);
            ctx.output(
                    DeadLetters.TAG,
                    new DeadLetter(
                            TelemetryValidator.SOURCE,
                            RejectReason.DUPLICATE,
                            null,
                            ModelJson.toJson(plain),
                            e.ts,
                            ctx.timerService().currentProcessingTime()));
            return;
        }
        long expiry = e.ts + retentionMs;
        if (expiry <= ctx.timerService().currentWatermark()) {
            // already beyond retention: remembering it would be dropped by the next timer anyway
            out.collect(e);
            return;
        }
        seen.put(e.ts, Boolean.TRUE);
        ctx.timerService().registerEventTimeTimer(expiry);
        out.collect(e);
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<EnrichedTelemetry> out)
            throws Exception {
        long oldestKept = timestamp - retentionMs;
        List<Long> expired = new ArrayList<>();
        Iterator<Map.Entry<Long, Boolean>> it = seen.iterator();
        while (it.hasNext()) {
            long ts = it.next().getKey();
            if (ts <= oldestKept) {
                expired.add(ts);
            }
        }
        for (Long ts : expired) {
            seen.remove(ts);
        }
    }
}
