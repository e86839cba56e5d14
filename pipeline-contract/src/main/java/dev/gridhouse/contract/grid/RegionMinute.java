package dev.gridhouse.contract.grid;

import javax.annotation.Nullable;

/**
 * All device-minutes of one region and minute: a row of {@code dws_region_minute} (contract §5.2),
 * PK ({@code region}, {@code window_start}).
 */
public class RegionMinute {
    public String region;

    /** Epoch milliseconds, aligned to the minute. */
    public long windowStart;

    public long deviceCount;
    public long sampleCount;

    /** Σ avg_active_power_mw over non-generator devices. */
    public double loadMw;

    /** Σ avg_active_power_mw over generators. */
    public double generationMw;

    /** Sample-weighted mean of the devices' average frequency. */
    public double avgFrequencyHz;

    public double minFrequencyHz;
    public double maxFrequencyHz;

    /** 100 × Σ freq_in_band_count / Σ sample_count. */
    public double frequencyStabilityPct;

    public @Nullable Double maxTemperatureC;
    public long faultCount;

    /**
     * Σ freq_in_band_count of the devices. Not a table column: carried so that the hour and day
     * rollups compute frequency_stability_pct from exact counts.
     */
    public long freqInBandCount;

    public RegionMinute() {}

    @Override
    public String toString() {
        return "RegionMinute{"
                + region
                + "@"
                + windowStart
                + ", devices="
                + deviceCount
                + ", load="
                + loadMw
                + ", gen="
                + generationMw
                + '}';
    }
}
