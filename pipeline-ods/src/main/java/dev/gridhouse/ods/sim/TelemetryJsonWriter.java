package dev.gridhouse.ods.sim;

import dev.gridhouse.contract.grid.TelemetryField;
import java.time.Instant;
import javax.annotation.Nullable;

/**
 * Writes a {@link SimulatedRecord} as one telemetry JSON line: the fields of {@link TelemetryField}
 * in contract order, optional ones only when present, numbers with at most 3 (1 for current and
 * temperature) decimals; optionally with one field altered to make the line invalid.
 */
final class TelemetryJsonWriter {
    /** How the altered field of a line is written. */
    enum Alteration {
        /** Left out. */
        OMIT,
        /** Written as {@code null}. */
        NULL,
        /** A number written as a JSON string with its unit (ts as an ISO instant). */
        STRING,
        /** {@code ts} written with a fractional part ({@code .5}). */
        FRACTIONAL
    }

    private static final TelemetryField[] FIELDS = TelemetryField.values();

    /** {@code "name":} of each field, by ordinal. */
    private static final String[] KEYS = new String[FIELDS.length];

    static {
        for (TelemetryField f : FIELDS) {
            KEYS[f.ordinal()] = '"' + f.contractName() + "\":";
        }
    }

    private TelemetryJsonWriter() {}

    /** The record's line, every field as it is. */
    static String toJson(SimulatedRecord rec) {
        return toJson(rec, null, null);
    }

    /** The record's line with {@code altered} written as {@code alteration} says. */
    static String toJson(
            SimulatedRecord rec,
            @Nullable TelemetryField altered,
            @Nullable Alteration alteration) {
        StringBuilder sb = new StringBuilder(224);
        sb.append('{');
        boolean first = true;
        for (TelemetryField f : FIELDS) {
            if (!rec.has(f) || (f == altered && alteration == Alteration.OMIT)) {
                continue;
            }
            if (!first) {
                sb.append(',');
            }
            first = false;
            sb.append(KEYS[f.ordinal()]);
            if (f != altered) {
                appendValue(sb, rec, f);
            } else if (alteration == Alteration.NULL) {
                sb.append("null");
            } else if (alteration == Alteration.FRACTIONAL) {
                sb.append(rec.ts).append(".5");
            } else {
                appendString(sb, rec, f);
            }
        }
        return sb.append('}').toString();
    }

    private static void appendValue(StringBuilder sb, SimulatedRecord rec, TelemetryField f) {
        switch (f) {
            case DEVICE_ID:
                sb.append('"').append(rec.deviceId).append('"');
                break;
            case TS:
                sb.append(rec.ts);
                break;
            case ACTIVE_POWER_MW:
                appendDecimal(sb, rec.powerMw, 3);
                break;
            case VOLTAGE_KV:
                appendDecimal(sb, rec.voltageKv, 3);
                break;
            case FREQUENCY_HZ:
                appendDecimal(sb, rec.frequencyHz, 3);
                break;
            case REACTIVE_POWER_MVAR:
                appendDecimal(sb, rec.reactiveMvar, 3);
                break;
            case CURRENT_A:
                appendDecimal(sb, rec.currentA, 1);
                break;
            case TEMPERATURE_C:
                appendDecimal(sb, rec.temperatureC, 1);
                break;
            case STATUS_CODE:
                sb.append(rec.statusCode);
                break;
            default:
                throw new IllegalStateException("no value for " + f);
        }
    }

    /** A required number written as a JSON string that no lenient parser reads as a number. */
    private static void appendString(StringBuilder sb, SimulatedRecord rec, TelemetryField f) {
        sb.append('"');
        switch (f) {
            case TS:
                sb.append(Instant.ofEpochMilli(rec.ts));
                break;
            case ACTIVE_POWER_MW:
                appendDecimal(sb, rec.powerMw, 3);
                sb.append(" MW");
                break;
            case VOLTAGE_KV:
                appendDecimal(sb, rec.voltageKv, 3);
                sb.append(" kV");
                break;
            case FREQUENCY_HZ:
                appendDecimal(sb, rec.frequencyHz, 3);
                sb.append(" Hz");
                break;
            default:
                throw new IllegalArgumentException(f + " is not a required number");
        }
        sb.append('"');
    }

    /** Appends {@code value} rounded to {@code decimals} (1 … 3) places, e.g. {@code 50.01}. */
    static void appendDecimal(StringBuilder sb, double value, int decimals) {
        long scale = decimals == 1 ? 10 : decimals == 2 ? 100 : 1000;
        long m = Math.round(value * scale);
        if (m < 0) {
            sb.append('-');
            m = -m;
        }
        sb.append(m / scale).append('.');
        long frac = m % scale;
        if (frac == 0) {
            sb.append('0');
            return;
        }
        int digits = decimals;
        while (frac % 10 == 0) {
            frac /= 10;
            digits--;
        }
        for (long p = pow10(digits - 1); p > frac; p /= 10) {
            sb.append('0');
        }
        sb.append(frac);
    }

    private static long pow10(int n) {
        long p = 1;
        for (int i = 0; i < n; i++) {
            p *= 10;
        }
        return p;
    }
}
