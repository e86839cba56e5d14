package dev.gridhouse.contract.grid;

import dev.gridhouse.core.model.RejectReason;
import dev.gridhouse.core.model.Rejection;
import java.util.List;
import javax.annotation.Nullable;

/**
 * The telemetry contract (§1.3) as code: field names, required fields and valid ranges (all derived
 * from {@link TelemetryField}, where the schema is declared), and the value checks of §2 on an
 * already-typed {@link Telemetry}, so that every telemetry source (JSON, Avro, the simulator, …)
 * applies the same rules.
 *
 * <p>Ranges are inclusive, except the upper bound of {@code ts}, which is exclusive. A range check
 * is written so that NaN fails it, but {@link #check} reports non-finite numbers as {@link
 * RejectReason#INVALID_VALUE} before any range is checked. {@code status_code} has no range: any
 * {@code int} is valid (0 = normal, anything else a fault code).
 *
 * <p>Where several fields fail, the first in contract order ({@link #FIELDS}) is reported.
 */
public final class TelemetryContract {
    /** The grid's nominal frequency; deviations from it are graded by the alarm rules. */
    public static final double NOMINAL_FREQUENCY_HZ = 50.0;

    public static final String DEVICE_ID = TelemetryField.DEVICE_ID.contractName();
    public static final String TS = TelemetryField.TS.contractName();
    public static final String ACTIVE_POWER_MW = TelemetryField.ACTIVE_POWER_MW.contractName();
    public static final String VOLTAGE_KV = TelemetryField.VOLTAGE_KV.contractName();
    public static final String FREQUENCY_HZ = TelemetryField.FREQUENCY_HZ.contractName();
    public static final String REACTIVE_POWER_MVAR =
            TelemetryField.REACTIVE_POWER_MVAR.contractName();
    public static final String CURRENT_A = TelemetryField.CURRENT_A.contractName();
    public static final String TEMPERATURE_C = TelemetryField.TEMPERATURE_C.contractName();
    public static final String STATUS_CODE = TelemetryField.STATUS_CODE.contractName();

    /**
     * All telemetry fields in contract table order, which is also the order of the checks ({@link
     * TelemetryField}'s order).
     */
    public static final List<String> FIELDS = TelemetryField.names(false);

    /** The required fields, in contract order. */
    public static final List<String> REQUIRED_FIELDS = TelemetryField.names(true);

    /** Smallest valid {@code ts} (inclusive): 2000-01-01T00:00:00Z in epoch milliseconds. */
    public static final long MIN_TS = (long) TelemetryField.TS.min();

    /** Upper bound of {@code ts} (exclusive): 2100-01-01T00:00:00Z in epoch milliseconds. */
    public static final long MAX_TS = (long) TelemetryField.TS.max();

    public static final double MIN_ACTIVE_POWER_MW = TelemetryField.ACTIVE_POWER_MW.min();
    public static final double MAX_ACTIVE_POWER_MW = TelemetryField.ACTIVE_POWER_MW.max();
    public static final double MIN_VOLTAGE_KV = TelemetryField.VOLTAGE_KV.min();
    public static final double MAX_VOLTAGE_KV = TelemetryField.VOLTAGE_KV.max();
    public static final double MIN_FREQUENCY_HZ = TelemetryField.FREQUENCY_HZ.min();
    public static final double MAX_FREQUENCY_HZ = TelemetryField.FREQUENCY_HZ.max();
    public static final double MIN_REACTIVE_POWER_MVAR = TelemetryField.REACTIVE_POWER_MVAR.min();
    public static final double MAX_REACTIVE_POWER_MVAR = TelemetryField.REACTIVE_POWER_MVAR.max();
    public static final double MIN_CURRENT_A = TelemetryField.CURRENT_A.min();
    public static final double MAX_CURRENT_A = TelemetryField.CURRENT_A.max();
    public static final double MIN_TEMPERATURE_C = TelemetryField.TEMPERATURE_C.min();
    public static final double MAX_TEMPERATURE_C = TelemetryField.TEMPERATURE_C.max();

    private TelemetryContract() {}

    /**
     * The contract name of the first numeric field (contract order) whose value is NaN or infinite,
     * or null if all are finite. Absent optional fields (null) are skipped.
     */
    public static @Nullable String firstNonFiniteField(Telemetry t) {
        if (!Double.isFinite(t.activePowerMw)) {
            return ACTIVE_POWER_MW;
        }
        if (!Double.isFinite(t.voltageKv)) {
            return VOLTAGE_KV;
        }
        if (!Double.isFinite(t.frequencyHz)) {
            return FREQUENCY_HZ;
        }
        if (t.reactivePowerMvar != null && !Double.isFinite(t.reactivePowerMvar)) {
            return REACTIVE_POWER_MVAR;
        }
        if (t.currentA != null && !Double.isFinite(t.currentA)) {
            return CURRENT_A;
        }
        if (t.temperatureC != null && !Double.isFinite(t.temperatureC)) {
            return TEMPERATURE_C;
        }
        return null;
    }

    /**
     * The contract name of the first field (contract order) outside its valid range, or null if all
     * are inside. A null or empty {@code device_id} is reported as {@code device_id} (its range is
     * "non-empty"); a NaN fails every range. Absent optional fields (null) are skipped.
     */
    public static @Nullable String firstOutOfRangeField(Telemetry t) {
        if (t.deviceId == null || t.deviceId.isEmpty()) {
            return DEVICE_ID;
        }
        if (!isValidTs(t.ts)) {
            return TS;
        }
        if (!inRange(t.activePowerMw, MIN_ACTIVE_POWER_MW, MAX_ACTIVE_POWER_MW)) {
            return ACTIVE_POWER_MW;
        }
        if (!inRange(t.voltageKv, MIN_VOLTAGE_KV, MAX_VOLTAGE_KV)) {
            return VOLTAGE_KV;
        }
        if (!inRange(t.frequencyHz, MIN_FREQUENCY_HZ, MAX_FREQUENCY_HZ)) {
            return FREQUENCY_HZ;
        }
        if (t.reactivePowerMvar != null
                && !inRange(
                        t.reactivePowerMvar, MIN_REACTIVE_POWER_MVAR, MAX_REACTIVE_POWER_MVAR)) {
            return REACTIVE_POWER_MVAR;
        }
        if (t.currentA != null && !inRange(t.currentA, MIN_CURRENT_A, MAX_CURRENT_A)) {
            return CURRENT_A;
        }
        if (t.temperatureC != null
                && !inRange(t.temperatureC, MIN_TEMPERATURE_C, MAX_TEMPERATURE_C)) {
            return TEMPERATURE_C;
        }
        return null;
    }

    /**
     * The value checks of contract §2 on a typed record, in contract order: {@link
     * RejectReason#MISSING_FIELD} for a null {@code device_id} (the only required field a typed
     * record can lack), then {@link RejectReason#INVALID_VALUE} ({@link #firstNonFiniteField}),
     * then {@link RejectReason#OUT_OF_RANGE} ({@link #firstOutOfRangeField}). Null if the record is
     * valid. Type checks are the source's job: a typed record has the right types by construction.
     */
    public static @Nullable Rejection check(Telemetry t) {
        if (t.deviceId == null) {
            return Rejection.of(RejectReason.MISSING_FIELD, DEVICE_ID);
        }
        String field = firstNonFiniteField(t);
        if (field != null) {
            return Rejection.of(RejectReason.INVALID_VALUE, field);
        }
        field = firstOutOfRangeField(t);
        if (field != null) {
            return Rejection.of(RejectReason.OUT_OF_RANGE, field);
        }
        return null;
    }

    /** True if {@code MIN_TS <= ts < MAX_TS}. */
    public static boolean isValidTs(long ts) {
        return ts >= MIN_TS && ts < MAX_TS;
    }

    /** Inclusive range check that NaN fails. */
    private static boolean inRange(double v, double min, double max) {
        return v >= min && v <= max;
    }
}
