package dev.gridhouse.core.io;

import dev.gridhouse.core.catalog.TableSpec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.fluss.client.Connection;
import org.apache.fluss.client.ConnectionFactory;
import org.apache.fluss.client.admin.Admin;
import org.apache.fluss.client.admin.OffsetSpec;
import org.apache.fluss.client.table.Table;
import org.apache.fluss.client.table.scanner.ScanRecord;
import org.apache.fluss.client.table.scanner.log.LogScanner;
import org.apache.fluss.client.table.scanner.log.ScanRecords;
import org.apache.fluss.config.Configuration;
import org.apache.fluss.metadata.TableBucket;
import org.apache.fluss.metadata.TablePath;
import org.apache.fluss.record.ChangeType;
import org.apache.fluss.row.BinaryString;
import org.apache.fluss.row.InternalRow;
import org.apache.fluss.types.RowType;

/**
 * Reads a whole Fluss table with the plain client, up to the end offsets at the time of the call: a
 * log table in read order (bucket by bucket), a primary-key table as its current rows (the
 * changelog folded by key), sorted by primary key.
 */
public final class TableReader implements AutoCloseable {
    private static final Duration POLL = Duration.ofMillis(200);

    /**
     * A primary-key table's changelog can end in batches without records (a write that changed
     * nothing, e.g. a first_row duplicate, still takes an offset), so its end offset may never be
     * seen as a record: after this long without a new record the read counts as caught up.
     */
    private static final long PK_QUIET_NANOS = Duration.ofSeconds(3).toNanos();

    private final Connection connection;
    private final Admin admin;
    private final String database;

    public TableReader(Configuration flussConfig, String database) {
        this.connection = ConnectionFactory.createConnection(flussConfig);
        this.admin = connection.getAdmin();
        this.database = database;
    }

    /** The table's rows; each row holds Java values (String, Long, Double, Fluss timestamps). */
    public List<Object[]> readAll(TableSpec spec, Duration timeout) throws Exception {
        Map<Integer, Long> end = offsets(spec, new OffsetSpec.LatestSpec());
        Map<Integer, Long> start = new HashMap<>();
        end.keySet().forEach(b -> start.put(b, 0L));
        return current(spec, readChanges(spec, start, end, timeout));
    }

    /** The offsets of every bucket of the table for {@code spec} (latest, earliest, timestamp). */
    public Map<Integer, Long> offsets(TableSpec table, OffsetSpec spec) throws Exception {
        TablePath path = TablePath.of(database, table.name());
        int buckets = admin.getTableInfo(path).get().getNumBuckets();
        List<Integer> ids = new ArrayList<>();
        for (int b = 0; b < buckets; b++) {
            ids.add(b);
        }
        return new TreeMap<>(admin.listOffsets(path, ids, spec).all().get());
    }

    /**
     * The log records of each bucket from its {@code start} offset (inclusive) to its {@code end}
     * offset (exclusive), bucket by bucket in log order; rows converted to Java values.
     */
    public List<Change> readChanges(
            TableSpec spec, Map<Integer, Long> start, Map<Integer, Long> end, Duration timeout)
            throws Exception {
        TablePath path = TablePath.of(database, spec.name());
        try (Table table = connection.getTable(path)) {
            RowType rowType = table.getTableInfo().getRowType();
            InternalRow.FieldGetter[] getters = InternalRow.createFieldGetters(rowType);
            Map<Integer, List<Change>> byBucket = new TreeMap<>();
            Map<Integer, Long> next = new HashMap<>();
            try (LogScanner scanner = table.newScan().createLogScanner()) {
                for (Map.Entry<Integer, Long> e : end.entrySet()) {
                    int b = e.getKey();
                    long from = start.getOrDefault(b, 0L);
                    byBucket.put(b, new ArrayList<>());
                    next.put(b, from);
                    if (e.getValue() > from && from == 0) {
                        scanner.subscribeFromBeginning(b);
                    } else if (e.getValue() > from) {
                        scanner.subscribe(b, from);
                    }
                }
                long deadline = System.nanoTime() + timeout.toNanos();
                long lastRecord = System.nanoTime();
                while (!caughtUp(next, end)) {
                    if (spec.hasPrimaryKey()
                            && System.nanoTime() - lastRecord > PK_QUIET_NANOS
                            && allRead(next, end, start)) {
                        break;
                    }
                    if (System.nanoTime() > deadline) {
                        throw new IllegalStateException(
                                "Timed out reading " + path + " up to offsets " + end);
                    }
                    ScanRecords records = scanner.poll(POLL);
                    for (TableBucket tb : records.buckets()) {
                        for (ScanRecord r : records.records(tb)) {
                            lastRecord = System.nanoTime();
                            if (r.logOffset() < end.get(tb.getBucket())) {
                                byBucket.get(tb.getBucket()).add(copy(r, getters));
                            }
                            next.put(tb.getBucket(), r.logOffset() + 1);
                        }
                    }
                }
            }
            List<Change> changes = new ArrayList<>();
            byBucket.values().forEach(changes::addAll);
            return changes;
        }
    }

    /**
     * The rows these changes leave: for a log table every row in order, for a primary-key table the
     * changes applied over {@code base} (rows by key), sorted by primary key.
     */
    public static List<Object[]> current(
            TableSpec spec, List<Object[]> base, List<Change> changes) {
        if (!spec.hasPrimaryKey()) {
            List<Object[]> rows = new ArrayList<>(base);
            changes.forEach(c -> rows.add(c.values));
            return rows;
        }
        int[] key = keyColumns(spec);
        Map<List<Object>, Object[]> current = new HashMap<>();
        for (Object[] row : base) {
            current.put(keyOf(row, key), row);
        }
        for (Change r : changes) {
            if (r.type == ChangeType.DELETE) {
                current.remove(keyOf(r.values, key));
            } else if (r.type != ChangeType.UPDATE_BEFORE) {
                current.put(keyOf(r.values, key), r.values);
            }
        }
        List<Object[]> rows = new ArrayList<>(current.values());
        rows.sort(byColumns(key));
        return rows;
    }

    private static List<Object[]> current(TableSpec spec, List<Change> changes) {
        return current(spec, List.of(), changes);
    }

    private static int[] keyColumns(TableSpec spec) {
        int[] key = new int[spec.primaryKey().size()];
        for (int i = 0; i < key.length; i++) {
            key[i] = spec.columnNames().indexOf(spec.primaryKey().get(i));
        }
        return key;
    }

    private static List<Object> keyOf(Object[] values, int[] key) {
        List<Object> k = new ArrayList<>();
        for (int i : key) {
            k.add(values[i]);
        }
        return k;
    }

    /** Every bucket behind its end offset has yielded records (its tail may be empty batches). */
    private static boolean allRead(
            Map<Integer, Long> next, Map<Integer, Long> end, Map<Integer, Long> start) {
        for (Map.Entry<Integer, Long> e : end.entrySet()) {
            long n = next.get(e.getKey());
            if (n < e.getValue() && n <= start.getOrDefault(e.getKey(), 0L)) {
                return false;
            }
        }
        return true;
    }

    private static boolean caughtUp(Map<Integer, Long> next, Map<Integer, Long> end) {
        for (Map.Entry<Integer, Long> e : end.entrySet()) {
            if (next.get(e.getKey()) < e.getValue()) {
                return false;
            }
        }
        return true;
    }

    private static Change copy(ScanRecord r, InternalRow.FieldGetter[] getters) {
        Object[] values = new Object[getters.length];
        for (int i = 0; i < getters.length; i++) {
            Object v = getters[i].getFieldOrNull(r.getRow());
            values[i] = v instanceof BinaryString ? v.toString() : v;
        }
        return new Change(r.getChangeType(), values);
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static Comparator<Object[]> byColumns(int[] columns) {
        return (a, b) -> {
            for (int c : columns) {
                Comparable x = (Comparable) a[c];
                Comparable y = (Comparable) b[c];
                int cmp = x == null ? (y == null ? 0 : -1) : y == null ? 1 : x.compareTo(y);
                if (cmp != 0) {
                    return cmp;
                }
            }
            return 0;
        };
    }

    public Admin admin() {
        return admin;
    }

    public String database() {
        return database;
    }

    public Connection connection() {
        return connection;
    }

    @Override
    public void close() throws Exception {
        try {
            admin.close();
        } finally {
            connection.close();
        }
    }

    /** One change of the table's log, its row already converted to Java values. */
    public static final class Change {
        public final ChangeType type;
        public final Object[] values;

        public Change(ChangeType type, Object[] values) {
            this.type = type;
            this.values = values;
        }
    }
}
