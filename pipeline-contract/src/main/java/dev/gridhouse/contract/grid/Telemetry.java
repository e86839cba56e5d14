package dev.gridhouse.contract.grid;

import java.util.Objects;
import javax.annotation.Nullable;

/**
 * One validated telemetry sample of a grid device (contract §1.3), as stored in {@code
 * ods_grid_telemetry}.
 *
 * <p>A Flink POJO: public no-arg constructor and public fields. Time columns are epoch milliseconds
 * (UTC).
 */
public class Telemetry {
    public String deviceId;

    /** Event time, epoch milliseconds. */
    public long ts;

    public double activePowerMw;
    public double voltageKv;
    public double frequencyHz;
    public @Nullable Double reactivePowerMvar;
    public @Nullable Double currentA;
    public @Nullable Double temperatureC;

    /** 0 = normal, anything else a device-reported fault code; null if not reported. */
    public @Nullable Integer statusCode;

    /** When the ODS layer accepted the record, epoch milliseconds. */
    public long ingestTime;

    public Telemetry() {}

    /** Copies every telemetry field of {@code other} into this record. */
    public void copyTelemetryFrom(Telemetry other) {
        this.deviceId = other.deviceId;
        this.ts = other.ts;
        this.activePowerMw = other.activePowerMw;
        this.voltageKv = other.voltageKv;
        this.frequencyHz = other.frequencyHz;
        this.reactivePowerMvar = other.reactivePowerMvar;
        this.currentA = other.currentA;
        this.temperatureC = other.temperatureC;
        this.statusCode = other.statusCode;
        this.ingestTime = other.ingestTime;
    }

    /** True if the device reported a non-zero status code. */
    public boolean isFault() {
        return statusCode != null && statusCode != 0;
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (o == null || getClass() != o.getClass()) {
            return false;
        }
        Telemetry t = (Telemetry) o;
        return ts == t.ts
                && Double.compare(activePowerMw, t.activePowerMw) == 0
                && Double.compare(voltageKv, t.voltageKv) == 0
                && Double.compare(frequencyHz, t.frequencyHz) == 0
                && ingestTime == t.ingestTime
                && Objects.equals(deviceId, t.deviceId)
                && Objects.equals(reactivePowerMvar, t.reactivePowerMvar)
                && Objects.equals(currentA, t.currentA)
                && Objects.equals(temperatureC, t.temperatureC)
                && Objects.equals(statusCode, t.statusCode);
    }

    @Override
    public int hashCode() {
        return Objects.hash(deviceId, ts, activePowerMw, voltageKv, frequencyHz);
    }

    @Override
    public String toString() {
        return "Telemetry{deviceId="
                + deviceId
                + ", ts="
                + ts
                + ", activePowerMw="
                + activePowerMw
                + ", voltageKv="
                + voltageKv
                + ", frequencyHz="
                + frequencyHz
                + ", reactivePowerMvar="
                + reactivePowerMvar
                + ", currentA="
                + currentA
                + ", temperatureC="
                + temperatureC
                + ", statusCode="
                + statusCode
                + '}';
    }
}
