package dev.gridhouse.ods.cdc;

import static dev.gridhouse.ods.cdc.CdcTables.firstNull;
import static dev.gridhouse.ods.cdc.CdcTables.timestamp;
import static dev.gridhouse.ods.cdc.CdcTables.value;

import dev.gridhouse.contract.grid.Device;
import dev.gridhouse.contract.grid.DimensionChange;
import dev.gridhouse.contract.grid.GridLine;
import dev.gridhouse.contract.grid.Substation;
import dev.gridhouse.core.model.RejectReason;
import dev.gridhouse.core.model.TableChange.Op;
import dev.gridhouse.ods.parse.DeviceCsvParser;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import java.util.regex.Pattern;
import javax.annotation.Nullable;
import org.apache.kafka.connect.data.Struct;

/**
 * Turns the Debezium row {@link Struct} of {@code grid.devices}, {@code grid.substations} or {@code
 * grid.lines} into a typed {@link DimensionChange}, validating upserts against contract §1.1/§1.2.
 * Checks run in the order of contract §2: a required column that is null ({@code MISSING_FIELD}), a
 * value that cannot be converted to the contract type ({@code INVALID_TYPE}), an unknown enum value
 * or a non-finite number ({@code INVALID_VALUE}), a capacity or voltage ≤ 0 ({@code OUT_OF_RANGE});
 * the dead letter's {@code source} is the table name, its {@code detail} the column and its {@code
 * payload} the row as JSON (the raw values as PostgreSQL sent them). Deletes need only the key.
 * {@code updated_at} may be null (then 0, unknown).
 *
 * <p>Schema changes in PostgreSQL: the row's {@link Struct} has the column types of the table at
 * the time of the change (Debezium applies {@code pgoutput}'s relation messages), so after e.g.
 * {@code ALTER TABLE grid.devices ALTER COLUMN capacity_mw TYPE text} a capacity arrives as a
 * string. A DOUBLE column accepts any number and a string that parses as a decimal number ({@code
 * "12.5"}); anything else ({@code "abc"}, a boolean, bytes) is {@code INVALID_TYPE} — a dead
 * letter, never an exception, so one unconvertible row cannot fail the job and make it restart
 * forever on the same WAL event. A STRING column accepts strings, numbers and booleans (as their
 * text); {@code updated_at} accepts an ISO-8601 string, a date or epoch milliseconds.
 */
public final class DimensionRows {
    static final Set<String> LINE_STATUSES =
            new HashSet<>(Arrays.asList(GridLine.CLOSED, GridLine.OPEN));

    /**
     * {@code grid.devices} (main output), {@code grid.substations} and {@code grid.lines}: keyed by
     * table, truncates expanded; slot and publication {@code <uid-prefix>_ods_dims}.
     */
    public static final CdcTables<DimensionChange> CDC =
            new CdcTables<>(
                    DimensionChange.ROWS,
                    PostgresDimensions.SCHEMA,
                    DimensionRows::deleteOf,
                    "ods_dims",
                    "pg-cdc-source",
                    "dimensions",
                    "dimensions",
                    DimensionRows::device,
                    DimensionRows::substation,
                    DimensionRows::line);

    private DimensionRows() {}

    /** A delete of the row of {@code table} with key {@code key}: a truncate's expansion. */
    static DimensionChange deleteOf(String table, String key) {
        switch (table) {
            case DimensionChange.DEVICES:
                Device d = new Device();
                d.deviceId = key;
                return DimensionChange.ROWS.of(Op.DELETE, d);
            case DimensionChange.SUBSTATIONS:
                Substation s = new Substation();
                s.substationId = key;
                return DimensionChange.ROWS.of(Op.DELETE, s);
            case DimensionChange.LINES:
                GridLine l = new GridLine();
                l.lineId = key;
                return DimensionChange.ROWS.of(Op.DELETE, l);
            default:
                throw new IllegalArgumentException("Not a dimension table: " + table);
        }
    }

    /**
     * The marker of a {@code TRUNCATE} of {@code table} ({@link CdcTables#truncate}); null for a
     * table this job does not read. {@link PostgresDimensions} expands it into one delete per row
     * the pipeline had written and never writes it as such.
     */
    public static @Nullable DimensionChange truncate(String table) {
        return CDC.truncate(table);
    }

    /** True for the marker of {@link #truncate}. */
    public static boolean isTruncate(DimensionChange c) {
        return CDC.isTruncate(c);
    }

    static DimensionChange device(Op op, Struct r, long now) {
        String t = DimensionChange.DEVICES;
        if (op == Op.DELETE) {
            if (firstNull(r, "device_id") != null) {
                return reject(t, op, RejectReason.MISSING_FIELD, "device_id", r, now);
            }
            if (firstUnconvertible(r, new String[] {"device_id"}, new String[0], null) != null) {
                return reject(t, op, RejectReason.INVALID_TYPE, "device_id", r, now);
            }
        } else {
            String missing =
                    firstNull(
                            r,
                            "device_id",
                            "device_name",
                            "device_type",
                            "substation_id",
                            "region",
                            "capacity_mw",
                            "rated_voltage_kv",
                            "status");
            if (missing != null) {
                return reject(t, op, RejectReason.MISSING_FIELD, missing, r, now);
            }
            String badType =
                    firstUnconvertible(
                            r,
                            new String[] {
                                "device_id",
                                "device_name",
                                "device_type",
                                "substation_id",
                                "region",
                                "status"
                            },
                            new String[] {"capacity_mw", "rated_voltage_kv"},
                            "updated_at");
            if (badType != null) {
                return reject(t, op, RejectReason.INVALID_TYPE, badType, r, now);
            }
            if (!DeviceCsvParser.DEVICE_TYPES.contains(text(r, "device_type"))) {
                return reject(t, op, RejectReason.INVALID_VALUE, "device_type", r, now);
            }
            if (!DeviceCsvParser.STATUSES.contains(text(r, "status"))) {
                return reject(t, op, RejectReason.INVALID_VALUE, "status", r, now);
            }
            String bad = firstNotPositive(r, "capacity_mw", "rated_voltage_kv");
            if (bad != null) {
                return badNumber(t, op, r, now, bad);
            }
        }
        return DimensionChange.ROWS.of(
                op,
                new Device(
                        text(r, "device_id"),
                        text(r, "device_name"),
                        text(r, "device_type"),
                        text(r, "substation_id"),
                        text(r, "region"),
                        number(r, "capacity_mw"),
                        number(r, "rated_voltage_kv"),
                        text(r, "status"),
                        timestamp(value(r, "updated_at"))));
    }

    static DimensionChange substation(Op op, Struct r, long now) {
        String t = DimensionChange.SUBSTATIONS;
        if (op == Op.DELETE) {
            if (firstNull(r, "substation_id") != null) {
                return reject(t, op, RejectReason.MISSING_FIELD, "substation_id", r, now);
            }
            if (firstUnconvertible(r, new String[] {"substation_id"}, new String[0], null)
                    != null) {
                return reject(t, op, RejectReason.INVALID_TYPE, "substation_id", r, now);
            }
        } else {
            String missing =
                    firstNull(
                            r,
                            "substation_id",
                            "substation_name",
                            "region",
                            "voltage_level_kv",
                            "capacity_mw");
            if (missing != null) {
                return reject(t, op, RejectReason.MISSING_FIELD, missing, r, now);
            }
            String badType =
                    firstUnconvertible(
                            r,
                            new String[] {"substation_id", "substation_name", "region"},
                            new String[] {"voltage_level_kv", "capacity_mw"},
                            null);
            if (badType != null) {
                return reject(t, op, RejectReason.INVALID_TYPE, badType, r, now);
            }
            String bad = firstNotPositive(r, "voltage_level_kv", "capacity_mw");
            if (bad != null) {
                return badNumber(t, op, r, now, bad);
            }
        }
        return DimensionChange.ROWS.of(
                op,
                new Substation(
                        text(r, "substation_id"),
                        text(r, "substation_name"),
                        text(r, "region"),
                        number(r, "voltage_level_kv"),
                        number(r, "capacity_mw")));
    }

    static DimensionChange line(Op op, Struct r, long now) {
        String t = DimensionChange.LINES;
        if (op == Op.DELETE) {
            if (firstNull(r, "line_id") != null) {
                return reject(t, op, RejectReason.MISSING_FIELD, "line_id", r, now);
            }
            if (firstUnconvertible(r, new String[] {"line_id"}, new String[0], null) != null) {
                return reject(t, op, RejectReason.INVALID_TYPE, "line_id", r, now);
            }
        } else {
            String missing =
                    firstNull(
                            r,
                            "line_id",
                            "from_substation_id",
                            "to_substation_id",
                            "capacity_mw",
                            "status");
            if (missing != null) {
                return reject(t, op, RejectReason.MISSING_FIELD, missing, r, now);
            }
            String badType =
                    firstUnconvertible(
                            r,
                            new String[] {
                                "line_id", "from_substation_id", "to_substation_id", "status"
                            },
                            new String[] {"capacity_mw"},
                            null);
            if (badType != null) {
                return reject(t, op, RejectReason.INVALID_TYPE, badType, r, now);
            }
            if (!LINE_STATUSES.contains(text(r, "status"))) {
                return reject(t, op, RejectReason.INVALID_VALUE, "status", r, now);
            }
            String bad = firstNotPositive(r, "capacity_mw");
            if (bad != null) {
                return badNumber(t, op, r, now, bad);
            }
        }
        return DimensionChange.ROWS.of(
                op,
                new GridLine(
                        text(r, "line_id"),
                        text(r, "from_substation_id"),
                        text(r, "to_substation_id"),
                        number(r, "capacity_mw"),
                        text(r, "status")));
    }

    /** The first column that is not finite or not > 0, or null. */
    private static @Nullable String firstNotPositive(Struct r, String... columns) {
        for (String c : columns) {
            double v = number(r, c);
            if (!Double.isFinite(v) || v <= 0) {
                return c;
            }
        }
        return null;
    }

    private static DimensionChange badNumber(String t, Op op, Struct r, long now, String column) {
        RejectReason reason =
                Double.isFinite(number(r, column))
                        ? RejectReason.OUT_OF_RANGE
                        : RejectReason.INVALID_VALUE;
        return reject(t, op, reason, column, r, now);
    }

    /**
     * The first column whose value cannot be converted to its contract type: a STRING column
     * ({@code strings}) holding something other than a string, number or boolean, a DOUBLE column
     * ({@code numbers}) holding something other than a number or a string that parses as one, or
     * {@code timestampColumn} (if not null) holding something {@link CdcTables#timestamp} cannot
     * read. Null values are left to the other checks; null if every column converts.
     */
    static @Nullable String firstUnconvertible(
            Struct r, String[] strings, String[] numbers, @Nullable String timestampColumn) {
        for (String c : strings) {
            Object v = value(r, c);
            if (v != null
                    && !(v instanceof String || v instanceof Number || v instanceof Boolean)) {
                return c;
            }
        }
        for (String c : numbers) {
            Object v = value(r, c);
            if (v != null && !(v instanceof Number) && parseNumber(v) == null) {
                return c;
            }
        }
        if (timestampColumn != null) {
            Object v = value(r, timestampColumn);
            if (v != null) {
                try {
                    timestamp(v);
                } catch (RuntimeException e) {
                    return timestampColumn;
                }
            }
        }
        return null;
    }

    /**
     * A decimal number as PostgreSQL writes one ({@code 12.5}, {@code -3}, {@code 1e3}, also {@code
     * NaN} and {@code ±Infinity}, which the range check rejects as INVALID_VALUE).
     */
    private static final Pattern DECIMAL =
            Pattern.compile("[+-]?(\\d+\\.?\\d*|\\.\\d+)([eE][+-]?\\d+)?|[+-]?(NaN|Infinity)");

    /** A string holding a decimal number ({@link #DECIMAL}) as a double, or null. */
    private static @Nullable Double parseNumber(Object v) {
        if (!(v instanceof String)) {
            return null;
        }
        String s = ((String) v).trim();
        return DECIMAL.matcher(s).matches() ? Double.valueOf(s) : null;
    }

    /**
     * A DOUBLE column as a double: a number, or a string holding one (after a type change in
     * PostgreSQL); null (allowed only for deletes) is 0. Call after {@link #firstUnconvertible}.
     */
    private static double number(Struct r, String column) {
        Object v = value(r, column);
        if (v == null) {
            return 0.0;
        }
        if (v instanceof Number) {
            return ((Number) v).doubleValue();
        }
        Double parsed = parseNumber(v);
        if (parsed == null) {
            throw new IllegalArgumentException(
                    "Column " + column + " is not a number: " + v.getClass().getSimpleName());
        }
        return parsed;
    }

    /**
     * A STRING column as a string: strings as they are, numbers and booleans as their text (after a
     * type change in PostgreSQL); null stays null. Call after {@link #firstUnconvertible}.
     */
    private static @Nullable String text(Struct r, String column) {
        Object v = value(r, column);
        return v == null ? null : v.toString();
    }

    private static DimensionChange reject(
            String table, Op op, RejectReason reason, String column, Struct row, long now) {
        return CDC.reject(table, op, reason, column, row, now);
    }
}
