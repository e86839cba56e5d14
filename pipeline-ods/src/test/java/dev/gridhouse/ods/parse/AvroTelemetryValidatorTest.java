package dev.gridhouse.ods.parse;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gridhouse.contract.grid.Telemetry;
import dev.gridhouse.contract.grid.TestRecords;
import dev.gridhouse.core.model.DeadLetter;
import dev.gridhouse.core.ops.DeadLetters;
import java.util.List;
import java.util.stream.Collectors;
import org.apache.flink.streaming.api.operators.ProcessOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

class AvroTelemetryValidatorTest {

    private static Telemetry telemetry(String device, double freq) {
        Telemetry t = new Telemetry();
        t.deviceId = device;
        t.ts = TestRecords.T0;
        t.activePowerMw = 1;
        t.voltageKv = 110;
        t.frequencyHz = freq;
        return t;
    }

    @Test
    void routesValidRecordsDownstreamAndRejectsToTheSideOutput() throws Exception {
        AvroTelemetryEncoder encoder = new AvroTelemetryEncoder();
        try (OneInputStreamOperatorTestHarness<byte[], Telemetry> h =
                new OneInputStreamOperatorTestHarness<>(
                        new ProcessOperator<>(new AvroTelemetryValidator()))) {
            h.open();
            h.setProcessingTime(1234L);
            h.processElement(new StreamRecord<>(encoder.encode(telemetry("D1", 50))));
            h.processElement(new StreamRecord<>(encoder.encode(telemetry("D2", 60))));
            h.processElement(new StreamRecord<>(encoder.encode(telemetry("D3", Double.NaN))));
            h.processElement(new StreamRecord<>(new byte[] {(byte) 0xFF, 0x00, 0x13}));
            h.processElement(new StreamRecord<>(new byte[0]));
            h.processElement(new StreamRecord<>(encoder.encode(telemetry("D4", 49.9))));

            List<Telemetry> out = h.extractOutputValues();
            assertThat(out).extracting(t -> t.deviceId).containsExactly("D1", "D4");
            assertThat(out).allSatisfy(t -> assertThat(t.ingestTime).isEqualTo(1234L));

            List<DeadLetter> dead =
                    h.getSideOutput(DeadLetters.TAG).stream()
                            .map(StreamRecord::getValue)
                            .collect(Collectors.toList());
            assertThat(dead)
                    .extracting(d -> d.source + ":" + d.reason + ":" + d.eventTs)
                    .containsExactly(
                            "telemetry:OUT_OF_RANGE:" + TestRecords.T0,
                            "telemetry:INVALID_VALUE:" + TestRecords.T0,
                            "telemetry:MALFORMED:null",
                            "telemetry:MALFORMED:null");
            assertThat(dead.get(0).detail).isEqualTo("frequency_hz");
            assertThat(dead.get(2).payload).isEqualTo("/wAT"); // Base64 of FF 00 13
            assertThat(dead).allSatisfy(d -> assertThat(d.rejectedAt).isEqualTo(1234L));
        }
    }
}
