package dev.gridhouse.core.ops;

import dev.gridhouse.core.catalog.TableSpec;
import dev.gridhouse.core.io.FlussEndpoint;
import java.time.Duration;
import javax.annotation.Nullable;

/**
 * Benchmark access to the package-private {@link DimensionMirror} (the state of {@code
 * FlussMirrorJoin}), so GridBench measures the real class: its initial load and its lookups.
 */
public final class MirrorProbe<DIM> implements AutoCloseable {
    private final DimensionMirror<DIM> mirror;

    public MirrorProbe(FlussEndpoint fluss, TableSpec table) {
        mirror = new DimensionMirror<>(fluss, table);
        mirror.start();
    }

    public void awaitLoaded(Duration timeout) throws Exception {
        mirror.awaitLoaded(timeout);
    }

    public @Nullable DIM get(Object[] key) {
        return mirror.get(key);
    }

    public int size() {
        return mirror.size();
    }

    @Override
    public void close() throws Exception {
        mirror.close();
    }
}
