package dev.gridhouse.dws.ops;

import static dev.gridhouse.contract.grid.TestRecords.MINUTE;
import static dev.gridhouse.contract.grid.TestRecords.T0;
import static dev.gridhouse.contract.grid.TestRecords.sample;
import static org.assertj.core.api.Assertions.assertThat;

import dev.gridhouse.contract.grid.EnrichedTelemetry;
import dev.gridhouse.core.model.DeadLetter;
import dev.gridhouse.core.ops.DeadLetters;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

class TelemetryDeduplicatorTest {
    private static final Duration OUT_OF_ORDERNESS = Duration.ofSeconds(5);
    private static final Duration RETENTION =
            TelemetryDeduplicator.retentionFor(OUT_OF_ORDERNESS, Duration.ZERO);
    private static final long R = RETENTION.toMillis();
    private static final long OOO = OUT_OF_ORDERNESS.toMillis();
    private static final long SECOND = 1_000L;

    private static KeyedOneInputStreamOperatorTestHarness<
                    String, EnrichedTelemetry, EnrichedTelemetry>
            harness() throws Exception {
        return harness(new TelemetryDeduplicator(RETENTION, Duration.ZERO));
    }

    private static KeyedOneInputStreamOperatorTestHarness<
                    String, EnrichedTelemetry, EnrichedTelemetry>
            harness(TelemetryDeduplicator dedup) throws Exception {
        return new KeyedOneInputStreamOperatorTestHarness<>(
                new KeyedProcessOperator<>(dedup), t -> t.deviceId, Types.STRING);
    }

    private static void send(
            KeyedOneInputStreamOperatorTestHarness<String, EnrichedTelemetry, EnrichedTelemetry> h,
            EnrichedTelemetry e)
            throws Exception {
        h.processElement(new StreamRecord<>(e, e.ts));
    }

    private static void send(
            KeyedOneInputStreamOperatorTestHarness<String, EnrichedTelemetry, EnrichedTelemetry> h,
            String device,
            long ts)
            throws Exception {
        send(h, sample(device, "FEEDER", "N", ts, 1.0, 50.0));
    }

    /** Timestamps of the accepted records so far; clears the output. */
    private static List<Long> passed(
            KeyedOneInputStreamOperatorTestHarness<String, EnrichedTelemetry, EnrichedTelemetry>
                    h) {
        List<Long> out = new ArrayList<>();
        for (EnrichedTelemetry e : h.extractOutputValues()) {
            out.add(e.ts);
        }
        h.getOutput().clear();
        return out;
    }

    /** Event timestamps of the DUPLICATE dead letters so far; clears them. */
    private static List<Long> duplicates(
            KeyedOneInputStreamOperatorTestHarness<String, EnrichedTelemetry, EnrichedTelemetry>
                    h) {
        List<Long> out = new ArrayList<>();
        var side = h.getSideOutput(DeadLetters.TAG);
        if (side != null) {
            for (StreamRecord<DeadLetter> r : side) {
                assertThat(r.getValue().reason).isEqualTo("DUPLICATE");
                out.add(r.getValue().eventTs);
            }
            side.clear();
        }
        return out;
    }

    /** The raw stored array of {@code device} ({@code null} if none). */
    private static long[] stored(
            KeyedOneInputStreamOperatorTestHarness<String, EnrichedTelemetry, EnrichedTelemetry> h,
            TelemetryDeduplicator dedup,
            String device)
            throws Exception {
        h.getOperator().setCurrentKey(device);
        return dedup.storedForCurrentKey();
    }

    /** The remembered timestamps of {@code device}, ascending. */
    private static long[] remembered(
            KeyedOneInputStreamOperatorTestHarness<String, EnrichedTelemetry, EnrichedTelemetry> h,
            TelemetryDeduplicator dedup,
            String device)
            throws Exception {
        long[] a = stored(h, dedup, device);
        return a == null ? new long[0] : Arrays.copyOfRange(a, 1, 1 + (int) a[0]);
    }

    @Test
    void sameDeviceAndTsIsADuplicateAcrossRestore() throws Exception {
        OperatorSubtaskState snapshot;
        try (var h = harness()) {
            h.open();
            send(h, sample("D1", "FEEDER", "N", T0, 1.0, 50.0));
            send(h, sample("D2", "FEEDER", "N", T0, 1.0, 50.0)); // other device, same ts
            send(h, sample("D1", "FEEDER", "N", T0 + 1, 1.0, 50.0)); // same device, other ts
            assertThat(h.extractOutputValues()).hasSize(3);
            snapshot = h.snapshot(1L, 1L);
        }
        try (var h = harness()) {
            h.initializeState(snapshot);
            h.open();
            send(h, sample("D1", "FEEDER", "N", T0, 2.0, 50.0)); // other values, same key
            assertThat(h.extractOutputValues()).isEmpty();
            assertThat(h.getSideOutput(DeadLetters.TAG)).hasSize(1);
            DeadLetter dl = h.getSideOutput(DeadLetters.TAG).peek().getValue();
            assertThat(dl.reason).isEqualTo("DUPLICATE");
            assertThat(dl.source).isEqualTo("telemetry");
            assertThat(dl.eventTs).isEqualTo(T0);
            assertThat(dl.payload).contains("\"device_id\":\"D1\"");
            // one state entry per device key (D1, D2)
            assertThat(h.numKeyedStateEntries()).isEqualTo(2);
        }
    }

    @Test
    void forgetsSamplesOnceTheWatermarkPassesTheirRetention() throws Exception {
        try (var h = harness()) {
            h.open();
            send(h, "D1", T0);
            send(h, "D1", T0 + MINUTE);
            assertThat(h.numEventTimeTimers()).isZero(); // no timer per record any more
            assertThat(passed(h)).containsExactly(T0, T0 + MINUTE);

            h.processWatermark(T0 + R - 1); // T0 still within retention
            send(h, "D1", T0);
            assertThat(duplicates(h)).containsExactly(T0);

            h.processWatermark(T0 + R); // T0 forgotten, T0 + MINUTE still remembered
            send(h, "D1", T0);
            send(h, "D1", T0 + MINUTE);
            assertThat(passed(h)).containsExactly(T0);
            assertThat(duplicates(h)).containsExactly(T0 + MINUTE);

            h.processWatermark(T0 + MINUTE + R);
            send(h, "D1", T0 + MINUTE); // beyond retention: passes, and the state is emptied
            assertThat(passed(h)).containsExactly(T0 + MINUTE);
            assertThat(duplicates(h)).isEmpty();
            assertThat(h.numKeyedStateEntries()).isZero();
            assertThat(h.numEventTimeTimers()).isZero();
        }
    }

    @Test
    void aRecordAlreadyBeyondRetentionPassesUnremembered() throws Exception {
        TelemetryDeduplicator dedup = new TelemetryDeduplicator(RETENTION, Duration.ZERO);
        try (var h = harness(dedup)) {
            h.open();
            h.processWatermark(T0 + R);
            send(h, "D1", T0); // ts + retention <= watermark
            send(h, "D1", T0); // not remembered, so not a duplicate either (the late router's)
            send(h, "D1", T0 + 1);
            send(h, "D1", T0 + 1);
            assertThat(passed(h)).containsExactly(T0, T0, T0 + 1);
            assertThat(duplicates(h)).containsExactly(T0 + 1);
            assertThat(remembered(h, dedup, "D1")).containsExactly(T0 + 1);
        }
    }

    @Test
    void outOfOrderSamplesAreRememberedSorted() throws Exception {
        TelemetryDeduplicator dedup = new TelemetryDeduplicator(RETENTION, Duration.ZERO);
        try (var h = harness(dedup)) {
            h.open();
            long[] order = {10, 0, 5, 20, 15, 1, 10, 0, 20, 19};
            for (long s : order) {
                send(h, "D1", T0 + s * SECOND);
            }
            assertThat(passed(h))
                    .containsExactly(
                            T0 + 10 * SECOND,
                            T0,
                            T0 + 5 * SECOND,
                            T0 + 20 * SECOND,
                            T0 + 15 * SECOND,
                            T0 + SECOND,
                            T0 + 19 * SECOND);
            assertThat(duplicates(h)).containsExactly(T0 + 10 * SECOND, T0, T0 + 20 * SECOND);
            assertThat(remembered(h, dedup, "D1"))
                    .containsExactly(
                            T0,
                            T0 + SECOND,
                            T0 + 5 * SECOND,
                            T0 + 10 * SECOND,
                            T0 + 15 * SECOND,
                            T0 + 19 * SECOND,
                            T0 + 20 * SECOND);
            assertThat(h.numEventTimeTimers()).isZero();
        }
    }

    /**
     * Contract §4: the first copy is 61 s behind the watermark (< retention 65 s), so the copy is a
     * DUPLICATE even though it is more than one retention below the device's newest sample.
     */
    @Test
    void keepsWhatTheContractNeedsAboveTheNewestSample() throws Exception {
        try (var h = harness()) {
            h.open();
            send(h, "D1", T0 + 100 * SECOND);
            send(h, "D1", T0 + 166 * SECOND);
            h.processWatermark(T0 + 166 * SECOND - OOO - 1); // as the replay watermark
            send(h, "D1", T0 + 100 * SECOND);
            assertThat(passed(h)).containsExactly(T0 + 100 * SECOND, T0 + 166 * SECOND);
            assertThat(duplicates(h)).containsExactly(T0 + 100 * SECOND);
        }
    }

    @Test
    void restoredStateCatchesDuplicatesAndHandlesLateAndOutOfOrderRecords() throws Exception {
        OperatorSubtaskState snapshot;
        long wm;
        try (var h = harness()) {
            h.open();
            for (int i = 0; i < 30; i++) { // D1 and D2 every 5 s, D2 out of order in pairs
                send(h, "D1", T0 + i * 5 * SECOND);
                send(h, "D2", T0 + (i ^ 1) * 5 * SECOND);
                h.processWatermark(T0 + i * 5 * SECOND - OOO - 1);
            }
            wm = T0 + 29 * 5 * SECOND - OOO - 1;
            send(h, "D1", T0 + 100 * SECOND); // duplicate before the snapshot too
            assertThat(passed(h)).hasSize(60);
            assertThat(duplicates(h)).containsExactly(T0 + 100 * SECOND);
            snapshot = h.snapshot(1L, 1L);
        }
        TelemetryDeduplicator restored = new TelemetryDeduplicator(RETENTION, Duration.ZERO);
        try (var h = harness(restored)) {
            h.initializeState(snapshot);
            h.open();
            h.processWatermark(wm); // watermarks are not part of the snapshot
            // duplicates of pre-snapshot records within retention
            send(h, "D1", T0 + 145 * SECOND);
            send(h, "D1", T0 + 85 * SECOND);
            send(h, "D2", T0 + 140 * SECOND);
            send(h, "D2", T0 + 80 * SECOND);
            assertThat(duplicates(h))
                    .containsExactly(
                            T0 + 145 * SECOND,
                            T0 + 85 * SECOND,
                            T0 + 140 * SECOND,
                            T0 + 80 * SECOND);
            assertThat(passed(h)).isEmpty();
            // late: beyond retention of the watermark, passes unremembered (twice)
            send(h, "D1", T0 + 70 * SECOND);
            send(h, "D1", T0 + 70 * SECOND);
            assertThat(passed(h)).containsExactly(T0 + 70 * SECOND, T0 + 70 * SECOND);
            assertThat(duplicates(h)).isEmpty();
            // out of order, not seen before: passes and is remembered from now on
            send(h, "D1", T0 + 142 * SECOND);
            send(h, "D1", T0 + 142 * SECOND);
            send(h, "D2", T0 + 150 * SECOND);
            send(h, "D2", T0 + 146 * SECOND);
            send(h, "D2", T0 + 150 * SECOND);
            assertThat(passed(h))
                    .containsExactly(T0 + 142 * SECOND, T0 + 150 * SECOND, T0 + 146 * SECOND);
            assertThat(duplicates(h)).containsExactly(T0 + 142 * SECOND, T0 + 150 * SECOND);
            long[] d1 = remembered(h, restored, "D1");
            assertThat(d1).isSorted().contains(T0 + 142 * SECOND, T0 + 145 * SECOND);
            assertThat(d1[0]).isGreaterThan(wm - R);
            assertThat(h.numEventTimeTimers()).isZero();
        }
    }

    @Test
    void aLongRunningDeviceKeepsItsStateBounded() throws Exception {
        TelemetryDeduplicator dedup = new TelemetryDeduplicator(RETENTION, Duration.ZERO);
        long interval = 5 * SECOND;
        // at a record the watermark is the previous record's (ts - interval - out-of-orderness - 1)
        // and the floor that watermark minus retention
        int maxKept = (int) ((R + OOO + 1 + interval) / interval) + 1;
        int maxLength = 1 + TelemetryDeduplicator.capacityFor(maxKept);
        int records = 6 * 3600 / 5; // six hours
        int dups = 0;
        try (var h = harness(dedup)) {
            h.open();
            for (int i = 0; i < records; i++) {
                long ts = T0 + i * interval;
                send(h, "D1", ts);
                h.processWatermark(ts - OOO - 1);
                if (i % 7 == 3 && i >= 6) {
                    send(h, "D1", ts - 30 * SECOND); // a resend within retention
                    dups++;
                }
                long[] a = stored(h, dedup, "D1");
                assertThat((int) a[0]).isLessThanOrEqualTo(maxKept);
                assertThat(a.length).isLessThanOrEqualTo(maxLength);
            }
            assertThat(passed(h)).hasSize(records);
            assertThat(duplicates(h)).hasSize(dups);
            assertThat(h.numEventTimeTimers()).isZero();
            assertThat(h.numKeyedStateEntries()).isEqualTo(1);
        }
    }

    @Test
    void aStalledWatermarkStillBoundsTheStateByTheNewestSample() throws Exception {
        TelemetryDeduplicator dedup = new TelemetryDeduplicator(RETENTION, Duration.ZERO);
        long interval = 5 * SECOND;
        int maxKept = (int) (2 * R / interval) + 1;
        try (var h = harness(dedup)) {
            h.open(); // no watermark at all
            for (int i = 0; i < 2000; i++) {
                send(h, "D1", T0 + i * interval);
                long[] a = stored(h, dedup, "D1");
                assertThat((int) a[0]).isLessThanOrEqualTo(maxKept);
                assertThat(a.length)
                        .isLessThanOrEqualTo(1 + TelemetryDeduplicator.capacityFor(maxKept));
            }
            long newest = T0 + 1999 * interval;
            assertThat(remembered(h, dedup, "D1")[0]).isGreaterThan(newest - 2 * R);
            // within two retentions of the newest sample: still a duplicate
            send(h, "D1", newest - 2 * R + interval);
            assertThat(duplicates(h)).containsExactly(newest - 2 * R + interval);
        }
    }

    @Test
    void stateTtlForgetsASilentDevice() throws Exception {
        TelemetryDeduplicator dedup = new TelemetryDeduplicator(RETENTION, Duration.ofHours(1));
        try (var h = harness(dedup)) {
            h.open();
            h.setStateTtlProcessingTime(0);
            send(h, "D1", T0);
            send(h, "D2", T0);
            h.setStateTtlProcessingTime(Duration.ofMinutes(59).toMillis());
            send(h, "D2", T0 + 5 * SECOND); // a write refreshes D2's TTL
            h.setStateTtlProcessingTime(Duration.ofMinutes(61).toMillis());
            send(h, "D1", T0); // D1 silent for an hour: forgotten
            send(h, "D2", T0); // D2 written 2 minutes ago: remembered
            assertThat(passed(h)).containsExactly(T0, T0, T0 + 5 * SECOND, T0);
            assertThat(duplicates(h)).containsExactly(T0);
            assertThat(h.numEventTimeTimers()).isZero();
        }
    }

    @Test
    void capacityGrowsGeometrically() {
        assertThat(TelemetryDeduplicator.capacityFor(1)).isEqualTo(4);
        assertThat(TelemetryDeduplicator.capacityFor(4)).isEqualTo(8);
        assertThat(TelemetryDeduplicator.capacityFor(5)).isEqualTo(8);
        assertThat(TelemetryDeduplicator.capacityFor(9)).isEqualTo(16);
        assertThat(TelemetryDeduplicator.capacityFor(15)).isEqualTo(32);
    }
}
