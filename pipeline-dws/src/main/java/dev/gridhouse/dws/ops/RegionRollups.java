package dev.gridhouse.dws.ops;

import dev.gridhouse.contract.grid.RegionDay;
import dev.gridhouse.contract.grid.RegionHour;
import dev.gridhouse.contract.grid.RegionMinute;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.flink.streaming.api.functions.windowing.ProcessWindowFunction;
import org.apache.flink.streaming.api.windowing.windows.TimeWindow;
import org.apache.flink.util.Collector;

/**
 * The hour and day rollups of contract §5.3 and §5.4, as window functions over the full content of
 * a tumbling window keyed by region.
 *
 * <p>Changelog-aware: a lower-level row that was re-emitted (a correction within allowed lateness)
 * replaces its earlier version by {@code window_start}, so a re-fired window equals what an
 * in-order run gives. Rows are combined in {@code window_start} order, so results are bit-identical
 * whatever the arrival order.
 */
public final class RegionRollups {
    private RegionRollups() {}

    /** {@code dws_region_hour} from the region-minutes of one region and hour. */
    public static class Hourly
            extends ProcessWindowFunction<RegionMinute, RegionHour, String, TimeWindow> {
        private static final long serialVersionUID = 1L;

        @Override
        public void process(
                String region,
                Context ctx,
                Iterable<RegionMinute> rows,
                Collector<RegionHour> out) {
            out.collect(hour(region, ctx.window().getStart(), latestByStart(rows)));
        }
    }

    /** {@code dws_region_day} from the region-hours of one region and UTC day. */
    public static class Daily
            extends ProcessWindowFunction<RegionHour, RegionDay, String, TimeWindow> {
        private static final long serialVersionUID = 1L;

        @Override
        public void process(
                String region, Context ctx, Iterable<RegionHour> rows, Collector<RegionDay> out) {
            Map<Long, RegionHour> latest = new TreeMap<>();
            for (RegionHour h : rows) {
                latest.put(h.windowStart, h);
            }
            out.collect(day(region, ctx.window().getStart(), new ArrayList<>(latest.values())));
        }
    }

    private static List<RegionMinute> latestByStart(Iterable<RegionMinute> rows) {
        Map<Long, RegionMinute> latest = new TreeMap<>();
        for (RegionMinute m : rows) {
            latest.put(m.windowStart, m);
        }
        return new ArrayList<>(latest.values());
    }

    /** The hour row of these minutes (contract §5.3), combined in the given order. */
    public static RegionHour hour(String region, long windowStart, List<RegionMinute> minutes) {
        RegionHour h = new RegionHour();
        h.region = region;
        h.windowStart = windowStart;
        h.peakLoadMw = Double.NEGATIVE_INFINITY;
        h.peakGenerationMw = Double.NEGATIVE_INFINITY;
        h.minFrequencyHz = Double.POSITIVE_INFINITY;
        h.maxFrequencyHz = Double.NEGATIVE_INFINITY;
        double loadSum = 0;
        double generationSum = 0;
        double weightedFrequency = 0;
        for (RegionMinute m : minutes) {
            h.minutesReported++;
            h.sampleCount += m.sampleCount;
            loadSum += m.loadMw;
            generationSum += m.generationMw;
            h.peakLoadMw = Math.max(h.peakLoadMw, m.loadMw);
            h.peakGenerationMw = Math.max(h.peakGenerationMw, m.generationMw);
            weightedFrequency += m.avgFrequencyHz * m.sampleCount;
            h.minFrequencyHz = Math.min(h.minFrequencyHz, m.minFrequencyHz);
            h.maxFrequencyHz = Math.max(h.maxFrequencyHz, m.maxFrequencyHz);
            h.freqInBandCount += m.freqInBandCount;
            h.faultCount += m.faultCount;
        }
        h.avgLoadMw = loadSum / h.minutesReported;
        h.avgGenerationMw = generationSum / h.minutesReported;
        h.energyMwh = loadSum / 60.0;
        h.avgFrequencyHz = weightedFrequency / h.sampleCount;
        h.frequencyStabilityPct = 100.0 * h.freqInBandCount / h.sampleCount;
        return h;
    }

    /** The day row of these hours (contract §5.4), combined in the given order. */
    public static RegionDay day(String region, long windowStart, List<RegionHour> hours) {
        RegionDay d = new RegionDay();
        d.region = region;
        d.windowStart = windowStart;
        d.peakLoadMw = Double.NEGATIVE_INFINITY;
        d.peakGenerationMw = Double.NEGATIVE_INFINITY;
        d.minFrequencyHz = Double.POSITIVE_INFINITY;
        d.maxFrequencyHz = Double.NEGATIVE_INFINITY;
        double avgLoadSum = 0;
        double avgGenerationSum = 0;
        double weightedFrequency = 0;
        for (RegionHour h : hours) {
            d.hoursReported++;
            d.sampleCount += h.sampleCount;
            avgLoadSum += h.avgLoadMw;
            avgGenerationSum += h.avgGenerationMw;
            d.energyMwh += h.energyMwh;
            d.peakLoadMw = Math.max(d.peakLoadMw, h.peakLoadMw);
            d.peakGenerationMw = Math.max(d.peakGenerationMw, h.peakGenerationMw);
            weightedFrequency += h.avgFrequencyHz * h.sampleCount;
            d.minFrequencyHz = Math.min(d.minFrequencyHz, h.minFrequencyHz);
            d.maxFrequencyHz = Math.max(d.maxFrequencyHz, h.maxFrequencyHz);
            d.freqInBandCount += h.freqInBandCount;
            d.faultCount += h.faultCount;
        }
        d.avgLoadMw = avgLoadSum / d.hoursReported;
        d.avgGenerationMw = avgGenerationSum / d.hoursReported;
        d.avgFrequencyHz = weightedFrequency / d.sampleCount;
        d.frequencyStabilityPct = 100.0 * d.freqInBandCount / d.sampleCount;
        return d;
    }
}
