package dev.gridhouse.core.ops;

import static dev.gridhouse.core.ops.TestRecords.MINUTE;
import static dev.gridhouse.core.ops.TestRecords.T0;
import static dev.gridhouse.core.ops.TestRecords.sample;
import static org.assertj.core.api.Assertions.assertThat;

import dev.gridhouse.core.model.DeadLetter;
import dev.gridhouse.core.model.EnrichedTelemetry;
import java.time.Duration;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

class TelemetryDeduplicatorTest {
    private static final Duration RETENTION =
            TelemetryDeduplicator.retentionFor(Duration.ofSeconds(5), Duration.ZERO);

    private static KeyedOneInputStreamOperatorTestHarness<
                    String, EnrichedTelemetry, EnrichedTelemetry>
            harness() throws Exception {
        return new KeyedOneInputStreamOperatorTestHarness<>(
                new KeyedProcessOperator<>(new TelemetryDeduplicator(RETENTION, Duration.ZERO)),
                t -> t.deviceId,
                Types.STRING);
    }

    private static void send(
            KeyedOneInputStreamOperatorTestHarness<String, EnrichedTelemetry, EnrichedTelemetry> h,
            EnrichedTelemetry e)
            throws Exception {
        h.processElement(new StreamRecord<>(e, e.ts));
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
            // one map-state entry per device key (D1, D2)
            assertThat(h.numKeyedStateEntries()).isEqualTo(2);
        }
    }

    @Test
    void forgetsSamplesOnceTheWatermarkPassesTheirRetention() throws Exception {
        try (var h = harness()) {
            h.open();
            send(h, sample("D1", "FEEDER", "N", T0, 1.0, 50.0));
            send(h, sample("D1", "FEEDER", "N", T0 + MINUTE, 1.0, 50.0));
            assertThat(h.numEventTimeTimers()).isEqualTo(2);
            h.processWatermark(T0 + RETENTION.toMillis());
            assertThat(h.numEventTimeTimers()).isEqualTo(1);
            h.processWatermark(T0 + MINUTE + RETENTION.toMillis());
            assertThat(h.numKeyedStateEntries()).isZero();
            assertThat(h.numEventTimeTimers()).isZero();
        }
    }
}
