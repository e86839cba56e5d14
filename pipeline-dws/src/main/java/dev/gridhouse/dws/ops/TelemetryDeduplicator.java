package dev.gridhouse.dws.ops;

import dev.gridhouse.contract.grid.EnrichedTelemetry;
import dev.gridhouse.core.model.RejectReason;
import dev.gridhouse.core.ops.DeadLetters;
import java.io.IOException;
import java.time.Duration;
import java.util.Arrays;
import org.apache.flink.api.common.state.StateTtlConfig;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.PrimitiveArrayTypeInfo;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Drops repeated {@code (device_id, ts)} samples to the dead letter as DUPLICATE (contract §4).
 * Keyed by device id. Retention must cover out-of-orderness + allowed lateness + 1 minute ({@link
 * #retentionFor}).
 *
 * <p><b>What is remembered.</b> Of the samples a device has sent, the operator remembers exactly
 * those whose {@code ts} is above the <em>floor</em> {@code max(watermark − retention, newest − 2 ×
 * retention)}, where {@code watermark} is the operator's current watermark and {@code newest} the
 * highest remembered {@code ts} of the device. A sample at or below the floor passes through
 * unremembered (the late router after this operator handles it), as before.
 *
 * <ul>
 *   <li>The watermark term is exactly the rule of the earlier timer-based version (it remembered a
 *       {@code ts} until the watermark reached {@code ts + retention}). The {@code newest} term
 *       only takes over when the operator's watermark is more than a retention behind the device's
 *       newest sample (a stalled or lagging watermark: idle or slow splits, catch-up); it bounds
 *       the state there. Otherwise the result is the same as before, record for record.
 *   <li>The {@code newest} term is not {@code newest − retention}, which would break the contract:
 *       with out-of-orderness 5 s and retention 65 s, a device sending {@code ts} 100 s, then 166
 *       s, then 100 s again (watermark ≈ 161 s) must get DUPLICATE (the first copy is 61 s behind
 *       the watermark), but {@code 100 ≤ 166 − 65} would forget it and the copy would end up LATE.
 *       The device's newest sample has been seen, so the contract's watermark (highest {@code ts}
 *       seen − out-of-orderness) is at least {@code newest − out-of-orderness}; the contract asks
 *       for DUPLICATE only while {@code ts > watermark − retention}, so never below {@code newest −
 *       out-of-orderness − retention}, and {@code newest − 2 × retention} is below that because
 *       retention exceeds the out-of-orderness (by at least the minute). So this term never forgets
 *       a duplicate the contract requires. (What it may forget when the real watermark lags is a
 *       copy more than two retentions older than the device's newest sample; the earlier version
 *       caught such a copy while its watermark lagged, and if its window is still open it is now
 *       accepted, a case outside the contract.) In a bounded replay at parallelism 1 the watermark
 *       is the highest ts before the record − out-of-orderness − 1 (contract §4), never more than a
 *       retention behind any device's newest sample, so there the output is the same as before.
 *   <li>In BATCH mode (history recompute) the keyed input is sorted by key and timestamp and the
 *       watermark is {@code Long.MIN_VALUE} until the end: a duplicate arrives right after its
 *       first copy, which is the device's newest sample, so it is always caught, as before.
 * </ul>
 *
 * <p><b>State and cost.</b> Per device one {@code ValueState<long[]>} ({@link
 * PrimitiveArrayTypeInfo#LONG_PRIMITIVE_ARRAY_TYPE_INFO}, no generic types): {@code a[0]} is the
 * count {@code n}, {@code a[1..n]} the remembered timestamps ascending and distinct, the rest spare
 * capacity (power of two, at least {@value #MIN_CAPACITY}; grown by doubling, shrunk when a quarter
 * full). A record costs one state read, a binary search and, if it is new or anything fell below
 * the floor, a shift of at most the retained timestamps in place and one state write; no timers, no
 * scan, no allocation unless the capacity changes. The array is modified in place only within the
 * {@code processElement} call that read it, and always written back with {@code update}: the heap
 * backend's copy-on-write map hands out a copy whenever a running snapshot still needs the old
 * value, and RocksDB deserializes a fresh array per read, so a snapshot never sees a half-written
 * array. Timestamps that fall below the floor are dropped on the device's next record; a device
 * that falls silent keeps its last array (a retention's worth of samples, two at most) until the
 * state TTL.
 *
 * <p><b>State TTL.</b> {@code stateTtl} (0 = none) is a processing-time TTL on the device's array,
 * refreshed on every write, a backstop that removes the state of devices that fall silent (the
 * earlier version's timers used to clean them; there are none now). Background cleanup stays on
 * because silent devices are never read again: on the heap backend it is incremental, {@value
 * #TTL_CLEANUP_ENTRIES} state entry checked per state access, without {@code
 * runCleanupForEveryRecord}; for a {@code ValueState} that check is one timestamp comparison (the
 * same cleanup over a {@code MapState}, as the earlier version had, copies each visited user map).
 * On RocksDB the default compaction filter applies, which likewise reads only the value's
 * timestamp.
 */
public class TelemetryDeduplicator
        extends KeyedProcessFunction<String, EnrichedTelemetry, EnrichedTelemetry> {
    private static final long serialVersionUID = 1L;

    /**
     * Keyed state name. The earlier version kept a {@code MapState} named {@code seen-ts}: a
     * savepoint of it restores (that state stays unused, its timers fire into the no-op {@code
     * onTimer}), but what it remembered is not carried over.
     */
    static final String STATE_NAME = "seen-ts-window";

    /** Smallest spare capacity of a device's array. */
    static final int MIN_CAPACITY = 4;

    /** Heap-backend incremental TTL cleanup: entries checked per state access. */
    static final int TTL_CLEANUP_ENTRIES = 1;

    private final long retentionMs;
    private final Duration stateTtl;

    private transient ValueState<long[]> seen;
    private transient Counter duplicates;

    /**
     * @param retention how long after its event time a sample is remembered (relative to the
     *     watermark, see the class comment)
     * @param stateTtl processing-time TTL of a device's remembered samples (a backstop for devices
     *     that fall silent); zero disables it
     */
    public TelemetryDeduplicator(Duration retention, Duration stateTtl) {
        if (retention.isNegative() || retention.isZero()) {
            throw new IllegalArgumentException("Dedup retention must be positive: " + retention);
        }
        this.retentionMs = retention.toMillis();
        this.stateTtl = stateTtl;
    }

    /** Retention that satisfies contract §4 for these settings. */
    public static Duration retentionFor(Duration outOfOrderness, Duration allowedLateness) {
        return outOfOrderness.plus(allowedLateness).plus(Duration.ofMinutes(1));
    }

    /** The descriptor of the per-device state. */
    static ValueStateDescriptor<long[]> descriptor(Duration stateTtl) {
        ValueStateDescriptor<long[]> desc =
                new ValueStateDescriptor<>(
                        STATE_NAME, PrimitiveArrayTypeInfo.LONG_PRIMITIVE_ARRAY_TYPE_INFO);
        if (!stateTtl.isZero()) {
            desc.enableTimeToLive(
                    StateTtlConfig.newBuilder(stateTtl)
                            .setUpdateType(StateTtlConfig.UpdateType.OnCreateAndWrite)
                            .setStateVisibility(StateTtlConfig.StateVisibility.NeverReturnExpired)
                            .cleanupIncrementally(TTL_CLEANUP_ENTRIES, false)
                            .build());
        }
        return desc;
    }

    @Override
    public void open(Configuration parameters) {
        seen = getRuntimeContext().getState(descriptor(stateTtl));
        duplicates =
                getRuntimeContext()
                        .getMetricGroup()
                        .addGroup(DeadLetters.METRIC_GROUP)
                        .counter(RejectReason.DUPLICATE.name());
    }

    @Override
    public void processElement(EnrichedTelemetry e, Context ctx, Collector<EnrichedTelemetry> out)
            throws Exception {
        final long ts = e.ts;
        long[] a = seen.value();
        int n = a == null ? 0 : (int) a[0];
        long newest = n == 0 ? ts : Math.max(a[n], ts);
        long floor = floor(ctx.timerService().currentWatermark(), newest);
        int keep = firstAbove(a, n, floor); // a[keep..n] survive

        if (ts <= floor) {
            // already beyond retention: passes unremembered (the late router decides)
            if (keep > 1) {
                prune(a, n, keep);
            }
            out.collect(e);
            return;
        }
        int at = n < keep ? -keep - 1 : Arrays.binarySearch(a, keep, n + 1, ts);
        if (at >= 0) {
            if (keep > 1) {
                prune(a, n, keep);
            }
            duplicate(e, ctx);
            return;
        }
        insert(a, n, keep, -at - 1, ts);
        out.collect(e);
    }

    private void duplicate(EnrichedTelemetry e, Context ctx) {
        duplicates.inc();
        ctx.output(
                DeadLetters.TAG,
                TelemetryDeadLetters.of(
                        e,
                        RejectReason.DUPLICATE,
                        null,
                        ctx.timerService().currentProcessingTime()));
    }

    /** Timestamps at or below the result are forgotten (see the class comment). */
    private long floor(long watermark, long newest) {
        long byWatermark = minusSaturated(watermark, retentionMs);
        long byNewest =
                minusSaturated(
                        newest,
                        retentionMs > Long.MAX_VALUE / 2 ? Long.MAX_VALUE : 2 * retentionMs);
        return Math.max(byWatermark, byNewest);
    }

    private static long minusSaturated(long x, long d) {
        return x < Long.MIN_VALUE + d ? Long.MIN_VALUE : x - d;
    }

    /** Index in {@code 1..n+1} of the first remembered ts above {@code floor}. */
    private static int firstAbove(long[] a, int n, long floor) {
        if (n == 0 || a[1] > floor) {
            return 1;
        }
        int lo = 2; // a[1] <= floor
        int hi = n + 1;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (a[mid] > floor) {
                hi = mid;
            } else {
                lo = mid + 1;
            }
        }
        return lo;
    }

    /** Keeps {@code a[keep..n]} only. */
    private void prune(long[] a, int n, int keep) throws IOException {
        int m = n - keep + 1;
        if (m == 0) {
            seen.clear();
            return;
        }
        long[] b = capacityFits(a, m) ? a : new long[1 + capacityFor(m)];
        System.arraycopy(a, keep, b, 1, m);
        b[0] = m;
        seen.update(b);
    }

    /** Keeps {@code a[keep..n]} and inserts {@code ts} before index {@code at}. */
    private void insert(long[] a, int n, int keep, int at, long ts) throws IOException {
        int m = n - keep + 2;
        long[] b = capacityFits(a, m) ? a : new long[1 + capacityFor(m)];
        int before = at - keep; // kept timestamps below ts
        if (before > 0) {
            System.arraycopy(a, keep, b, 1, before); // moves left (or stays) first
        }
        if (n - at + 1 > 0) {
            System.arraycopy(a, at, b, before + 2, n - at + 1);
        }
        b[before + 1] = ts;
        b[0] = m;
        seen.update(b);
    }

    /** Whether {@code a} holds {@code m} timestamps and is not oversized for them. */
    private static boolean capacityFits(long[] a, int m) {
        if (a == null) {
            return false;
        }
        int capacity = a.length - 1;
        return m <= capacity && (capacity <= MIN_CAPACITY || m > capacity / 4);
    }

    /** Power of two ≥ max(m + m / 2, MIN_CAPACITY): room to grow, and a quarter full or more. */
    static int capacityFor(int m) {
        int want = Math.max(MIN_CAPACITY, m + (m >> 1));
        return want <= MIN_CAPACITY ? MIN_CAPACITY : Integer.highestOneBit(want - 1) << 1;
    }

    /** The current key's raw state ({@code null} if none), for tests. */
    long[] storedForCurrentKey() throws IOException {
        return seen.value();
    }
}
