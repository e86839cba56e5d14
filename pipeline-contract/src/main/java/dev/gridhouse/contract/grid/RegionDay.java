package dev.gridhouse.contract.grid;

/**
 * The region-hours of one region and UTC day: a row of {@code dws_region_day} (contract §5.4), PK
 * ({@code region}, {@code window_start}).
 */
public class RegionDay {
    public String region;
    public long windowStart;

    public long hoursReported;
    public long sampleCount;
    public double avgLoadMw;
    public double peakLoadMw;
    public double energyMwh;
    public double avgGenerationMw;
    public double peakGenerationMw;
    public double avgFrequencyHz;
    public double minFrequencyHz;
    public double maxFrequencyHz;
    public double frequencyStabilityPct;
    public long faultCount;

    /** Σ freq_in_band_count of the samples (not a table column; feeds the next rollup). */
    public long freqInBandCount;

    public RegionDay() {}
}
