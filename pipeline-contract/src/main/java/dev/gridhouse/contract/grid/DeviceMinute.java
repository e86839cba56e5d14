package dev.gridhouse.contract.grid;

import javax.annotation.Nullable;

/**
 * One device's samples in one UTC minute: a row of {@code dws_device_minute} (contract §5.1), PK
 * ({@code device_id}, {@code window_start}).
 */
public class DeviceMinute {
    /** Epoch milliseconds, aligned to the minute. */
    public long windowStart;

    /** Epoch milliseconds, exclusive. */
    public long windowEnd;

    public String deviceId;
    public String deviceType;
    public String region;
    public String substationId;

    public long sampleCount;
    public double avgActivePowerMw;
    public double minActivePowerMw;
    public double maxActivePowerMw;
    public double avgVoltageKv;
    public double minVoltageKv;
    public double maxVoltageKv;
    public double avgFrequencyHz;
    public double minFrequencyHz;
    public double maxFrequencyHz;

    /** Samples with |frequency_hz − 50.0| ≤ 0.2. */
    public long freqInBandCount;

    /** Null if no sample reported a temperature. */
    public @Nullable Double maxTemperatureC;

    /** Samples with a non-zero status code. */
    public long faultCount;

    public DeviceMinute() {}

    public boolean isGenerator() {
        return Device.GENERATOR.equals(deviceType);
    }

    @Override
    public String toString() {
        return "DeviceMinute{"
                + deviceId
                + "@"
                + windowStart
                + ", n="
                + sampleCount
                + ", avgP="
                + avgActivePowerMw
                + '}';
    }
}
