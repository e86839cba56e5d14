package dev.gridhouse.core.ops;

import static dev.gridhouse.core.ops.TestRecords.MINUTE;
import static dev.gridhouse.core.ops.TestRecords.T0;
import static dev.gridhouse.core.ops.TestRecords.sample;
import static org.assertj.core.api.Assertions.assertThat;

import dev.gridhouse.core.model.DeadLetter;
import dev.gridhouse.core.model.EnrichedTelemetry;
import java.time.Duration;
import org.apache.flink.streaming.api.operators.ProcessOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

/** LATE is decided with Flink's own rule: window end − 1 + allowed lateness ≤ watermark. */
class LateTelemetryRouterTest {

    private static OneInputStreamOperatorTestHarness<EnrichedTelemetry, EnrichedTelemetry> harness(
            Duration lateness) throws Exception {
        OneInputStreamOperatorTestHarness<EnrichedTelemetry, EnrichedTelemetry> h =
                new OneInputStreamOperatorTestHarness<>(
                        new ProcessOperator<>(
                                new LateTelemetryRouter(Duration.ofMinutes(1), lateness)));
        h.open();
        return h;
    }

    private static void send(
            OneInputStreamOperatorTestHarness<EnrichedTelemetry, EnrichedTelemetry> h, long ts)
            throws Exception {
        h.processElement(new StreamRecord<>(sample("D1", "FEEDER", "N", ts, 1.0, 50.0), ts));
    }

    @Test
    void aRecordIsLateOnceTheWatermarkReachesItsWindowsLastMillisecond() throws Exception {
        try (var h = harness(Duration.ZERO)) {
            h.processWatermark(T0 + MINUTE - 2);
            send(h, T0 + 10); // window [T0, T0+60s) still open
            h.processWatermark(T0 + MINUTE - 1);
            send(h, T0 + 20); // its window has fired
            send(h, T0 + MINUTE); // the next window is open
            assertThat(h.extractOutputValues())
                    .extracting(e -> e.ts)
                    .containsExactly(T0 + 10, T0 + MINUTE);
            DeadLetter dl = h.getSideOutput(DeadLetters.TAG).poll().getValue();
            assertThat(dl.reason).isEqualTo("LATE");
            assertThat(dl.detail).isEqualTo("2026-01-01T00:00:00Z");
            assertThat(dl.eventTs).isEqualTo(T0 + 20);
        }
    }

    @Test
    void allowedLatenessKeepsTheWindowOpenLonger() throws Exception {
        try (var h = harness(Duration.ofSeconds(30))) {
            h.processWatermark(T0 + MINUTE + 29_998);
            send(h, T0 + 1);
            h.processWatermark(T0 + MINUTE + 29_999);
            send(h, T0 + 2);
            assertThat(h.extractOutputValues()).extracting(e -> e.ts).containsExactly(T0 + 1);
            assertThat(h.getSideOutput(DeadLetters.TAG)).hasSize(1);
        }
    }
}
