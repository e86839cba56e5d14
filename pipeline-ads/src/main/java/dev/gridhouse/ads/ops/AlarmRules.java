package dev.gridhouse.ads.ops;

import dev.gridhouse.contract.grid.Alarm;
import dev.gridhouse.contract.grid.EnrichedTelemetry;
import dev.gridhouse.contract.grid.TelemetryContract;
import java.io.Serializable;
import javax.annotation.Nullable;

/**
 * The five per-record alarm rules of contract §6 with their thresholds (the contract's values by
 * default). Each rule returns the severity it fires with, or null when its condition does not hold;
 * {@link Verdict#UNKNOWN} when the record does not carry the measurement (the alarm state is then
 * left as it is).
 */
public final class AlarmRules implements Serializable {
    private static final long serialVersionUID = 1L;

    public static final String FREQUENCY_DEVIATION = "FREQUENCY_DEVIATION";
    public static final String OVERLOAD = "OVERLOAD";
    public static final String VOLTAGE_DEVIATION = "VOLTAGE_DEVIATION";
    public static final String OVER_TEMPERATURE = "OVER_TEMPERATURE";
    public static final String DEVICE_FAULT = "DEVICE_FAULT";

    /** Rule order: the order alarms of one record are emitted in. */
    public static final String[] TYPES = {
        FREQUENCY_DEVIATION, OVERLOAD, VOLTAGE_DEVIATION, OVER_TEMPERATURE, DEVICE_FAULT
    };

    public double frequencyMajorHz = 0.2;
    public double frequencyCriticalHz = 0.5;
    public double overloadMajorRatio = 1.0;
    public double overloadCriticalRatio = 1.2;
    public double voltageMajorRatio = 0.10;
    public double voltageCriticalRatio = 0.20;
    public double temperatureMajorC = 90;
    public double temperatureCriticalC = 110;

    /** The outcome of one rule on one record. */
    public static final class Verdict {
        /** The record does not carry what the rule needs. */
        public static final Verdict UNKNOWN = new Verdict(null, 0, 0);

        /** The condition does not hold. */
        public static final Verdict CLEAR = new Verdict(null, 0, 0);

        public final @Nullable String severity;
        public final double value;
        public final double threshold;

        Verdict(@Nullable String severity, double value, double threshold) {
            this.severity = severity;
            this.value = value;
            this.threshold = threshold;
        }

        public boolean fires() {
            return severity != null;
        }
    }

    private static Verdict grade(double value, double major, double critical) {
        if (value > critical) {
            return new Verdict(Alarm.CRITICAL, value, critical);
        }
        if (value > major) {
            return new Verdict(Alarm.MAJOR, value, major);
        }
        return Verdict.CLEAR;
    }

    /** Evaluates rule {@code type} on a record. */
    public Verdict evaluate(String type, EnrichedTelemetry t) {
        switch (type) {
            case FREQUENCY_DEVIATION:
                return grade(
                        Math.abs(t.frequencyHz - TelemetryContract.NOMINAL_FREQUENCY_HZ),
                        frequencyMajorHz,
                        frequencyCriticalHz);
            case OVERLOAD:
                if (t.isGenerator() || t.capacityMw <= 0) {
                    return Verdict.CLEAR;
                }
                return grade(
                        t.activePowerMw / t.capacityMw, overloadMajorRatio, overloadCriticalRatio);
            case VOLTAGE_DEVIATION:
                if (t.ratedVoltageKv <= 0) {
                    return Verdict.CLEAR;
                }
                return grade(
                        Math.abs(t.voltageKv - t.ratedVoltageKv) / t.ratedVoltageKv,
                        voltageMajorRatio,
                        voltageCriticalRatio);
            case OVER_TEMPERATURE:
                if (t.temperatureC == null) {
                    return Verdict.UNKNOWN;
                }
                return grade(t.temperatureC, temperatureMajorC, temperatureCriticalC);
            case DEVICE_FAULT:
                if (t.statusCode == null) {
                    return Verdict.UNKNOWN;
                }
                return t.statusCode != 0
                        ? new Verdict(Alarm.CRITICAL, t.statusCode, 0)
                        : Verdict.CLEAR;
            default:
                throw new IllegalArgumentException("Unknown alarm type " + type);
        }
    }
}
