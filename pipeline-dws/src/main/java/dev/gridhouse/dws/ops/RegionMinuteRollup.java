package dev.gridhouse.dws.ops;

import dev.gridhouse.contract.grid.DeviceMinute;
import dev.gridhouse.contract.grid.RegionMinute;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.streaming.api.functions.windowing.ProcessWindowFunction;
import org.apache.flink.streaming.api.windowing.windows.TimeWindow;
import org.apache.flink.util.Collector;

/**
 * Rolls the device-minute rows of one region and minute into a {@code dws_region_minute} row
 * (contract §5.2).
 *
 * <p>Changelog-aware: a device-minute that was re-emitted (late data within allowed lateness)
 * replaces its earlier version instead of being counted twice. Rows are summed in device-id order,
 * so the doubles are bit-identical whatever the arrival order or parallelism.
 */
public class RegionMinuteRollup
        extends ProcessWindowFunction<DeviceMinute, RegionMinute, String, TimeWindow> {
    private static final long serialVersionUID = 1L;

    @Override
    public void process(
            String region, Context ctx, Iterable<DeviceMinute> rows, Collector<RegionMinute> out) {
        Map<String, DeviceMinute> latest = new LinkedHashMap<>();
        for (DeviceMinute m : rows) {
            latest.put(m.deviceId, m);
        }
        List<DeviceMinute> devices = new ArrayList<>(latest.values());
        devices.sort((a, b) -> a.deviceId.compareTo(b.deviceId));
        out.collect(rollup(region, ctx.window().getStart(), devices));
    }

    /** The region-minute of these device-minutes, summed in the given order. */
    public static RegionMinute rollup(String region, long windowStart, List<DeviceMinute> rows) {
        RegionMinute r = new RegionMinute();
        r.region = region;
        r.windowStart = windowStart;
        r.minFrequencyHz = Double.POSITIVE_INFINITY;
        r.maxFrequencyHz = Double.NEGATIVE_INFINITY;
        double weightedFrequency = 0;
        long inBand = 0;
        for (DeviceMinute m : rows) {
            r.deviceCount++;
            r.sampleCount += m.sampleCount;
            if (m.isGenerator()) {
                r.generationMw += m.avgActivePowerMw;
            } else {
                r.loadMw += m.avgActivePowerMw;
            }
            weightedFrequency += m.avgFrequencyHz * m.sampleCount;
            r.minFrequencyHz = Math.min(r.minFrequencyHz, m.minFrequencyHz);
            r.maxFrequencyHz = Math.max(r.maxFrequencyHz, m.maxFrequencyHz);
            inBand += m.freqInBandCount;
            if (m.maxTemperatureC != null
                    && (r.maxTemperatureC == null || m.maxTemperatureC > r.maxTemperatureC)) {
                r.maxTemperatureC = m.maxTemperatureC;
            }
            r.faultCount += m.faultCount;
        }
        r.freqInBandCount = inBand;
        r.avgFrequencyHz = weightedFrequency / r.sampleCount;
        r.frequencyStabilityPct = 100.0 * inBand / r.sampleCount;
        return r;
    }
}
