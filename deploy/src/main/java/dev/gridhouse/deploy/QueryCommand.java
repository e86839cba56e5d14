package dev.gridhouse.deploy;

import dev.gridhouse.contract.grid.GridTables;
import dev.gridhouse.contract.service.ServiceTables;
import dev.gridhouse.core.catalog.TableSpec;
import dev.gridhouse.core.io.TableReader;
import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.annotation.Nullable;
import org.apache.flink.api.java.utils.MultipleParameterTool;
import org.apache.fluss.config.Configuration;
import org.apache.fluss.row.BinaryString;
import org.apache.fluss.row.GenericRow;
import org.apache.fluss.row.TimestampLtz;
import org.apache.fluss.row.TimestampNtz;
import org.apache.fluss.types.DataType;

/**
 * {@code gridhouse query --bootstrap HOST:PORT TABLE [--key col=value ...] [--format
 * table|csv|json] [--database grid]}: reads a table, or looks rows up by primary key (a Fluss point
 * lookup when the keys cover the whole primary key, a filtered scan otherwise).
 */
public final class QueryCommand {
    static final String USAGE =
            "Usage: gridhouse query --bootstrap HOST:PORT TABLE [--key col=value ...]"
                    + " [--format table|csv|json] [--database grid|service]\n"
                    + "Grid tables (database grid): "
                    + names(GridTables.ALL)
                    + "\nTicket warehouse tables (database service): "
                    + names(ServiceTables.ALL)
                    + "\nWithout --database, a table of the ticket warehouse only is read from"
                    + " database service.";

    private static String names(List<TableSpec> tables) {
        return tables.stream().map(TableSpec::name).reduce((a, b) -> a + ", " + b).get();
    }

    private QueryCommand() {}

    public static int run(String[] args, PrintStream out) throws Exception {
        List<String> options = new ArrayList<>();
        List<String> positional = new ArrayList<>();
        boolean expectValue = false;
        for (String a : args) {
            if (a.equals("--help") || a.equals("-h")) {
                out.println(USAGE);
                return 0;
            }
            if (a.startsWith("--")) {
                options.add(a);
                expectValue = true;
            } else if (expectValue) {
                options.add(a);
                expectValue = false;
            } else {
                positional.add(a);
            }
        }
        if (positional.size() != 1) {
            throw new IllegalArgumentException("Name exactly one table.\n" + USAGE);
        }
        MultipleParameterTool params =
                MultipleParameterTool.fromArgs(options.toArray(new String[0]));
        if (!params.has("bootstrap")) {
            throw new IllegalArgumentException("--bootstrap HOST:PORT is required.\n" + USAGE);
        }
        String database = params.get("database", null);
        TableSpec spec = resolve(positional.get(0), database);
        if (database == null) {
            database = databaseOf(spec.name());
        }
        String format = params.get("format", "table");
        Map<String, String> keys = new LinkedHashMap<>();
        if (params.has("key")) {
            for (String kv : params.getMultiParameterRequired("key")) {
                int eq = kv.indexOf('=');
                if (eq <= 0) {
                    throw new IllegalArgumentException("--key takes col=value, got " + kv);
                }
                String col = kv.substring(0, eq);
                if (!spec.columnNames().contains(col)) {
                    throw new IllegalArgumentException(
                            col + " is not a column of " + spec.name() + ": " + spec.columnNames());
                }
                keys.put(col, kv.substring(eq + 1));
            }
        }
        Configuration conf = new Configuration();
        conf.setString("bootstrap.servers", params.get("bootstrap"));
        List<Object[]> rows;
        try (TableReader reader = new TableReader(conf, database)) {
            if (spec.hasPrimaryKey()
                    && keys.keySet().containsAll(spec.primaryKey())
                    && keys.size() == spec.primaryKey().size()) {
                rows = lookup(reader, spec, keys);
            } else {
                rows = new ArrayList<>();
                for (Object[] r : reader.readAll(spec, Duration.ofMinutes(2))) {
                    if (matches(spec, r, keys)) {
                        rows.add(r);
                    }
                }
            }
        }
        TableFormat.print(spec, rows, format, out);
        return 0;
    }

    /**
     * The table named {@code name}: of the ticket warehouse when {@code database} is its database,
     * else of the grid, else of the ticket warehouse.
     */
    static TableSpec resolve(String name, @Nullable String database) {
        List<TableSpec> first =
                ServiceTables.DEFAULT_DATABASE.equals(database)
                        ? ServiceTables.ALL
                        : GridTables.ALL;
        List<TableSpec> second = first == ServiceTables.ALL ? GridTables.ALL : ServiceTables.ALL;
        for (List<TableSpec> tables : Arrays.asList(first, second)) {
            for (TableSpec t : tables) {
                if (t.name().equals(name)) {
                    return t;
                }
            }
        }
        throw new IllegalArgumentException("Unknown table '" + name + "'.\n" + USAGE);
    }

    /** The default database of a table name: grid's, or service's for a ticket-only table. */
    static String databaseOf(String table) {
        for (TableSpec t : GridTables.ALL) {
            if (t.name().equals(table)) {
                return GridTables.DEFAULT_DATABASE;
            }
        }
        return ServiceTables.DEFAULT_DATABASE;
    }

    private static boolean matches(TableSpec spec, Object[] row, Map<String, String> keys) {
        for (Map.Entry<String, String> k : keys.entrySet()) {
            String v = TableFormat.text(row[spec.columnNames().indexOf(k.getKey())]);
            if (!k.getValue().equals(v)) {
                return false;
            }
        }
        return true;
    }

    private static List<Object[]> lookup(
            TableReader reader, TableSpec spec, Map<String, String> keys) throws Exception {
        GenericRow key = new GenericRow(spec.primaryKey().size());
        for (int i = 0; i < spec.primaryKey().size(); i++) {
            String col = spec.primaryKey().get(i);
            DataType type = spec.columns().get(spec.columnNames().indexOf(col)).type;
            key.setField(i, parse(type, keys.get(col)));
        }
        return FlussLookup.lookup(reader, spec, key, List.of());
    }

    private static Object parse(DataType type, String text) {
        switch (type.getTypeRoot()) {
            case STRING:
                return BinaryString.fromString(text);
            case BIGINT:
                return Long.parseLong(text);
            case INTEGER:
                return Integer.parseInt(text);
            case DOUBLE:
                return Double.parseDouble(text);
            case TIMESTAMP_WITHOUT_TIME_ZONE:
                return TimestampNtz.fromMillis(Instant.parse(text).toEpochMilli());
            case TIMESTAMP_WITH_LOCAL_TIME_ZONE:
                return TimestampLtz.fromEpochMillis(Instant.parse(text).toEpochMilli());
            default:
                throw new IllegalArgumentException("Cannot look up by a " + type + " column");
        }
    }
}
