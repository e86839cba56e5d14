package dev.gridhouse.ads.ops;

import dev.gridhouse.contract.grid.Alarm;
import dev.gridhouse.contract.grid.EnrichedTelemetry;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Evaluates the alarm rules on each DWD record as it arrives (contract §6) and keeps one alarm per
 * (device, type) in keyed state while its condition holds: emits the alarm ACTIVE when it starts,
 * again when its severity changes, and CLEARED (with {@code cleared_at}) at the first record where
 * the condition no longer holds — then its state is removed. Keyed by device id.
 *
 * <p>Active alarms have no TTL on purpose: an alarm of a device that fell silent stays active
 * rather than vanishing; the state is at most five entries per device.
 */
public class AlarmLifecycle extends KeyedProcessFunction<String, EnrichedTelemetry, Alarm> {
    private static final long serialVersionUID = 1L;

    private final AlarmRules rules;
    private transient MapState<String, Alarm> active;
    private transient Counter raised;
    private transient Counter cleared;

    public AlarmLifecycle(AlarmRules rules) {
        this.rules = rules;
    }

    @Override
    public void open(Configuration parameters) {
        active =
                getRuntimeContext()
                        .getMapState(
                                new MapStateDescriptor<>(
                                        "active-alarms",
                                        Types.STRING,
                                        TypeInformation.of(Alarm.class)));
        raised = getRuntimeContext().getMetricGroup().counter("alarmsRaised");
        cleared = getRuntimeContext().getMetricGroup().counter("alarmsCleared");
    }

    @Override
    public void processElement(EnrichedTelemetry t, Context ctx, Collector<Alarm> out)
            throws Exception {
        // most records raise nothing on a device with no active alarm: one state lookup then
        boolean anyActive = !active.isEmpty();
        for (String type : AlarmRules.TYPES) {
            AlarmRules.Verdict v = rules.evaluate(type, t);
            if (v == AlarmRules.Verdict.UNKNOWN || (!anyActive && !v.fires())) {
                continue;
            }
            Alarm current = anyActive ? active.get(type) : null;
            if (v.fires()) {
                if (current == null) {
                    Alarm a = new Alarm();
                    a.alarmId = t.deviceId + ":" + type + ":" + t.ts;
                    a.deviceId = t.deviceId;
                    a.substationId = t.substationId;
                    a.region = t.region;
                    a.alarmType = type;
                    a.severity = v.severity;
                    a.status = Alarm.ACTIVE;
                    a.raisedAt = t.ts;
                    a.value = v.value;
                    a.threshold = v.threshold;
                    a.eventTs = t.ts;
                    active.put(type, a);
                    raised.inc();
                    out.collect(a.copy());
                } else if (!current.severity.equals(v.severity)) {
                    current.severity = v.severity;
                    current.value = v.value;
                    current.threshold = v.threshold;
                    current.eventTs = t.ts;
                    active.put(type, current);
                    out.collect(current.copy());
                }
            } else if (current != null) {
                current.status = Alarm.CLEARED;
                current.clearedAt = t.ts;
                current.eventTs = t.ts;
                active.remove(type);
                cleared.inc();
                out.collect(current.copy());
            }
        }
    }
}
