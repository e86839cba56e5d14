package dev.gridhouse.core.io;

import dev.gridhouse.core.catalog.TableSpec;
import dev.gridhouse.core.serde.FlussRowConverter;
import java.io.Serializable;
import java.lang.reflect.Field;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.apache.flink.connector.jdbc.JdbcConnectionOptions;
import org.apache.flink.connector.jdbc.JdbcExecutionOptions;
import org.apache.flink.connector.jdbc.JdbcStatementBuilder;
import org.apache.flink.connector.jdbc.core.datastream.sink.JdbcSink;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.DataStreamSink;
import org.apache.fluss.types.DataType;

/**
 * Upserts a contract table's model records into a PostgreSQL table with the JDBC connector's Sink
 * V2 ({@code flink-connector-jdbc-core}): {@code INSERT … ON CONFLICT (primary key) DO UPDATE}, so
 * a replay of the same records leaves the same rows (idempotent, at-least-once delivery is enough).
 * Columns, their order and the primary key come from the {@link TableSpec}; values are read from
 * the model's fields ({@code snake_case} column → {@code camelCase} field, epoch-millisecond longs
 * for timestamp columns).
 *
 * <pre>{@code
 * JdbcUpsertSink<RegionRealtime> sink =
 *         JdbcUpsertSink.<RegionRealtime>builder(GridTables.ADS_GRID_REALTIME)
 *                 .setTarget("ads", "grid_realtime")
 *                 .setUrl("jdbc:postgresql://127.0.0.1:55432/gridhouse")
 *                 .setUser("gridhouse")
 *                 .setPassword(password)
 *                 .build();
 * sink.createTableIfNotExists();
 * sink.write(realtime, "gridhouse-ads", 1);
 * }</pre>
 *
 * <p>Schema, table and column names are checked against {@value #IDENTIFIER} and quoted; nothing
 * from user input is concatenated into SQL unchecked. The password is never part of {@link
 * #toString()}.
 */
public final class JdbcUpsertSink<T> implements Serializable {
    private static final long serialVersionUID = 1L;

    /** Accepted schema, table and column names: lower-case SQL identifiers. */
    public static final String IDENTIFIER = "[a-z_][a-z0-9_]{0,62}";

    private static final Pattern IDENTIFIER_PATTERN = Pattern.compile(IDENTIFIER);

    private final TableSpec table;
    private final String schema;
    private final String tableName;
    private final String url;
    private final String user;
    private final String password;
    private final int batchSize;
    private final Duration batchInterval;
    private final int maxRetries;
    private final List<String> notChanges;

    private JdbcUpsertSink(Builder<T> b) {
        this.table = b.table;
        this.schema = b.schema;
        this.tableName = b.tableName;
        this.url = b.url;
        this.user = b.user;
        this.password = b.password;
        this.batchSize = b.batchSize;
        this.batchInterval = b.batchInterval;
        this.maxRetries = b.maxRetries;
        this.notChanges = b.notChanges;
    }

    /** A builder for the given contract table (its columns and primary key). */
    public static <T> Builder<T> builder(TableSpec table) {
        return new Builder<>(table);
    }

    /** {@code "schema"."table"}. */
    public String qualifiedName() {
        return quote(schema) + "." + quote(tableName);
    }

    /** The upsert statement, one {@code ?} per column in table order. */
    public String upsertStatement() {
        List<String> cols = table.columnNames();
        String columnList = cols.stream().map(JdbcUpsertSink::quote).collect(joining());
        String params = cols.stream().map(c -> "?").collect(joining());
        String keys = table.primaryKey().stream().map(JdbcUpsertSink::quote).collect(joining());
        List<String> updates = new ArrayList<>();
        List<String> compared = new ArrayList<>();
        for (String c : cols) {
            if (!table.primaryKey().contains(c)) {
                updates.add(quote(c) + " = EXCLUDED." + quote(c));
                if (!notChanges.contains(c)) {
                    compared.add(c);
                }
            }
        }
        String sql =
                "INSERT INTO "
                        + qualifiedName()
                        + " AS t ("
                        + columnList
                        + ") VALUES ("
                        + params
                        + ") ON CONFLICT ("
                        + keys
                        + ") DO "
                        + (updates.isEmpty()
                                ? "NOTHING"
                                : "UPDATE SET " + String.join(", ", updates));
        if (!updates.isEmpty() && !notChanges.isEmpty()) {
            // a row whose contents are unchanged but for wall-clock columns is left as it is
            sql +=
                    " WHERE ("
                            + compared.stream().map(c -> "t." + quote(c)).collect(joining())
                            + ") IS DISTINCT FROM ("
                            + compared.stream().map(c -> "EXCLUDED." + quote(c)).collect(joining())
                            + ")";
        }
        return sql;
    }

    /** {@code CREATE SCHEMA IF NOT EXISTS …; CREATE TABLE IF NOT EXISTS …} for this table. */
    public String createTableStatements() {
        StringBuilder sql = new StringBuilder();
        sql.append("CREATE SCHEMA IF NOT EXISTS ").append(quote(schema)).append(";\n");
        sql.append("CREATE TABLE IF NOT EXISTS ").append(qualifiedName()).append(" (\n");
        for (TableSpec.Column c : table.columns()) {
            sql.append("    ").append(quote(c.name)).append(' ').append(sqlType(c.type));
            if (table.primaryKey().contains(c.name)) {
                sql.append(" NOT NULL");
            }
            sql.append(",\n");
        }
        sql.append("    PRIMARY KEY (")
                .append(table.primaryKey().stream().map(JdbcUpsertSink::quote).collect(joining()))
                .append(")\n);\n");
        return sql.toString();
    }

    /** Runs {@link #createTableStatements()} (idempotent) over a plain JDBC connection. */
    public void createTableIfNotExists() throws SQLException {
        try (Connection conn = DriverManager.getConnection(url, user, password);
                Statement st = conn.createStatement()) {
            for (String s : createTableStatements().split(";\n")) {
                if (!s.isBlank()) {
                    st.execute(s);
                }
            }
        }
    }

    /** The Sink V2 of this table (at-least-once; the upsert makes replays idempotent). */
    public JdbcSink<T> sink() {
        return JdbcSink.<T>builder()
                .withQueryStatement(upsertStatement(), new FieldStatementBuilder<>(table))
                .withExecutionOptions(
                        JdbcExecutionOptions.builder()
                                .withBatchSize(batchSize)
                                .withBatchIntervalMs(batchInterval.toMillis())
                                .withMaxRetries(maxRetries)
                                .build())
                .buildAtLeastOnce(
                        new JdbcConnectionOptions.JdbcConnectionOptionsBuilder()
                                .withUrl(url)
                                .withDriverName("org.postgresql.Driver")
                                .withUsername(user)
                                .withPassword(password)
                                .build());
    }

    /**
     * Adds the sink to {@code stream}, named {@code "JDBC Writer : schema.table"} with uid {@code
     * <uidPrefix>-jdbc-writer-<schema>-<table>}; {@code parallelism} ≤ 0 keeps the stream's.
     */
    public DataStreamSink<T> write(DataStream<T> stream, String uidPrefix, int parallelism) {
        DataStreamSink<T> sink =
                stream.sinkTo(sink())
                        .name("JDBC Writer : " + schema + "." + tableName)
                        .uid(uidPrefix + "-jdbc-writer-" + schema + "-" + tableName);
        if (parallelism > 0) {
            sink.setParallelism(parallelism);
        }
        return sink;
    }

    @Override
    public String toString() {
        return "JdbcUpsertSink{"
                + table.name()
                + " -> "
                + schema
                + "."
                + tableName
                + " at "
                + url
                + " as "
                + user
                + "}";
    }

    static String quote(String identifier) {
        return '"' + identifier + '"';
    }

    private static java.util.stream.Collector<CharSequence, ?, String> joining() {
        return Collectors.joining(", ");
    }

    static String sqlType(DataType type) {
        switch (type.getTypeRoot()) {
            case STRING:
            case CHAR:
                return "TEXT";
            case DOUBLE:
                return "DOUBLE PRECISION";
            case FLOAT:
                return "REAL";
            case BIGINT:
                return "BIGINT";
            case INTEGER:
                return "INTEGER";
            case BOOLEAN:
                return "BOOLEAN";
            case TIMESTAMP_WITH_LOCAL_TIME_ZONE:
                return "TIMESTAMPTZ(3)";
            case TIMESTAMP_WITHOUT_TIME_ZONE:
                return "TIMESTAMP(3)";
            default:
                throw new IllegalArgumentException(
                        "Column type " + type + " has no PostgreSQL mapping in JdbcUpsertSink.");
        }
    }

    /** Binds a model record's fields to the upsert statement's parameters. */
    private static final class FieldStatementBuilder<T> implements JdbcStatementBuilder<T> {
        private static final long serialVersionUID = 1L;
        private final TableSpec table;
        private transient Field[] fields;

        FieldStatementBuilder(TableSpec table) {
            this.table = table;
        }

        @Override
        public void accept(PreparedStatement ps, T record) throws SQLException {
            if (fields == null) {
                fields = resolve(table, record.getClass());
            }
            List<TableSpec.Column> cols = table.columns();
            for (int i = 0; i < cols.size(); i++) {
                Object v;
                try {
                    v = fields[i].get(record);
                } catch (IllegalAccessException e) {
                    throw new IllegalStateException(e);
                }
                bind(ps, i + 1, cols.get(i).type, v);
            }
        }

        private static void bind(PreparedStatement ps, int index, DataType type, Object v)
                throws SQLException {
            switch (type.getTypeRoot()) {
                case TIMESTAMP_WITH_LOCAL_TIME_ZONE:
                    if (v == null) {
                        ps.setNull(index, Types.TIMESTAMP_WITH_TIMEZONE);
                    } else {
                        ps.setObject(
                                index,
                                OffsetDateTime.ofInstant(
                                        Instant.ofEpochMilli((Long) v), ZoneOffset.UTC));
                    }
                    break;
                case TIMESTAMP_WITHOUT_TIME_ZONE:
                    if (v == null) {
                        ps.setNull(index, Types.TIMESTAMP);
                    } else {
                        // contract TIMESTAMP(3) values are UTC wall times
                        ps.setObject(
                                index,
                                LocalDateTime.ofInstant(
                                        Instant.ofEpochMilli((Long) v), ZoneOffset.UTC));
                    }
                    break;
                case STRING:
                case CHAR:
                    ps.setString(index, (String) v);
                    break;
                case DOUBLE:
                    if (v == null) {
                        ps.setNull(index, Types.DOUBLE);
                    } else {
                        ps.setDouble(index, (Double) v);
                    }
                    break;
                case BIGINT:
                    if (v == null) {
                        ps.setNull(index, Types.BIGINT);
                    } else {
                        ps.setLong(index, ((Number) v).longValue());
                    }
                    break;
                case INTEGER:
                    if (v == null) {
                        ps.setNull(index, Types.INTEGER);
                    } else {
                        ps.setInt(index, ((Number) v).intValue());
                    }
                    break;
                default:
                    ps.setObject(index, v);
            }
        }
    }

    private static Field[] resolve(TableSpec table, Class<?> cls) {
        List<TableSpec.Column> cols = table.columns();
        Field[] out = new Field[cols.size()];
        for (int i = 0; i < cols.size(); i++) {
            String name = FlussRowConverter.fieldNameOf(cols.get(i).name);
            out[i] = FlussRowConverter.findField(cls, name);
            if (out[i] == null) {
                throw new IllegalArgumentException(
                        cls.getName()
                                + " has no field '"
                                + name
                                + "' for column "
                                + table.name()
                                + "."
                                + cols.get(i).name);
            }
            out[i].setAccessible(true);
        }
        return out;
    }

    /** Builder of {@link JdbcUpsertSink}; {@link #build()} checks every setting. */
    public static final class Builder<T> {
        private final TableSpec table;
        private String schema;
        private String tableName;
        private String url;
        private String user;
        private String password;
        private int batchSize = 500;
        private Duration batchInterval = Duration.ofMillis(200);
        private int maxRetries = 3;
        private List<String> notChanges = new ArrayList<>();

        private Builder(TableSpec table) {
            this.table = Objects.requireNonNull(table, "table");
        }

        /** The PostgreSQL schema and table to upsert into (lower-case identifiers). */
        public Builder<T> setTarget(String schema, String tableName) {
            this.schema = schema;
            this.tableName = tableName;
            return this;
        }

        /** JDBC URL, e.g. {@code jdbc:postgresql://127.0.0.1:55432/gridhouse}. */
        public Builder<T> setUrl(String url) {
            this.url = url;
            return this;
        }

        public Builder<T> setUser(String user) {
            this.user = user;
            return this;
        }

        /** The password (from a file or the environment; never from a command-line option). */
        public Builder<T> setPassword(String password) {
            this.password = password;
            return this;
        }

        /** Rows per JDBC batch (default 500). */
        public Builder<T> setBatchSize(int batchSize) {
            this.batchSize = batchSize;
            return this;
        }

        /** Longest wait before a partial batch is flushed (default 200 ms). */
        public Builder<T> setBatchInterval(Duration batchInterval) {
            this.batchInterval = batchInterval;
            return this;
        }

        /** Retries of a failed batch (default 3). */
        public Builder<T> setMaxRetries(int maxRetries) {
            this.maxRetries = maxRetries;
            return this;
        }

        /**
         * Columns whose difference alone is not a change (wall-clock columns such as {@code
         * updated_at}): an upsert that differs from the stored row only in these leaves the row as
         * it is, so replaying the same input leaves the table byte-identical.
         */
        public Builder<T> setNotChangeColumns(String... columns) {
            this.notChanges = new ArrayList<>(java.util.Arrays.asList(columns));
            return this;
        }

        public JdbcUpsertSink<T> build() {
            validate();
            return new JdbcUpsertSink<>(this);
        }

        private void validate() {
            if (!table.hasPrimaryKey()) {
                throw new IllegalArgumentException(
                        "Table "
                                + table.name()
                                + " has no primary key; an upsert sink needs one. Use a"
                                + " primary-key table.");
            }
            checkIdentifier("schema", schema, "setTarget(schema, table)");
            checkIdentifier("table", tableName, "setTarget(schema, table)");
            for (String c : table.columnNames()) {
                checkIdentifier("column of " + table.name(), c, "the TableSpec");
            }
            for (TableSpec.Column c : table.columns()) {
                sqlType(c.type); // fails with a message for unmapped types
            }
            for (String c : notChanges) {
                if (!table.columnNames().contains(c) || table.primaryKey().contains(c)) {
                    throw new IllegalArgumentException(
                            "setNotChangeColumns: '"
                                    + c
                                    + "' is not a non-key column of "
                                    + table.name()
                                    + "; columns are "
                                    + table.columnNames()
                                    + ".");
                }
            }
            if (url == null || !url.startsWith("jdbc:postgresql:")) {
                throw new IllegalArgumentException(
                        "JDBC URL must be set with setUrl(\"jdbc:postgresql://host:port/db\"), is "
                                + url
                                + ".");
            }
            if (url.toLowerCase(java.util.Locale.ROOT).contains("rewritebatchedinserts=true")) {
                throw new IllegalArgumentException(
                        "JDBC URL "
                                + url
                                + " sets reWriteBatchedInserts=true: PostgreSQL's driver then"
                                + " sends a batch as one multi-row INSERT … ON CONFLICT, which"
                                + " fails when a batch updates the same key twice (\"ON CONFLICT DO"
                                + " UPDATE command cannot affect row a second time\"). Remove it"
                                + " from the URL of an upsert sink.");
            }
            if (user == null || user.isEmpty()) {
                throw new IllegalArgumentException("User must be set with setUser(...).");
            }
            if (batchSize < 1) {
                throw new IllegalArgumentException(
                        "Batch size must be at least 1, is " + batchSize + ".");
            }
            if (batchInterval == null || batchInterval.isNegative()) {
                throw new IllegalArgumentException(
                        "Batch interval must be zero or positive, is " + batchInterval + ".");
            }
            if (maxRetries < 0) {
                throw new IllegalArgumentException(
                        "Max retries must not be negative, is " + maxRetries + ".");
            }
        }

        private static void checkIdentifier(String what, String value, String where) {
            if (value == null || !IDENTIFIER_PATTERN.matcher(value).matches()) {
                throw new IllegalArgumentException(
                        "Invalid PostgreSQL "
                                + what
                                + " name '"
                                + value
                                + "': use a lower-case identifier matching "
                                + IDENTIFIER
                                + " (set with "
                                + where
                                + ").");
            }
        }
    }
}
