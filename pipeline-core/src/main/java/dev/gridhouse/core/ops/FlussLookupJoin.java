package dev.gridhouse.core.ops;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.gridhouse.core.catalog.TableSpec;
import dev.gridhouse.core.io.FlussEndpoint;
import dev.gridhouse.core.serde.FlussRowConverter;
import java.io.Serializable;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.annotation.Nullable;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Gauge;
import org.apache.flink.metrics.Histogram;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.runtime.metrics.DescriptiveStatisticsHistogram;
import org.apache.flink.streaming.api.datastream.AsyncDataStream;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.functions.async.AsyncRetryStrategy;
import org.apache.flink.streaming.api.functions.async.ResultFuture;
import org.apache.flink.streaming.api.functions.async.RichAsyncFunction;
import org.apache.flink.streaming.util.retryable.AsyncRetryStrategies;
import org.apache.flink.streaming.util.retryable.RetryPredicates;
import org.apache.fluss.client.Connection;
import org.apache.fluss.client.ConnectionFactory;
import org.apache.fluss.client.lookup.Lookuper;
import org.apache.fluss.metadata.TablePath;
import org.apache.fluss.row.BinaryString;
import org.apache.fluss.row.GenericRow;
import org.apache.fluss.row.InternalRow;
import org.apache.fluss.types.DataTypeRoot;

/**
 * Joins each record with the row of a Fluss primary-key table that its key points to, by an
 * asynchronous Fluss {@link Lookuper}: many lookups in flight per subtask, batched by the client,
 * optionally behind a bounded LRU cache with TTL (Caffeine). Metrics: {@code lookupHits}, {@code
 * lookupMisses}, {@code lookupLatencyMs} (histogram), and with a cache {@code cacheHitRatio},
 * {@code cacheSize}. A key with no row is passed to the joiner as {@code null}, so the caller
 * decides (e.g. a dead letter).
 *
 * <pre>{@code
 * DataStream<EnrichedTelemetry> enriched = FlussLookupJoin.apply(
 *         telemetry,
 *         new FlussLookupJoin<>(fluss, GridTables.ODS_DEVICES,
 *                 t -> new Object[] {t.deviceId}, EnrichedTelemetry::of,
 *                 LookupJoinOptions.builder().cache(100_000, Duration.ofMinutes(5)).build()),
 *         TypeInformation.of(EnrichedTelemetry.class))
 *     .name("Lookup : ods_devices").uid("dws-lookup-ods_devices");
 * }</pre>
 *
 * <p>Failure policy: a failed or timed-out lookup is retried with exponential back-off; when the
 * retries are used up the job fails and restarts from its last checkpoint (nothing is dropped).
 */
public class FlussLookupJoin<IN, DIM, OUT> extends RichAsyncFunction<IN, OUT> {
    private static final long serialVersionUID = 1L;

    /** The primary-key values of the row a record points to, in key-column order. */
    @FunctionalInterface
    public interface KeyExtractor<IN> extends Serializable {
        Object[] keyOf(IN record);
    }

    /** Builds the output from a record and its dimension row (null if there is none). */
    @FunctionalInterface
    public interface Joiner<IN, DIM, OUT> extends Serializable {
        OUT join(IN record, @Nullable DIM dimension);
    }

    private final FlussEndpoint fluss;
    private final TableSpec dimensionTable;
    private final KeyExtractor<IN> keyExtractor;
    private final Joiner<IN, DIM, OUT> joiner;
    private final LookupJoinOptions options;

    private transient Connection connection;
    private transient Lookuper lookuper;
    private transient FlussRowConverter<DIM> converter;
    private transient boolean[] stringKey;
    private transient Counter hits;
    private transient Counter misses;
    private transient Histogram latencyMs;
    private transient @Nullable Cache<List<Object>, DIM> cache;

    public FlussLookupJoin(
            FlussEndpoint fluss,
            TableSpec dimensionTable,
            KeyExtractor<IN> keyExtractor,
            Joiner<IN, DIM, OUT> joiner,
            LookupJoinOptions options) {
        if (!dimensionTable.hasPrimaryKey()) {
            throw new IllegalArgumentException(
                    "Lookup joins need a primary-key table; "
                            + dimensionTable.name()
                            + " is a log table.");
        }
        this.fluss = fluss;
        this.dimensionTable = dimensionTable;
        this.keyExtractor = keyExtractor;
        this.joiner = joiner;
        this.options = options;
    }

    /**
     * Applies the join with Flink's async I/O: ordered or unordered, bounded in flight, with
     * timeouts and retries from {@code options}.
     */
    public static <IN, OUT> SingleOutputStreamOperator<OUT> apply(
            DataStream<IN> input, FlussLookupJoin<IN, ?, OUT> join, TypeInformation<OUT> outType) {
        LookupJoinOptions options = join.options;
        AsyncRetryStrategy<OUT> retry =
                new AsyncRetryStrategies.ExponentialBackoffDelayRetryStrategyBuilder<OUT>(
                                options.maxRetries(),
                                options.retryInitialDelay().toMillis(),
                                options.retryMaxDelay().toMillis(),
                                2.0)
                        .ifException(RetryPredicates.HAS_EXCEPTION_PREDICATE)
                        .build();
        long timeoutMs = options.timeout().toMillis();
        SingleOutputStreamOperator<OUT> out =
                options.ordered()
                        ? AsyncDataStream.orderedWaitWithRetry(
                                input,
                                join,
                                timeoutMs,
                                TimeUnit.MILLISECONDS,
                                options.capacity(),
                                retry)
                        : AsyncDataStream.unorderedWaitWithRetry(
                                input,
                                join,
                                timeoutMs,
                                TimeUnit.MILLISECONDS,
                                options.capacity(),
                                retry);
        return out.returns(outType);
    }

    @Override
    public void open(Configuration parameters) {
        converter = FlussRowConverter.forTable(dimensionTable);
        List<String> keys = dimensionTable.primaryKey();
        stringKey = new boolean[keys.size()];
        for (int i = 0; i < keys.size(); i++) {
            for (dev.gridhouse.core.catalog.TableSpec.Column c : dimensionTable.columns()) {
                if (c.name.equals(keys.get(i))) {
                    stringKey[i] = c.type.getTypeRoot() == DataTypeRoot.STRING;
                }
            }
        }
        connection = ConnectionFactory.createConnection(fluss.toFlussConfig());
        lookuper =
                connection
                        .getTable(TablePath.of(fluss.database(), dimensionTable.name()))
                        .newLookup()
                        .createLookuper();
        MetricGroup metrics = getRuntimeContext().getMetricGroup();
        hits = metrics.counter("lookupHits");
        misses = metrics.counter("lookupMisses");
        latencyMs = metrics.histogram("lookupLatencyMs", new DescriptiveStatisticsHistogram(1000));
        if (options.cacheMaxRows() > 0) {
            cache =
                    Caffeine.newBuilder()
                            .maximumSize(options.cacheMaxRows())
                            .expireAfterWrite(options.cacheTtl())
                            .recordStats()
                            .build();
            Cache<List<Object>, DIM> c = cache;
            metrics.gauge("cacheHitRatio", (Gauge<Double>) () -> c.stats().hitRate());
            metrics.gauge("cacheSize", (Gauge<Long>) c::estimatedSize);
        }
    }

    @Override
    public void asyncInvoke(IN record, ResultFuture<OUT> resultFuture) {
        Object[] key = keyExtractor.keyOf(record);
        List<Object> cacheKey = null;
        if (cache != null) {
            cacheKey = Arrays.asList(key);
            DIM cached = cache.getIfPresent(cacheKey);
            if (cached != null) {
                hits.inc();
                resultFuture.complete(Collections.singletonList(joiner.join(record, cached)));
                return;
            }
        }
        List<Object> toCache = cacheKey;
        long started = System.nanoTime();
        GenericRow keyRow = new GenericRow(key.length);
        for (int i = 0; i < key.length; i++) {
            Object v = key[i];
            keyRow.setField(
                    i, stringKey[i] && v != null ? BinaryString.fromString(v.toString()) : v);
        }
        lookuper.lookup(keyRow)
                .whenComplete(
                        (result, error) -> {
                            if (error != null) {
                                resultFuture.completeExceptionally(error);
                                return;
                            }
                            try {
                                latencyMs.update((System.nanoTime() - started) / 1_000_000);
                                InternalRow row = result.getSingletonRow();
                                DIM dim = null;
                                if (row != null) {
                                    dim = converter.fromRow(row);
                                    hits.inc();
                                    if (toCache != null) {
                                        cache.put(toCache, dim);
                                    }
                                } else {
                                    misses.inc();
                                }
                                resultFuture.complete(
                                        Collections.singletonList(joiner.join(record, dim)));
                            } catch (Throwable t) {
                                resultFuture.completeExceptionally(t);
                            }
                        });
    }

    @Override
    public void close() throws Exception {
        if (connection != null) {
            connection.close();
        }
    }
}
