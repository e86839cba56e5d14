package dev.gridhouse.bench.jmh;

import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.state.KeyedStateStore;
import org.apache.flink.streaming.api.functions.windowing.ProcessWindowFunction;
import org.apache.flink.streaming.api.windowing.windows.TimeWindow;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/** Calls a {@link ProcessWindowFunction} directly, outside Flink, for one window. */
final class WindowCalls {
    private WindowCalls() {}

    /** A context that knows only its window (what the rollups use). */
    static <IN, OUT, K> ProcessWindowFunction<IN, OUT, K, TimeWindow>.Context context(
            ProcessWindowFunction<IN, OUT, K, TimeWindow> fn, TimeWindow window) {
        return fn.new Context() {
            @Override
            public TimeWindow window() {
                return window;
            }

            @Override
            public long currentProcessingTime() {
                return window.maxTimestamp();
            }

            @Override
            public long currentWatermark() {
                return window.maxTimestamp();
            }

            @Override
            public KeyedStateStore windowState() {
                throw new UnsupportedOperationException("not used by the benchmarked functions");
            }

            @Override
            public KeyedStateStore globalState() {
                throw new UnsupportedOperationException("not used by the benchmarked functions");
            }

            @Override
            public <X> void output(OutputTag<X> outputTag, X value) {
                throw new UnsupportedOperationException("not used by the benchmarked functions");
            }
        };
    }

    /** A collector that keeps what it was given. */
    static final class ListCollector<T> implements Collector<T> {
        final List<T> out = new ArrayList<>();

        @Override
        public void collect(T record) {
            out.add(record);
        }

        @Override
        public void close() {}
    }
}
