package dev.gridhouse.ods.cdc;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gridhouse.core.model.DeadLetter;
import dev.gridhouse.core.model.Device;
import dev.gridhouse.core.model.DimensionChange;
import dev.gridhouse.core.model.DimensionChange.Op;
import dev.gridhouse.core.model.GridLine;
import dev.gridhouse.core.model.RejectReason;
import dev.gridhouse.core.model.Substation;
import dev.gridhouse.core.serde.DeviceCsvParser;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.Date;
import java.util.HashSet;
import java.util.Set;
import javax.annotation.Nullable;
import org.apache.kafka.connect.data.Field;
import org.apache.kafka.connect.data.Struct;

/**
 * Turns the Debezium row {@link Struct} of {@code grid.devices}, {@code grid.substations} or {@code
 * grid.lines} into a typed {@link DimensionChange}, validating upserts against contract §1.1/§1.2.
 * Checks run in the order of the CSV parser: a required column that is null ({@code
 * MISSING_FIELD}), an unknown enum value or a non-finite number ({@code INVALID_VALUE}), a capacity
 * or voltage ≤ 0 ({@code OUT_OF_RANGE}); the dead letter's {@code source} is the table name, its
 * {@code detail} the column and its {@code payload} the row as JSON. Deletes need only the key.
 * {@code updated_at} may be null (then 0, unknown).
 */
public final class DimensionRows {
    private static final ObjectMapper JSON = new ObjectMapper();

    static final Set<String> LINE_STATUSES =
            new HashSet<>(Arrays.asList(GridLine.CLOSED, GridLine.OPEN));

    private DimensionRows() {}

    /** The change for {@code row} of {@code table}, or null for a table this job does not read. */
    public static @Nullable DimensionChange toChange(String table, Op op, Struct row, long now) {
        switch (table) {
            case DimensionChange.DEVICES:
                return device(op, row, now);
            case DimensionChange.SUBSTATIONS:
                return substation(op, row, now);
            case DimensionChange.LINES:
                return line(op, row, now);
            default:
                return null;
        }
    }

    static DimensionChange device(Op op, Struct r, long now) {
        String t = DimensionChange.DEVICES;
        if (op == Op.DELETE) {
            if (r.get("device_id") == null) {
                return reject(t, op, RejectReason.MISSING_FIELD, "device_id", r, now);
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
            if (!DeviceCsvParser.DEVICE_TYPES.contains(r.getString("device_type"))) {
                return reject(t, op, RejectReason.INVALID_VALUE, "device_type", r, now);
            }
            if (!DeviceCsvParser.STATUSES.contains(r.getString("status"))) {
                return reject(t, op, RejectReason.INVALID_VALUE, "status", r, now);
            }
            String bad = firstNotPositive(r, "capacity_mw", "rated_voltage_kv");
            if (bad != null) {
                return badNumber(t, op, r, now, bad);
            }
        }
        return DimensionChange.of(
                op,
                new Device(
                        r.getString("device_id"),
                        r.getString("device_name"),
                        r.getString("device_type"),
                        r.getString("substation_id"),
                        r.getString("region"),
                        number(r, "capacity_mw"),
                        number(r, "rated_voltage_kv"),
                        r.getString("status"),
                        timestamp(r.get("updated_at"))));
    }

    static DimensionChange substation(Op op, Struct r, long now) {
        String t = DimensionChange.SUBSTATIONS;
        if (op == Op.DELETE) {
            if (r.get("substation_id") == null) {
                return reject(t, op, RejectReason.MISSING_FIELD, "substation_id", r, now);
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
            String bad = firstNotPositive(r, "voltage_level_kv", "capacity_mw");
            if (bad != null) {
                return badNumber(t, op, r, now, bad);
            }
        }
        return DimensionChange.of(
                op,
                new Substation(
                        r.getString("substation_id"),
                        r.getString("substation_name"),
                        r.getString("region"),
                        number(r, "voltage_level_kv"),
                        number(r, "capacity_mw")));
    }

    static DimensionChange line(Op op, Struct r, long now) {
        String t = DimensionChange.LINES;
        if (op == Op.DELETE) {
            if (r.get("line_id") == null) {
                return reject(t, op, RejectReason.MISSING_FIELD, "line_id", r, now);
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
            if (!LINE_STATUSES.contains(r.getString("status"))) {
                return reject(t, op, RejectReason.INVALID_VALUE, "status", r, now);
            }
            String bad = firstNotPositive(r, "capacity_mw");
            if (bad != null) {
                return badNumber(t, op, r, now, bad);
            }
        }
        return DimensionChange.of(
                op,
                new GridLine(
                        r.getString("line_id"),
                        r.getString("from_substation_id"),
                        r.getString("to_substation_id"),
                        number(r, "capacity_mw"),
                        r.getString("status")));
    }

    static @Nullable String firstNull(Struct r, String... columns) {
        for (String c : columns) {
            if (r.schema().field(c) == null || r.get(c) == null) {
                return c;
            }
        }
        return null;
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

    /** A DOUBLE column as a double; null (allowed only for deletes) is 0. */
    private static double number(Struct r, String column) {
        Object v = r.schema().field(column) == null ? null : r.get(column);
        return v == null ? 0.0 : ((Number) v).doubleValue();
    }

    /**
     * A {@code timestamptz} as epoch milliseconds: Debezium gives an ISO-8601 string ({@code
     * io.debezium.time.ZonedTimestamp}); epoch numbers and dates are accepted too. Null is 0.
     */
    static long timestamp(@Nullable Object v) {
        if (v == null) {
            return 0L;
        }
        if (v instanceof String) {
            String s = (String) v;
            try {
                return Instant.parse(s).toEpochMilli();
            } catch (DateTimeParseException e) {
                return OffsetDateTime.parse(s).toInstant().toEpochMilli();
            }
        }
        if (v instanceof Date) {
            return ((Date) v).getTime();
        }
        if (v instanceof Number) {
            return ((Number) v).longValue();
        }
        throw new IllegalArgumentException("Unsupported timestamp value " + v.getClass());
    }

    private static DimensionChange reject(
            String table, Op op, RejectReason reason, String column, Struct row, long now) {
        return DimensionChange.rejected(
                table, op, new DeadLetter(table, reason, column, toJson(row), null, now));
    }

    /** The row as a JSON object, columns in table order. */
    static String toJson(Struct row) {
        ObjectNode node = JSON.createObjectNode();
        for (Field f : row.schema().fields()) {
            Object v = row.get(f);
            if (v == null) {
                node.putNull(f.name());
            } else if (v instanceof Double || v instanceof Float) {
                double d = ((Number) v).doubleValue();
                if (Double.isFinite(d)) {
                    node.put(f.name(), d);
                } else {
                    node.put(f.name(), Double.toString(d));
                }
            } else if (v instanceof Number) {
                node.put(f.name(), ((Number) v).longValue());
            } else if (v instanceof Boolean) {
                node.put(f.name(), (Boolean) v);
            } else {
                node.put(f.name(), v.toString());
            }
        }
        return node.toString();
    }
}
