package dev.gridhouse.contract.grid;

/** Small builders of test records. */
public final class TestRecords {
    public static final long MINUTE = 60_000L;

    /** 2026-01-01T00:00:00Z. */
    public static final long T0 = 1_767_225_600_000L;

    private TestRecords() {}

    public static EnrichedTelemetry sample(
            String device, String type, String region, long ts, double power, double freq) {
        EnrichedTelemetry e = new EnrichedTelemetry();
        e.deviceId = device;
        e.ts = ts;
        e.activePowerMw = power;
        e.voltageKv = 110.0;
        e.frequencyHz = freq;
        e.deviceType = type;
        e.region = region;
        e.substationId = "S1";
        e.deviceName = device;
        e.capacityMw = 100;
        e.ratedVoltageKv = 110;
        e.deviceStatus = "IN_SERVICE";
        return e;
    }

    public static DeviceMinute deviceMinute(
            String device,
            String type,
            String region,
            long windowStart,
            long samples,
            double avgPower,
            double avgFreq,
            double minFreq,
            double maxFreq,
            long inBand,
            Double maxTemp,
            long faults) {
        DeviceMinute m = new DeviceMinute();
        m.deviceId = device;
        m.deviceType = type;
        m.region = region;
        m.substationId = "S1";
        m.windowStart = windowStart;
        m.windowEnd = windowStart + MINUTE;
        m.sampleCount = samples;
        m.avgActivePowerMw = avgPower;
        m.minActivePowerMw = avgPower;
        m.maxActivePowerMw = avgPower;
        m.avgVoltageKv = 110;
        m.minVoltageKv = 110;
        m.maxVoltageKv = 110;
        m.avgFrequencyHz = avgFreq;
        m.minFrequencyHz = minFreq;
        m.maxFrequencyHz = maxFreq;
        m.freqInBandCount = inBand;
        m.maxTemperatureC = maxTemp;
        m.faultCount = faults;
        return m;
    }
}
