package dev.gridhouse.core.io;

import dev.gridhouse.core.catalog.TableSpec;
import dev.gridhouse.core.model.RowChange;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.DataStreamSink;
import org.apache.flink.streaming.api.datastream.DataStreamSource;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.fluss.client.initializer.OffsetsInitializer;
import org.apache.fluss.flink.sink.FlussSink;
import org.apache.fluss.flink.source.FlussSource;

/**
 * Reads and writes contract tables with the Fluss DataStream connector, with operator names and
 * uids derived from the table like Paimon's {@code FlinkSink}: {@code "Fluss Writer : <table>"},
 * uid {@code <prefix>-fluss-writer-<table>}.
 */
public final class FlussIo {
    private FlussIo() {}

    /** The Fluss sink of a contract table; the table must exist (the builder contacts Fluss). */
    public static <T> FlussSink<T> sink(FlussEndpoint fluss, TableSpec table) {
        return FlussSink.<T>builder()
                .setBootstrapServers(fluss.bootstrapServers())
                .setDatabase(fluss.database())
                .setTable(table.name())
                .setOptions(fluss.clientOptions())
                .setSerializationSchema(new ModelSerializationSchema<>(table))
                .build();
    }

    /**
     * Writes a stream into a contract table.
     *
     * @param parallelism the writer parallelism, or a non-positive value to keep the input's
     */
    public static <T> DataStreamSink<T> write(
            DataStream<T> stream,
            FlussEndpoint fluss,
            TableSpec table,
            String uidPrefix,
            int parallelism) {
        DataStreamSink<T> sink =
                stream.sinkTo(FlussIo.<T>sink(fluss, table))
                        .name("Fluss Writer : " + table.name())
                        .uid(uidPrefix + "-fluss-writer-" + table.name());
        sink.setParallelism(parallelism > 0 ? parallelism : stream.getParallelism());
        return sink;
    }

    /**
     * Writes a changelog of row changes (dimensions, tickets, ...) into a primary-key contract
     * table: upserts and deletes ({@link ChangelogSerializationSchema}); same names and uids as
     * {@link #write}.
     */
    public static <C extends RowChange> DataStreamSink<C> writeChangelog(
            DataStream<C> changes, FlussEndpoint fluss, TableSpec table, String uidPrefix) {
        FlussSink<C> sink =
                FlussSink.<C>builder()
                        .setBootstrapServers(fluss.bootstrapServers())
                        .setDatabase(fluss.database())
                        .setTable(table.name())
                        .setOptions(fluss.clientOptions())
                        .setSerializationSchema(new ChangelogSerializationSchema<C>(table))
                        .build();
        DataStreamSink<C> out =
                changes.sinkTo(sink)
                        .name("Fluss Writer : " + table.name())
                        .uid(uidPrefix + "-fluss-writer-" + table.name());
        out.setParallelism(changes.getParallelism());
        return out;
    }

    /** The Fluss source of a contract table, reading its rows as model records. */
    public static <T> FlussSource<T> source(
            FlussEndpoint fluss, TableSpec table, Class<T> modelClass, OffsetsInitializer start) {
        return FlussSource.<T>builder()
                .setBootstrapServers(fluss.bootstrapServers())
                .setDatabase(fluss.database())
                .setTable(table.name())
                .setFlussConfig(fluss.toFlussConfig())
                .setStartingOffsets(start)
                .setDeserializationSchema(new ModelDeserializationSchema<>(table, modelClass))
                .build();
    }

    /**
     * Reads the changelog of a primary-key contract table from its start (snapshot, then changes)
     * as typed row changes, deletes included ({@link ChangelogDeserializationSchema}).
     */
    public static <C extends RowChange> DataStreamSource<C> readChangelog(
            StreamExecutionEnvironment env,
            FlussEndpoint fluss,
            TableSpec table,
            Class<C> changeClass,
            ChangelogDeserializationSchema.ChangeFactory<C> factory,
            String uidPrefix) {
        FlussSource<C> source =
                FlussSource.<C>builder()
                        .setBootstrapServers(fluss.bootstrapServers())
                        .setDatabase(fluss.database())
                        .setTable(table.name())
                        .setFlussConfig(fluss.toFlussConfig())
                        .setStartingOffsets(OffsetsInitializer.full())
                        .setDeserializationSchema(
                                new ChangelogDeserializationSchema<>(table, changeClass, factory))
                        .build();
        DataStreamSource<C> stream =
                env.fromSource(
                        source,
                        WatermarkStrategy.noWatermarks(),
                        "Fluss Changelog Source : " + table.name(),
                        TypeInformation.of(changeClass));
        stream.uid(uidPrefix + "-fluss-changelog-source-" + table.name());
        return stream;
    }

    /** Reads a contract table as a stream of model records. */
    public static <T> DataStreamSource<T> read(
            StreamExecutionEnvironment env,
            FlussEndpoint fluss,
            TableSpec table,
            Class<T> modelClass,
            OffsetsInitializer start,
            WatermarkStrategy<T> watermarks,
            String uidPrefix,
            int parallelism) {
        DataStreamSource<T> source =
                env.fromSource(
                        source(fluss, table, modelClass, start),
                        watermarks,
                        "Fluss Source : " + table.name(),
                        TypeInformation.of(modelClass));
        source.uid(uidPrefix + "-fluss-source-" + table.name());
        if (parallelism > 0) {
            source.setParallelism(parallelism);
        }
        return source;
    }
}
