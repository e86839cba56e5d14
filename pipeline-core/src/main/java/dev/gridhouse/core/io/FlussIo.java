package dev.gridhouse.core.io;

import dev.gridhouse.core.catalog.TableSpec;
import dev.gridhouse.core.model.RowChange;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.apache.flink.api.common.RuntimeExecutionMode;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.functions.MapFunction;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.configuration.ExecutionOptions;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.DataStreamSink;
import org.apache.flink.streaming.api.datastream.DataStreamSource;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.fluss.client.initializer.OffsetsInitializer;
import org.apache.fluss.flink.sink.FlussSink;
import org.apache.fluss.flink.sink.shuffle.DistributionMode;
import org.apache.fluss.flink.source.FlussSource;

/**
 * Reads and writes contract tables with the Fluss DataStream connector, with operator names and
 * uids derived from the table like Paimon's {@code FlinkSink}: {@code "Fluss Writer : <table>"},
 * uid {@code <prefix>-fluss-writer-<table>}.
 */
public final class FlussIo {
    private FlussIo() {}

    /**
     * How long closing a Fluss writer may take before {@link BoundedCloseSink} interrupts it (a
     * Fluss 0.9.1 writer's close waits without a limit while the servers are unreachable,
     * apache/fluss#3809): system property {@code gridhouse.fluss.writer-close-timeout-ms} of the
     * process that builds the job, default 10 s.
     */
    public static Duration writerCloseTimeout() {
        return Duration.ofMillis(Long.getLong("gridhouse.fluss.writer-close-timeout-ms", 10_000L));
    }

    /**
     * Sinks built ahead by {@link #prepareSinks}, keyed by endpoint and table; each is taken out by
     * the first {@link #sink} call that asks for it.
     */
    private static final Map<String, CompletableFuture<FlussSink<?>>> PREPARED =
            new ConcurrentHashMap<>();

    /**
     * Builds the sinks of the given tables concurrently, so that the {@link #sink} calls of a
     * pipeline that follows take them ready-made.
     *
     * <p>Each {@code FlussSinkBuilder#build()} opens a Fluss connection to read the table's
     * metadata and closes it again, and the close waits for the client's Netty event loop to be
     * quiet for 2 s: a pipeline writing a dozen tables spends ~25 s of its job submission in these
     * waits when the sinks are built one after the other. Use it around the pipeline construction:
     *
     * <pre>{@code
     * try (FlussIo.PreparedSinks ignored = FlussIo.prepareSinks(fluss, tables)) {
     *     buildPipeline(env, fluss);
     * }
     * }</pre>
     *
     * <p>Closing the handle drops the sinks that were not asked for. Without preparation {@link
     * #sink} builds synchronously, as before.
     */
    public static PreparedSinks prepareSinks(FlussEndpoint fluss, Collection<TableSpec> tables) {
        List<String> keys = new ArrayList<>();
        ExecutorService pool =
                Executors.newFixedThreadPool(
                        Math.max(1, Math.min(tables.size(), 16)),
                        r -> {
                            Thread t = new Thread(r, "fluss-sink-prepare");
                            t.setDaemon(true);
                            return t;
                        });
        try {
            for (TableSpec table : tables) {
                String key = key(fluss, table);
                if (PREPARED.containsKey(key)) {
                    continue;
                }
                keys.add(key);
                PREPARED.put(
                        key, CompletableFuture.supplyAsync(() -> buildSink(fluss, table), pool));
            }
        } finally {
            pool.shutdown();
        }
        return new PreparedSinks(keys);
    }

    /** Handle of {@link #prepareSinks}; closing it drops the prepared sinks nobody took. */
    public static final class PreparedSinks implements AutoCloseable {
        private final List<String> keys;

        private PreparedSinks(List<String> keys) {
            this.keys = keys;
        }

        @Override
        public void close() {
            keys.forEach(PREPARED::remove);
        }
    }

    private static String key(FlussEndpoint fluss, TableSpec table) {
        return fluss.bootstrapServers()
                + "|"
                + fluss.database()
                + "|"
                + new TreeMap<>(fluss.clientOptions())
                + "|"
                + table.name()
                + "@"
                + System.identityHashCode(table);
    }

    /** The Fluss sink of a contract table; the table must exist (the builder contacts Fluss). */
    @SuppressWarnings("unchecked")
    public static <T> FlussSink<T> sink(FlussEndpoint fluss, TableSpec table) {
        CompletableFuture<FlussSink<?>> prepared = PREPARED.remove(key(fluss, table));
        if (prepared != null) {
            try {
                return (FlussSink<T>) prepared.join();
            } catch (CompletionException e) {
                // the synchronous build below reports the failure with its own message
            }
        }
        return buildSink(fluss, table);
    }

    /**
     * Sinks write each record from the subtask that produced it ({@link DistributionMode#NONE}):
     * the writer chains to its producer instead of re-shuffling every record by bucket, which cost
     * a serialization and a network hop per record (the connector's AUTO mode shuffles by bucket
     * for primary-key tables and log tables with a bucket key). The Fluss client still puts each
     * row into the bucket of its key. Per-key order is kept when the stream is partitioned by the
     * table's key or a prefix of it (every keyed operator's output is) and the writer runs at the
     * producer's parallelism, as {@link #write} does by default.
     */
    /**
     * {@link DistributionMode#NONE}, except for a table with a merge engine ({@code first_row}
     * DWD): the connector requires the bucket shuffle there, so that one task writes each key.
     */
    static DistributionMode distributionOf(TableSpec table) {
        return table.properties().containsKey("table.merge-engine")
                ? DistributionMode.BUCKET
                : DistributionMode.NONE;
    }

    private static <T> FlussSink<T> buildSink(FlussEndpoint fluss, TableSpec table) {
        return FlussSink.<T>builder()
                .setBootstrapServers(fluss.bootstrapServers())
                .setDatabase(fluss.database())
                .setTable(table.name())
                .setDistributionMode(distributionOf(table))
                .setOptions(fluss.clientOptions())
                .setSerializationSchema(new ModelSerializationSchema<>(table))
                .build();
    }

    /**
     * Writes a stream into a contract table, chained to the stream's producer (no bucket shuffle):
     * for a primary-key table, write a stream partitioned by the key (or a prefix of it) at its own
     * parallelism so that each key keeps its order. The writer's close is bounded ({@link
     * BoundedCloseSink}, {@link #writerCloseTimeout()}).
     *
     * @param parallelism the writer parallelism, or a non-positive value to keep the input's (a
     *     different parallelism rebalances the records)
     */
    public static <T> DataStreamSink<T> write(
            DataStream<T> stream,
            FlussEndpoint fluss,
            TableSpec table,
            String uidPrefix,
            int parallelism) {
        DataStreamSink<T> sink =
                stream.sinkTo(
                                new BoundedCloseSink<>(
                                        FlussIo.<T>sink(fluss, table),
                                        writerCloseTimeout(),
                                        table.name()))
                        .name("Fluss Writer : " + table.name())
                        .uid(uidPrefix + "-fluss-writer-" + table.name());
        sink.setParallelism(parallelism > 0 ? parallelism : stream.getParallelism());
        return sink;
    }

    /**
     * Writes a stream exactly once into a primary-key table with the {@code first_row} merge engine
     * whose single key column the sink generates ({@link CommittedFlussSink}): rows appear when the
     * checkpoint that covers them completes. In a streaming job without checkpointing nothing would
     * ever be committed, so there it writes at once with generated keys (at least once, as {@link
     * #write}); same names and uids as {@link #write}.
     */
    public static <T> DataStreamSink<T> writeCommitted(
            DataStream<T> stream,
            FlussEndpoint fluss,
            TableSpec table,
            Class<T> type,
            CommittedFlussSink.KeySetter<T> keySetter,
            String uidPrefix,
            int parallelism) {
        StreamExecutionEnvironment env = stream.getExecutionEnvironment();
        boolean batch =
                env.getConfiguration().get(ExecutionOptions.RUNTIME_MODE)
                        == RuntimeExecutionMode.BATCH;
        if (!batch && !env.getCheckpointConfig().isCheckpointingEnabled()) {
            DataStream<T> keyed =
                    stream.map(new GeneratedKeys<>(keySetter))
                            .returns(stream.getType())
                            .name("Key : " + table.name())
                            .uid(uidPrefix + "-generated-keys-" + table.name())
                            .setParallelism(
                                    parallelism > 0 ? parallelism : stream.getParallelism());
            return write(keyed, fluss, table, uidPrefix, parallelism);
        }
        DataStreamSink<T> sink =
                stream.sinkTo(new CommittedFlussSink<>(fluss, table, type, keySetter))
                        .name("Fluss Writer : " + table.name())
                        .uid(uidPrefix + "-fluss-writer-" + table.name());
        sink.setParallelism(parallelism > 0 ? parallelism : stream.getParallelism());
        return sink;
    }

    /** Random keys for {@link #writeCommitted} without checkpointing. */
    private static final class GeneratedKeys<T> implements MapFunction<T, T> {
        private static final long serialVersionUID = 1L;
        private final CommittedFlussSink.KeySetter<T> keySetter;
        private transient String prefix;
        private transient long next;

        GeneratedKeys(CommittedFlussSink.KeySetter<T> keySetter) {
            this.keySetter = keySetter;
        }

        @Override
        public T map(T value) {
            if (prefix == null) {
                prefix = java.util.UUID.randomUUID().toString();
            }
            keySetter.setKey(value, prefix + "-" + next++);
            return value;
        }
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
                changes.sinkTo(new BoundedCloseSink<>(sink, writerCloseTimeout(), table.name()))
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
