package dev.gridhouse.contract.grid;

import dev.gridhouse.core.serde.FlussRowConverter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.annotation.Nullable;
import org.apache.fluss.types.DataType;
import org.apache.fluss.types.DataTypes;

/**
 * The telemetry schema of contract §1.3, declared once: every field in contract table order with
 * its contract name, type, required flag and valid range.
 *
 * <p>Derived from it: {@link TelemetryContract#FIELDS} and {@link
 * TelemetryContract#REQUIRED_FIELDS} and its range constants, the telemetry columns of {@link
 * GridTables} and the field dispatch of the JSON parser and the simulator. Checked against it by
 * tests: the {@link Telemetry} POJO, the Avro schema {@code telemetry.avsc} and the range checks of
 * {@link TelemetryContract}.
 */
public enum TelemetryField {
    DEVICE_ID("device_id", Type.STRING, true, Double.NaN, Double.NaN),
    /** Event time, epoch milliseconds; the upper bound is exclusive. */
    TS("ts", Type.LONG, true, 946_684_800_000L, 4_102_444_800_000L),
    ACTIVE_POWER_MW("active_power_mw", Type.DOUBLE, true, -5000.0, 5000.0),
    VOLTAGE_KV("voltage_kv", Type.DOUBLE, true, 0.0, 1200.0),
    FREQUENCY_HZ("frequency_hz", Type.DOUBLE, true, 45.0, 55.0),
    REACTIVE_POWER_MVAR("reactive_power_mvar", Type.DOUBLE, false, -5000.0, 5000.0),
    CURRENT_A("current_a", Type.DOUBLE, false, 0.0, 100_000.0),
    TEMPERATURE_C("temperature_c", Type.DOUBLE, false, -60.0, 250.0),
    /** 0 = normal, anything else a fault code: any {@code int} is valid. */
    STATUS_CODE("status_code", Type.INT, false, Double.NaN, Double.NaN);

    /** The value type of a field, with its JSON, Avro, Fluss and Java forms. */
    public enum Type {
        /** JSON string, Avro {@code string}, Fluss STRING, Java {@code String}. */
        STRING("string", "string"),
        /** JSON integer, Avro {@code long}, Fluss BIGINT, Java {@code long}. */
        LONG("integer", "long"),
        /** JSON number, Avro {@code double}, Fluss DOUBLE, Java {@code double}. */
        DOUBLE("number", "double"),
        /** JSON integer, Avro {@code int}, Fluss INT, Java {@code int}. */
        INT("integer", "int");

        private final String jsonType;
        private final String avroType;

        Type(String jsonType, String avroType) {
            this.jsonType = jsonType;
            this.avroType = avroType;
        }

        /** The JSON Schema type name: {@code string}, {@code integer} or {@code number}. */
        public String jsonType() {
            return jsonType;
        }

        /** The Avro primitive type name. */
        public String avroType() {
            return avroType;
        }

        /** The Fluss column type. */
        public DataType flussType() {
            switch (this) {
                case STRING:
                    return DataTypes.STRING();
                case LONG:
                    return DataTypes.BIGINT();
                case DOUBLE:
                    return DataTypes.DOUBLE();
                default:
                    return DataTypes.INT();
            }
        }

        /** The Java type of a required field (an optional one is the boxed type). */
        public Class<?> javaType() {
            switch (this) {
                case STRING:
                    return String.class;
                case LONG:
                    return long.class;
                case DOUBLE:
                    return double.class;
                default:
                    return int.class;
            }
        }
    }

    private static final TelemetryField[] VALUES = values();
    private static final Map<String, TelemetryField> BY_NAME = new HashMap<>();

    static {
        for (TelemetryField f : VALUES) {
            BY_NAME.put(f.contractName, f);
        }
    }

    private final String contractName;
    private final Type type;
    private final boolean required;
    private final double min;
    private final double max;

    TelemetryField(String contractName, Type type, boolean required, double min, double max) {
        this.contractName = contractName;
        this.type = type;
        this.required = required;
        this.min = min;
        this.max = max;
    }

    /** The field's name in JSON, Avro and Fluss, e.g. {@code active_power_mw}. */
    public String contractName() {
        return contractName;
    }

    /** The field name in {@link Telemetry}, e.g. {@code activePowerMw}. */
    public String javaName() {
        return FlussRowConverter.fieldNameOf(contractName);
    }

    public Type type() {
        return type;
    }

    /** True if a record without this field (or with {@code null}) is MISSING_FIELD. */
    public boolean required() {
        return required;
    }

    /**
     * True if the field has a numeric range ({@link #min()} … {@link #max()}); {@code device_id}
     * ("non-empty") and {@code status_code} (any {@code int}) have none.
     */
    public boolean hasRange() {
        return !Double.isNaN(min);
    }

    /** Smallest valid value (inclusive); NaN without a range. */
    public double min() {
        return min;
    }

    /** Largest valid value: inclusive, except for {@link #TS} (exclusive); NaN without a range. */
    public double max() {
        return max;
    }

    /** True if {@link #max()} is exclusive (only {@link #TS}). */
    public boolean maxExclusive() {
        return this == TS;
    }

    /** The field of that contract name, or null for an unknown name. */
    public static @Nullable TelemetryField byName(String contractName) {
        return BY_NAME.get(contractName);
    }

    /** The contract names of the given fields, in the given order. */
    static List<String> names(boolean requiredOnly) {
        List<String> names = new ArrayList<>(VALUES.length);
        for (TelemetryField f : VALUES) {
            if (f.required || !requiredOnly) {
                names.add(f.contractName);
            }
        }
        return Collections.unmodifiableList(names);
    }
}
