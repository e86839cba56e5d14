package dev.gridhouse.contract.grid;

import java.util.Objects;

/** A row of the device dimension {@code ods_devices} (contract §1.1). */
public class Device {
    public static final String GENERATOR = "GENERATOR";

    public String deviceId;
    public String deviceName;

    /** {@code GENERATOR}, {@code TRANSFORMER}, {@code FEEDER} or {@code BREAKER}. */
    public String deviceType;

    public String substationId;
    public String region;
    public double capacityMw;
    public double ratedVoltageKv;

    /** {@code IN_SERVICE}, {@code MAINTENANCE} or {@code OUT_OF_SERVICE}. */
    public String status;

    /** Epoch milliseconds. */
    public long updatedAt;

    public Device() {}

    public Device(
            String deviceId,
            String deviceName,
            String deviceType,
            String substationId,
            String region,
            double capacityMw,
            double ratedVoltageKv,
            String status,
            long updatedAt) {
        this.deviceId = deviceId;
        this.deviceName = deviceName;
        this.deviceType = deviceType;
        this.substationId = substationId;
        this.region = region;
        this.capacityMw = capacityMw;
        this.ratedVoltageKv = ratedVoltageKv;
        this.status = status;
        this.updatedAt = updatedAt;
    }

    public boolean isGenerator() {
        return GENERATOR.equals(deviceType);
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (o == null || getClass() != o.getClass()) {
            return false;
        }
        Device d = (Device) o;
        return Double.compare(capacityMw, d.capacityMw) == 0
                && Double.compare(ratedVoltageKv, d.ratedVoltageKv) == 0
                && updatedAt == d.updatedAt
                && Objects.equals(deviceId, d.deviceId)
                && Objects.equals(deviceName, d.deviceName)
                && Objects.equals(deviceType, d.deviceType)
                && Objects.equals(substationId, d.substationId)
                && Objects.equals(region, d.region)
                && Objects.equals(status, d.status);
    }

    @Override
    public int hashCode() {
        return Objects.hash(deviceId, deviceType, substationId, region);
    }

    @Override
    public String toString() {
        return "Device{"
                + deviceId
                + ", "
                + deviceType
                + ", "
                + substationId
                + ", "
                + region
                + ", capacityMw="
                + capacityMw
                + ", "
                + status
                + '}';
    }
}
