package dev.gridhouse.dws.ops;

import javax.annotation.Nullable;

/** Running sums of one device's minute window (a Flink POJO, kept in window state). */
public class DeviceMinuteAccumulator {
    public String deviceType;
    public String region;
    public String substationId;
    public long count;
    public double sumPower;
    public double minPower = Double.POSITIVE_INFINITY;
    public double maxPower = Double.NEGATIVE_INFINITY;
    public double sumVoltage;
    public double minVoltage = Double.POSITIVE_INFINITY;
    public double maxVoltage = Double.NEGATIVE_INFINITY;
    public double sumFrequency;
    public double minFrequency = Double.POSITIVE_INFINITY;
    public double maxFrequency = Double.NEGATIVE_INFINITY;
    public long freqInBand;
    public @Nullable Double maxTemperature;
    public long faults;

    public DeviceMinuteAccumulator() {}
}
