package dev.gridhouse.ods.cdc;

import dev.gridhouse.core.catalog.GridTables;
import dev.gridhouse.core.config.GridOptions;
import dev.gridhouse.core.config.JobSetup;
import dev.gridhouse.core.io.FlussEndpoint;
import dev.gridhouse.core.io.FlussIo;
import dev.gridhouse.core.model.DeadLetter;
import dev.gridhouse.core.model.DimensionChange;
import dev.gridhouse.core.model.RejectReason;
import dev.gridhouse.core.ops.DeadLetters;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.TypeInformation;
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
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * The device dimension and the topology from PostgreSQL (contract §1.1/§1.2): a Flink CDC
 * incremental source over {@code grid.devices}, {@code grid.substations} and {@code grid.lines}
 * (snapshot, then the WAL through {@code pgoutput}; the slot's LSN is committed on checkpoints),
 * typed {@link DimensionChange}s, contract checks, then upserts and deletes into {@code
 * ods_devices}, {@code ods_substations} and {@code ods_lines}; rejected rows go to the dead letter
 * with {@code source} = the table name. A rejected update leaves the last valid row in Fluss.
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
     * Keys the changes by table and primary key (so that every change of a row reaches the same
     * writer in order) and splits them: devices in the main output, substations and lines in {@link
     * #SUBSTATIONS} and {@link #LINES}, rejects in {@link DeadLetters#TAG}.
     */
    public static SingleOutputStreamOperator<DimensionChange> route(
            DataStream<DimensionChange> changes, String uid) {
        return changes.keyBy(new RowKey())
                .process(new Route())
                .name("Validate : dimensions")
                .uid(uid + "-ods-validate-dimensions");
    }

    /** {@code table|primary key} of a change; rejects are keyed by table only. */
    static final class RowKey implements KeySelector<DimensionChange, String> {
        private static final long serialVersionUID = 1L;

        @Override
        public String getKey(DimensionChange c) {
            if (c.device != null) {
                return c.table + "|" + c.device.deviceId;
            } else if (c.substation != null) {
                return c.table + "|" + c.substation.substationId;
            } else if (c.line != null) {
                return c.table + "|" + c.line.lineId;
            }
            return c.table + "|";
        }
    }

    /** Splits valid changes by table and routes rejects to the dead letter. */
    static final class Route extends ProcessFunction<DimensionChange, DimensionChange> {
        private static final long serialVersionUID = 1L;
        private transient Map<RejectReason, Counter> rejected;
        private transient Counter accepted;

        @Override
        public void open(Configuration parameters) {
            rejected = DeadLetters.counters(getRuntimeContext().getMetricGroup());
            accepted = getRuntimeContext().getMetricGroup().counter("accepted");
        }

        @Override
        public void processElement(DimensionChange c, Context ctx, Collector<DimensionChange> out) {
            if (c.rejected != null) {
                rejected.get(RejectReason.valueOf(c.rejected.reason)).inc();
                ctx.output(DeadLetters.TAG, c.rejected);
                return;
            }
            accepted.inc();
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
