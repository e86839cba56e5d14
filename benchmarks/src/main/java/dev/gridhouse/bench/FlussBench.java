package dev.gridhouse.bench;

import dev.gridhouse.contract.grid.Device;
import dev.gridhouse.contract.grid.GridTables;
import dev.gridhouse.contract.grid.Telemetry;
import dev.gridhouse.core.catalog.FlussCatalog;
import dev.gridhouse.core.io.FlussEndpoint;
import dev.gridhouse.core.ops.MirrorProbe;
import dev.gridhouse.core.serde.FlussRowConverter;
import dev.gridhouse.testing.LocalFlussCluster;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.fluss.client.Connection;
import org.apache.fluss.client.ConnectionFactory;
import org.apache.fluss.client.lookup.Lookuper;
import org.apache.fluss.client.table.Table;
import org.apache.fluss.client.table.scanner.ScanRecord;
import org.apache.fluss.client.table.scanner.log.LogScanner;
import org.apache.fluss.client.table.scanner.log.ScanRecords;
import org.apache.fluss.client.table.writer.AppendWriter;
import org.apache.fluss.client.table.writer.UpsertWriter;
import org.apache.fluss.config.Configuration;
import org.apache.fluss.metadata.TableBucket;
import org.apache.fluss.metadata.TablePath;
import org.apache.fluss.row.BinaryString;
import org.apache.fluss.row.GenericRow;
import org.apache.fluss.row.InternalRow;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Fluss side: an embedded {@link LocalFlussCluster}; telemetry in {@code ods_grid_telemetry}
 * (Arrow log table), devices in {@code ods_devices} (primary-key table), both in database {@code
 * bench}; plain Fluss clients tuned as the Fluss docs advise (bigger writer buffers and batches, a
 * short lookup batch timeout).
 */
final class FlussBench implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(FlussBench.class);
    static final String DATABASE = "bench";
    static final Map<String, String> WRITER_OPTIONS =
            Map.of(
                    "client.writer.buffer.memory-size", "64mb",
                    "client.writer.batch-size", "2mb");
    static final Map<String, String> LOOKUP_OPTIONS = Map.of("client.lookup.batch-timeout", "5ms");
    static final Map<String, String> POINT_QUERY_OPTIONS =
            Map.of("client.lookup.batch-timeout", "100micros");
    static final Map<String, String> SCAN_OPTIONS =
            Map.of("client.scanner.log.max-poll-records", "4096");

    private final LocalFlussCluster cluster;
    private final List<Long> serverPids;

    FlussBench(Path dataDir, List<Long> serverPids) throws Exception {
        this.cluster = LocalFlussCluster.start(dataDir, true);
        this.serverPids = serverPids;
        try (FlussCatalog catalog = new FlussCatalog(conf(Map.of()), DATABASE, 0)) {
            catalog.ensureTables(List.of(GridTables.ODS_GRID_TELEMETRY, GridTables.ODS_DEVICES));
        }
    }

    String bootstrapServers() {
        return cluster.bootstrapServers();
    }

    private Configuration conf(Map<String, String> options) {
        Configuration c = cluster.clientConfig();
        options.forEach(c::setString);
        return c;
    }

    private static TablePath path(String table) {
        return TablePath.of(DATABASE, table);
    }

    /** Scenario 1: append {@code n} records to the log table. */
    Measurement ingest(Workload w, long n, int latencyEvery) throws Exception {
        FlussRowConverter<Telemetry> converter =
                FlussRowConverter.forTable(GridTables.ODS_GRID_TELEMETRY);
        Latencies lat = new Latencies(2_000_000);
        AtomicReference<Throwable> failure = new AtomicReference<>();
        try (Connection conn = ConnectionFactory.createConnection(conf(WRITER_OPTIONS));
                Table table = conn.getTable(path(GridTables.ODS_GRID_TELEMETRY.name()))) {
            AppendWriter writer = table.newAppend().createWriter();
            Telemetry t = new Telemetry();
            Meter meter = Meter.start(serverPids);
            for (long i = 0; i < n; i++) {
                GenericRow row = converter.toRow(w.record(i, t));
                if (i % latencyEvery == 0) {
                    long sent = System.nanoTime();
                    writer.append(row)
                            .whenComplete(
                                    (r, e) -> {
                                        if (e != null) {
                                            failure.compareAndSet(null, e);
                                        } else {
                                            lat.add(System.nanoTime() - sent);
                                        }
                                    });
                } else {
                    writer.append(row)
                            .whenComplete(
                                    (r, e) -> {
                                        if (e != null) {
                                            failure.compareAndSet(null, e);
                                        }
                                    });
                }
                if (failure.get() != null) {
                    break;
                }
            }
            writer.flush();
            checkNoFailure(failure, "Fluss append");
            return meter.stop(
                    "1-ingest",
                    "Fluss log table (Arrow)",
                    "fluss",
                    n,
                    lat,
                    "append → ack (1 in " + latencyEvery + " records)",
                    WRITER_OPTIONS.toString());
        }
    }

    /**
     * Scenario 2: read the whole log from the beginning, all columns to the model class, or only
     * {@code device_id, ts, active_power_mw} (projection pushed to the tablet server).
     */
    Measurement read(long expected, boolean threeColumns, Duration timeout) throws Exception {
        FlussRowConverter<Telemetry> converter =
                FlussRowConverter.forTable(GridTables.ODS_GRID_TELEMETRY);
        Latencies lat = new Latencies(1_000_000);
        try (Connection conn = ConnectionFactory.createConnection(conf(SCAN_OPTIONS));
                Table table = conn.getTable(path(GridTables.ODS_GRID_TELEMETRY.name()))) {
            int buckets = table.getTableInfo().getNumBuckets();
            Meter meter = Meter.start(serverPids);
            long count = 0;
            double checksum = 0;
            try (LogScanner scanner =
                    threeColumns
                            ? table.newScan().project(new int[] {0, 1, 2}).createLogScanner()
                            : table.newScan().createLogScanner()) {
                for (int b = 0; b < buckets; b++) {
                    scanner.subscribeFromBeginning(b);
                }
                long deadline = System.nanoTime() + timeout.toNanos();
                while (count < expected && System.nanoTime() < deadline) {
                    long polled = System.nanoTime();
                    ScanRecords records = scanner.poll(Duration.ofMillis(500));
                    lat.add(System.nanoTime() - polled);
                    for (TableBucket tb : records.buckets()) {
                        for (ScanRecord r : records.records(tb)) {
                            InternalRow row = r.getRow();
                            if (threeColumns) {
                                checksum +=
                                        row.getString(0).toString().length()
                                                + row.getLong(1)
                                                + row.getDouble(2);
                            } else {
                                Telemetry t = converter.fromRow(row);
                                checksum += t.deviceId.length() + t.ts + t.activePowerMw;
                            }
                            count++;
                        }
                    }
                }
            }
            LOG.debug("checksum {}", checksum);
            checkAtLeast("Fluss read", count, expected);
            return meter.stop(
                    threeColumns ? "2-read-3-columns" : "2-read-all-columns",
                    threeColumns
                            ? "Fluss, projection pushdown (3 of 10 columns)"
                            : "Fluss, all columns → POJO",
                    "fluss",
                    count,
                    lat,
                    "one poll() call",
                    SCAN_OPTIONS.toString());
        }
    }

    /** Scenario 3 set-up: upsert the devices into the primary-key table. */
    Measurement loadDevices(List<Device> devices) throws Exception {
        FlussRowConverter<Device> converter = FlussRowConverter.forTable(GridTables.ODS_DEVICES);
        AtomicReference<Throwable> failure = new AtomicReference<>();
        try (Connection conn = ConnectionFactory.createConnection(conf(WRITER_OPTIONS));
                Table table = conn.getTable(path(GridTables.ODS_DEVICES.name()))) {
            UpsertWriter writer = table.newUpsert().createWriter();
            Meter meter = Meter.start(serverPids);
            for (Device d : devices) {
                writer.upsert(converter.toRow(d))
                        .whenComplete(
                                (r, e) -> {
                                    if (e != null) {
                                        failure.compareAndSet(null, e);
                                    }
                                });
            }
            writer.flush();
            checkNoFailure(failure, "Fluss upsert");
            return meter.stop(
                    "3-dimension-load",
                    "Fluss primary-key table",
                    "fluss",
                    devices.size(),
                    new Latencies(1),
                    "-",
                    WRITER_OPTIONS.toString());
        }
    }

    /** Scenario 3: async point lookups, {@code inFlight} outstanding, as FlussLookupJoin does. */
    Measurement lookups(String[] keys, int inFlight, Duration maxTime) throws Exception {
        FlussRowConverter<Device> converter = FlussRowConverter.forTable(GridTables.ODS_DEVICES);
        Latencies lat = new Latencies(keys.length);
        AtomicReference<Throwable> failure = new AtomicReference<>();
        AtomicLong hits = new AtomicLong();
        try (Connection conn = ConnectionFactory.createConnection(conf(LOOKUP_OPTIONS));
                Table table = conn.getTable(path(GridTables.ODS_DEVICES.name()))) {
            Lookuper lookuper = table.newLookup().createLookuper();
            lookuper.lookup(GenericRow.of(BinaryString.fromString(keys[0]))).get(); // connect
            Semaphore permits = new Semaphore(inFlight);
            Meter meter = Meter.start(serverPids);
            long deadline = System.nanoTime() + maxTime.toNanos();
            int issued = 0;
            for (; issued < keys.length && System.nanoTime() < deadline; issued++) {
                permits.acquire();
                if (failure.get() != null) {
                    break;
                }
                long sent = System.nanoTime();
                lookuper.lookup(GenericRow.of(BinaryString.fromString(keys[issued])))
                        .whenComplete(
                                (r, e) -> {
                                    if (e != null) {
                                        failure.compareAndSet(null, e);
                                    } else {
                                        InternalRow row = r.getSingletonRow();
                                        if (row != null && converter.fromRow(row) != null) {
                                            hits.incrementAndGet();
                                        }
                                        lat.add(System.nanoTime() - sent);
                                    }
                                    permits.release();
                                });
            }
            if (!permits.tryAcquire(inFlight, 60, TimeUnit.SECONDS)) {
                throw new IllegalStateException("Fluss lookups did not complete within 60 s");
            }
            checkNoFailure(failure, "Fluss lookup");
            checkCount("Fluss lookup hits", hits.get(), issued);
            return meter.stop(
                    "3-lookup-join",
                    "Fluss async lookup (" + inFlight + " in flight)",
                    "fluss",
                    issued,
                    lat,
                    "lookup → row",
                    LOOKUP_OPTIONS.toString());
        }
    }

    /**
     * Scenario 3, mirror mode: load a full copy of the device table (DimensionMirror, as
     * FlussMirrorJoin does), then join the lookup stream from memory on one thread.
     */
    Measurement[] mirror(String[] keys, Duration maxTime) throws Exception {
        FlussEndpoint endpoint = new FlussEndpoint(cluster.bootstrapServers(), DATABASE);
        Meter loadMeter = Meter.start(serverPids);
        try (MirrorProbe<Device> mirror = new MirrorProbe<>(endpoint, GridTables.ODS_DEVICES)) {
            mirror.awaitLoaded(Duration.ofMinutes(5));
            Measurement load =
                    loadMeter.stop(
                            "3-dimension-load",
                            "Fluss mirror initial load (snapshot/changelog → memory)",
                            "fluss",
                            mirror.size(),
                            new Latencies(1),
                            "-",
                            "DimensionMirror");
            Latencies lat = new Latencies(keys.length);
            Meter meter = Meter.start(serverPids);
            long deadline = System.nanoTime() + maxTime.toNanos();
            int done = 0;
            long hits = 0;
            for (; done < keys.length; done++) {
                if ((done & 1023) == 0 && System.nanoTime() > deadline) {
                    break;
                }
                long t0 = System.nanoTime();
                Device d = mirror.get(new Object[] {keys[done]});
                if ((done & 63) == 0) {
                    lat.add(System.nanoTime() - t0);
                }
                if (d != null) {
                    hits++;
                }
            }
            checkCount("mirror hits", hits, done);
            Measurement m =
                    meter.stop(
                            "3-lookup-join",
                            "Fluss mirror (in-memory copy)",
                            "fluss",
                            done,
                            lat,
                            "map get, every 64th",
                            "DimensionMirror, 1 thread");
            return new Measurement[] {load, m};
        }
    }

    /** Scenario 5: one blocking primary-key lookup at a time. */
    Measurement pointQueries(String[] keys) throws Exception {
        FlussRowConverter<Device> converter = FlussRowConverter.forTable(GridTables.ODS_DEVICES);
        Latencies lat = new Latencies(keys.length);
        try (Connection conn = ConnectionFactory.createConnection(conf(POINT_QUERY_OPTIONS));
                Table table = conn.getTable(path(GridTables.ODS_DEVICES.name()))) {
            Lookuper lookuper = table.newLookup().createLookuper();
            lookuper.lookup(GenericRow.of(BinaryString.fromString(keys[0]))).get();
            Meter meter = Meter.start(serverPids);
            for (String key : keys) {
                long t0 = System.nanoTime();
                InternalRow row =
                        lookuper.lookup(GenericRow.of(BinaryString.fromString(key)))
                                .get()
                                .getSingletonRow();
                if (row == null || converter.fromRow(row) == null) {
                    throw new IllegalStateException("Device " + key + " not found in Fluss");
                }
                lat.add(System.nanoTime() - t0);
            }
            return meter.stop(
                    "5-point-query",
                    "Fluss primary-key lookup",
                    "fluss",
                    keys.length,
                    lat,
                    "query → row (sequential)",
                    POINT_QUERY_OPTIONS.toString());
        }
    }

    static void checkNoFailure(AtomicReference<Throwable> failure, String what) {
        Throwable t = failure.get();
        if (t != null) {
            throw new IllegalStateException(what + " failed", t);
        }
    }

    /** A warm-up read may return more than it asked for (whole batches); never fewer. */
    static void checkAtLeast(String what, long actual, long expected) {
        if (actual < expected) {
            throw new IllegalStateException(
                    what + ": expected " + expected + " records, got only " + actual);
        }
    }

    static void checkCount(String what, long actual, long expected) {
        if (actual != expected) {
            throw new IllegalStateException(
                    what + ": expected " + expected + " records, got " + actual);
        }
    }

    @Override
    public void close() throws Exception {
        LOG.info("Stopping the Fluss cluster");
        cluster.close();
    }

    static String describe(Object o) {
        return o instanceof Object[] ? Arrays.toString((Object[]) o) : String.valueOf(o);
    }
}
