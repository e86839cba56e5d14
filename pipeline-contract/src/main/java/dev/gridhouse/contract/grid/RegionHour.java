package dev.gridhouse.contract.grid;

/**
 * The region-minutes of one region and UTC hour: a row of {@code dws_region_hour} (contract §5.3),
 * PK ({@code region}, {@code window_start}).
 */
public class RegionHour {
    public String region;
    public long windowStart;

    public long minutesReported;
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

    public RegionHour() {}
}
