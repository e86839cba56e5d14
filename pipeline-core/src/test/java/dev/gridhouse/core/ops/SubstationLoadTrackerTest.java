package dev.gridhouse.core.ops;

import static dev.gridhouse.core.ops.TestRecords.T0;
import static dev.gridhouse.core.ops.TestRecords.sample;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.gridhouse.core.model.EnrichedTelemetry;
import dev.gridhouse.core.model.SubstationLoad;
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
}
