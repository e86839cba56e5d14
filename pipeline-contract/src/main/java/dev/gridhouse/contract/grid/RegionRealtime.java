package dev.gridhouse.contract.grid;

import javax.annotation.Nullable;

/**
 * The newest region-minute of a region with its balance: a row of {@code ads_grid_realtime}
 * (contract §6), PK {@code region}.
 */
public class RegionRealtime extends RegionMinute {
    /** generation_mw − load_mw. */
    public double balanceMw;

    /** Alarms of the region that are ACTIVE now. */
    public @Nullable Long activeAlarmCount;

    /** When this row was written, epoch milliseconds (processing time). */
    public long updatedAt;

    public RegionRealtime() {}

    /** The realtime row for a region-minute, stamped with {@code now}. */
    public static RegionRealtime of(RegionMinute m, long now) {
        RegionRealtime r = new RegionRealtime();
        r.region = m.region;
        r.windowStart = m.windowStart;
        r.deviceCount = m.deviceCount;
        r.sampleCount = m.sampleCount;
        r.loadMw = m.loadMw;
        r.generationMw = m.generationMw;
        r.avgFrequencyHz = m.avgFrequencyHz;
        r.minFrequencyHz = m.minFrequencyHz;
        r.maxFrequencyHz = m.maxFrequencyHz;
        r.frequencyStabilityPct = m.frequencyStabilityPct;
        r.maxTemperatureC = m.maxTemperatureC;
        r.faultCount = m.faultCount;
        r.balanceMw = m.generationMw - m.loadMw;
        r.updatedAt = now;
        return r;
    }
}
