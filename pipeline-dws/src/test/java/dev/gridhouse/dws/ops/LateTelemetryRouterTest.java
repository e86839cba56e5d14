package dev.gridhouse.dws.ops;

import static dev.gridhouse.contract.grid.TestRecords.MINUTE;
import static dev.gridhouse.contract.grid.TestRecords.T0;
import static dev.gridhouse.contract.grid.TestRecords.sample;
import static org.assertj.core.api.Assertions.assertThat;

import dev.gridhouse.contract.grid.EnrichedTelemetry;
import dev.gridhouse.core.model.DeadLetter;
import dev.gridhouse.core.ops.DeadLetters;
import java.time.Duration;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

/** LATE is decided with Flink's own rule: window end − 1 + allowed lateness ≤ watermark. */
class LateTelemetryRouterTest {

    private static OneInputStreamOperatorTestHarness<EnrichedTelemetry, EnrichedTelemetry> harness(
            Duration lateness) throws Exception {
        OneInputStreamOperatorTestHarness<EnrichedTelemetry, EnrichedTelemetry> h =
                new OneInputStreamOperatorTestHarness<>(
                        new LateTelemetryRouter(Duration.ofMinutes(1), lateness));
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

    @Test
    void aMinuteClosedBeforeARestoreStaysClosedAfterIt() throws Exception {
        OperatorSubtaskState snapshot;
        try (var h = harness(Duration.ZERO)) {
            send(h, T0 + 10);
            h.processWatermark(T0 + MINUTE - 1); // the minute [T0, T0+60s) fired
            snapshot = h.snapshot(1, 1);
        }
        try (var h =
                new OneInputStreamOperatorTestHarness<EnrichedTelemetry, EnrichedTelemetry>(
                        new LateTelemetryRouter(Duration.ofMinutes(1), Duration.ZERO))) {
            h.initializeState(snapshot);
            h.open();
            // no watermark has arrived since the restore (Flink starts at Long.MIN_VALUE)
            send(h, T0 + 20); // late
            send(h, T0 + 20); // its duplicate: late as well, never a fresh window
            send(h, T0 + MINUTE + 5); // the next minute is open
            assertThat(h.extractOutputValues())
                    .extracting(e -> e.ts)
                    .containsExactly(T0 + MINUTE + 5);
            assertThat(h.getSideOutput(DeadLetters.TAG))
                    .extracting(r -> r.getValue().reason)
                    .containsExactly("LATE", "LATE");
            // and the frontier goes on into the next snapshot
            OperatorSubtaskState again = h.snapshot(2, 2);
            try (var h2 =
                    new OneInputStreamOperatorTestHarness<EnrichedTelemetry, EnrichedTelemetry>(
                            new LateTelemetryRouter(Duration.ofMinutes(1), Duration.ZERO))) {
                h2.initializeState(again);
                h2.open();
                send(h2, T0 + 30);
                assertThat(h2.extractOutputValues()).isEmpty();
            }
        }
    }

    @Test
    void withoutASnapshottedFrontierTheSameRecordWouldPass() throws Exception {
        // the control: a fresh router (nothing restored) knows no closed minute
        try (var h = harness(Duration.ZERO)) {
            send(h, T0 + 20);
            assertThat(h.extractOutputValues()).hasSize(1);
        }
    }
}
