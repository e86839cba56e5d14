package dev.gridhouse.dws.ops;

import static dev.gridhouse.contract.grid.TestRecords.MINUTE;
import static dev.gridhouse.contract.grid.TestRecords.T0;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.gridhouse.contract.grid.RegionDay;
import dev.gridhouse.contract.grid.RegionHour;
import dev.gridhouse.contract.grid.RegionMinute;
import java.time.Duration;
import java.util.Arrays;
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

/** Hour and day rollups (contract §5.3, §5.4), in Flink's window operator with restore. */
class RegionRollupsTest {
    private static final long HOUR = 60 * MINUTE;

    private static RegionMinute minute(
            long start, double load, double gen, long samples, long inBand, double avgF) {
        RegionMinute m = new RegionMinute();
        m.region = "EAST";
        m.windowStart = start;
        m.loadMw = load;
        m.generationMw = gen;
        m.sampleCount = samples;
        m.freqInBandCount = inBand;
        m.avgFrequencyHz = avgF;
        m.minFrequencyHz = avgF - 0.1;
        m.maxFrequencyHz = avgF + 0.1;
        m.faultCount = 1;
        return m;
    }

    private static KeyedOneInputStreamOperatorTestHarness<String, RegionMinute, RegionHour> hourly(
            Duration lateness) throws Exception {
        WindowOperatorBuilder<RegionMinute, String, TimeWindow> b =
                new WindowOperatorBuilder<>(
                        TumblingEventTimeWindows.of(Duration.ofHours(1)),
                        EventTimeTrigger.create(),
                        new ExecutionConfig(),
                        TypeInformation.of(RegionMinute.class),
                        m -> m.region,
                        Types.STRING);
        b.allowedLateness(lateness);
        return new KeyedOneInputStreamOperatorTestHarness<>(
                b.process(new RegionRollups.Hourly()), m -> m.region, Types.STRING);
    }

    @Test
    void hourFromMinutesAcrossRestoreAndCorrection() throws Exception {
        OperatorSubtaskState snapshot;
        try (var h = hourly(Duration.ofMinutes(10))) {
            h.open();
            h.processElement(new StreamRecord<>(minute(T0, 100, 80, 10, 9, 50.0), T0 + MINUTE - 1));
            snapshot = h.snapshot(1, 1);
        }
        try (var h = hourly(Duration.ofMinutes(10))) {
            h.initializeState(snapshot);
            h.open();
            h.processElement(
                    new StreamRecord<>(
                            minute(T0 + MINUTE, 200, 60, 30, 30, 50.1), T0 + 2 * MINUTE - 1));
            h.processWatermark(new Watermark(T0 + HOUR - 1));
            RegionHour first = h.extractOutputValues().get(0);
            assertThat(first.minutesReported).isEqualTo(2);
            assertThat(first.sampleCount).isEqualTo(40);
            assertThat(first.avgLoadMw).isEqualTo(150.0);
            assertThat(first.peakLoadMw).isEqualTo(200.0);
            assertThat(first.energyMwh).isCloseTo(300.0 / 60, within(1e-12));
            assertThat(first.avgGenerationMw).isEqualTo(70.0);
            assertThat(first.peakGenerationMw).isEqualTo(80.0);
            assertThat(first.avgFrequencyHz).isCloseTo((500.0 + 1503.0) / 40, within(1e-12));
            assertThat(first.frequencyStabilityPct).isCloseTo(100.0 * 39 / 40, within(1e-12));
            assertThat(first.minFrequencyHz).isCloseTo(49.9, within(1e-12));
            assertThat(first.faultCount).isEqualTo(2);

            // a corrected first minute (late data within allowed lateness) replaces the old one
            h.processElement(
                    new StreamRecord<>(minute(T0, 120, 80, 12, 11, 50.0), T0 + MINUTE - 1));
            RegionHour corrected = h.extractOutputValues().get(1);
            assertThat(corrected.minutesReported).isEqualTo(2);
            assertThat(corrected.sampleCount).isEqualTo(42);
            assertThat(corrected.avgLoadMw).isEqualTo(160.0);

            h.processWatermark(new Watermark(T0 + HOUR + Duration.ofMinutes(10).toMillis()));
            assertThat(h.numKeyedStateEntries()).isZero();
            assertThat(h.numEventTimeTimers()).isZero();
        }
    }

    @Test
    void dayFromHours() {
        RegionHour a = RegionRollups.hour("N", T0, Arrays.asList(minute(T0, 100, 50, 10, 10, 50)));
        RegionHour b =
                RegionRollups.hour(
                        "N",
                        T0 + HOUR,
                        Arrays.asList(
                                minute(T0 + HOUR, 300, 50, 10, 5, 49.0),
                                minute(T0 + HOUR + MINUTE, 100, 150, 20, 20, 50.0)));
        RegionDay d = RegionRollups.day("N", T0, Arrays.asList(a, b));
        assertThat(d.hoursReported).isEqualTo(2);
        assertThat(d.sampleCount).isEqualTo(40);
        assertThat(d.avgLoadMw).isEqualTo((100.0 + 200.0) / 2); // mean of the hours' avg_load_mw
        assertThat(d.peakLoadMw).isEqualTo(300.0);
        assertThat(d.energyMwh).isCloseTo(100.0 / 60 + 400.0 / 60, within(1e-12));
        assertThat(d.peakGenerationMw).isEqualTo(150.0);
        assertThat(d.avgFrequencyHz).isCloseTo((500.0 + 490.0 + 1000.0) / 40, within(1e-12));
        assertThat(d.frequencyStabilityPct).isCloseTo(100.0 * 35 / 40, within(1e-12));
        assertThat(d.faultCount).isEqualTo(3);
    }
}
