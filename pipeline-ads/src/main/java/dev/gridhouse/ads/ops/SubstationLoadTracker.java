package dev.gridhouse.ads.ops;

import dev.gridhouse.contract.grid.Alarm;
import dev.gridhouse.contract.grid.EnrichedTelemetry;
import dev.gridhouse.contract.grid.SubstationLoad;
import java.io.Serializable;
import java.time.Duration;
import java.util.Iterator;
import java.util.Map;
import java.util.Objects;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.metrics.Counter;
import org.apache.flink.runtime.state.KeyedStateBackend;
import org.apache.flink.runtime.state.VoidNamespace;
import org.apache.flink.runtime.state.VoidNamespaceSerializer;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.streaming.api.operators.BoundedOneInput;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.api.operators.OneInputStreamOperator;
import org.apache.flink.streaming.api.operators.TimestampedCollector;
import org.apache.flink.util.Collector;

/**
 * Keeps {@code dws_substation_load} current (contract §6): the sum of the latest active power of
 * each non-generator device of a substation, with {@code updated_at} = the newest event time seen
 * for the substation. Keyed by substation id.
 *
 * <p>Each record costs O(1): the substation's running sum is updated by the difference between the
 * device's new and previous power (no iteration over the substation's devices). A load is emitted
 *
 * <ul>
 *   <li>at once for a record that is <em>urgent</em> (by default one that may trigger a dispatch
 *       decision, {@link #decisionTrigger}), so that a {@link DispatchDecider} waiting for the load
 *       "as of" its alarm's event time is released without delay;
 *   <li>otherwise at most once per {@code emitInterval} per substation (a coalesced processing-time
 *       timer on interval boundaries), and only if the load, the device count or {@code updated_at}
 *       changed since the last emitted row. With a zero interval every record emits (the behaviour
 *       of {@link #SubstationLoadTracker(Duration)}).
 * </ul>
 *
 * <p>{@code updated_at} never goes back, also when the substation's records arrive out of
 * event-time order from several upstream channels. A device that has not reported for {@code
 * deviceTtl} (processing time) drops out of the sum at the next sweep (every {@code deviceTtl / 4},
 * at most every minute), which also recomputes the sum from the devices' values so floating-point
 * drift of the running sum never accumulates; a substation whose devices all expired is removed.
 */
public class SubstationLoadTracker
        extends KeyedProcessFunction<String, EnrichedTelemetry, SubstationLoad> {
    private static final long serialVersionUID = 1L;

    /** Whether a record must be reflected in the emitted load at once. */
    @FunctionalInterface
    public interface Urgency extends Serializable {
        boolean test(EnrichedTelemetry record);
    }

    private final long deviceTtlMs;
    private final long emitIntervalMs;
    private final long sweepIntervalMs;
    private final Urgency urgent;

    private static final ValueStateDescriptor<Totals> TOTALS =
            new ValueStateDescriptor<>("substation-totals", TypeInformation.of(Totals.class));

    private transient MapState<String, DeviceLoad> devices;
    private transient ValueState<Totals> totals;
    private transient Counter emitted;

    /** Emits on every record; devices silent for {@code deviceTtl} drop out. */
    public SubstationLoadTracker(Duration deviceTtl) {
        this(deviceTtl, Duration.ZERO, r -> true);
    }

    /**
     * @param deviceTtl a device silent this long (processing time) drops out of the sum
     * @param emitInterval at most one row per substation per interval for non-urgent records; zero
     *     = a row per record
     * @param urgent records whose load is emitted at once, e.g. {@link #decisionTrigger}
     */
    public SubstationLoadTracker(Duration deviceTtl, Duration emitInterval, Urgency urgent) {
        Objects.requireNonNull(deviceTtl, "deviceTtl");
        Objects.requireNonNull(emitInterval, "emitInterval");
        if (deviceTtl.isNegative() || deviceTtl.isZero()) {
            throw new IllegalArgumentException(
                    "deviceTtl must be positive (how long a silent device stays in the load): "
                            + deviceTtl);
        }
        if (emitInterval.isNegative()) {
            throw new IllegalArgumentException(
                    "emitInterval must be zero (a row per record) or positive: " + emitInterval);
        }
        this.deviceTtlMs = deviceTtl.toMillis();
        this.emitIntervalMs = emitInterval.toMillis();
        this.sweepIntervalMs = Math.max(1, Math.min(deviceTtlMs / 4, 60_000L));
        this.urgent = Objects.requireNonNull(urgent, "urgent");
    }

    /**
     * Records that may trigger a dispatch decision under {@code rules}: a non-zero status code
     * (DEVICE_FAULT) or a CRITICAL OVERLOAD of a non-generator — the alarms {@link
     * DispatchDecider#triggers} decides on.
     */
    public static Urgency decisionTrigger(AlarmRules rules) {
        return r ->
                (r.statusCode != null && r.statusCode != 0)
                        || Alarm.CRITICAL.equals(rules.evaluate(AlarmRules.OVERLOAD, r).severity);
    }

    @Override
    public void open(Configuration parameters) {
        devices =
                getRuntimeContext()
                        .getMapState(
                                new MapStateDescriptor<>(
                                        "device-power",
                                        Types.STRING,
                                        TypeInformation.of(DeviceLoad.class)));
        totals = getRuntimeContext().getState(TOTALS);
        emitted = getRuntimeContext().getMetricGroup().counter("substationLoadsEmitted");
    }

    @Override
    public void processElement(EnrichedTelemetry t, Context ctx, Collector<SubstationLoad> out)
            throws Exception {
        long now = ctx.timerService().currentProcessingTime();
        Totals s = totals.value();
        if (s == null) {
            s = new Totals();
            s.updatedAt = Long.MIN_VALUE;
            s.emittedUpdatedAt = Long.MIN_VALUE;
        }
        if (!t.isGenerator()) {
            DeviceLoad prev = devices.get(t.deviceId);
            if (prev == null) {
                s.loadMw += t.activePowerMw;
                s.deviceCount++;
            } else {
                s.loadMw += t.activePowerMw - prev.powerMw;
            }
            devices.put(t.deviceId, new DeviceLoad(t.activePowerMw, now));
            if (s.sweepTimer == 0) {
                s.sweepTimer = now + sweepIntervalMs;
                ctx.timerService().registerProcessingTimeTimer(s.sweepTimer);
            }
        }
        // generators add no load, but their records still advance updated_at, so that a decision
        // waiting for this substation's load as of a record's time is released
        s.updatedAt = Math.max(s.updatedAt, t.ts);
        s.region = t.region;
        if (emitIntervalMs == 0 || urgent.test(t)) {
            emit(ctx.getCurrentKey(), s, out);
        } else if (s.emitTimer == 0) {
            s.emitTimer = (now / emitIntervalMs + 1) * emitIntervalMs; // on interval boundaries
            ctx.timerService().registerProcessingTimeTimer(s.emitTimer);
        }
        totals.update(s);
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<SubstationLoad> out)
            throws Exception {
        Totals s = totals.value();
        if (s == null) {
            return;
        }
        if (timestamp == s.sweepTimer) {
            s.sweepTimer = 0;
            sweep(timestamp, s);
            if (s.deviceCount > 0) {
                s.sweepTimer = timestamp + sweepIntervalMs;
                ctx.timerService().registerProcessingTimeTimer(s.sweepTimer);
            }
        }
        if (timestamp == s.emitTimer) {
            s.emitTimer = 0;
        }
        if (changedSinceEmitted(s)) {
            emit(ctx.getCurrentKey(), s, out);
        }
        if (s.deviceCount == 0 && s.emitTimer == 0 && s.sweepTimer == 0) {
            totals.clear(); // every device expired and the empty load is out
            devices.clear();
        } else {
            totals.update(s);
        }
    }

    /** Drops devices silent for the TTL and recomputes the sum exactly. */
    private void sweep(long now, Totals s) throws Exception {
        double sum = 0;
        long count = 0;
        Iterator<Map.Entry<String, DeviceLoad>> it = devices.iterator();
        while (it.hasNext()) {
            DeviceLoad d = it.next().getValue();
            if (now - d.seenAt >= deviceTtlMs) {
                it.remove();
            } else {
                sum += d.powerMw;
                count++;
            }
        }
        s.loadMw = sum;
        s.deviceCount = count;
    }

    /**
     * Emits every load not yet out (called at the end of a bounded input, where pending
     * processing-time timers would not fire any more).
     */
    void flushPending(KeyedStateBackend<String> backend, Collector<SubstationLoad> out)
            throws Exception {
        backend.applyToAllKeys(
                VoidNamespace.INSTANCE,
                VoidNamespaceSerializer.INSTANCE,
                TOTALS,
                (key, state) -> {
                    Totals s = state.value();
                    if (s != null && changedSinceEmitted(s)) {
                        emit(key, s, out); // state left as is: the input has ended
                    }
                });
    }

    /**
     * The tracker as an operator that also emits the loads still pending when a bounded input ends
     * (a replay): use it with {@code transform(...)} instead of {@code process(...)}.
     */
    public static OneInputStreamOperator<EnrichedTelemetry, SubstationLoad> operator(
            SubstationLoadTracker tracker) {
        return new FlushingOperator(tracker);
    }

    private static final class FlushingOperator
            extends KeyedProcessOperator<String, EnrichedTelemetry, SubstationLoad>
            implements BoundedOneInput {
        private static final long serialVersionUID = 1L;

        FlushingOperator(SubstationLoadTracker tracker) {
            super(tracker);
        }

        @Override
        public void endInput() throws Exception {
            TimestampedCollector<SubstationLoad> out = new TimestampedCollector<>(output);
            out.eraseTimestamp();
            ((SubstationLoadTracker) userFunction).flushPending(getKeyedStateBackend(), out);
        }
    }

    private static boolean changedSinceEmitted(Totals s) {
        return s.loadMw != s.emittedLoadMw
                || s.deviceCount != s.emittedDeviceCount
                || s.updatedAt != s.emittedUpdatedAt;
    }

    private void emit(String substationId, Totals s, Collector<SubstationLoad> out) {
        SubstationLoad load = new SubstationLoad();
        load.substationId = substationId;
        load.region = s.region;
        load.loadMw = s.loadMw;
        load.deviceCount = s.deviceCount;
        load.updatedAt = s.updatedAt;
        s.emittedLoadMw = s.loadMw;
        s.emittedDeviceCount = s.deviceCount;
        s.emittedUpdatedAt = s.updatedAt;
        emitted.inc();
        out.collect(load);
    }

    /** The latest power of one device and when (processing time) it was seen. */
    public static class DeviceLoad {
        public double powerMw;
        public long seenAt;

        public DeviceLoad() {}

        DeviceLoad(double powerMw, long seenAt) {
            this.powerMw = powerMw;
            this.seenAt = seenAt;
        }
    }

    /** A substation's running totals, what was last emitted and its pending timers. */
    public static class Totals {
        public String region;
        public double loadMw;
        public long deviceCount;
        public long updatedAt;
        public double emittedLoadMw;
        public long emittedDeviceCount;
        public long emittedUpdatedAt;

        /** Pending emit / sweep timer (processing time), 0 = none. */
        public long emitTimer;

        public long sweepTimer;

        public Totals() {}
    }
}
