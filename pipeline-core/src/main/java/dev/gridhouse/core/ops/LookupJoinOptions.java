package dev.gridhouse.core.ops;

import java.io.Serializable;
import java.time.Duration;

/**
 * How a {@link FlussLookupJoin} runs: lookups in flight per subtask, ordered or unordered output,
 * timeout and retries. Built with {@link #builder()}; {@code build()} checks every value.
 */
public final class LookupJoinOptions implements Serializable {
    private static final long serialVersionUID = 1L;

    private final int capacity;
    private final boolean ordered;
    private final Duration timeout;
    private final int maxRetries;
    private final Duration retryInitialDelay;
    private final Duration retryMaxDelay;
    private final long cacheMaxRows;
    private final Duration cacheTtl;

    private LookupJoinOptions(Builder b) {
        this.capacity = b.capacity;
        this.ordered = b.ordered;
        this.timeout = b.timeout;
        this.maxRetries = b.maxRetries;
        this.retryInitialDelay = b.retryInitialDelay;
        this.retryMaxDelay = b.retryMaxDelay;
        this.cacheMaxRows = b.cacheMaxRows;
        this.cacheTtl = b.cacheTtl;
    }

    public static LookupJoinOptions defaults() {
        return builder().build();
    }

    public static Builder builder() {
        return new Builder();
    }

    public int capacity() {
        return capacity;
    }

    public boolean ordered() {
        return ordered;
    }

    public Duration timeout() {
        return timeout;
    }

    public int maxRetries() {
        return maxRetries;
    }

    public Duration retryInitialDelay() {
        return retryInitialDelay;
    }

    public Duration retryMaxDelay() {
        return retryMaxDelay;
    }

    /** Rows kept by the partial cache in front of the lookups; 0 = no cache. */
    public long cacheMaxRows() {
        return cacheMaxRows;
    }

    /** How long a cached row is used before it is looked up again. */
    public Duration cacheTtl() {
        return cacheTtl;
    }

    /** Builder of {@link LookupJoinOptions}. */
    public static final class Builder {
        private int capacity = 1000;
        private boolean ordered = true;
        private Duration timeout = Duration.ofSeconds(30);
        private int maxRetries = 3;
        private Duration retryInitialDelay = Duration.ofMillis(100);
        private Duration retryMaxDelay = Duration.ofSeconds(5);
        private long cacheMaxRows = 0;
        private Duration cacheTtl = Duration.ofMinutes(1);

        /**
         * Puts a bounded LRU cache with a time-to-live in front of the lookups (found rows only: an
         * unknown key is looked up again, so a new device is seen at once).
         */
        public Builder cache(long maxRows, Duration ttl) {
            this.cacheMaxRows = maxRows;
            this.cacheTtl = ttl;
            return this;
        }

        /** Lookups in flight per subtask (default 1000). */
        public Builder capacity(int capacity) {
            this.capacity = capacity;
            return this;
        }

        /**
         * Keep input order (default true). Ordered output keeps a bounded replay deterministic;
         * unordered lowers latency when order does not matter.
         */
        public Builder ordered(boolean ordered) {
            this.ordered = ordered;
            return this;
        }

        /** Timeout of one attempt including retries (default 30 s). */
        public Builder timeout(Duration timeout) {
            this.timeout = timeout;
            return this;
        }

        public Builder maxRetries(int maxRetries) {
            this.maxRetries = maxRetries;
            return this;
        }

        public Builder retryDelays(Duration initial, Duration max) {
            this.retryInitialDelay = initial;
            this.retryMaxDelay = max;
            return this;
        }

        public LookupJoinOptions build() {
            if (capacity < 1) {
                throw new IllegalArgumentException(
                        "Lookup capacity must be at least 1 lookup in flight, was " + capacity);
            }
            if (timeout == null || timeout.isNegative() || timeout.isZero()) {
                throw new IllegalArgumentException(
                        "Lookup timeout must be positive, was " + timeout);
            }
            if (maxRetries < 0) {
                throw new IllegalArgumentException(
                        "Lookup retries must be 0 or more, was " + maxRetries);
            }
            if (retryInitialDelay.isNegative() || retryMaxDelay.compareTo(retryInitialDelay) < 0) {
                throw new IllegalArgumentException(
                        "Retry delays must satisfy 0 <= initial <= max, were "
                                + retryInitialDelay
                                + " and "
                                + retryMaxDelay);
            }
            if (cacheMaxRows < 0 || cacheTtl == null || cacheTtl.isNegative()) {
                throw new IllegalArgumentException(
                        "Cache size must be 0 (off) or more and its TTL positive, were "
                                + cacheMaxRows
                                + " and "
                                + cacheTtl);
            }
            return new LookupJoinOptions(this);
        }
    }
}
