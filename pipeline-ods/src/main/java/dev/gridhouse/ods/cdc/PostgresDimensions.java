package dev.gridhouse.ods.cdc;

import dev.gridhouse.contract.grid.Device;
import dev.gridhouse.contract.grid.DimensionChange;
import dev.gridhouse.contract.grid.GridLine;
import dev.gridhouse.contract.grid.GridTables;
import dev.gridhouse.contract.grid.Substation;
import dev.gridhouse.core.config.GridOptions;
import dev.gridhouse.core.config.JobSetup;
import dev.gridhouse.core.io.FlussEndpoint;
import dev.gridhouse.core.io.FlussIo;
import dev.gridhouse.core.model.DeadLetter;
import dev.gridhouse.core.model.RejectReason;
import dev.gridhouse.core.ops.DeadLetters;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import javax.annotation.Nullable;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.functions.KeySelector;
import org.apache.flink.cdc.connectors.base.options.StartupOptions;
import org.apache.flink.cdc.connectors.postgres.source.PostgresSourceBuilder;
import org.apache.flink.cdc.connectors.postgres.source.PostgresSourceBuilder.PostgresIncrementalSource;
import org.apache.flink.cdc.debezium.DebeziumDeserializationSchema;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.DataStreamSource;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The device dimension and the topology from PostgreSQL (contract §1.1/§1.2): a Flink CDC
 * incremental source over {@code grid.devices}, {@code grid.substations} and {@code grid.lines}
 * (snapshot, then the WAL through {@code pgoutput}; the slot's LSN is committed on checkpoints),
 * typed {@link DimensionChange}s, contract checks, then upserts and deletes into {@code
 * ods_devices}, {@code ods_substations} and {@code ods_lines}; rejected rows go to the dead letter
 * with {@code source} = the table name. A rejected update leaves the last valid row in Fluss.
 *
 * <p><b>TRUNCATE.</b> The source asks Debezium for truncate events ({@code
 * truncate.handling.mode=include}; Debezium 1.9's default {@code skip} drops them, which left every
 * truncated row in Fluss). A {@code TRUNCATE} of one of the three tables deletes from its ODS table
 * every row this pipeline had written and not deleted since — exactly the rows a {@code DELETE
 * FROM} without a condition would have deleted one by one — so the ODS table equals the PostgreSQL
 * table again, and rows inserted after the truncate arrive after those deletes. The validation step
 * is keyed by table and keeps the keys of the live rows of its table in keyed state ({@code
 * live-keys}), so the deletes are emitted in WAL order with every other change of the table. Rows
 * written to the ODS table by anything else (a CSV load) are not known and stay. A truncate is not
 * a rejected record: it writes no dead letter (contract §2 has no reason for it); it is logged
 * (WARN, with the number of rows deleted) and counted in the metric {@code truncates}. Limits: the
 * live-key state starts with this version of the job, so after restoring a savepoint of an older
 * version a truncate deletes only the rows written since; {@code TRUNCATE ... CASCADE} of another
 * table that cascades here is one event per table and handled the same way.
 */
public final class PostgresDimensions {
    /** Value of {@code --devices-source} that selects this source. */
    public static final String SOURCE = "postgres";

    public static final String SCHEMA = "grid";

    public static final OutputTag<DimensionChange> SUBSTATIONS =
            new OutputTag<>("substations", TypeInformation.of(DimensionChange.class));
    public static final OutputTag<DimensionChange> LINES =
            new OutputTag<>("lines", TypeInformation.of(DimensionChange.class));

    private PostgresDimensions() {}

    /**
     * Adds source, checks and the three ODS writers to {@code env}; the rejects are added to {@code
     * deadLetters} for the job's dead-letter writer.
     */
    public static void build(
            StreamExecutionEnvironment env,
            Configuration conf,
            FlussEndpoint fluss,
            String uid,
            List<DataStream<DeadLetter>> deadLetters,
            Map<String, String> environment) {
        PostgresSettings pg = PostgresSettings.of(conf, uid, environment);
        JobSetup.ensureTables(
                fluss,
                conf.get(GridOptions.FLUSS_BUCKETS),
                Arrays.asList(
                        GridTables.ODS_DEVICES, GridTables.ODS_SUBSTATIONS, GridTables.ODS_LINES));
        DataStreamSource<DimensionChange> changes =
                env.fromSource(
                        source(pg),
                        WatermarkStrategy.noWatermarks(),
                        "PostgreSQL CDC : grid.devices, grid.substations, grid.lines");
        changes.uid(uid + "-ods-pg-cdc-source");

        SingleOutputStreamOperator<DimensionChange> devices = route(changes, uid);
        deadLetters.add(devices.getSideOutput(DeadLetters.TAG));
        FlussIo.writeChangelog(devices, fluss, GridTables.ODS_DEVICES, uid + "-ods");
        FlussIo.writeChangelog(
                devices.getSideOutput(SUBSTATIONS),
                fluss,
                GridTables.ODS_SUBSTATIONS,
                uid + "-ods");
        FlussIo.writeChangelog(
                devices.getSideOutput(LINES), fluss, GridTables.ODS_LINES, uid + "-ods");
    }

    /** The CDC source of the three tables, deserializing to typed changes. */
    public static PostgresIncrementalSource<DimensionChange> source(PostgresSettings pg) {
        return source(
                pg,
                SCHEMA,
                Arrays.asList(
                        DimensionChange.DEVICES,
                        DimensionChange.SUBSTATIONS,
                        DimensionChange.LINES),
                new DimensionChangeDeserializer());
    }

    /**
     * A CDC source (snapshot, then {@code pgoutput} with the settings' slot) over {@code tables} of
     * {@code schema}, deserializing with {@code deserializer}: the one PostgreSQL source of every
     * pipeline. Creates or extends the publication first ({@link PostgresPublication}), so
     * PostgreSQL must be reachable when the job graph is built.
     */
    public static <T> PostgresIncrementalSource<T> source(
            PostgresSettings pg,
            String schema,
            List<String> tables,
            DebeziumDeserializationSchema<T> deserializer) {
        // the publication covers every captured table before the slot exists and is never
        // narrowed: with Debezium's "filtered" mode it is narrowed to one table per snapshot
        // split, and changes to the other tables in that window are lost (FLINK-38907)
        PostgresPublication.ensure(pg, schema, tables);
        Properties debezium = new Properties();
        debezium.setProperty("publication.name", pg.publicationName);
        debezium.setProperty("publication.autocreate.mode", "disabled");
        // TRUNCATE as an event with op "t" (Debezium 1.9 skips it by default); deserializers that
        // do not handle it ignore it (CdcEnvelope.of returns null for it)
        debezium.setProperty("truncate.handling.mode", "include");
        String[] qualified = new String[tables.size()];
        for (int i = 0; i < qualified.length; i++) {
            qualified[i] = schema + "." + tables.get(i);
        }
        return PostgresSourceBuilder.PostgresIncrementalSource.<T>builder()
                .hostname(pg.host)
                .port(pg.port)
                .database(pg.database)
                .schemaList(schema)
                .tableList(qualified)
                .username(pg.user)
                .password(pg.password)
                .slotName(pg.slotName)
                .decodingPluginName("pgoutput")
                .debeziumProperties(debezium)
                .startupOptions(StartupOptions.initial())
                .deserializer(deserializer)
                .build();
    }

    /**
     * Keys the changes by table (so that every change of a row, and a truncate of its table,
     * reaches the same writer in WAL order) and splits them: devices in the main output,
     * substations and lines in {@link #SUBSTATIONS} and {@link #LINES}, rejects in {@link
     * DeadLetters#TAG}; a truncate becomes one delete per live row of its table (see the class
     * comment).
     */
    public static SingleOutputStreamOperator<DimensionChange> route(
            DataStream<DimensionChange> changes, String uid) {
        return changes.keyBy(new TableKey())
                .process(new Route())
                .name("Validate : dimensions")
                .uid(uid + "-ods-validate-dimensions");
    }

    /**
     * The table of a change. Dimension tables change rarely, so one validating subtask per table is
     * plenty; in exchange the subtask sees the whole table and can expand a truncate in order.
     */
    static final class TableKey implements KeySelector<DimensionChange, String> {
        private static final long serialVersionUID = 1L;

        @Override
        public String getKey(DimensionChange c) {
            return c.table;
        }
    }

    /** The primary key of a valid change's row, or null for a reject or a truncate. */
    static @Nullable String rowKey(DimensionChange c) {
        if (c.device != null) {
            return c.device.deviceId;
        } else if (c.substation != null) {
            return c.substation.substationId;
        } else if (c.line != null) {
            return c.line.lineId;
        }
        return null;
    }

    /** A delete of the row with key {@code key} of {@code table} (only the key is needed). */
    static DimensionChange deleteOf(String table, String key) {
        switch (table) {
            case DimensionChange.DEVICES:
                Device d = new Device();
                d.deviceId = key;
                return DimensionChange.of(DimensionChange.Op.DELETE, d);
            case DimensionChange.SUBSTATIONS:
                Substation s = new Substation();
                s.substationId = key;
                return DimensionChange.of(DimensionChange.Op.DELETE, s);
            case DimensionChange.LINES:
                GridLine l = new GridLine();
                l.lineId = key;
                return DimensionChange.of(DimensionChange.Op.DELETE, l);
            default:
                throw new IllegalArgumentException("Not a dimension table: " + table);
        }
    }

    /**
     * Splits valid changes by table, routes rejects to the dead letter, keeps the keys of the live
     * rows of its table and expands a truncate into their deletes.
     */
    static final class Route
            extends KeyedProcessFunction<String, DimensionChange, DimensionChange> {
        private static final long serialVersionUID = 1L;
        private static final Logger LOG = LoggerFactory.getLogger(Route.class);
        private transient Map<RejectReason, Counter> rejected;
        private transient Counter accepted;
        private transient Counter truncates;
        private transient MapState<String, Boolean> live;

        @Override
        public void open(Configuration parameters) {
            rejected = DeadLetters.counters(getRuntimeContext().getMetricGroup());
            accepted = getRuntimeContext().getMetricGroup().counter("accepted");
            truncates = getRuntimeContext().getMetricGroup().counter("truncates");
            live =
                    getRuntimeContext()
                            .getMapState(
                                    new MapStateDescriptor<>(
                                            "live-keys", Types.STRING, Types.BOOLEAN));
        }

        @Override
        public void processElement(DimensionChange c, Context ctx, Collector<DimensionChange> out)
                throws Exception {
            if (c.rejected != null) {
                rejected.get(RejectReason.valueOf(c.rejected.reason)).inc();
                ctx.output(DeadLetters.TAG, c.rejected);
                return;
            }
            if (DimensionRows.isTruncate(c)) {
                truncate(c.table, ctx, out);
                return;
            }
            accepted.inc();
            String key = rowKey(c);
            if (key != null) {
                if (c.isDelete()) {
                    live.remove(key);
                } else {
                    live.put(key, Boolean.TRUE);
                }
            }
            emit(c, ctx, out);
        }

        private void truncate(String table, Context ctx, Collector<DimensionChange> out)
                throws Exception {
            truncates.inc();
            List<String> keys = new ArrayList<>();
            for (String key : live.keys()) {
                keys.add(key);
            }
            for (String key : keys) {
                emit(deleteOf(table, key), ctx, out);
            }
            live.clear();
            LOG.warn(
                    "TRUNCATE of {}.{}: deleted the {} rows this pipeline had written",
                    SCHEMA,
                    table,
                    keys.size());
        }

        private static void emit(DimensionChange c, Context ctx, Collector<DimensionChange> out) {
            if (c.device != null) {
                out.collect(c);
            } else if (c.substation != null) {
                ctx.output(SUBSTATIONS, c);
            } else if (c.line != null) {
                ctx.output(LINES, c);
            }
        }
    }
}
