package dev.gridhouse.bench;

import dev.gridhouse.ads.AdsPipeline;
import dev.gridhouse.contract.grid.GridTables;
import dev.gridhouse.contract.grid.Telemetry;
import dev.gridhouse.core.catalog.FlussCatalog;
import dev.gridhouse.core.catalog.TableSpec;
import dev.gridhouse.core.io.FlussEndpoint;
import dev.gridhouse.core.serde.FlussRowConverter;
import dev.gridhouse.dws.DwsOptions;
import dev.gridhouse.dws.DwsPipeline;
import dev.gridhouse.dws.DwsSettings;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.fluss.client.Connection;
import org.apache.fluss.client.ConnectionFactory;
import org.apache.fluss.client.initializer.OffsetsInitializer;
import org.apache.fluss.client.lookup.LookupResult;
import org.apache.fluss.client.lookup.Lookuper;
import org.apache.fluss.client.table.Table;
import org.apache.fluss.client.table.writer.AppendWriter;
import org.apache.fluss.client.table.writer.UpsertWriter;
import org.apache.fluss.metadata.TablePath;
import org.apache.fluss.row.BinaryString;
import org.apache.fluss.row.GenericRow;

/**
 * The Fluss design's full pipeline: telemetry appended to the {@code ods_grid_telemetry} log table,
 * the DWS and ADS jobs' operators with the device join of {@code --fluss.device-join} (default: a
 * mirror of {@code ods_devices} that follows its changelog) and the decider's live mirror of {@code
 * ods_substations}/{@code ods_lines}; DWD, DWS, alarms, substation loads, decisions and the
 * realtime view written to Fluss tables (database {@code pipeline}); a row is queryable when a
 * primary-key lookup returns it.
 */
final class FlussPipeline implements LivePipeline {
    static final String DATABASE = "pipeline";
    private static final String UID = "gridbench-fluss";

    /** Writer batches leave after 10 ms (default 100 ms), as the Kafka producer's linger. */
    static final Map<String, String> CLIENT_OPTIONS =
            Map.of(
                    "client.writer.batch-timeout", "10ms",
                    "client.lookup.batch-timeout", "5ms",
                    "client.scanner.log.fetch.wait-max-time", "10ms");

    private final FlussEndpoint endpoint;

    /** The endpoint of the bulk sinks (DWD, DWS, dead letters): longer writer batches. */
    private final FlussEndpoint bulkEndpoint;

    private final BenchOptions.Settings settings;
    private final Connection connection;
    private final Table telemetryTable;
    private final Map<String, Table> queryTables = new java.util.HashMap<>();
    private final Map<String, Lookuper> lookupers = new java.util.HashMap<>();
    private final AppendWriter writer;
    private final FlussRowConverter<Telemetry> converter =
            FlussRowConverter.forTable(GridTables.ODS_GRID_TELEMETRY);
    private final AtomicReference<Throwable> failure = new AtomicReference<>();

    /** Creates the tables in database {@code pipeline} and upserts the dimension and topology. */
    FlussPipeline(String bootstrapServers, Workload w, BenchOptions.Settings settings)
            throws Exception {
        this.settings = settings;
        FlussEndpoint e = new FlussEndpoint(bootstrapServers, DATABASE);
        for (Map.Entry<String, String> o : CLIENT_OPTIONS.entrySet()) {
            e = e.withClientOption(o.getKey(), o.getValue());
        }
        endpoint = e;
        bulkEndpoint =
                e.withClientOption(
                        "client.writer.batch-timeout", settings.bulkBatchTimeout.toMillis() + "ms");
        try (FlussCatalog catalog = new FlussCatalog(endpoint.toFlussConfig(), DATABASE, 0)) {
            catalog.ensureTables(GridTables.ALL);
        }
        org.apache.fluss.config.Configuration clientConf = endpoint.toFlussConfig();
        FlussBench.WRITER_OPTIONS.forEach(clientConf::setString);
        connection = ConnectionFactory.createConnection(clientConf);
        upsertAll(GridTables.ODS_DEVICES, w.devices());
        upsertAll(GridTables.ODS_SUBSTATIONS, w.substations());
        upsertAll(GridTables.ODS_LINES, w.lines());
        telemetryTable = connection.getTable(path(GridTables.ODS_GRID_TELEMETRY));
        writer = telemetryTable.newAppend().createWriter();
        for (TableSpec t : List.of(GridTables.ADS_ALARMS, GridTables.ADS_DISPATCH_DECISIONS)) {
            Table table = connection.getTable(path(t));
            queryTables.put(t.name(), table);
            lookupers.put(t.name(), table.newLookup().createLookuper());
        }
    }

    private <T> void upsertAll(TableSpec spec, List<T> rows) throws Exception {
        try (Table table = connection.getTable(path(spec))) {
            UpsertWriter upserts = table.newUpsert().createWriter();
            FlussRowConverter<T> c = FlussRowConverter.forTable(spec);
            for (T row : rows) {
                upserts.upsert(c.toRow(row));
            }
            upserts.flush();
        }
    }

    private static TablePath path(TableSpec t) {
        return TablePath.of(DATABASE, t.name());
    }

    @Override
    public String system() {
        return "fluss";
    }

    @Override
    public String variant() {
        return "Fluss log → DWS/ADS operators (Fluss "
                + settings.flussDeviceJoin.name().toLowerCase(java.util.Locale.ROOT)
                + " join) → Fluss tables";
    }

    @Override
    public String settings() {
        return "client "
                + CLIENT_OPTIONS
                + ", "
                + FlussBench.WRITER_OPTIONS
                + ", bulk sinks (DWD, DWS, dead letters) client.writer.batch-timeout="
                + settings.bulkBatchTimeout.toMillis()
                + "ms, device join "
                + settings.flussDeviceJoin;
    }

    @Override
    public void build(StreamExecutionEnvironment env) {
        Configuration dwsConf = new Configuration();
        dwsConf.set(DwsOptions.LOOKUP_MODE, this.settings.flussDeviceJoin);
        DwsSettings settings = DwsSettings.from(dwsConf, env.getParallelism());
        DataStream<Telemetry> telemetry =
                DwsPipeline.readOdsTelemetry(
                        env, endpoint, settings, OffsetsInitializer.earliest(), UID);
        DwsPipeline.Outputs dws =
                ProcessedProbe.probed(DwsPipeline.apply(telemetry, endpoint, settings, UID), UID);
        DwsPipeline.write(dws, bulkEndpoint, UID);
        DwsPipeline.writeDeadLetters(dws, bulkEndpoint, UID);
        AdsPipeline.write(
                AdsPipeline.apply(dws.dwdTelemetry, dws.regionMinutes, endpoint, UID),
                endpoint,
                UID);
    }

    @Override
    public void send(Telemetry t) {
        writer.append(converter.toRow(t))
                .whenComplete(
                        (r, e) -> {
                            if (e != null) {
                                failure.compareAndSet(null, e);
                            }
                        });
        FlussBench.checkNoFailure(failure, "Fluss append");
    }

    @Override
    public void flush() {
        writer.flush();
        FlussBench.checkNoFailure(failure, "Fluss append");
    }

    @Override
    public Set<String> visible(String table, List<String> ids) throws Exception {
        Lookuper lookuper = lookupers.get(table);
        List<CompletableFuture<LookupResult>> futures = new ArrayList<>(ids.size());
        for (String id : ids) {
            futures.add(lookuper.lookup(GenericRow.of(BinaryString.fromString(id))));
        }
        Set<String> found = new HashSet<>();
        for (int i = 0; i < futures.size(); i++) {
            if (futures.get(i).get().getSingletonRow() != null) {
                found.add(ids.get(i));
            }
        }
        return found;
    }

    @Override
    public void close() throws Exception {
        try {
            for (Table t : queryTables.values()) {
                t.close();
            }
            telemetryTable.close();
        } finally {
            connection.close();
        }
    }
}
