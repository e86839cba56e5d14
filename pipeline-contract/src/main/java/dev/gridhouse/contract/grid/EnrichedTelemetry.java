package dev.gridhouse.contract.grid;

/**
 * Accepted telemetry joined with the device row current at lookup time: a row of {@code
 * dwd_grid_telemetry} (contract §3).
 */
public class EnrichedTelemetry extends Telemetry {
    public String deviceName;
    public String deviceType;
    public String substationId;
    public String region;
    public double capacityMw;
    public double ratedVoltageKv;
    public String deviceStatus;

    public EnrichedTelemetry() {}

    /** Joins a telemetry sample with its device. */
    public static EnrichedTelemetry of(Telemetry telemetry, Device device) {
        EnrichedTelemetry e = new EnrichedTelemetry();
        e.copyTelemetryFrom(telemetry);
        e.deviceName = device.deviceName;
        e.deviceType = device.deviceType;
        e.substationId = device.substationId;
        e.region = device.region;
        e.capacityMw = device.capacityMw;
        e.ratedVoltageKv = device.ratedVoltageKv;
        e.deviceStatus = device.status;
        return e;
    }

    public boolean isGenerator() {
        return Device.GENERATOR.equals(deviceType);
    }
}
