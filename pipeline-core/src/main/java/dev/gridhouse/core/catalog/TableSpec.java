package dev.gridhouse.core.catalog;

import static java.util.Objects.requireNonNull;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.fluss.metadata.Schema;
import org.apache.fluss.metadata.TableDescriptor;
import org.apache.fluss.types.DataType;
import org.apache.fluss.types.RowType;

/**
 * One Fluss table of the contract, defined once: name, columns in contract order, primary key,
 * bucket key and count, table options, and the model class its rows map to.
 *
 * <p>Build with {@link #builder(String, Class)}; {@link #toDescriptor} turns it into the Fluss
 * descriptor that {@link FlussCatalog} creates.
 */
public final class TableSpec implements Serializable {
    private static final long serialVersionUID = 1L;

    private final String name;
    private final Class<?> modelClass;
    private final List<Column> columns;
    private final List<String> primaryKey;
    private final List<String> bucketKeys;
    private final int bucketCount;
    private final Map<String, String> properties;

    private TableSpec(Builder b) {
        this.name = b.name;
        this.modelClass = b.modelClass;
        this.columns = Collections.unmodifiableList(new ArrayList<>(b.columns));
        this.primaryKey = Collections.unmodifiableList(new ArrayList<>(b.primaryKey));
        this.bucketKeys = Collections.unmodifiableList(new ArrayList<>(b.bucketKeys));
        this.bucketCount = b.bucketCount;
        this.properties = Collections.unmodifiableMap(new LinkedHashMap<>(b.properties));
    }

    public static Builder builder(String name, Class<?> modelClass) {
        return new Builder(name, modelClass);
    }

    public String name() {
        return name;
    }

    public Class<?> modelClass() {
        return modelClass;
    }

    public List<Column> columns() {
        return columns;
    }

    public List<String> columnNames() {
        List<String> names = new ArrayList<>(columns.size());
        for (Column c : columns) {
            names.add(c.name);
        }
        return names;
    }

    public List<String> primaryKey() {
        return primaryKey;
    }

    public boolean hasPrimaryKey() {
        return !primaryKey.isEmpty();
    }

    public List<String> bucketKeys() {
        return bucketKeys;
    }

    public int bucketCount() {
        return bucketCount;
    }

    public Map<String, String> properties() {
        return properties;
    }

    /**
     * Fails early, naming both lists, when a table found in Fluss has other columns than this
     * definition (e.g. created by an older version).
     */
    public void checkColumns(List<String> actual) {
        if (!actual.equals(columnNames())) {
            throw new IllegalStateException(
                    "Fluss table "
                            + name
                            + " has columns "
                            + actual
                            + " but the contract defines "
                            + columnNames()
                            + ". Recreate the table or use another database.");
        }
    }

    /** The row type of the table, columns in contract order. */
    public RowType rowType() {
        return toSchema().getRowType();
    }

    /** The Fluss schema: columns in order and, for a primary-key table, the key. */
    public Schema toSchema() {
        Schema.Builder schema = Schema.newBuilder();
        for (Column c : columns) {
            schema.column(c.name, c.type);
        }
        if (hasPrimaryKey()) {
            schema.primaryKey(primaryKey.toArray(new String[0]));
        }
        return schema.build();
    }

    /** The Fluss table descriptor, with {@code bucketCountOverride} if it is positive. */
    public TableDescriptor toDescriptor(int bucketCountOverride) {
        int buckets = bucketCountOverride > 0 ? bucketCountOverride : bucketCount;
        return TableDescriptor.builder()
                .schema(toSchema())
                .distributedBy(buckets, bucketKeys.toArray(new String[0]))
                .properties(properties)
                .build();
    }

    @Override
    public String toString() {
        return name + columnNames() + (hasPrimaryKey() ? " PK " + primaryKey : " (log)");
    }

    /** A column: name and Fluss type. */
    public static final class Column implements Serializable {
        private static final long serialVersionUID = 1L;
        public final String name;
        public final DataType type;

        Column(String name, DataType type) {
            this.name = name;
            this.type = type;
        }
    }

    /** Builder of a {@link TableSpec}; {@link #build()} checks every setting. */
    public static final class Builder {
        private final String name;
        private final Class<?> modelClass;
        private final List<Column> columns = new ArrayList<>();
        private List<String> primaryKey = Collections.emptyList();
        private List<String> bucketKeys = Collections.emptyList();
        private int bucketCount = 1;
        private final Map<String, String> properties = new LinkedHashMap<>();

        private Builder(String name, Class<?> modelClass) {
            this.name = requireNonNull(name, "table name must be set");
            this.modelClass = requireNonNull(modelClass, "model class must be set");
        }

        public Builder column(String column, DataType type) {
            columns.add(new Column(column, type));
            return this;
        }

        public Builder primaryKey(String... keys) {
            this.primaryKey = Arrays.asList(keys);
            return this;
        }

        public Builder distributedBy(int buckets, String... keys) {
            this.bucketCount = buckets;
            this.bucketKeys = Arrays.asList(keys);
            return this;
        }

        public Builder property(String key, String value) {
            properties.put(key, value);
            return this;
        }

        public TableSpec build() {
            if (columns.isEmpty()) {
                throw new IllegalArgumentException("Table " + name + " needs at least one column.");
            }
            List<String> names = new ArrayList<>();
            for (Column c : columns) {
                if (names.contains(c.name)) {
                    throw new IllegalArgumentException(
                            "Table " + name + " declares column '" + c.name + "' twice.");
                }
                names.add(c.name);
            }
            for (String k : primaryKey) {
                if (!names.contains(k)) {
                    throw new IllegalArgumentException(
                            "Primary key column '" + k + "' is not a column of " + name + ".");
                }
            }
            for (String k : bucketKeys) {
                if (!names.contains(k)) {
                    throw new IllegalArgumentException(
                            "Bucket key column '" + k + "' is not a column of " + name + ".");
                }
                if (!primaryKey.isEmpty() && !primaryKey.contains(k)) {
                    throw new IllegalArgumentException(
                            "Bucket key '"
                                    + k
                                    + "' of "
                                    + name
                                    + " must be part of the primary key "
                                    + primaryKey
                                    + ".");
                }
            }
            if (bucketCount < 1) {
                throw new IllegalArgumentException(
                        "Bucket count of " + name + " must be at least 1, was " + bucketCount);
            }
            return new TableSpec(this);
        }
    }
}
