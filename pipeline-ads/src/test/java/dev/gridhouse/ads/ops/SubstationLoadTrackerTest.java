package dev.gridhouse.ads.ops;

import static dev.gridhouse.contract.grid.TestRecords.T0;
import static dev.gridhouse.contract.grid.TestRecords.sample;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.gridhouse.contract.grid.EnrichedTelemetry;
import dev.gridhouse.contract.grid.SubstationLoad;
import java.time.Duration;
import java.util.List;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

class SubstationLoadTrackerTest {

    private static KeyedOneInputStreamOperatorTestHarness<String, EnrichedTelemetry, SubstationLoad>
            harness() throws Exception {
        return new KeyedOneInputStreamOperatorTestHarness<>(
                new KeyedProcessOperator<>(new SubstationLoadTracker(Duration.ofHours(1))),
                t -> t.substationId,
                Types.STRING);
    }

    private static void send(
            KeyedOneInputStreamOperatorTestHarness<String, EnrichedTelemetry, SubstationLoad> h,
            EnrichedTelemetry e)
            throws Exception {
        h.processElement(new StreamRecord<>(e, e.ts));
    }

    private static SubstationLoad last(List<SubstationLoad> out) {
        return out.get(out.size() - 1);
    }

    @Test
    void sumsTheLatestPowerOfEachLoadDeviceAcrossRestore() throws Exception {
        OperatorSubtaskState snapshot;
        try (var h = harness()) {
            h.open();
            send(h, sample("F1", "FEEDER", "N", T0, 10.0, 50.0));
            send(h, sample("F2", "FEEDER", "N", T0 + 1, 5.0, 50.0));
            send(h, sample("G1", "GENERATOR", "N", T0 + 2, 80.0, 50.0)); // not a load
            send(h, sample("F1", "FEEDER", "N", T0 + 3, 12.0, 50.0)); // replaces 10.0
            SubstationLoad load = last(h.extractOutputValues());
            assertThat(load.loadMw).isCloseTo(17.0, within(1e-9));
            assertThat(load.deviceCount).isEqualTo(2);
            assertThat(load.updatedAt).isEqualTo(T0 + 3);
            snapshot = h.snapshot(1L, 1L);
        }
        try (var h = harness()) {
            h.initializeState(snapshot);
            h.open();
            send(h, sample("F2", "FEEDER", "N", T0 + 4, 6.0, 50.0));
            SubstationLoad load = last(h.extractOutputValues());
            assertThat(load.loadMw).isCloseTo(18.0, within(1e-9));
            assertThat(load.deviceCount).isEqualTo(2);
            // one key (S1): the power map and the newest-ts value
            assertThat(h.numKeyedStateEntries()).isEqualTo(2);
        }
    }

    @Test
    void updatedAtNeverGoesBackOnOutOfOrderRecords() throws Exception {
        try (var h = harness()) {
            h.open();
            send(h, sample("F1", "FEEDER", "N", T0 + 5_000, 10.0, 50.0));
            // an older record of another device arrives later (another upstream channel)
            send(h, sample("F2", "FEEDER", "N", T0 + 1_000, 5.0, 50.0));
            List<SubstationLoad> out = h.extractOutputValues();
            assertThat(out).extracting(l -> l.updatedAt).containsExactly(T0 + 5_000, T0 + 5_000);
            assertThat(last(out).loadMw).isCloseTo(15.0, within(1e-9));
        }
    }

    private static KeyedOneInputStreamOperatorTestHarness<String, EnrichedTelemetry, SubstationLoad>
            bounded(Duration ttl) throws Exception {
        return new KeyedOneInputStreamOperatorTestHarness<>(
                new KeyedProcessOperator<>(
                        new SubstationLoadTracker(
                                ttl,
                                Duration.ofSeconds(1),
                                SubstationLoadTracker.decisionTrigger(new AlarmRules()))),
                t -> t.substationId,
                Types.STRING);
    }

    private static EnrichedTelemetry fault(String device, long ts, double power) {
        EnrichedTelemetry e = sample(device, "FEEDER", "N", ts, power, 50.0);
        e.statusCode = 3;
        return e;
    }

    @Test
    void emitsAtMostOncePerIntervalAndOnlyWhenSomethingChanged() throws Exception {
        try (var h = bounded(Duration.ofHours(1))) {
            h.open();
            h.setProcessingTime(100);
            send(h, sample("F1", "FEEDER", "N", T0, 10.0, 50.0));
            send(h, sample("F2", "FEEDER", "N", T0 + 1, 5.0, 50.0));
            send(h, sample("F1", "FEEDER", "N", T0 + 2, 11.0, 50.0));
            assertThat(h.extractOutputValues()).isEmpty();

            h.setProcessingTime(1_000); // the interval boundary: one row with all three records
            List<SubstationLoad> out = h.extractOutputValues();
            assertThat(out).hasSize(1);
            assertThat(out.get(0).loadMw).isCloseTo(16.0, within(1e-9));
            assertThat(out.get(0).deviceCount).isEqualTo(2);
            assertThat(out.get(0).updatedAt).isEqualTo(T0 + 2);
            assertThat(out.get(0).substationId).isEqualTo("S1");
            assertThat(out.get(0).region).isEqualTo("N");

            // a duplicate of the last record changes nothing: no row at the next boundary
            send(h, sample("F1", "FEEDER", "N", T0 + 2, 11.0, 50.0));
            h.setProcessingTime(2_000);
            assertThat(h.extractOutputValues()).hasSize(1);

            // a late record of F2 (older event time): its power counts, updated_at stays
            send(h, sample("F2", "FEEDER", "N", T0 - 5_000, 7.0, 50.0));
            h.setProcessingTime(3_000);
            out = h.extractOutputValues();
            assertThat(out).hasSize(2);
            assertThat(out.get(1).loadMw).isCloseTo(18.0, within(1e-9));
            assertThat(out.get(1).updatedAt).isEqualTo(T0 + 2);
        }
    }

    @Test
    void aRecordThatMayTriggerADecisionIsReflectedAtOnce() throws Exception {
        try (var h = bounded(Duration.ofHours(1))) {
            h.open();
            h.setProcessingTime(100);
            send(h, sample("F1", "FEEDER", "N", T0, 10.0, 50.0));
            send(h, fault("F2", T0 + 10, 30.0));
            List<SubstationLoad> out = h.extractOutputValues();
            assertThat(out).hasSize(1);
            assertThat(out.get(0).loadMw).isCloseTo(40.0, within(1e-9));
            assertThat(out.get(0).updatedAt).isEqualTo(T0 + 10);

            // a CRITICAL overload (130 MW on 100 MW capacity) too; a MAJOR one (110) waits
            send(h, sample("F3", "FEEDER", "N", T0 + 20, 110.0, 50.0));
            assertThat(h.extractOutputValues()).hasSize(1);
            send(h, sample("F1", "FEEDER", "N", T0 + 30, 130.0, 50.0));
            out = h.extractOutputValues();
            assertThat(out).hasSize(2);
            assertThat(out.get(1).loadMw).isCloseTo(270.0, within(1e-9));
            assertThat(out.get(1).updatedAt).isEqualTo(T0 + 30);

            // everything is already out: the pending boundary emits nothing new
            h.setProcessingTime(1_000);
            assertThat(h.extractOutputValues()).hasSize(2);
        }
    }

    @Test
    void silentDevicesDropOutAndAnEmptySubstationIsRemoved() throws Exception {
        try (var h = bounded(Duration.ofMinutes(4))) { // swept every minute
            h.open();
            h.setProcessingTime(0);
            send(h, sample("F1", "FEEDER", "N", T0, 10.0, 50.0));
            h.setProcessingTime(150_000);
            send(h, sample("F2", "FEEDER", "N", T0 + 150_000, 5.0, 50.0));
            h.setProcessingTime(240_000); // F1 silent for 4 minutes: swept out
            SubstationLoad load = last(h.extractOutputValues());
            assertThat(load.loadMw).isCloseTo(5.0, within(1e-9));
            assertThat(load.deviceCount).isEqualTo(1);

            h.setProcessingTime(420_000); // F2 too: an empty load, then no state at all
            load = last(h.extractOutputValues());
            assertThat(load.loadMw).isZero();
            assertThat(load.deviceCount).isZero();
            assertThat(h.numKeyedStateEntries()).isZero();
            assertThat(h.numProcessingTimeTimers()).isZero();
        }
    }

    @Test
    void restoresRunningTotalsAndPendingTimersMidStream() throws Exception {
        OperatorSubtaskState snapshot;
        try (var h = bounded(Duration.ofHours(1))) {
            h.open();
            h.setProcessingTime(100);
            send(h, sample("F1", "FEEDER", "N", T0, 10.0, 50.0));
            send(h, sample("F2", "FEEDER", "N", T0 + 1, 5.0, 50.0));
            assertThat(h.extractOutputValues()).isEmpty();
            snapshot = h.snapshot(1L, 200L);
        }
        try (var h = bounded(Duration.ofHours(1))) {
            h.initializeState(snapshot);
            h.open();
            h.setProcessingTime(1_000); // the timer pending at the snapshot fires after restore
            List<SubstationLoad> out = h.extractOutputValues();
            assertThat(out).hasSize(1);
            assertThat(out.get(0).loadMw).isCloseTo(15.0, within(1e-9));

            // replayed input after the restore (duplicates of what the snapshot holds) and a late
            // record: the running sum stays exact
            send(h, sample("F1", "FEEDER", "N", T0, 10.0, 50.0));
            send(h, sample("F2", "FEEDER", "N", T0 + 1, 5.0, 50.0));
            send(h, sample("F1", "FEEDER", "N", T0 - 60_000, 4.0, 50.0));
            h.setProcessingTime(2_000);
            out = h.extractOutputValues();
            assertThat(out).hasSize(2);
            assertThat(out.get(1).loadMw).isCloseTo(9.0, within(1e-9));
            assertThat(out.get(1).deviceCount).isEqualTo(2);
            assertThat(out.get(1).updatedAt).isEqualTo(T0 + 1);
        }
    }

    @Test
    void theEndOfABoundedInputEmitsWhatIsStillPending() throws Exception {
        try (var h =
                new KeyedOneInputStreamOperatorTestHarness<>(
                        SubstationLoadTracker.operator(
                                new SubstationLoadTracker(
                                        Duration.ofHours(1),
                                        Duration.ofSeconds(1),
                                        SubstationLoadTracker.decisionTrigger(new AlarmRules()))),
                        (EnrichedTelemetry t) -> t.substationId,
                        Types.STRING)) {
            h.open();
            h.setProcessingTime(100);
            send(h, sample("F1", "FEEDER", "N", T0, 10.0, 50.0));
            EnrichedTelemetry other = sample("F9", "FEEDER", "S", T0 + 5, 2.0, 50.0);
            other.substationId = "S2";
            send(h, other);
            assertThat(h.extractOutputValues()).isEmpty();
            h.endInput();
            assertThat(h.extractOutputValues())
                    .extracting(l -> l.substationId + "=" + l.loadMw + "@" + l.updatedAt)
                    .containsExactlyInAnyOrder("S1=10.0@" + T0, "S2=2.0@" + (T0 + 5));
        }
    }
}
