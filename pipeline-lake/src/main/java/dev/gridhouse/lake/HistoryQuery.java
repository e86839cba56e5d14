package dev.gridhouse.lake;

import dev.gridhouse.core.catalog.TableSpec;
import java.time.Instant;
import java.util.Objects;
import javax.annotation.Nullable;
import org.apache.fluss.row.TimestampLtz;
import org.apache.fluss.row.TimestampNtz;
import org.apache.fluss.types.DataTypeRoot;

/**
 * What {@link LakeHistory} reads: a table, optionally one key value (a device, a region), a time
 * range [from, to) on the table's time column ({@code ts} for telemetry, {@code window_start} for
 * rollups), and optionally the point in time to read the table as of.
 *
 * <pre>{@code
 * HistoryQuery q = HistoryQuery.of(GridTables.ODS_GRID_TELEMETRY)
 *         .where("device_id", "DEV-000042")
 *         .between(faultTime - 3_600_000, faultTime)
 *         .asOfTimestamp(faultTime)
 *         .build();
 * }</pre>
 */
public final class HistoryQuery {
    private final TableSpec table;
    private final @Nullable String keyColumn;
    private final @Nullable String keyValue;
    private final @Nullable String timeColumn;
    private final @Nullable Long from;
    private final @Nullable Long to;
    private final @Nullable Long asOfSnapshot;
    private final @Nullable Long asOfTimestamp;

    private HistoryQuery(Builder b) {
        this.table = b.table;
        this.keyColumn = b.keyColumn;
        this.keyValue = b.keyValue;
        this.timeColumn = timeColumnOf(b.table);
        this.from = b.from;
        this.to = b.to;
        this.asOfSnapshot = b.asOfSnapshot;
        this.asOfTimestamp = b.asOfTimestamp;
    }

    public static Builder of(TableSpec table) {
        return new Builder(Objects.requireNonNull(table, "table"));
    }

    /** {@code ts} for telemetry tables, {@code window_start} for rollups, else null. */
    static @Nullable String timeColumnOf(TableSpec table) {
        if (table.columnNames().contains("ts")) {
            return "ts";
        }
        return table.columnNames().contains("window_start") ? "window_start" : null;
    }

    public TableSpec table() {
        return table;
    }

    public @Nullable String keyColumn() {
        return keyColumn;
    }

    public @Nullable String keyValue() {
        return keyValue;
    }

    public @Nullable String timeColumn() {
        return timeColumn;
    }

    /** Whether the time column holds epoch milliseconds (BIGINT) rather than a timestamp. */
    public boolean timeIsEpochMillis() {
        return timeColumn != null
                && table.columns().get(table.columnNames().indexOf(timeColumn)).type.getTypeRoot()
                        == DataTypeRoot.BIGINT;
    }

    public @Nullable Long from() {
        return from;
    }

    public @Nullable Long to() {
        return to;
    }

    public @Nullable Long asOfSnapshot() {
        return asOfSnapshot;
    }

    public @Nullable Long asOfTimestamp() {
        return asOfTimestamp;
    }

    /** Whether a row (contract column order, {@link LakeHistory}'s values) matches the filter. */
    public boolean matches(Object[] row) {
        if (keyColumn != null
                && !keyValue.equals(String.valueOf(row[table.columnNames().indexOf(keyColumn)]))) {
            return false;
        }
        if (timeColumn == null || (from == null && to == null)) {
            return true;
        }
        Object t = row[table.columnNames().indexOf(timeColumn)];
        if (t == null) {
            return false;
        }
        long millis = millisOf(t);
        return (from == null || millis >= from) && (to == null || millis < to);
    }

    static long millisOf(Object t) {
        if (t instanceof Long) {
            return (Long) t;
        }
        if (t instanceof TimestampNtz) {
            return ((TimestampNtz) t).getMillisecond();
        }
        if (t instanceof TimestampLtz) {
            return ((TimestampLtz) t).getEpochMillisecond();
        }
        throw new IllegalArgumentException("Not a time value: " + t);
    }

    @Override
    public String toString() {
        return table.name()
                + (keyColumn == null ? "" : " where " + keyColumn + " = " + keyValue)
                + (from == null ? "" : " from " + Instant.ofEpochMilli(from))
                + (to == null ? "" : " to " + Instant.ofEpochMilli(to))
                + (asOfSnapshot == null ? "" : " as of snapshot " + asOfSnapshot)
                + (asOfTimestamp == null ? "" : " as of " + Instant.ofEpochMilli(asOfTimestamp));
    }

    /** Builds a {@link HistoryQuery}; {@link #build()} checks the combination. */
    public static final class Builder {
        private final TableSpec table;
        private @Nullable String keyColumn;
        private @Nullable String keyValue;
        private @Nullable Long from;
        private @Nullable Long to;
        private @Nullable Long asOfSnapshot;
        private @Nullable Long asOfTimestamp;

        private Builder(TableSpec table) {
            this.table = table;
        }

        /** Only rows whose string column {@code column} equals {@code value}. */
        public Builder where(String column, String value) {
            this.keyColumn = column;
            this.keyValue = value;
            return this;
        }

        /** Only rows whose time column is in [from, to) (epoch ms; either may be null). */
        public Builder between(@Nullable Long from, @Nullable Long to) {
            this.from = from;
            this.to = to;
            return this;
        }

        /** The table as Paimon snapshot {@code id} holds it. */
        public Builder asOfSnapshot(long id) {
            this.asOfSnapshot = id;
            return this;
        }

        /** The table as it was at {@code epochMillis}. */
        public Builder asOfTimestamp(long epochMillis) {
            this.asOfTimestamp = epochMillis;
            return this;
        }

        public HistoryQuery build() {
            if (keyColumn != null) {
                int i = table.columnNames().indexOf(keyColumn);
                if (i < 0) {
                    throw new IllegalArgumentException(
                            "Table "
                                    + table.name()
                                    + " has no column '"
                                    + keyColumn
                                    + "'; its columns are "
                                    + table.columnNames());
                }
                if (table.columns().get(i).type.getTypeRoot() != DataTypeRoot.STRING) {
                    throw new IllegalArgumentException(
                            "Filter on a string column such as device_id or region; '"
                                    + keyColumn
                                    + "' is "
                                    + table.columns().get(i).type);
                }
                Objects.requireNonNull(keyValue, "the value to filter " + keyColumn + " by");
            }
            if ((from != null || to != null) && timeColumnOf(table) == null) {
                throw new IllegalArgumentException(
                        "Table "
                                + table.name()
                                + " has no time column (ts or window_start): drop the time range.");
            }
            if (from != null && to != null && from >= to) {
                throw new IllegalArgumentException(
                        "The time range is empty: from "
                                + Instant.ofEpochMilli(from)
                                + " is not before to "
                                + Instant.ofEpochMilli(to)
                                + ".");
            }
            if (asOfSnapshot != null && asOfTimestamp != null) {
                throw new IllegalArgumentException(
                        "Give either a snapshot id or a timestamp to read as of, not both.");
            }
            if (asOfSnapshot != null && asOfSnapshot < 1) {
                throw new IllegalArgumentException(
                        "Paimon snapshot ids start at 1; got " + asOfSnapshot);
            }
            return new HistoryQuery(this);
        }
    }
}
