package dev.gridhouse.dws.ops;

import static dev.gridhouse.contract.grid.TestRecords.MINUTE;
import static dev.gridhouse.contract.grid.TestRecords.T0;
import static dev.gridhouse.contract.grid.TestRecords.sample;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.gridhouse.contract.grid.DeviceMinute;
import dev.gridhouse.contract.grid.EnrichedTelemetry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.ExecutionConfig;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.api.windowing.assigners.TumblingEventTimeWindows;
import org.apache.flink.streaming.api.windowing.triggers.EventTimeTrigger;
import org.apache.flink.streaming.api.windowing.windows.TimeWindow;
import org.apache.flink.streaming.runtime.operators.windowing.WindowOperator;
import org.apache.flink.streaming.runtime.operators.windowing.WindowOperatorBuilder;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.util.OutputTag;
import org.junit.jupiter.api.Test;

/** The device-minute window (contract §5.1) in Flink's window operator, with state restore. */
class DeviceMinuteWindowTest {
    private static final OutputTag<EnrichedTelemetry> LATE =
            new OutputTag<>("late", TypeInformation.of(EnrichedTelemetry.class));

    private static KeyedOneInputStreamOperatorTestHarness<String, EnrichedTelemetry, DeviceMinute>
            harness() throws Exception {
        WindowOperatorBuilder<EnrichedTelemetry, String, TimeWindow> builder =
                new WindowOperatorBuilder<>(
                        TumblingEventTimeWindows.of(Duration.ofMinutes(1)),
                        EventTimeTrigger.create(),
                        new ExecutionConfig(),
                        TypeInformation.of(EnrichedTelemetry.class),
                        t -> t.deviceId,
                        Types.STRING);
        builder.sideOutputLateData(LATE);
        WindowOperator<String, EnrichedTelemetry, ?, DeviceMinute, TimeWindow> op =
                builder.aggregate(
                        new DeviceMinuteAggregate(),
                        new DeviceMinuteAggregate.WindowRow(),
                        TypeInformation.of(DeviceMinuteAccumulator.class));
        return new KeyedOneInputStreamOperatorTestHarness<>(op, t -> t.deviceId, Types.STRING);
    }

    private static void send(
            KeyedOneInputStreamOperatorTestHarness<String, EnrichedTelemetry, DeviceMinute> h,
            EnrichedTelemetry e)
            throws Exception {
        h.processElement(new StreamRecord<>(e, e.ts));
    }

    private static List<DeviceMinute> output(
            KeyedOneInputStreamOperatorTestHarness<String, EnrichedTelemetry, DeviceMinute> h) {
        List<DeviceMinute> rows = new ArrayList<>();
        for (Object o : h.getOutput()) {
            if (o instanceof StreamRecord) {
                rows.add((DeviceMinute) ((StreamRecord<?>) o).getValue());
            }
        }
        return rows;
    }

    @Test
    void aggregatesOneMinuteAcrossSnapshotAndRestore() throws Exception {
        OperatorSubtaskState snapshot;
        try (var h = harness()) {
            h.open();
            EnrichedTelemetry a = sample("D1", "FEEDER", "NORTH", T0 + 1_000, 10.0, 50.1);
            a.temperatureC = 40.0;
            send(h, a);
            EnrichedTelemetry b = sample("D1", "FEEDER", "NORTH", T0 + 20_000, 20.0, 50.3);
            b.statusCode = 7;
            send(h, b);
            // another device in the same minute and the same device in the next minute
            send(h, sample("D2", "GENERATOR", "NORTH", T0 + 5_000, 300.0, 49.9));
            send(h, sample("D1", "FEEDER", "NORTH", T0 + MINUTE + 1, 99.0, 50.0));
            h.processWatermark(new Watermark(T0 + 30_000));
            assertThat(output(h)).isEmpty();
            snapshot = h.snapshot(1L, 1L);
        }

        try (var h = harness()) {
            h.initializeState(snapshot);
            h.open();
            EnrichedTelemetry c = sample("D1", "FEEDER", "NORTH", T0 + 59_999, 60.0, 49.5);
            c.temperatureC = 95.5;
            c.statusCode = 0;
            send(h, c);
            h.processWatermark(new Watermark(T0 + MINUTE - 1));

            List<DeviceMinute> rows = output(h);
            assertThat(rows).hasSize(2);
            DeviceMinute d1 = rows.stream().filter(r -> r.deviceId.equals("D1")).findFirst().get();
            assertThat(d1.windowStart).isEqualTo(T0);
            assertThat(d1.windowEnd).isEqualTo(T0 + MINUTE);
            assertThat(d1.deviceType).isEqualTo("FEEDER");
            assertThat(d1.region).isEqualTo("NORTH");
            assertThat(d1.sampleCount).isEqualTo(3);
            assertThat(d1.avgActivePowerMw).isCloseTo(30.0, within(1e-12)); // (10+20+60)/3
            assertThat(d1.minActivePowerMw).isEqualTo(10.0);
            assertThat(d1.maxActivePowerMw).isEqualTo(60.0);
            assertThat(d1.avgFrequencyHz).isCloseTo((50.1 + 50.3 + 49.5) / 3, within(1e-12));
            assertThat(d1.minFrequencyHz).isEqualTo(49.5);
            assertThat(d1.maxFrequencyHz).isEqualTo(50.3);
            // |50.1-50| <= 0.2 counts; 50.3 and 49.5 do not
            assertThat(d1.freqInBandCount).isEqualTo(1);
            assertThat(d1.maxTemperatureC).isEqualTo(95.5);
            assertThat(d1.faultCount).isEqualTo(1);

            DeviceMinute d2 = rows.stream().filter(r -> r.deviceId.equals("D2")).findFirst().get();
            assertThat(d2.sampleCount).isEqualTo(1);
            assertThat(d2.maxTemperatureC).isNull();
            assertThat(d2.freqInBandCount).isEqualTo(1);

            // only D1's next-minute window is still open
            assertThat(h.numEventTimeTimers()).isEqualTo(1);

            // a sample for the closed minute is late and goes to the side output
            send(h, sample("D1", "FEEDER", "NORTH", T0 + 30_000, 5.0, 50.0));
            assertThat(h.getSideOutput(LATE)).hasSize(1);
            assertThat(output(h)).hasSize(2);

            h.processWatermark(new Watermark(T0 + 2 * MINUTE));
            assertThat(output(h)).hasSize(3);
            assertThat(h.numKeyedStateEntries()).isZero();
            assertThat(h.numEventTimeTimers()).isZero();
        }
    }
}
