package dev.gridhouse.ods.cdc;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gridhouse.core.model.DeadLetter;
import dev.gridhouse.core.model.RejectReason;
import dev.gridhouse.core.model.RowTypes;
import dev.gridhouse.core.model.TableChange;
import dev.gridhouse.core.model.TableChange.Op;
import java.io.Serializable;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Date;
import java.util.List;
import javax.annotation.Nullable;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.util.OutputTag;
import org.apache.kafka.connect.data.Field;
import org.apache.kafka.connect.data.Struct;

/**
 * The tables one {@link PostgresCdc} pipeline captures from one PostgreSQL schema and how their
 * Debezium rows become typed {@link TableChange}s: the row mapping of a warehouse ({@link
 * DimensionRows#CDC} for the grid's dimensions, {@link ServiceRows#CDC} for the ticket tables). The
 * tables, their row types and keys are the change record's {@link RowTypes}; a warehouse supplies
 * its row mapping ({@link Mapper}) and, to expand truncates, its {@link Deletes}; this class holds
 * the names and uids of the pipeline's operators, the per-table outputs and the conversion helpers
 * both mappings share.
 *
 * <p>Routing: valid changes of the first table go to the main output, those of every other table to
 * {@link #tag}; rejects to the dead letter. With {@link #truncates} the changes are keyed by table
 * and a {@code TRUNCATE} is expanded into deletes of the live rows (see {@link
 * PostgresDimensions}); otherwise they are keyed by table and primary key and truncates are
 * ignored.
 */
public final class CdcTables<C extends TableChange> implements Serializable {
    private static final long serialVersionUID = 1L;
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Turns the Debezium row of one captured table into its validated change. */
    @FunctionalInterface
    public interface Mapper<C> extends Serializable {
        /**
         * The change for {@code row}, validated against the contract (a rejected change carrying
         * its dead letter when it breaks it).
         */
        C toChange(Op op, Struct row, long now);
    }

    /** Makes the delete of one row of a captured table from its key: the expansion of truncates. */
    @FunctionalInterface
    public interface Deletes<C> extends Serializable {
        /** A delete of the row with key {@code key} of {@code table} (only the key set). */
        C deleteOf(String table, String key);
    }

    final String schema;
    final RowTypes<C> rows;
    private final List<Mapper<C>> mappers;
    private final @Nullable Deletes<C> deletes;
    final List<String> tables;
    final Class<C> type;
    final boolean truncates;
    final String slotSuffix;
    final String sourceUid;
    final String validateName;
    final String validateUid;

    /**
     * @param rows the change record's tables (the first is the route's main output), row types and
     *     keys
     * @param schema PostgreSQL schema of the tables
     * @param deletes with deletes, key by table and expand truncates into them; without (null), key
     *     by table and row key and ignore truncates
     * @param slotSuffix default replication slot and publication: {@code <uid-prefix>_<suffix>}
     * @param sourceUid the source's uid after {@code <uid-prefix>-ods-}
     * @param validateName the validating step's name after {@code Validate : }
     * @param validateUid the validating step's uid after {@code <uid-prefix>-ods-validate-}
     * @param mappers the row mapping with its contract checks of each table, in the order of {@code
     *     rows}
     */
    @SafeVarargs
    public CdcTables(
            RowTypes<C> rows,
            String schema,
            @Nullable Deletes<C> deletes,
            String slotSuffix,
            String sourceUid,
            String validateName,
            String validateUid,
            Mapper<C>... mappers) {
        if (mappers.length != rows.tables().size()) {
            throw new IllegalArgumentException(
                    "One mapper per table of " + rows.tables() + ", got " + mappers.length);
        }
        this.rows = rows;
        this.schema = schema;
        this.tables = rows.tables();
        this.type = rows.type();
        this.mappers = new ArrayList<>(Arrays.asList(mappers));
        this.deletes = deletes;
        this.truncates = deletes != null;
        this.slotSuffix = slotSuffix;
        this.sourceUid = sourceUid;
        this.validateName = validateName;
        this.validateUid = validateUid;
    }

    /**
     * The change for {@code row} of {@code table}, validated against the contract (a rejected
     * change carrying its dead letter when it breaks it), or null for a table not captured.
     */
    public @Nullable C toChange(String table, Op op, Struct row, long now) {
        int i = tables.indexOf(table);
        return i < 0 ? null : mappers.get(i).toChange(op, row, now);
    }

    /**
     * A delete of the row with key {@code key} of {@code table} (only the key set): needed for
     * {@link #truncates}.
     */
    public C deleteOf(String table, String key) {
        if (deletes == null) {
            throw new UnsupportedOperationException(schema + " does not expand truncates");
        }
        return deletes.deleteOf(table, key);
    }

    /** The PostgreSQL schema. */
    public String schema() {
        return schema;
    }

    /** The captured tables without schema. */
    public List<String> tables() {
        return tables;
    }

    /** True for a captured table. */
    public boolean isRead(String table) {
        return tables.contains(table);
    }

    /** The output of the changes of {@code table} (not the first table, which is the main one). */
    public OutputTag<C> tag(String table) {
        return new OutputTag<>(table, TypeInformation.of(type));
    }

    /** A change of {@code table} rejected with {@code deadLetter} instead of a row. */
    public C rejected(String table, Op op, @Nullable DeadLetter deadLetter) {
        return rows.rejected(table, op, deadLetter);
    }

    /**
     * The marker of a {@code TRUNCATE} of {@code table}: a {@link Op#DELETE} without a row and
     * without a dead letter ({@link #isTruncate}); null for a table not captured or when this
     * pipeline does not expand truncates. The route expands it into one delete per live row and
     * never writes it as such.
     */
    public @Nullable C truncate(String table) {
        return truncates && isRead(table) ? rejected(table, Op.DELETE, null) : null;
    }

    /** True for the marker of {@link #truncate}. */
    public boolean isTruncate(C c) {
        return c.op == Op.DELETE && c.rejected == null && c.row() == null;
    }

    /** The key the route partitions by: the table, or {@code table|row key} without truncates. */
    public String routeKey(C c) {
        if (truncates) {
            return c.table;
        }
        String key = c.rowKey();
        return c.table + "|" + (key == null ? "" : key);
    }

    /** A change of {@code table} rejected for {@code reason} at {@code column}. */
    protected C reject(
            String table, Op op, RejectReason reason, String column, Struct row, long now) {
        return rejected(table, op, new DeadLetter(table, reason, column, toJson(row), null, now));
    }

    /** The first column that is null or not in the row's schema, or null. */
    static @Nullable String firstNull(Struct r, String... columns) {
        for (String c : columns) {
            if (r.schema().field(c) == null || r.get(c) == null) {
                return c;
            }
        }
        return null;
    }

    /** The column's value, or null when the column is null or not in the row's schema. */
    static @Nullable Object value(Struct r, String column) {
        return r.schema().field(column) == null ? null : r.get(column);
    }

    /** A timestamp column as epoch milliseconds ({@link #timestamp}), or null when null. */
    static @Nullable Long timestampOrNull(Struct r, String column) {
        Object v = value(r, column);
        return v == null ? null : timestamp(v);
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
