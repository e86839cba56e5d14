package dev.gridhouse.core.serde;

import dev.gridhouse.core.catalog.TableSpec;
import java.lang.reflect.Constructor;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.List;
import javax.annotation.Nullable;
import org.apache.fluss.row.BinaryString;
import org.apache.fluss.row.GenericRow;
import org.apache.fluss.row.InternalRow;
import org.apache.fluss.row.TimestampLtz;
import org.apache.fluss.row.TimestampNtz;
import org.apache.fluss.types.DataType;
import org.apache.fluss.types.DataTypeChecks;

/**
 * Converts between a model POJO and a Fluss row of its {@link TableSpec}, in both directions, for
 * every table: column {@code snake_case} maps to field {@code camelCase} (inherited fields
 * included).
 *
 * <p>Supported column types and field types: STRING ↔ String; DOUBLE ↔ double/Double; BIGINT ↔
 * long/Long; INT ↔ int/Integer; BOOLEAN ↔ boolean/Boolean; TIMESTAMP and TIMESTAMP_LTZ ↔ long/Long
 * epoch milliseconds (UTC). A mismatch fails when the converter is created, naming the column.
 * Fluss's own {@code PojoToRowConverter} was not used: it requires field names equal to column
 * names, boxed fields only and {@code Instant} timestamps.
 *
 * <p>Not serializable: create it in {@code open()}.
 */
public final class FlussRowConverter<T> {
    private final TableSpec table;
    private final Class<T> pojoClass;
    private final Constructor<T> constructor;
    private final ColumnAccess[] columns;

    private FlussRowConverter(TableSpec table, Class<T> pojoClass) {
        this.table = table;
        this.pojoClass = pojoClass;
        try {
            this.constructor = pojoClass.getConstructor();
        } catch (NoSuchMethodException e) {
            throw new IllegalArgumentException(
                    pojoClass.getName() + " needs a public no-argument constructor.", e);
        }
        List<TableSpec.Column> cols = table.columns();
        this.columns = new ColumnAccess[cols.size()];
        for (int i = 0; i < cols.size(); i++) {
            columns[i] = ColumnAccess.of(table, pojoClass, cols.get(i), i);
        }
    }

    /** A converter for the table's own model class. */
    @SuppressWarnings("unchecked")
    public static <T> FlussRowConverter<T> forTable(TableSpec table) {
        return new FlussRowConverter<>(table, (Class<T>) table.modelClass());
    }

    /** A converter between the table's rows and another POJO class with matching fields. */
    public static <T> FlussRowConverter<T> forTable(TableSpec table, Class<T> pojoClass) {
        return new FlussRowConverter<>(table, pojoClass);
    }

    public TableSpec table() {
        return table;
    }

    /** The Fluss row of a record; columns in table order. */
    public GenericRow toRow(T record) {
        GenericRow row = new GenericRow(columns.length);
        try {
            for (ColumnAccess c : columns) {
                row.setField(c.pos, c.toFluss(c.field.get(record)));
            }
        } catch (IllegalAccessException e) {
            throw new IllegalStateException(e);
        }
        return row;
    }

    /** The record of a full-width Fluss row of this table. */
    public T fromRow(InternalRow row) {
        try {
            T record = constructor.newInstance();
            for (ColumnAccess c : columns) {
                c.set(record, row);
            }
            return record;
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("Cannot create " + pojoClass.getName(), e);
        }
    }

    /** The Java field name for a column: {@code rated_voltage_kv} → {@code ratedVoltageKv}. */
    public static String fieldNameOf(String column) {
        StringBuilder sb = new StringBuilder(column.length());
        boolean upper = false;
        for (char ch : column.toCharArray()) {
            if (ch == '_') {
                upper = true;
            } else {
                sb.append(upper ? Character.toUpperCase(ch) : ch);
                upper = false;
            }
        }
        return sb.toString();
    }

    /**
     * The instance field {@code name} of {@code cls} or of its nearest superclass that declares one
     * (any visibility; static fields are skipped), or null. The one reflective model-field lookup
     * of the project: the JDBC sink and the schema tests use it too.
     */
    public static @Nullable Field findField(Class<?> cls, String name) {
        for (Class<?> c = cls; c != null && c != Object.class; c = c.getSuperclass()) {
            try {
                Field f = c.getDeclaredField(name);
                if (!Modifier.isStatic(f.getModifiers())) {
                    return f;
                }
            } catch (NoSuchFieldException ignored) {
                // look in the superclass
            }
        }
        return null;
    }

    private enum Kind {
        STRING,
        DOUBLE,
        LONG,
        INT,
        BOOLEAN,
        TIMESTAMP_LTZ,
        TIMESTAMP_NTZ
    }

    /** How one column is read from and written to its field. */
    private static final class ColumnAccess {
        final int pos;
        final String column;
        final Field field;
        final Kind kind;
        final int precision;
        final boolean primitive;

        private ColumnAccess(
                int pos, String column, Field field, Kind kind, int precision, boolean primitive) {
            this.pos = pos;
            this.column = column;
            this.field = field;
            this.kind = kind;
            this.precision = precision;
            this.primitive = primitive;
        }

        static ColumnAccess of(TableSpec table, Class<?> cls, TableSpec.Column col, int pos) {
            String fieldName = fieldNameOf(col.name);
            Field field = findField(cls, fieldName);
            if (field == null) {
                throw new IllegalArgumentException(
                        "Column '"
                                + col.name
                                + "' of table "
                                + table.name()
                                + " needs a field '"
                                + fieldName
                                + "' in "
                                + cls.getName());
            }
            field.setAccessible(true);
            DataType type = col.type;
            Class<?> ft = field.getType();
            Kind kind;
            int precision = 0;
            switch (type.getTypeRoot()) {
                case STRING:
                case CHAR:
                    kind = expect(Kind.STRING, ft, String.class, null, table, col);
                    break;
                case DOUBLE:
                    kind = expect(Kind.DOUBLE, ft, Double.class, double.class, table, col);
                    break;
                case BIGINT:
                    kind = expect(Kind.LONG, ft, Long.class, long.class, table, col);
                    break;
                case INTEGER:
                    kind = expect(Kind.INT, ft, Integer.class, int.class, table, col);
                    break;
                case BOOLEAN:
                    kind = expect(Kind.BOOLEAN, ft, Boolean.class, boolean.class, table, col);
                    break;
                case TIMESTAMP_WITH_LOCAL_TIME_ZONE:
                    kind = expect(Kind.TIMESTAMP_LTZ, ft, Long.class, long.class, table, col);
                    precision = DataTypeChecks.getPrecision(type);
                    break;
                case TIMESTAMP_WITHOUT_TIME_ZONE:
                    kind = expect(Kind.TIMESTAMP_NTZ, ft, Long.class, long.class, table, col);
                    precision = DataTypeChecks.getPrecision(type);
                    break;
                default:
                    throw new IllegalArgumentException(
                            "Column type "
                                    + type
                                    + " of "
                                    + table.name()
                                    + "."
                                    + col.name
                                    + " is not supported by FlussRowConverter.");
            }
            return new ColumnAccess(pos, col.name, field, kind, precision, ft.isPrimitive());
        }

        private static Kind expect(
                Kind kind,
                Class<?> actual,
                Class<?> boxed,
                @Nullable Class<?> primitive,
                TableSpec table,
                TableSpec.Column col) {
            if (actual != boxed && actual != primitive) {
                throw new IllegalArgumentException(
                        "Field for column "
                                + table.name()
                                + "."
                                + col.name
                                + " ("
                                + col.type
                                + ") must be "
                                + (primitive == null ? "" : primitive.getName() + " or ")
                                + boxed.getSimpleName()
                                + ", is "
                                + actual.getName());
            }
            return kind;
        }

        @Nullable
        Object toFluss(@Nullable Object v) {
            if (v == null) {
                return null;
            }
            switch (kind) {
                case STRING:
                    return BinaryString.fromString((String) v);
                case TIMESTAMP_LTZ:
                    return TimestampLtz.fromEpochMillis((Long) v);
                case TIMESTAMP_NTZ:
                    return TimestampNtz.fromMillis((Long) v);
                default:
                    return v;
            }
        }

        void set(Object record, InternalRow row) throws IllegalAccessException {
            if (row.isNullAt(pos)) {
                if (primitive) {
                    throw new IllegalStateException(
                            "Column "
                                    + column
                                    + " is null but field "
                                    + field.getName()
                                    + " is primitive");
                }
                field.set(record, null);
                return;
            }
            switch (kind) {
                case STRING:
                    field.set(record, row.getString(pos).toString());
                    break;
                case DOUBLE:
                    field.set(record, row.getDouble(pos));
                    break;
                case LONG:
                    field.set(record, row.getLong(pos));
                    break;
                case INT:
                    field.set(record, row.getInt(pos));
                    break;
                case BOOLEAN:
                    field.set(record, row.getBoolean(pos));
                    break;
                case TIMESTAMP_LTZ:
                    field.set(record, row.getTimestampLtz(pos, precision).getEpochMillisecond());
                    break;
                case TIMESTAMP_NTZ:
                    field.set(record, row.getTimestampNtz(pos, precision).getMillisecond());
                    break;
                default:
                    throw new IllegalStateException("unreachable: " + kind);
            }
        }
    }
}
