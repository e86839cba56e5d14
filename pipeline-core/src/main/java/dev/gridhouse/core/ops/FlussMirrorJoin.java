package dev.gridhouse.core.ops;

import dev.gridhouse.core.catalog.TableSpec;
import dev.gridhouse.core.io.FlussEndpoint;
import java.time.Duration;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Gauge;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Joins each record with its row of a Fluss primary-key table without an RPC per record: every
 * subtask keeps a full in-memory mirror of the table (its KV snapshot, then its changelog, with
 * updates and deletes applied as they arrive) and joins from it. Records that arrive before the
 * mirror has loaded wait for it instead of being reported unknown. The mirror is rebuilt from Fluss
 * after a restart, like Flink's full-caching lookup joins; memory is one copy of the table per
 * subtask.
 *
 * <p>Same {@link FlussLookupJoin.KeyExtractor} and {@link FlussLookupJoin.Joiner} as the async
 * lookup join, so the two are interchangeable. It runs on a keyed stream (any key) so that it keeps
 * the partitioning of the operators after it; it holds no keyed state.
 */
public class FlussMirrorJoin<K, IN, DIM, OUT> extends KeyedProcessFunction<K, IN, OUT> {
    private static final long serialVersionUID = 1L;

    private final FlussEndpoint fluss;
    private final TableSpec dimensionTable;
    private final FlussLookupJoin.KeyExtractor<IN> keyExtractor;
    private final FlussLookupJoin.Joiner<IN, DIM, OUT> joiner;
    private final Duration loadTimeout;

    private transient DimensionMirror<DIM> mirror;
    private transient Counter hits;
    private transient Counter misses;

    public FlussMirrorJoin(
            FlussEndpoint fluss,
            TableSpec dimensionTable,
            FlussLookupJoin.KeyExtractor<IN> keyExtractor,
            FlussLookupJoin.Joiner<IN, DIM, OUT> joiner,
            Duration loadTimeout) {
        if (!dimensionTable.hasPrimaryKey()) {
            throw new IllegalArgumentException(
                    "A mirror join needs a primary-key table; "
                            + dimensionTable.name()
                            + " is a log table.");
        }
        this.fluss = fluss;
        this.dimensionTable = dimensionTable;
        this.keyExtractor = keyExtractor;
        this.joiner = joiner;
        this.loadTimeout = loadTimeout;
    }

    @Override
    public void open(Configuration parameters) {
        mirror = new DimensionMirror<>(fluss, dimensionTable);
        mirror.start();
        MetricGroup metrics = getRuntimeContext().getMetricGroup();
        hits = metrics.counter("lookupHits");
        misses = metrics.counter("lookupMisses");
        DimensionMirror<DIM> m = mirror;
        metrics.gauge("mirrorRows", (Gauge<Integer>) m::size);
        metrics.gauge("mirrorLoaded", (Gauge<Integer>) () -> m.isLoaded() ? 1 : 0);
    }

    @Override
    public void processElement(IN record, Context ctx, Collector<OUT> out) throws Exception {
        if (!mirror.isLoaded()) {
            mirror.awaitLoaded(loadTimeout);
        }
        DIM dim = mirror.get(keyExtractor.keyOf(record));
        if (dim != null) {
            hits.inc();
        } else {
            misses.inc();
        }
        out.collect(joiner.join(record, dim));
    }

    @Override
    public void close() throws Exception {
        if (mirror != null) {
            mirror.close();
        }
    }
}
