package dev.gridhouse.ads.ops;

import dev.gridhouse.contract.grid.Alarm;
import dev.gridhouse.contract.grid.RegionMinute;
import dev.gridhouse.contract.grid.RegionRealtime;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.streaming.api.functions.co.KeyedCoProcessFunction;
import org.apache.flink.util.Collector;

/**
 * The {@code ads_grid_realtime} row of a region (contract §6): its newest region-minute with {@code
 * balance_mw}, plus {@code active_alarm_count} from the region's alarm changes. A row for an older
 * minute than the newest is ignored; a correction of the newest minute, or a change of the alarm
 * count, emits the row again. Keyed by region on both inputs.
 */
public class RegionRealtimeView
        extends KeyedCoProcessFunction<String, RegionMinute, Alarm, RegionRealtime> {
    private static final long serialVersionUID = 1L;

    private transient ValueState<RegionMinute> newest;
    private transient MapState<String, Boolean> activeAlarms;
    private transient ValueState<Long> activeCount;

    @Override
    public void open(Configuration parameters) {
        newest =
                getRuntimeContext()
                        .getState(
                                new ValueStateDescriptor<>(
                                        "newest-minute", TypeInformation.of(RegionMinute.class)));
        activeAlarms =
                getRuntimeContext()
                        .getMapState(
                                new MapStateDescriptor<>(
                                        "active-alarm-ids", Types.STRING, Types.BOOLEAN));
        activeCount =
                getRuntimeContext()
                        .getState(new ValueStateDescriptor<>("active-alarm-count", Types.LONG));
    }

    @Override
    public void processElement1(RegionMinute m, Context ctx, Collector<RegionRealtime> out)
            throws Exception {
        RegionMinute current = newest.value();
        if (current != null && m.windowStart < current.windowStart) {
            return;
        }
        newest.update(m);
        emit(m, ctx, out);
    }

    @Override
    public void processElement2(Alarm a, Context ctx, Collector<RegionRealtime> out)
            throws Exception {
        long count = activeCount.value() == null ? 0 : activeCount.value();
        long before = count;
        if (a.isActive()) {
            if (!activeAlarms.contains(a.alarmId)) {
                activeAlarms.put(a.alarmId, Boolean.TRUE);
                count++;
            }
        } else if (activeAlarms.contains(a.alarmId)) {
            activeAlarms.remove(a.alarmId);
            count--;
        }
        if (count != before) {
            activeCount.update(count);
            RegionMinute m = newest.value();
            if (m != null) {
                emit(m, ctx, out);
            }
        }
    }

    private void emit(RegionMinute m, Context ctx, Collector<RegionRealtime> out) throws Exception {
        RegionRealtime r = RegionRealtime.of(m, ctx.timerService().currentProcessingTime());
        Long count = activeCount.value();
        r.activeAlarmCount = count == null ? 0L : count;
        out.collect(r);
    }
}
