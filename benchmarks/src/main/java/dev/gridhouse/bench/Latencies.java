package dev.gridhouse.bench;

import java.util.Arrays;

/**
 * Latency samples in nanoseconds (thread-safe; at most {@code capacity} kept, later ones dropped),
 * and their percentiles.
 */
public final class Latencies {
    private final long[] samples;
    private int size;
    private long dropped;

    public Latencies(int capacity) {
        if (capacity <= 0) {
            throw new IllegalArgumentException("capacity must be positive, is " + capacity);
        }
        samples = new long[capacity];
    }

    public synchronized void add(long nanos) {
        if (size < samples.length) {
            samples[size++] = nanos;
        } else {
            dropped++;
        }
    }

    public synchronized int size() {
        return size;
    }

    public synchronized long dropped() {
        return dropped;
    }

    /** The {@code p}-th percentile (0 < p ≤ 100) in milliseconds, nearest rank; NaN if empty. */
    public synchronized double percentileMs(double p) {
        if (size == 0) {
            return Double.NaN;
        }
        long[] sorted = Arrays.copyOf(samples, size);
        Arrays.sort(sorted);
        int rank = (int) Math.ceil(p / 100.0 * size);
        return sorted[Math.max(0, Math.min(size - 1, rank - 1))] / 1e6;
    }
}
