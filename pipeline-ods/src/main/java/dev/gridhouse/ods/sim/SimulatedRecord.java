package dev.gridhouse.ods.sim;

import dev.gridhouse.contract.grid.TelemetryField;

/** One simulated telemetry record's values before formatting (mutable, one per record). */
final class SimulatedRecord {
    int deviceIndex;
    String deviceId;
    long ts;
    double powerMw;
    double voltageKv;
    double frequencyHz;
    double reactiveMvar;
    double currentA;
    double temperatureC;
    int statusCode;
    boolean hasReactive;
    boolean hasCurrent;
    boolean hasTemperature;
    boolean hasStatus;

    /** True if the record has {@code field}: required fields always, optional ones when drawn. */
    boolean has(TelemetryField field) {
        switch (field) {
            case REACTIVE_POWER_MVAR:
                return hasReactive;
            case CURRENT_A:
                return hasCurrent;
            case TEMPERATURE_C:
                return hasTemperature;
            case STATUS_CODE:
                return hasStatus;
            default:
                return true;
        }
    }
}
