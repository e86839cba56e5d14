package dev.gridhouse.bench.jmh;

import dev.gridhouse.contract.grid.EnrichedTelemetry;
import dev.gridhouse.core.model.DeadLetter;
import dev.gridhouse.core.ops.DeadLetters;
import dev.gridhouse.dws.ops.TelemetryDeduplicator;
import java.time.Duration;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.TearDown;

/**
 * The DWD dedup per record, before and after the hot-path rework: {@link
 * LegacyTelemetryDeduplicator} (TTL'd {@code MapState} of every seen ts, one event-time timer per
 * record, a map scan per timer) against {@link TelemetryDeduplicator} (one {@code long[]} per
 * device, no timers), both in Flink's {@code KeyedProcessOperator} with heap state through {@link
 * KeyedOneInputStreamOperatorTestHarness}, with the pipeline's defaults: out-of-orderness 5 s, no
 * allowed lateness (retention 65 s), state TTL 1 h ({@code dedup.state-ttl}).
 *
 * <p>The stream: {@code devices} devices each reporting every 5 s, in event-time order (a round of
 * all devices per 5 s); every 100th record is a resend of the record before it (a DUPLICATE). The
 * watermark (highest ts − 5 s − 1 ms, as the replay watermark) advances after every 1,000 records,
 * so the legacy operator's timers fire inside the measurement. The trial set-up runs 15 rounds
 * first, so that every device holds a full retention of samples (the steady state). One invocation
 * = the next 10,000 records of the stream; one operation = one record.
 */
public class DedupBenchmarks extends BenchmarkBase {
    static final int BATCH = 10_000;
    static final long INTERVAL_MS = 5_000L;
    static final int WATERMARK_EVERY = 1_000;
    static final int DUPLICATE_EVERY = 100;
    static final long START_MS = 1_767_225_600_000L;
    static final Duration OUT_OF_ORDERNESS = Duration.ofSeconds(5);
    static final Duration RETENTION =
            TelemetryDeduplicator.retentionFor(OUT_OF_ORDERNESS, Duration.ZERO);
    static final int WARM_ROUNDS = (int) (RETENTION.toMillis() / INTERVAL_MS) + 2;

    @Param({"legacy", "current"})
    public String dedup;

    @Param({"100000"})
    public int devices;

    @Param({"PT1H"})
    public String stateTtl;

    private KeyedOneInputStreamOperatorTestHarness<String, EnrichedTelemetry, EnrichedTelemetry>
            harness;
    private EnrichedTelemetry[] perDevice;
    private long next; // index of the next new record of the stream
    private long highest = Long.MIN_VALUE;
    private int sinceWatermark;
    private EnrichedTelemetry resend; // the next record is a resend of this one

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        SplittableRandom random = new SplittableRandom(42);
        perDevice = new EnrichedTelemetry[devices];
        for (int i = 0; i < devices; i++) {
            EnrichedTelemetry e = new EnrichedTelemetry();
            e.deviceId = String.format("D%06d", i);
            e.substationId = String.format("S%05d", i / 40);
            e.region = "R" + (i % 8);
            e.deviceType = i % 10 == 0 ? "GENERATOR" : "FEEDER";
            e.deviceName = e.deviceId;
            e.deviceStatus = "IN_SERVICE";
            e.capacityMw = 50;
            e.ratedVoltageKv = 110;
            e.activePowerMw = 5 + random.nextDouble() * 30;
            e.frequencyHz = 50.0;
            e.voltageKv = 110;
            e.statusCode = 0;
            perDevice[i] = e;
        }
        Duration ttl = Duration.parse(stateTtl);
        KeyedProcessFunction<String, EnrichedTelemetry, EnrichedTelemetry> function =
                "legacy".equals(dedup)
                        ? new LegacyTelemetryDeduplicator(RETENTION, ttl)
                        : new TelemetryDeduplicator(RETENTION, ttl);
        harness =
                new KeyedOneInputStreamOperatorTestHarness<>(
                        new KeyedProcessOperator<>(function), t -> t.deviceId, Types.STRING);
        harness.open();
        long warm = (long) WARM_ROUNDS * devices;
        while (next < warm) {
            feed(BATCH);
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() throws Exception {
        harness.close();
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public int perRecord() throws Exception {
        return feed(BATCH);
    }

    /**
     * Feeds the next {@code records} records; returns the size of the output (records, watermarks).
     */
    private int feed(int records) throws Exception {
        for (int i = 0; i < records; i++) {
            EnrichedTelemetry e;
            if (resend != null) {
                e = resend;
                resend = null;
            } else {
                int device = (int) (next % devices);
                e = perDevice[device];
                e.ts = START_MS + (next / devices) * INTERVAL_MS + device * INTERVAL_MS / devices;
                highest = Math.max(highest, e.ts);
                if (++next % DUPLICATE_EVERY == 0) {
                    resend = e;
                }
            }
            harness.processElement(new StreamRecord<>(e, e.ts));
            if (++sinceWatermark == WATERMARK_EVERY) {
                sinceWatermark = 0;
                harness.processWatermark(highest - OUT_OF_ORDERNESS.toMillis() - 1);
            }
        }
        int emitted = harness.getOutput().size();
        harness.getOutput().clear();
        ConcurrentLinkedQueue<StreamRecord<DeadLetter>> dead =
                harness.getSideOutput(DeadLetters.TAG);
        if (dead != null) {
            dead.clear();
        }
        return emitted;
    }
}
