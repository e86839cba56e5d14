package dev.gridhouse.ods.sim;

import static dev.gridhouse.ods.sim.SimRandom.round;

import dev.gridhouse.contract.grid.TelemetryField;
import dev.gridhouse.ods.sim.GridSimulator.RecordKind;
import dev.gridhouse.ods.sim.TelemetryJsonWriter.Alteration;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The deliberately bad records: which {@link RecordKind} a record is (from the config's shares),
 * and how a valid record is turned into a malformed line, an out-of-range record or a record of an
 * unknown device.
 */
final class FaultInjector implements Serializable {
    private static final long serialVersionUID = 1L;

    /** How a malformed line is made; drawn uniformly. */
    private enum Malformation {
        /** The valid line cut short. */
        TRUNCATED,
        /** One of {@link #GARBAGE}. */
        GARBAGE,
        /** A required number (not device_id) written as a string. */
        NUMBER_AS_STRING,
        /** A required field left out. */
        REQUIRED_OMITTED,
        /** A required field written as null. */
        REQUIRED_NULL,
        /** {@code ts} with a fractional part. */
        FRACTIONAL_TS;

        static final Malformation[] VALUES = values();
    }

    /** Which value an out-of-range record has outside its range; drawn uniformly. */
    private enum OutOfRange {
        /** 70 Hz or 0 Hz. */
        FREQUENCY,
        NEGATIVE_VOLTAGE,
        /** {@code ts} in 1990. */
        TS_BEFORE_2000,
        /** {@code ts} in 2100. */
        TS_FROM_2100,
        /** |active power| 5,001 … 20,000 MW. */
        ACTIVE_POWER,
        /** 260 … 500 °C. */
        TEMPERATURE,
        NEGATIVE_CURRENT,
        /** 5,001 … 9,000 Mvar. */
        REACTIVE_POWER;

        static final OutOfRange[] VALUES = values();
    }

    private static final long YEAR_MS = 365 * 86_400_000L;
    private static final long TS_1990 = 631_152_000_000L;

    private static final String[] GARBAGE = {
        "not json at all",
        "<telemetry device=\"D000001\"/>",
        "[1,2,3]",
        "null",
        "{\"device_id\" \"D000001\"}",
        "#!@%^&*()",
        "device_id=D000001;ts=now"
    };

    /** The required fields in contract order. */
    private static final TelemetryField[] REQUIRED;

    static {
        List<TelemetryField> required = new ArrayList<>();
        for (TelemetryField f : TelemetryField.values()) {
            if (f.required()) {
                required.add(f);
            }
        }
        REQUIRED = required.toArray(new TelemetryField[0]);
    }

    private final double malformedEnd;
    private final double outOfRangeEnd;
    private final double duplicateEnd;
    private final double unknownEnd;

    FaultInjector(SimulatorConfig config) {
        this.malformedEnd = config.malformedShare();
        this.outOfRangeEnd = malformedEnd + config.outOfRangeShare();
        this.duplicateEnd = outOfRangeEnd + config.duplicateShare();
        this.unknownEnd = duplicateEnd + config.unknownDeviceShare();
    }

    /** The kind a record's first uniform draw {@code u} selects. */
    RecordKind drawnKind(double u) {
        if (u < malformedEnd) {
            return RecordKind.MALFORMED;
        }
        if (u < outOfRangeEnd) {
            return RecordKind.OUT_OF_RANGE;
        }
        if (u < duplicateEnd) {
            return RecordKind.DUPLICATE;
        }
        if (u < unknownEnd) {
            return RecordKind.UNKNOWN_DEVICE;
        }
        return RecordKind.VALID;
    }

    /** {@code rec} with one value moved outside the contract's range. */
    static SimulatedRecord outOfRange(SimulatedRecord rec, SplittableRandom r) {
        switch (OutOfRange.VALUES[r.nextInt(OutOfRange.VALUES.length)]) {
            case FREQUENCY:
                rec.frequencyHz = r.nextBoolean() ? 70.0 : 0.0;
                break;
            case NEGATIVE_VOLTAGE:
                rec.voltageKv = round(-rec.voltageKv * r.nextDouble(0.5, 1.0) - 0.1, 3);
                break;
            case TS_BEFORE_2000:
                rec.ts = TS_1990 + Math.floorMod(rec.ts, YEAR_MS);
                break;
            case TS_FROM_2100:
                rec.ts = SimulatorConfig.MAX_TS_EXCLUSIVE + Math.floorMod(rec.ts, YEAR_MS);
                break;
            case ACTIVE_POWER:
                rec.powerMw = round((r.nextBoolean() ? 1 : -1) * r.nextDouble(5_001, 20_000), 3);
                break;
            case TEMPERATURE:
                rec.temperatureC = round(r.nextDouble(260, 500), 1);
                rec.hasTemperature = true;
                break;
            case NEGATIVE_CURRENT:
                rec.currentA = round(-r.nextDouble(1, 100), 1);
                rec.hasCurrent = true;
                break;
            default:
                rec.reactiveMvar = round(r.nextDouble(5_001, 9_000), 3);
                rec.hasReactive = true;
                break;
        }
        return rec;
    }

    /** A malformed line made from {@code rec}. */
    static String malformed(SimulatedRecord rec, SplittableRandom r) {
        switch (Malformation.VALUES[r.nextInt(Malformation.VALUES.length)]) {
            case TRUNCATED:
                {
                    String json = TelemetryJsonWriter.toJson(rec);
                    return json.substring(0, 1 + r.nextInt(json.length() - 2));
                }
            case GARBAGE:
                return GARBAGE[r.nextInt(GARBAGE.length)];
            case NUMBER_AS_STRING:
                return TelemetryJsonWriter.toJson(
                        rec, REQUIRED[r.nextInt(1, REQUIRED.length)], Alteration.STRING);
            case REQUIRED_OMITTED:
                return TelemetryJsonWriter.toJson(
                        rec, REQUIRED[r.nextInt(REQUIRED.length)], Alteration.OMIT);
            case REQUIRED_NULL:
                return TelemetryJsonWriter.toJson(
                        rec, REQUIRED[r.nextInt(REQUIRED.length)], Alteration.NULL);
            default:
                return TelemetryJsonWriter.toJson(rec, TelemetryField.TS, Alteration.FRACTIONAL);
        }
    }

    /** {@code rec} from the unknown device {@code X%06d}. */
    static SimulatedRecord unknownDevice(SimulatedRecord rec) {
        rec.deviceId = SimRandom.pad('X', rec.deviceIndex, 6);
        return rec;
    }
}
