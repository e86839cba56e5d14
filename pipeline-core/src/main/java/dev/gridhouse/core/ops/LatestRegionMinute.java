package dev.gridhouse.core.ops;

import dev.gridhouse.core.model.RegionMinute;
import dev.gridhouse.core.model.RegionRealtime;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Keeps the newest region-minute of each region and emits it as an {@code ads_grid_realtime} row: a
 * row for an older minute than the one already emitted is ignored, a correction of the newest
 * minute is emitted again. Keyed by region.
 */
public class LatestRegionMinute extends KeyedProcessFunction<String, RegionMinute, RegionRealtime> {
    private static final long serialVersionUID = 1L;

    private transient ValueState<Long> newestWindow;

    @Override
    public void open(Configuration parameters) {
        newestWindow =
                getRuntimeContext()
                        .getState(new ValueStateDescriptor<>("newest-window-start", Types.LONG));
    }

    @Override
    public void processElement(RegionMinute m, Context ctx, Collector<RegionRealtime> out)
            throws Exception {
        Long newest = newestWindow.value();
        if (newest != null && m.windowStart < newest) {
            return;
        }
        newestWindow.update(m.windowStart);
        out.collect(RegionRealtime.of(m, ctx.timerService().currentProcessingTime()));
    }
}
