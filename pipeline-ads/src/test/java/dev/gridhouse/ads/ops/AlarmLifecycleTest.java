package dev.gridhouse.ads.ops;

import static dev.gridhouse.contract.grid.TestRecords.T0;
import static dev.gridhouse.contract.grid.TestRecords.sample;
import static org.assertj.core.api.Assertions.assertThat;

import dev.gridhouse.contract.grid.Alarm;
import dev.gridhouse.contract.grid.EnrichedTelemetry;
import java.util.List;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

/** The raise / stay / escalate / clear / re-raise lifecycle of contract §6. */
class AlarmLifecycleTest {

    private static KeyedOneInputStreamOperatorTestHarness<String, EnrichedTelemetry, Alarm>
            harness() throws Exception {
        return new KeyedOneInputStreamOperatorTestHarness<>(
                new KeyedProcessOperator<>(new AlarmLifecycle(new AlarmRules())),
                t -> t.deviceId,
                Types.STRING);
    }

    /** A feeder of 100 MW capacity at 110 kV rated, 110 kV measured. */
    private static EnrichedTelemetry at(long ts, double powerMw, double freq) {
        EnrichedTelemetry e = sample("D1", "FEEDER", "NORTH", T0 + ts, powerMw, freq);
        e.statusCode = 0;
        return e;
    }

    @Test
    void overloadRaisesStaysEscalatesClearsAndRaisesAgain() throws Exception {
        OperatorSubtaskState snapshot;
        try (var h = harness()) {
            h.open();
            h.processElement(new StreamRecord<>(at(0, 90, 50))); // 0.9: fine
            h.processElement(new StreamRecord<>(at(1, 105, 50))); // 1.05 > 1.0: MAJOR raised
            h.processElement(new StreamRecord<>(at(2, 110, 50))); // still MAJOR: nothing new
            List<Alarm> out = h.extractOutputValues();
            assertThat(out).hasSize(1);
            Alarm raised = out.get(0);
            assertThat(raised.alarmId).isEqualTo("D1:OVERLOAD:" + (T0 + 1));
            assertThat(raised.alarmType).isEqualTo("OVERLOAD");
            assertThat(raised.severity).isEqualTo("MAJOR");
            assertThat(raised.status).isEqualTo("ACTIVE");
            assertThat(raised.raisedAt).isEqualTo(T0 + 1);
            assertThat(raised.value).isEqualTo(1.05);
            assertThat(raised.threshold).isEqualTo(1.0);
            assertThat(raised.region).isEqualTo("NORTH");
            snapshot = h.snapshot(1, 1);
        }
        try (var h = harness()) {
            h.initializeState(snapshot);
            h.open();
            h.processElement(new StreamRecord<>(at(3, 130, 50))); // 1.3 > 1.2: CRITICAL
            h.processElement(new StreamRecord<>(at(4, 100, 50))); // 1.0 is not > 1.0: cleared
            h.processElement(new StreamRecord<>(at(5, 101, 50))); // raised again, new id
            List<Alarm> out = h.extractOutputValues();
            assertThat(out).hasSize(3);
            assertThat(out.get(0).alarmId).isEqualTo("D1:OVERLOAD:" + (T0 + 1));
            assertThat(out.get(0).severity).isEqualTo("CRITICAL");
            assertThat(out.get(0).threshold).isEqualTo(1.2);
            assertThat(out.get(1).status).isEqualTo("CLEARED");
            assertThat(out.get(1).clearedAt).isEqualTo(T0 + 4);
            assertThat(out.get(1).alarmId).isEqualTo("D1:OVERLOAD:" + (T0 + 1));
            assertThat(out.get(2).alarmId).isEqualTo("D1:OVERLOAD:" + (T0 + 5));
            assertThat(out.get(2).status).isEqualTo("ACTIVE");
            assertThat(h.numKeyedStateEntries()).isEqualTo(1);

            h.processElement(new StreamRecord<>(at(6, 50, 50)));
            assertThat(h.numKeyedStateEntries()).isZero();
        }
    }

    @Test
    void eachRuleWithItsSeverities() throws Exception {
        try (var h = harness()) {
            h.open();
            EnrichedTelemetry e = at(0, 10, 50.6); // |Δf| 0.6 > 0.5: CRITICAL
            e.voltageKv = 124; // |124-110|/110 = 0.127 > 0.10: MAJOR
            e.temperatureC = 111.0; // > 110: CRITICAL
            e.statusCode = 42; // fault: CRITICAL
            h.processElement(new StreamRecord<>(e));
            List<Alarm> out = h.extractOutputValues();
            assertThat(out)
                    .extracting(a -> a.alarmType + ":" + a.severity)
                    .containsExactly(
                            "FREQUENCY_DEVIATION:CRITICAL",
                            "VOLTAGE_DEVIATION:MAJOR",
                            "OVER_TEMPERATURE:CRITICAL",
                            "DEVICE_FAULT:CRITICAL");

            // a record without temperature or status code leaves those alarms as they are
            EnrichedTelemetry quiet = at(1, 10, 50.0);
            quiet.temperatureC = null;
            quiet.statusCode = null;
            h.processElement(new StreamRecord<>(quiet));
            assertThat(h.extractOutputValues().subList(4, 6))
                    .extracting(a -> a.alarmType + ":" + a.status)
                    .containsExactly("FREQUENCY_DEVIATION:CLEARED", "VOLTAGE_DEVIATION:CLEARED");
        }
    }

    @Test
    void generatorsNeverOverload() throws Exception {
        try (var h = harness()) {
            h.open();
            EnrichedTelemetry g = sample("G1", "GENERATOR", "NORTH", T0, 500, 50);
            h.processElement(new StreamRecord<>(g));
            assertThat(h.extractOutputValues()).isEmpty();
        }
    }
}
