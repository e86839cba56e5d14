package dev.gridhouse.ods.cdc;

import dev.gridhouse.core.catalog.TableSpec;
import dev.gridhouse.core.config.CommonOptions;
import dev.gridhouse.core.config.JobSetup;
import dev.gridhouse.core.io.FlussEndpoint;
import dev.gridhouse.core.io.FlussIo;
import dev.gridhouse.core.model.DeadLetter;
import dev.gridhouse.core.model.RejectReason;
import dev.gridhouse.core.model.TableChange;
import dev.gridhouse.core.ops.DeadLetters;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import javax.annotation.Nullable;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.functions.MapFunction;
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
import org.apache.kafka.connect.source.SourceRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one PostgreSQL CDC path of every warehouse, parameterised by the captured tables and their
 * row mapping ({@link CdcTables}): a Flink CDC incremental source (snapshot, then the WAL through
 * {@code pgoutput}; the slot's LSN is committed on checkpoints) deserializing Debezium envelopes
 * straight into typed changes ({@link Deserializer}), then a keyed validating step ({@link Route})
 * that routes rejects to the dead letter and splits the valid changes by table. A warehouse adds
 * only its {@link Ods}: the ODS tables and where each table's changes go ({@link
 * PostgresDimensions#ODS} for the grid, {@link PostgresTickets#ODS} for the tickets), built by
 * {@link #build}.
 */
public final class PostgresCdc {
    private PostgresCdc() {}

    /**
     * What one warehouse adds to the shared CDC path, as data: the captured tables and their
     * mapping, the ODS tables the job creates, and where the validated changes of each captured
     * table go — upserts and deletes into a primary-key table ({@link #changelog}) or their rows
     * appended to a log table ({@link #append}), in declaration order.
     */
    public static final class Ods<C extends TableChange> {
        private final CdcTables<C> cdc;
        private final List<TableSpec> tables;
        private final List<Write> writes = new ArrayList<>();

        /**
         * @param cdc captured tables and row mapping
         * @param tables ODS tables created before the job starts
         */
        public Ods(CdcTables<C> cdc, List<TableSpec> tables) {
            this.cdc = cdc;
            this.tables = Collections.unmodifiableList(new ArrayList<>(tables));
        }

        /**
         * Writes the upserts and deletes of {@code table} into the primary-key table {@code ods}.
         */
        public Ods<C> changelog(String table, TableSpec ods) {
            writes.add(new Write(table, ods, null, null));
            return this;
        }

        /**
         * Appends the rows (of class {@code rowType}) of {@code table}'s changes to the log table
         * {@code ods}, through a step named {@code Rows : <table>} with uid {@code
         * <uid-prefix>-ods-<uidSuffix>}.
         */
        public Ods<C> append(String table, TableSpec ods, Class<?> rowType, String uidSuffix) {
            writes.add(new Write(table, ods, rowType, uidSuffix));
            return this;
        }

        /** The captured tables and their row mapping. */
        public CdcTables<C> cdc() {
            return cdc;
        }
    }

    /** One captured table's ODS writer: a changelog without a row type, else appended rows. */
    private static final class Write {
        final String table;
        final TableSpec ods;
        final @Nullable Class<?> rowType;
        final @Nullable String uidSuffix;

        Write(String table, TableSpec ods, @Nullable Class<?> rowType, @Nullable String uidSuffix) {
            this.table = table;
            this.ods = ods;
            this.rowType = rowType;
            this.uidSuffix = uidSuffix;
        }
    }

    /**
     * Adds {@code ods}'s CDC path to {@code env}: creates its ODS tables if missing, reads and
     * validates the changes ({@link #read}), adds the rejects to {@code deadLetters} for the job's
     * dead-letter writer and writes the valid changes as {@code ods} declares (writer uids {@code
     * <uid>-ods-fluss-writer-<table>}).
     */
    public static <C extends TableChange> void build(
            Ods<C> ods,
            StreamExecutionEnvironment env,
            Configuration conf,
            FlussEndpoint fluss,
            String uid,
            List<DataStream<DeadLetter>> deadLetters,
            Map<String, String> environment) {
        JobSetup.ensureTables(fluss, conf.get(CommonOptions.FLUSS_BUCKETS), ods.tables);
        SingleOutputStreamOperator<C> changes = read(env, conf, ods.cdc, uid, environment);
        deadLetters.add(changes.getSideOutput(DeadLetters.TAG));
        for (Write w : ods.writes) {
            DataStream<C> table = table(changes, ods.cdc, w.table);
            if (w.rowType == null) {
                FlussIo.writeChangelog(table, fluss, w.ods, uid + "-ods");
            } else {
                appendRows(table, w, w.rowType, fluss, uid);
            }
        }
    }

    /** The changes of {@code table} in the output of {@link #route}: main or side output. */
    public static <C extends TableChange> DataStream<C> table(
            SingleOutputStreamOperator<C> changes, CdcTables<C> cdc, String table) {
        return cdc.tables.get(0).equals(table) ? changes : changes.getSideOutput(cdc.tag(table));
    }

    private static <C extends TableChange, R> void appendRows(
            DataStream<C> changes, Write w, Class<R> rowType, FlussEndpoint fluss, String uid) {
        DataStream<R> rows =
                changes.map(new RowOf<C, R>(rowType))
                        .returns(rowType)
                        .name("Rows : " + w.table)
                        .uid(uid + "-ods-" + w.uidSuffix);
        FlussIo.write(rows, fluss, w.ods, uid + "-ods", -1);
    }

    /** The row of a valid change ({@link TableChange#row()}) as its model record. */
    private static final class RowOf<C extends TableChange, R> implements MapFunction<C, R> {
        private static final long serialVersionUID = 1L;
        private final Class<R> rowType;

        RowOf(Class<R> rowType) {
            this.rowType = rowType;
        }

        @Override
        public R map(C change) {
            return rowType.cast(change.row());
        }
    }

    /**
     * The validated changes of {@code cdc}'s tables from PostgreSQL: the first table's in the main
     * output, the others' in {@link CdcTables#tag}, rejects in {@link DeadLetters#TAG}. Slot and
     * publication default to {@code <uid>_<slot suffix>}.
     */
    public static <C extends TableChange> SingleOutputStreamOperator<C> read(
            StreamExecutionEnvironment env,
            Configuration conf,
            CdcTables<C> cdc,
            String uid,
            Map<String, String> environment) {
        PostgresSettings pg = PostgresSettings.of(conf, uid, cdc.slotSuffix, environment);
        List<String> qualified = new ArrayList<>();
        for (String t : cdc.tables) {
            qualified.add(cdc.schema + "." + t);
        }
        DataStreamSource<C> changes =
                env.fromSource(
                        source(pg, cdc),
                        WatermarkStrategy.noWatermarks(),
                        "PostgreSQL CDC : " + String.join(", ", qualified));
        changes.uid(uid + "-ods-" + cdc.sourceUid);
        return route(changes, cdc, uid);
    }

    /** The CDC source of {@code cdc}'s tables, deserializing to its typed changes. */
    public static <C extends TableChange> PostgresIncrementalSource<C> source(
            PostgresSettings pg, CdcTables<C> cdc) {
        return source(pg, cdc.schema, cdc.tables, new Deserializer<>(cdc));
    }

    /**
     * A CDC source (snapshot, then {@code pgoutput} with the settings' slot) over {@code tables} of
     * {@code schema}, deserializing with {@code deserializer}. Creates or extends the publication
     * first ({@link PostgresPublication}), so PostgreSQL must be reachable when the job graph is
     * built.
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
        // TRUNCATE as an event with op "t" (Debezium 1.9 skips it by default); mappings that do
        // not expand truncates ignore it (CdcTables.truncate returns null)
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
     * Keys the changes ({@link CdcTables#routeKey}: every change of a row, and with truncates a
     * truncate of its table, reaches the same subtask in WAL order) and validates and splits them
     * ({@link Route}).
     */
    public static <C extends TableChange> SingleOutputStreamOperator<C> route(
            DataStream<C> changes, CdcTables<C> cdc, String uid) {
        return changes.keyBy(new RowKey<>(cdc))
                .process(new Route<>(cdc))
                .returns(TypeInformation.of(cdc.type))
                .name("Validate : " + cdc.validateName)
                .uid(uid + "-ods-validate-" + cdc.validateUid);
    }

    /**
     * Reads the Debezium change envelope of the captured tables straight into typed changes (no
     * JSON in between): {@code op} r (snapshot), c, u → upsert of {@code after}; d → delete of
     * {@code before}; t (TRUNCATE) → {@link CdcTables#truncate} when the tables expand truncates.
     * Rows that break the contract — also rows whose values cannot be converted to the contract
     * types after a column type change in PostgreSQL — become rejected changes carrying their dead
     * letter: this method never throws for a row, so one bad WAL event cannot fail the job and make
     * it restart forever on the same event. Records of other tables, tombstones and messages are
     * skipped.
     */
    public static final class Deserializer<C extends TableChange>
            implements DebeziumDeserializationSchema<C> {
        private static final long serialVersionUID = 1L;
        private static final Logger LOG = LoggerFactory.getLogger(Deserializer.class);

        private final CdcTables<C> cdc;

        public Deserializer(CdcTables<C> cdc) {
            this.cdc = cdc;
        }

        @Override
        public void deserialize(SourceRecord record, Collector<C> out) {
            String truncated = CdcEnvelope.truncatedTable(record);
            if (truncated != null) {
                C truncate = cdc.truncate(truncated);
                if (truncate != null) {
                    out.collect(truncate);
                }
                return;
            }
            CdcEnvelope e = CdcEnvelope.of(record);
            if (e == null) {
                return;
            }
            long now = System.currentTimeMillis();
            C change;
            try {
                change = cdc.toChange(e.table, e.op, e.row, now);
            } catch (RuntimeException ex) {
                // a conversion the checks did not foresee: dead-letter the row, keep the job
                // running
                LOG.warn("Cannot convert a row of {}: {}", e.table, ex.toString());
                change =
                        cdc.isRead(e.table)
                                ? cdc.rejected(
                                        e.table,
                                        e.op,
                                        new DeadLetter(
                                                e.table,
                                                RejectReason.INVALID_TYPE,
                                                String.valueOf(ex.getMessage()),
                                                CdcTables.toJson(e.row),
                                                null,
                                                now))
                                : null;
            }
            if (change != null) {
                out.collect(change);
            }
        }

        @Override
        public TypeInformation<C> getProducedType() {
            return TypeInformation.of(cdc.type);
        }
    }

    /** The route key of a change ({@link CdcTables#routeKey}). */
    public static final class RowKey<C extends TableChange> implements KeySelector<C, String> {
        private static final long serialVersionUID = 1L;
        private final CdcTables<C> cdc;

        public RowKey(CdcTables<C> cdc) {
            this.cdc = cdc;
        }

        @Override
        public String getKey(C c) {
            return cdc.routeKey(c);
        }
    }

    /**
     * Splits valid changes by table and routes rejects to the dead letter (metrics {@code accepted}
     * and one counter per reject reason). With truncates ({@link CdcTables#truncates}, keyed by
     * table) it keeps the keys of the live rows of its table in keyed state ({@code live-keys}) and
     * expands a truncate into their deletes, in WAL order with every other change of the table
     * (metric {@code truncates}).
     */
    public static final class Route<C extends TableChange>
            extends KeyedProcessFunction<String, C, C> {
        private static final long serialVersionUID = 1L;
        private static final Logger LOG = LoggerFactory.getLogger(Route.class);
        private final CdcTables<C> cdc;
        private transient Map<RejectReason, Counter> rejected;
        private transient Counter accepted;
        private transient Counter truncates;
        private transient MapState<String, Boolean> live;
        private transient Map<String, OutputTag<C>> tags;

        public Route(CdcTables<C> cdc) {
            this.cdc = cdc;
        }

        @Override
        public void open(Configuration parameters) {
            rejected = DeadLetters.counters(getRuntimeContext().getMetricGroup());
            accepted = getRuntimeContext().getMetricGroup().counter("accepted");
            tags = new HashMap<>();
            for (String table : cdc.tables) {
                tags.put(table, cdc.tag(table));
            }
            if (cdc.truncates) {
                truncates = getRuntimeContext().getMetricGroup().counter("truncates");
                live =
                        getRuntimeContext()
                                .getMapState(
                                        new MapStateDescriptor<>(
                                                "live-keys", Types.STRING, Types.BOOLEAN));
            }
        }

        @Override
        public void processElement(C c, Context ctx, Collector<C> out) throws Exception {
            if (c.rejected != null) {
                rejected.get(RejectReason.valueOf(c.rejected.reason)).inc();
                ctx.output(DeadLetters.TAG, c.rejected);
                return;
            }
            if (cdc.truncates && cdc.isTruncate(c)) {
                truncate(c.table, ctx, out);
                return;
            }
            accepted.inc();
            if (cdc.truncates) {
                String key = c.rowKey();
                if (key != null) {
                    if (c.isDelete()) {
                        live.remove(key);
                    } else {
                        live.put(key, Boolean.TRUE);
                    }
                }
            }
            emit(c, ctx, out);
        }

        private void truncate(String table, Context ctx, Collector<C> out) throws Exception {
            truncates.inc();
            List<String> keys = new ArrayList<>();
            for (String key : live.keys()) {
                keys.add(key);
            }
            for (String key : keys) {
                emit(cdc.deleteOf(table, key), ctx, out);
            }
            live.clear();
            LOG.warn(
                    "TRUNCATE of {}.{}: deleted the {} rows this pipeline had written",
                    cdc.schema,
                    table,
                    keys.size());
        }

        private void emit(C c, Context ctx, Collector<C> out) {
            if (c.row() == null) {
                return;
            }
            if (cdc.tables.get(0).equals(c.table)) {
                out.collect(c);
            } else {
                ctx.output(tags.get(c.table), c);
            }
        }
    }
}
