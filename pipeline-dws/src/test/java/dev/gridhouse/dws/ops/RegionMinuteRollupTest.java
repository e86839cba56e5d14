package dev.gridhouse.dws.ops;

import static dev.gridhouse.contract.grid.TestRecords.MINUTE;
import static dev.gridhouse.contract.grid.TestRecords.T0;
import static dev.gridhouse.contract.grid.TestRecords.deviceMinute;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.gridhouse.contract.grid.DeviceMinute;
import dev.gridhouse.contract.grid.RegionMinute;
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
import org.apache.flink.streaming.runtime.operators.windowing.WindowOperatorBuilder;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

/** The region-minute rollup (contract §5.2) in Flink's window operator, with state restore. */
class RegionMinuteRollupTest {

    private static KeyedOneInputStreamOperatorTestHarness<String, DeviceMinute, RegionMinute>
            harness(Duration allowedLateness) throws Exception {
        WindowOperatorBuilder<DeviceMinute, String, TimeWindow> builder =
                new WindowOperatorBuilder<>(
                        TumblingEventTimeWindows.of(Duration.ofMinutes(1)),
                        EventTimeTrigger.create(),
                        new ExecutionConfig(),
                        TypeInformation.of(DeviceMinute.class),
                        m -> m.region,
                        Types.STRING);
        builder.allowedLateness(allowedLateness);
        return new KeyedOneInputStreamOperatorTestHarness<>(
                builder.process(new RegionMinuteRollup()), m -> m.region, Types.STRING);
    }

    private static void send(
            KeyedOneInputStreamOperatorTestHarness<String, DeviceMinute, RegionMinute> h,
            DeviceMinute m)
            throws Exception {
        // the device-minute window emits its rows at the window's last millisecond
        h.processElement(new StreamRecord<>(m, m.windowEnd - 1));
    }

    private static List<RegionMinute> output(
            KeyedOneInputStreamOperatorTestHarness<String, DeviceMinute, RegionMinute> h) {
        List<RegionMinute> rows = new ArrayList<>();
        for (Object o : h.getOutput()) {
            if (o instanceof StreamRecord) {
                rows.add((RegionMinute) ((StreamRecord<?>) o).getValue());
            }
        }
        return rows;
    }

    @Test
    void rollsUpDevicesOfARegionAcrossRestore() throws Exception {
        OperatorSubtaskState snapshot;
        try (var h = harness(Duration.ZERO)) {
            h.open();
            send(
                    h,
                    deviceMinute(
                            "D1", "FEEDER", "EAST", T0, 4, 10.0, 50.0, 49.9, 50.1, 4, 40.0, 0));
            send(
                    h,
                    deviceMinute(
                            "D2", "GENERATOR", "EAST", T0, 2, 100.0, 49.0, 48.0, 50.0, 1, null, 1));
            snapshot = h.snapshot(1L, 1L);
        }
        try (var h = harness(Duration.ZERO)) {
            h.initializeState(snapshot);
            h.open();
            send(
                    h,
                    deviceMinute(
                            "D3", "TRANSFORMER", "EAST", T0, 6, 5.5, 50.2, 50.1, 50.4, 3, 70.0, 2));
            send(h, deviceMinute("D9", "FEEDER", "WEST", T0, 1, 1.0, 50.0, 50.0, 50.0, 1, null, 0));
            h.processWatermark(new Watermark(T0 + MINUTE - 1));

            List<RegionMinute> rows = output(h);
            assertThat(rows).hasSize(2);
            RegionMinute east =
                    rows.stream().filter(r -> r.region.equals("EAST")).findFirst().get();
            assertThat(east.windowStart).isEqualTo(T0);
            assertThat(east.deviceCount).isEqualTo(3);
            assertThat(east.sampleCount).isEqualTo(12);
            assertThat(east.loadMw).isCloseTo(15.5, within(1e-12)); // 10 + 5.5, generators excluded
            assertThat(east.generationMw).isCloseTo(100.0, within(1e-12));
            // sample-weighted: (50*4 + 49*2 + 50.2*6) / 12
            assertThat(east.avgFrequencyHz).isCloseTo((200 + 98 + 301.2) / 12, within(1e-12));
            assertThat(east.minFrequencyHz).isEqualTo(48.0);
            assertThat(east.maxFrequencyHz).isEqualTo(50.4);
            assertThat(east.frequencyStabilityPct).isCloseTo(100.0 * 8 / 12, within(1e-12));
            assertThat(east.maxTemperatureC).isEqualTo(70.0);
            assertThat(east.faultCount).isEqualTo(3);

            RegionMinute west =
                    rows.stream().filter(r -> r.region.equals("WEST")).findFirst().get();
            assertThat(west.maxTemperatureC).isNull();
            assertThat(west.frequencyStabilityPct).isEqualTo(100.0);
            assertThat(h.numKeyedStateEntries()).isZero();
        }
    }

    @Test
    void aCorrectedDeviceMinuteReplacesItsEarlierVersion() throws Exception {
        try (var h = harness(Duration.ofSeconds(30))) {
            h.open();
            send(
                    h,
                    deviceMinute(
                            "D1", "FEEDER", "EAST", T0, 4, 10.0, 50.0, 50.0, 50.0, 4, null, 0));
            send(
                    h,
                    deviceMinute(
                            "D2", "FEEDER", "EAST", T0, 2, 20.0, 50.0, 50.0, 50.0, 2, null, 0));
            h.processWatermark(new Watermark(T0 + MINUTE - 1));
            // D1's minute re-emitted with one more (late) sample, within allowed lateness
            send(
                    h,
                    deviceMinute(
                            "D1", "FEEDER", "EAST", T0, 5, 12.0, 50.0, 50.0, 50.0, 5, null, 0));

            List<RegionMinute> rows = output(h);
            assertThat(rows).hasSize(2);
            RegionMinute corrected = rows.get(1);
            assertThat(corrected.deviceCount).isEqualTo(2);
            assertThat(corrected.sampleCount).isEqualTo(7);
            assertThat(corrected.loadMw).isCloseTo(32.0, within(1e-12));
        }
    }
}
