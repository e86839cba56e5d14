package dev.gridhouse.lake;

import dev.gridhouse.core.catalog.TableSpec;
import dev.gridhouse.core.io.FlussEndpoint;
import dev.gridhouse.core.io.TableReader;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import javax.annotation.Nullable;
import org.apache.fluss.client.admin.OffsetSpec;
import org.apache.fluss.client.metadata.LakeSnapshot;
import org.apache.fluss.metadata.TableBucket;
import org.apache.fluss.metadata.TablePath;
import org.apache.fluss.row.TimestampLtz;
import org.apache.fluss.row.TimestampNtz;
import org.apache.fluss.types.DataTypeRoot;
import org.apache.paimon.Snapshot;
import org.apache.paimon.catalog.Catalog;
import org.apache.paimon.catalog.Identifier;
import org.apache.paimon.data.BinaryString;
import org.apache.paimon.data.InternalRow;
import org.apache.paimon.data.Timestamp;
import org.apache.paimon.predicate.Predicate;
import org.apache.paimon.predicate.PredicateBuilder;
import org.apache.paimon.reader.RecordReader;
import org.apache.paimon.table.FileStoreTable;
import org.apache.paimon.table.Table;
import org.apache.paimon.table.source.ReadBuilder;

/**
 * Reads a tiered table's history as one result: the rows of a Paimon snapshot plus the Fluss log
 * written after it, with no gap and no overlap — Fluss records, for every lake snapshot, the log
 * offset of each bucket it holds up to, and the Fluss part starts exactly there.
 *
 * <ul>
 *   <li>{@link HistoryQuery#asOfSnapshot}: the table as Paimon snapshot {@code n} holds it (time
 *       travel; nothing from Fluss).
 *   <li>{@link HistoryQuery#asOfTimestamp}: the table as it was at {@code t}: the last snapshot
 *       committed at or before {@code t}, plus the Fluss log from that snapshot's offsets up to the
 *       offsets Fluss had reached at {@code t} (the log looked up by timestamp).
 *   <li>neither: the latest readable lake snapshot plus the whole Fluss tail — a union read.
 * </ul>
 *
 * <p>Rows are in contract column order with the Java values {@link TableReader} gives (String,
 * Long, Double, Integer, Fluss timestamps), so lake and Fluss rows compare equal. A primary-key
 * table's Fluss tail is applied over the snapshot rows by key.
 */
public final class LakeHistory implements AutoCloseable {
    private static final Duration READ_TIMEOUT = Duration.ofMinutes(2);

    /** Telemetry may be stamped a little ahead of the clock that appended it to the log. */
    private static final long EVENT_TIME_SKEW_MS = Duration.ofMinutes(5).toMillis();

    private final Catalog catalog;
    private final TableReader fluss;
    private final String database;

    public LakeHistory(PaimonLakehouse lake, FlussEndpoint fluss) {
        this.catalog = lake.openCatalog();
        this.fluss = new TableReader(fluss.toFlussConfig(), fluss.database());
        this.database = fluss.database();
    }

    /** Where a result came from: the Paimon snapshot and the Fluss offsets read. */
    public static final class Source {
        /** The Paimon snapshot read, or null when the lake had none. */
        public final @Nullable Long snapshotId;

        /** Per bucket: the Fluss offsets read, [from, to). Empty when nothing came from Fluss. */
        public final Map<Integer, long[]> flussRanges;

        public final int lakeRows;
        public final int flussRecords;

        Source(
                @Nullable Long snapshotId,
                Map<Integer, long[]> flussRanges,
                int lakeRows,
                int flussRecords) {
            this.snapshotId = snapshotId;
            this.flussRanges = flussRanges;
            this.lakeRows = lakeRows;
            this.flussRecords = flussRecords;
        }

        @Override
        public String toString() {
            StringBuilder b = new StringBuilder();
            b.append(snapshotId == null ? "no lake snapshot" : "paimon snapshot " + snapshotId);
            b.append(" (").append(lakeRows).append(" rows)");
            if (!flussRanges.isEmpty()) {
                b.append(" + fluss log");
                flussRanges.forEach(
                        (bucket, r) ->
                                b.append(" b")
                                        .append(bucket)
                                        .append("[")
                                        .append(r[0])
                                        .append(",")
                                        .append(r[1])
                                        .append(")"));
                b.append(" (").append(flussRecords).append(" records)");
            }
            return b.toString();
        }
    }

    /** Rows and where they came from. */
    public static final class Result {
        public final List<Object[]> rows;
        public final Source source;

        Result(List<Object[]> rows, Source source) {
            this.rows = rows;
            this.source = source;
        }
    }

    /** Reads what {@code query} asks for. */
    public Result read(HistoryQuery query) throws Exception {
        TableSpec spec = query.table();
        TablePath path = TablePath.of(database, spec.name());
        if (query.asOfSnapshot() != null) {
            List<Object[]> rows = readLake(query, query.asOfSnapshot(), null);
            return new Result(rows, new Source(query.asOfSnapshot(), Map.of(), rows.size(), 0));
        }
        Long snapshotId;
        Map<Integer, Long> lakeEnd = new HashMap<>();
        List<Object[]> lakeRows;
        if (query.asOfTimestamp() != null) {
            Snapshot snapshot =
                    paimonTable(spec)
                            .snapshotManager()
                            .earlierOrEqualTimeMills(query.asOfTimestamp());
            snapshotId = snapshot == null ? null : snapshot.id();
            // Fluss keeps the offsets of recent lake snapshots only: take them from the rows'
            // __bucket/__offset columns instead. For a log table the next offset after the
            // highest tiered one is exact; for a primary-key table it may start a little early,
            // and replaying changes a snapshot already holds leaves the same rows.
            lakeRows = snapshotId == null ? List.of() : readLake(query, snapshotId, lakeEnd);
        } else {
            long tableId = fluss.admin().getTableInfo(path).get().getTableId();
            LakeSnapshot tiered = readableSnapshot(path);
            snapshotId = tiered == null ? null : tiered.getSnapshotId();
            if (tiered != null) {
                lakeEnd = bucketOffsets(tiered, tableId);
            }
            lakeRows = snapshotId == null ? List.of() : readLake(query, snapshotId, null);
        }

        Map<Integer, Long> end =
                query.asOfTimestamp() == null
                        ? fluss.offsets(spec, new OffsetSpec.LatestSpec())
                        : fluss.offsets(spec, new OffsetSpec.TimestampSpec(query.asOfTimestamp()));
        Map<Integer, Long> start = new HashMap<>();
        for (int bucket : end.keySet()) {
            start.put(bucket, lakeEnd.getOrDefault(bucket, 0L));
        }
        if (!spec.hasPrimaryKey() && query.from() != null && query.timeColumn() != null) {
            // a log table's records are appended after their event time: skip to the log
            // position of the range's start, looked up by timestamp
            Map<Integer, Long> atFrom =
                    fluss.offsets(
                            spec,
                            new OffsetSpec.TimestampSpec(
                                    Math.max(0, query.from() - EVENT_TIME_SKEW_MS)));
            atFrom.forEach((bucket, offset) -> start.merge(bucket, offset, Math::max));
        }
        Map<Integer, long[]> ranges = new java.util.TreeMap<>();
        for (int bucket : end.keySet()) {
            long from = start.get(bucket);
            long to = Math.max(from, end.get(bucket));
            if (to > from) {
                ranges.put(bucket, new long[] {from, to});
            }
            end.put(bucket, to);
        }
        List<TableReader.Change> changes =
                ranges.isEmpty() ? List.of() : fluss.readChanges(spec, start, end, READ_TIMEOUT);
        List<Object[]> rows = new ArrayList<>();
        for (Object[] row : TableReader.current(spec, lakeRows, changes)) {
            if (query.matches(row)) {
                rows.add(row);
            }
        }
        return new Result(rows, new Source(snapshotId, ranges, lakeRows.size(), changes.size()));
    }

    private @Nullable LakeSnapshot readableSnapshot(TablePath path) throws Exception {
        try {
            return fluss.admin().getReadableLakeSnapshot(path).get();
        } catch (ExecutionException e) {
            return null; // nothing tiered yet (LakeTableSnapshotNotExistException)
        }
    }

    private static Map<Integer, Long> bucketOffsets(LakeSnapshot snapshot, long tableId) {
        Map<Integer, Long> offsets = new HashMap<>();
        for (Map.Entry<TableBucket, Long> e : snapshot.getTableBucketsOffset().entrySet()) {
            if (e.getKey().getTableId() == tableId && e.getKey().getPartitionId() == null) {
                offsets.put(e.getKey().getBucket(), e.getValue());
            }
        }
        return offsets;
    }

    private FileStoreTable paimonTable(TableSpec spec) throws Catalog.TableNotExistException {
        Table table = catalog.getTable(Identifier.create(database, spec.name()));
        return (FileStoreTable) table;
    }

    /**
     * The rows of Paimon snapshot {@code snapshotId} that match the query's pushed-down filter.
     *
     * @param nextOffsets if not null, receives per bucket the Fluss offset after the highest one
     *     the snapshot holds (from the {@code __bucket} and {@code __offset} columns Fluss adds)
     */
    private List<Object[]> readLake(
            HistoryQuery query, long snapshotId, @Nullable Map<Integer, Long> nextOffsets)
            throws Exception {
        TableSpec spec = query.table();
        Table table =
                paimonTable(spec).copy(Map.of("scan.snapshot-id", String.valueOf(snapshotId)));
        List<String> lakeColumns = table.rowType().getFieldNames();
        int n = spec.columns().size();
        int[] projection = new int[nextOffsets == null ? n : n + 2];
        if (nextOffsets != null) {
            projection[n] = lakeColumns.indexOf("__bucket");
            projection[n + 1] = lakeColumns.indexOf("__offset");
        }
        for (int i = 0; i < n; i++) {
            projection[i] = lakeColumns.indexOf(spec.columns().get(i).name);
            if (projection[i] < 0) {
                throw new IllegalStateException(
                        "Paimon table "
                                + database
                                + "."
                                + spec.name()
                                + " has no column "
                                + spec.columns().get(i).name
                                + "; its columns: "
                                + lakeColumns);
            }
        }
        ReadBuilder read = table.newReadBuilder();
        Predicate filter =
                nextOffsets == null
                        ? pushDown(query, new PredicateBuilder(table.rowType()), lakeColumns)
                        : null; // every row counts for the offsets; filtered afterwards
        if (filter != null) {
            read = read.withFilter(filter);
        }
        read = read.withProjection(projection);
        List<Object[]> rows = new ArrayList<>();
        try (RecordReader<InternalRow> reader =
                read.newRead().executeFilter().createReader(read.newScan().plan())) {
            reader.forEachRemaining(
                    r -> {
                        rows.add(toJava(spec, r));
                        if (nextOffsets != null) {
                            nextOffsets.merge(r.getInt(n), r.getLong(n + 1) + 1, Math::max);
                        }
                    });
        }
        return rows;
    }

    private static @Nullable Predicate pushDown(
            HistoryQuery query, PredicateBuilder p, List<String> lakeColumns) {
        List<Predicate> all = new ArrayList<>();
        if (query.keyColumn() != null) {
            all.add(
                    p.equal(
                            lakeColumns.indexOf(query.keyColumn()),
                            BinaryString.fromString(query.keyValue())));
        }
        if (query.timeColumn() != null) {
            int t = lakeColumns.indexOf(query.timeColumn());
            boolean epochMillis = query.timeIsEpochMillis();
            if (query.from() != null) {
                all.add(p.greaterOrEqual(t, lakeTime(query.from(), epochMillis)));
            }
            if (query.to() != null) {
                all.add(p.lessThan(t, lakeTime(query.to(), epochMillis)));
            }
        }
        return all.isEmpty() ? null : PredicateBuilder.and(all);
    }

    private static Object lakeTime(long millis, boolean epochMillis) {
        return epochMillis ? (Object) millis : Timestamp.fromEpochMillis(millis);
    }

    private static Object[] toJava(TableSpec spec, InternalRow row) {
        Object[] values = new Object[spec.columns().size()];
        for (int i = 0; i < values.length; i++) {
            if (row.isNullAt(i)) {
                continue;
            }
            DataTypeRoot type = spec.columns().get(i).type.getTypeRoot();
            switch (type) {
                case STRING:
                case CHAR:
                    values[i] = row.getString(i).toString();
                    break;
                case BIGINT:
                    values[i] = row.getLong(i);
                    break;
                case INTEGER:
                    values[i] = row.getInt(i);
                    break;
                case DOUBLE:
                    values[i] = row.getDouble(i);
                    break;
                case BOOLEAN:
                    values[i] = row.getBoolean(i);
                    break;
                case TIMESTAMP_WITH_LOCAL_TIME_ZONE:
                    Timestamp ltz = row.getTimestamp(i, 3);
                    values[i] =
                            TimestampLtz.fromEpochMillis(
                                    ltz.getMillisecond(), ltz.getNanoOfMillisecond());
                    break;
                case TIMESTAMP_WITHOUT_TIME_ZONE:
                    Timestamp ntz = row.getTimestamp(i, 3);
                    values[i] =
                            TimestampNtz.fromMillis(
                                    ntz.getMillisecond(), ntz.getNanoOfMillisecond());
                    break;
                default:
                    throw new IllegalStateException(
                            "No lake reading for column type " + type + " of " + spec.name());
            }
        }
        return values;
    }

    @Override
    public void close() throws Exception {
        try {
            fluss.close();
        } finally {
            catalog.close();
        }
    }
}
