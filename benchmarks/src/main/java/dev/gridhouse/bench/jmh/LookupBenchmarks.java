package dev.gridhouse.bench.jmh;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.gridhouse.bench.BenchData;
import dev.gridhouse.contract.grid.Device;
import dev.gridhouse.contract.grid.EnrichedTelemetry;
import dev.gridhouse.contract.grid.Telemetry;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * The in-memory join paths of the DWD device lookup, per record: the hit path of {@code
 * FlussLookupJoin}'s Caffeine cache (key {@code Arrays.asList(key)}, then the joiner) and the
 * mirror-state lookup of {@code DimensionMirror}/{@code FlussMirrorJoin} (a {@code
 * ConcurrentHashMap<List<Object>, DIM>}), each against the same structure keyed by the single
 * {@code String} key (the alternative design). The classes themselves need a Fluss cluster to fill;
 * these benchmarks rebuild their structures exactly (same builder settings, same key shape).
 * 100,000 cached devices, random access. One operation = one record joined.
 */
public class LookupBenchmarks extends BenchmarkBase {
    static final int DEVICES = 100_000;
    static final int LOOKUPS = 10_000;

    private Cache<List<Object>, Device> listKeyCache;
    private Cache<String, Device> stringKeyCache;
    private Map<List<Object>, Device> listKeyMirror;
    private Map<String, Device> stringKeyMirror;
    private Telemetry[] probes;

    @Setup
    public void setUp() {
        BenchData data = BenchData.generate(DEVICES, 1, 1_000);
        listKeyCache = newCache();
        stringKeyCache = newCache();
        listKeyMirror = new ConcurrentHashMap<>();
        stringKeyMirror = new ConcurrentHashMap<>();
        for (Device d : data.devices()) {
            listKeyCache.put(Arrays.asList(new Object[] {d.deviceId}), d);
            stringKeyCache.put(d.deviceId, d);
            listKeyMirror.put(Arrays.asList(new Object[] {d.deviceId}), d);
            stringKeyMirror.put(d.deviceId, d);
        }
        Telemetry template = data.telemetry().get(0);
        SplittableRandom r = new SplittableRandom(11);
        probes = new Telemetry[LOOKUPS];
        for (int i = 0; i < LOOKUPS; i++) {
            Telemetry t = new Telemetry();
            t.copyTelemetryFrom(template);
            // a fresh String per record, as a deserialized record carries
            t.deviceId = new String(data.devices().get(r.nextInt(DEVICES)).deviceId);
            probes[i] = t;
        }
    }

    private static <K> Cache<K, Device> newCache() {
        return Caffeine.newBuilder()
                .maximumSize(DEVICES)
                .expireAfterWrite(Duration.ofMinutes(5))
                .recordStats()
                .build();
    }

    /** FlussLookupJoin's cache hit: {@code Arrays.asList(keyOf(record))} → Caffeine → join. */
    @Benchmark
    @OperationsPerInvocation(LOOKUPS)
    public void cacheHitListKey(Blackhole bh) {
        for (Telemetry t : probes) {
            Object[] key = new Object[] {t.deviceId};
            Device d = listKeyCache.getIfPresent(Arrays.asList(key));
            bh.consume(EnrichedTelemetry.of(t, d));
        }
    }

    @Benchmark
    @OperationsPerInvocation(LOOKUPS)
    public void cacheHitStringKey(Blackhole bh) {
        for (Telemetry t : probes) {
            Device d = stringKeyCache.getIfPresent(t.deviceId);
            bh.consume(EnrichedTelemetry.of(t, d));
        }
    }

    /** DimensionMirror.get: {@code rows.get(Arrays.asList(key))} → join. */
    @Benchmark
    @OperationsPerInvocation(LOOKUPS)
    public void mirrorListKey(Blackhole bh) {
        for (Telemetry t : probes) {
            Object[] key = new Object[] {t.deviceId};
            Device d = listKeyMirror.get(Arrays.asList(key));
            bh.consume(EnrichedTelemetry.of(t, d));
        }
    }

    @Benchmark
    @OperationsPerInvocation(LOOKUPS)
    public void mirrorStringKey(Blackhole bh) {
        for (Telemetry t : probes) {
            Device d = stringKeyMirror.get(t.deviceId);
            bh.consume(EnrichedTelemetry.of(t, d));
        }
    }
}
