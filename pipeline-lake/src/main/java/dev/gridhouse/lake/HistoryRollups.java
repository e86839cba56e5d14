package dev.gridhouse.lake;

import dev.gridhouse.contract.grid.EnrichedTelemetry;
import dev.gridhouse.contract.grid.GridTables;
import dev.gridhouse.core.catalog.TableSpec;
import dev.gridhouse.core.io.FlussEndpoint;
import dev.gridhouse.core.io.FlussIo;
import dev.gridhouse.dws.ops.GridRollups;
import dev.gridhouse.dws.ops.TelemetryDeduplicator;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.apache.flink.api.common.RuntimeExecutionMode;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.table.data.RowData;
import org.apache.flink.table.runtime.typeutils.InternalTypeInfo;
import org.apache.paimon.catalog.Catalog;
import org.apache.paimon.catalog.Identifier;
import org.apache.paimon.flink.LogicalTypeConversion;
import org.apache.paimon.flink.sink.FlinkSinkBuilder;
import org.apache.paimon.flink.source.FlinkSourceBuilder;
import org.apache.paimon.predicate.Predicate;
import org.apache.paimon.predicate.PredicateBuilder;
import org.apache.paimon.schema.Schema;
import org.apache.paimon.table.Table;
import org.apache.paimon.types.DataType;
import org.apache.paimon.types.DataTypes;

/**
 * Batch over history: the DWS rollups recomputed from the DWD telemetry tiered into Paimon, for an
 * event-time range, with the streaming layer's own operators ({@link TelemetryDeduplicator}, {@link
 * GridRollups}) in Flink's BATCH mode. Writes {@code dws_device_minute}, {@code dws_region_minute},
 * {@code dws_region_hour} and {@code dws_region_day} to Fluss or Paimon tables of another (or the
 * same) database.
 *
 * <p>Over the same DWD records the result equals the streaming DWS tables: the windows, their
 * accumulators and the region rollups are the same code; BATCH mode only fires each window once at
 * the end of input instead of when the watermark passes it.
 */
public final class HistoryRollups {
    private HistoryRollups() {}

    /** The DWS tables the recomputation writes. */
    public static final List<TableSpec> TABLES =
            List.of(
                    GridTables.DWS_DEVICE_MINUTE,
                    GridTables.DWS_REGION_MINUTE,
                    GridTables.DWS_REGION_HOUR,
                    GridTables.DWS_REGION_DAY);

    /** The range and where to read and write. */
    public static final class Settings {
        final PaimonLakehouse lake;
        final String sourceDatabase;
        final long from;
        final long to;
        final LakeOptions.RecomputeSink sink;
        final String targetDatabase;
        final FlussEndpoint fluss;
        final int parallelism;

        public Settings(
                PaimonLakehouse lake,
                FlussEndpoint fluss,
                long from,
                long to,
                LakeOptions.RecomputeSink sink,
                String targetDatabase,
                int parallelism) {
            if (from >= to) {
                throw new IllegalArgumentException(
                        "recompute.from ("
                                + Instant.ofEpochMilli(from)
                                + ") must be before recompute.to ("
                                + Instant.ofEpochMilli(to)
                                + ").");
            }
            if (targetDatabase == null || !targetDatabase.matches("[a-zA-Z_][a-zA-Z0-9_]*")) {
                throw new IllegalArgumentException(
                        "recompute.database must be a plain identifier such as grid_recomputed;"
                                + " got '"
                                + targetDatabase
                                + "'.");
            }
            this.lake = lake;
            this.fluss = fluss;
            this.sourceDatabase = fluss.database();
            this.from = from;
            this.to = to;
            this.sink = sink;
            this.targetDatabase = targetDatabase;
            this.parallelism = parallelism;
        }
    }

    /**
     * Builds the batch job into {@code env} (switched to BATCH mode) and creates the target tables.
     */
    public static void build(StreamExecutionEnvironment env, Settings settings, String uid)
            throws Exception {
        env.setRuntimeMode(RuntimeExecutionMode.BATCH);
        int p = settings.parallelism > 0 ? settings.parallelism : env.getParallelism();
        DataStream<EnrichedTelemetry> dwd = readDwd(env, settings, uid);
        DataStream<EnrichedTelemetry> unique =
                dwd.keyBy(t -> t.deviceId)
                        .process(
                                new TelemetryDeduplicator(
                                        TelemetryDeduplicator.retentionFor(
                                                Duration.ZERO, Duration.ZERO),
                                        Duration.ZERO))
                        .name("Dedup : device_id, ts")
                        .uid(uid + "-dedup-telemetry")
                        .setParallelism(p);
        GridRollups.Outputs out =
                GridRollups.apply(unique.keyBy(t -> t.deviceId), Duration.ZERO, p, uid);
        if (settings.sink == LakeOptions.RecomputeSink.FLUSS) {
            FlussEndpoint target =
                    new FlussEndpoint(settings.fluss.bootstrapServers(), settings.targetDatabase);
            dev.gridhouse.core.config.JobSetup.ensureTables(target, 0, TABLES);
            FlussIo.write(out.deviceMinutes, target, GridTables.DWS_DEVICE_MINUTE, uid, 0);
            FlussIo.write(out.regionMinutes, target, GridTables.DWS_REGION_MINUTE, uid, 0);
            FlussIo.write(out.regionHours, target, GridTables.DWS_REGION_HOUR, uid, 0);
            FlussIo.write(out.regionDays, target, GridTables.DWS_REGION_DAY, uid, 0);
        } else {
            try (Catalog catalog = settings.lake.openCatalog()) {
                catalog.createDatabase(settings.targetDatabase, true);
                writePaimon(catalog, settings, out.deviceMinutes, GridTables.DWS_DEVICE_MINUTE, p);
                writePaimon(catalog, settings, out.regionMinutes, GridTables.DWS_REGION_MINUTE, p);
                writePaimon(catalog, settings, out.regionHours, GridTables.DWS_REGION_HOUR, p);
                writePaimon(catalog, settings, out.regionDays, GridTables.DWS_REGION_DAY, p);
            }
        }
    }

    /** The tiered DWD telemetry of the range, as a bounded stream with event-time timestamps. */
    static DataStream<EnrichedTelemetry> readDwd(
            StreamExecutionEnvironment env, Settings settings, String uid) throws Exception {
        TableSpec spec = GridTables.DWD_GRID_TELEMETRY;
        Table table;
        try (Catalog catalog = settings.lake.openCatalog()) {
            table = catalog.getTable(Identifier.create(settings.sourceDatabase, spec.name()));
        } catch (Catalog.TableNotExistException e) {
            throw new IllegalStateException(
                    "The lake has no table "
                            + settings.sourceDatabase
                            + "."
                            + spec.name()
                            + " in "
                            + settings.lake.warehouse()
                            + ": is dwd_grid_telemetry tiered (lake.tables) and has the tiering"
                            + " job run?",
                    e);
        }
        List<String> lakeColumns = table.rowType().getFieldNames();
        int[] projection = new int[spec.columns().size()];
        for (int i = 0; i < projection.length; i++) {
            projection[i] = lakeColumns.indexOf(spec.columns().get(i).name);
        }
        PredicateBuilder p = new PredicateBuilder(table.rowType());
        int ts = lakeColumns.indexOf("ts");
        Predicate range =
                PredicateBuilder.and(
                        p.greaterOrEqual(ts, settings.from), p.lessThan(ts, settings.to));
        DataStream<RowData> rows =
                new FlinkSourceBuilder(table)
                        .env(env)
                        .sourceBounded(true)
                        .sourceName("Paimon Source : " + spec.name())
                        .projection(projection)
                        .predicate(range)
                        .build();
        FlinkRows<EnrichedTelemetry> convert = new FlinkRows<>(spec);
        long from = settings.from;
        long to = settings.to;
        return rows.map(convert::fromRowData, TypeInformation.of(EnrichedTelemetry.class))
                .name("Lake row to model : " + spec.name())
                .uid(uid + "-lake-to-model-" + spec.name())
                .filter(t -> t.ts >= from && t.ts < to) // the predicate only prunes files
                .name("Range : ts")
                .uid(uid + "-range-ts")
                .assignTimestampsAndWatermarks(
                        WatermarkStrategy.<EnrichedTelemetry>forMonotonousTimestamps()
                                .withTimestampAssigner((t, prev) -> t.ts))
                .name("Timestamps : ts")
                .uid(uid + "-timestamps");
    }

    private static <T> void writePaimon(
            Catalog catalog,
            Settings settings,
            DataStream<T> stream,
            TableSpec spec,
            int parallelism)
            throws Exception {
        Identifier id = Identifier.create(settings.targetDatabase, spec.name());
        catalog.createTable(id, paimonSchema(spec), true);
        Table table = catalog.getTable(id);
        FlinkRows<T> convert = new FlinkRows<>(spec);
        DataStream<RowData> rows =
                stream.map(
                                convert::toRowData,
                                InternalTypeInfo.of(
                                        LogicalTypeConversion.toLogicalType(table.rowType())))
                        .name("Model to lake row : " + spec.name())
                        .setParallelism(parallelism);
        new FlinkSinkBuilder(table).forRowData(rows).parallelism(parallelism).build();
    }

    /** A Paimon primary-key table with the contract columns of {@code spec}. */
    static Schema paimonSchema(TableSpec spec) {
        Schema.Builder schema = Schema.newBuilder();
        for (TableSpec.Column c : spec.columns()) {
            schema.column(c.name, paimonType(c.type));
        }
        schema.primaryKey(spec.primaryKey());
        schema.option("bucket", String.valueOf(Math.max(1, spec.bucketCount())));
        return schema.build();
    }

    static DataType paimonType(org.apache.fluss.types.DataType type) {
        DataType t;
        switch (type.getTypeRoot()) {
            case STRING:
                t = DataTypes.STRING();
                break;
            case BIGINT:
                t = DataTypes.BIGINT();
                break;
            case INTEGER:
                t = DataTypes.INT();
                break;
            case DOUBLE:
                t = DataTypes.DOUBLE();
                break;
            case BOOLEAN:
                t = DataTypes.BOOLEAN();
                break;
            case TIMESTAMP_WITH_LOCAL_TIME_ZONE:
                t = DataTypes.TIMESTAMP_WITH_LOCAL_TIME_ZONE(3);
                break;
            case TIMESTAMP_WITHOUT_TIME_ZONE:
                t = DataTypes.TIMESTAMP(3);
                break;
            default:
                throw new IllegalArgumentException("No Paimon type for " + type);
        }
        return t.copy(type.isNullable());
    }
}
