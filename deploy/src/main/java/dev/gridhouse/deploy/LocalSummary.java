package dev.gridhouse.deploy;

import dev.gridhouse.contract.grid.GridTables;
import dev.gridhouse.core.catalog.TableSpec;
import dev.gridhouse.core.io.FlussEndpoint;
import dev.gridhouse.core.io.TableReader;
import dev.gridhouse.lake.LakeTiering;
import dev.gridhouse.lake.PaimonLakehouse;
import java.io.PrintStream;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutionException;
import org.apache.fluss.client.admin.Admin;
import org.apache.fluss.client.admin.OffsetSpec;
import org.apache.fluss.client.metadata.LakeSnapshot;
import org.apache.fluss.metadata.TablePath;

/**
 * What a local run reports about its tables: row counts, the CSV dumps of {@code --dump-dir}, the
 * dispatch decisions' latency at the end of a live run and what the lake holds with {@code --lake}.
 */
final class LocalSummary {
    /** The tables a local run produces, in layer order. */
    static final List<TableSpec> PRODUCED = GridTables.ALL;

    private final PrintStream out;

    LocalSummary(PrintStream out) {
        this.out = out;
    }

    /**
     * The rows of {@code table}: for a log table its records (the sum of its buckets' end offsets),
     * for a primary-key table its current rows (read in full: a write that changed nothing, e.g. a
     * first_row batch committed again after a restore, takes offsets but adds no row).
     */
    static long totalRows(TableReader reader, FlussEndpoint fluss, TableSpec table)
            throws Exception {
        if (table.hasPrimaryKey()) {
            return reader.readAll(table, Duration.ofMinutes(2)).size();
        }
        return logOffsets(reader, fluss, table);
    }

    /** The sum of the end offsets of the table's buckets: its log records, and empty batches. */
    static long logOffsets(TableReader reader, FlussEndpoint fluss, TableSpec table)
            throws Exception {
        long total = 0;
        for (long offset : reader.offsets(table, new OffsetSpec.LatestSpec()).values()) {
            total += offset;
        }
        return total;
    }

    /** Writes each table as {@code dir/<table>.csv}. */
    static void dumpTables(FlussEndpoint fluss, Path dir, List<TableSpec> tables, PrintStream out)
            throws Exception {
        Files.createDirectories(dir);
        try (TableReader reader = new TableReader(fluss.toFlussConfig(), fluss.database())) {
            for (TableSpec t : tables) {
                List<Object[]> rows = reader.readAll(t, Duration.ofMinutes(2));
                Path file = dir.resolve(t.name() + ".csv");
                try (Writer w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
                    TableFormat.writeCsv(t, rows, w);
                }
                out.println("  " + file + "  (" + rows.size() + " rows)");
            }
        }
    }

    /**
     * The distribution of {@code decision_latency_ms} (decision time − event time) over the
     * dispatch decisions of this run: count, p50, p99 and max (nearest-rank percentiles).
     */
    void printDecisionLatency(FlussEndpoint fluss) throws Exception {
        List<Object[]> rows;
        try (TableReader reader = new TableReader(fluss.toFlussConfig(), fluss.database())) {
            rows = reader.readAll(GridTables.ADS_DISPATCH_DECISIONS, Duration.ofSeconds(30));
        }
        int col = GridTables.ADS_DISPATCH_DECISIONS.columnNames().indexOf("decision_latency_ms");
        long[] latencies = rows.stream().mapToLong(r -> (Long) r[col]).sorted().toArray();
        if (latencies.length == 0) {
            out.println("Dispatch decisions: none in this run.");
            return;
        }
        out.printf(
                "Dispatch decisions: %d; decision latency (decided_at - event time) p50 %d ms,"
                        + " p99 %d ms, max %d ms (budget 300 ms)%n",
                latencies.length,
                percentile(latencies, 50),
                percentile(latencies, 99),
                latencies[latencies.length - 1]);
    }

    /** Nearest-rank percentile of sorted values. */
    static long percentile(long[] sorted, double p) {
        int rank = (int) Math.ceil(p / 100.0 * sorted.length);
        return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
    }

    /**
     * Prints what the lake holds per tiered table; if {@code waitForCatchUp} (after a bounded
     * replay), first waits (up to four {@code freshness} intervals and 30 s) until the lake has
     * caught up with Fluss.
     */
    void printLake(
            FlussEndpoint fluss, PaimonLakehouse lake, boolean waitForCatchUp, Duration freshness)
            throws Exception {
        try (TableReader reader = new TableReader(fluss.toFlussConfig(), fluss.database())) {
            Admin admin = reader.admin();
            if (waitForCatchUp) {
                long deadline =
                        System.nanoTime()
                                + freshness.multipliedBy(4).toNanos()
                                + Duration.ofSeconds(30).toNanos();
                for (TableSpec t : LocalCluster.TIERED) {
                    TablePath path = TablePath.of(fluss.database(), t.name());
                    while (!LakeTiering.caughtUp(admin, path) && System.nanoTime() < deadline) {
                        Thread.sleep(500);
                    }
                }
            }
            out.println("Lake (" + lake.warehouse() + "):");
            for (TableSpec t : LocalCluster.TIERED) {
                TablePath path = TablePath.of(fluss.database(), t.name());
                String state;
                try {
                    LakeSnapshot s = admin.getLatestLakeSnapshot(path).get();
                    long tiered =
                            s.getTableBucketsOffset().values().stream().mapToLong(v -> v).sum();
                    // tiering works in log offsets: compared with the end offsets, not the rows
                    state =
                            "snapshot "
                                    + s.getSnapshotId()
                                    + ", "
                                    + tiered
                                    + " of "
                                    + logOffsets(reader, fluss, t)
                                    + " log records tiered";
                } catch (ExecutionException e) {
                    state = "nothing tiered yet";
                }
                out.println("  " + t.name() + ": " + state);
            }
        }
    }
}
