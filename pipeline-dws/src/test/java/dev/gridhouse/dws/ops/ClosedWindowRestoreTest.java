package dev.gridhouse.dws.ops;

import static dev.gridhouse.contract.grid.TestRecords.MINUTE;
import static dev.gridhouse.contract.grid.TestRecords.T0;
import static dev.gridhouse.contract.grid.TestRecords.deviceMinute;
import static dev.gridhouse.contract.grid.TestRecords.sample;
import static org.assertj.core.api.Assertions.assertThat;

import dev.gridhouse.contract.grid.DeviceMinute;
import dev.gridhouse.contract.grid.EnrichedTelemetry;
import dev.gridhouse.contract.grid.RegionDay;
import dev.gridhouse.contract.grid.RegionHour;
import dev.gridhouse.contract.grid.RegionMinute;
import dev.gridhouse.core.model.DeadLetter;
import dev.gridhouse.core.ops.ClosedWindowGate;
import dev.gridhouse.core.ops.DeadLetters;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.function.ToLongFunction;
import org.apache.flink.api.common.ExecutionConfig;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.functions.KeySelector;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.operators.OneInputStreamOperator;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.api.windowing.assigners.TumblingEventTimeWindows;
import org.apache.flink.streaming.api.windowing.triggers.EventTimeTrigger;
import org.apache.flink.streaming.api.windowing.windows.TimeWindow;
import org.apache.flink.streaming.runtime.operators.windowing.WindowOperatorBuilder;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.apache.flink.util.OutputTag;
import org.junit.jupiter.api.Test;

/**
 * Issue 16 regression: a window that fired before a checkpoint must not fire again from a partial
 * set after a restore (Flink does not checkpoint watermarks). For every level of the DWS chain —
 * device minute, region minute, region hour, region day — the gate and the window run in their own
 * harnesses, wired as they are chained in the job: a window closes, both are snapshotted and
 * restored (watermark back at {@code Long.MIN_VALUE}), then a late and a duplicate input for the
 * closed window arrive. The gate turns them away and the window emits nothing; fed straight into
 * the restored window (no gate) the same input re-fires the window with only itself — the
 * corruption the gate exists to prevent.
 */
class ClosedWindowRestoreTest {

    private static final long HOUR = 60 * MINUTE;
    private static final long DAY = 24 * HOUR;

    /** One level: gate → window, each in its own harness. */
    private static final class Level<I, O> {
        final OneInputStreamOperatorTestHarness<I, I> gate;
        final KeyedOneInputStreamOperatorTestHarness<String, I, O> window;

        Level(
                OneInputStreamOperatorTestHarness<I, I> gate,
                KeyedOneInputStreamOperatorTestHarness<String, I, O> window) {
            this.gate = gate;
            this.window = window;
        }

        void send(I value, long ts) throws Exception {
            int before = gate.extractOutputValues().size();
            gate.processElement(new StreamRecord<>(value, ts));
            List<I> passed = gate.extractOutputValues();
            for (I v : passed.subList(before, passed.size())) {
                window.processElement(new StreamRecord<>(v, ts));
            }
        }

        void watermark(long wm) throws Exception {
            gate.processWatermark(new Watermark(wm));
            window.processWatermark(new Watermark(wm));
        }

        List<O> rows() {
            List<O> rows = new ArrayList<>();
            for (Object o : window.getOutput()) {
                if (o instanceof StreamRecord) {
                    @SuppressWarnings("unchecked")
                    O v = (O) ((StreamRecord<?>) o).getValue();
                    rows.add(v);
                }
            }
            return rows;
        }

        void close() throws Exception {
            gate.close();
            window.close();
        }
    }

    /** How to build one level's gate and window. */
    private static final class LevelSpec<I, O> {
        final Duration size;
        final Duration lateness;
        final Class<I> in;
        final KeySelector<I, String> key;
        final java.util.function.Supplier<OneInputStreamOperator<I, I>> gate;
        final WindowFactory<I, O> window;

        LevelSpec(
                Duration size,
                Duration lateness,
                Class<I> in,
                KeySelector<I, String> key,
                java.util.function.Supplier<OneInputStreamOperator<I, I>> gate,
                WindowFactory<I, O> window) {
            this.size = size;
            this.lateness = lateness;
            this.in = in;
            this.key = key;
            this.gate = gate;
            this.window = window;
        }

        Level<I, O> open(OperatorSubtaskState gateState, OperatorSubtaskState windowState)
                throws Exception {
            OneInputStreamOperatorTestHarness<I, I> g =
                    new OneInputStreamOperatorTestHarness<>(gate.get());
            KeyedOneInputStreamOperatorTestHarness<String, I, O> w = window.create(this);
            if (gateState != null) {
                g.initializeState(gateState);
                w.initializeState(windowState);
            }
            g.open();
            w.open();
            return new Level<>(g, w);
        }
    }

    private interface WindowFactory<I, O> {
        KeyedOneInputStreamOperatorTestHarness<String, I, O> create(LevelSpec<I, O> spec)
                throws Exception;
    }

    private static <I> WindowOperatorBuilder<I, String, TimeWindow> builder(LevelSpec<I, ?> spec) {
        WindowOperatorBuilder<I, String, TimeWindow> b =
                new WindowOperatorBuilder<>(
                        TumblingEventTimeWindows.of(spec.size),
                        EventTimeTrigger.create(),
                        new ExecutionConfig(),
                        TypeInformation.of(spec.in),
                        spec.key,
                        Types.STRING);
        b.allowedLateness(spec.lateness);
        return b;
    }

    private static <I> OutputTag<I> tag(Class<I> type) {
        return new OutputTag<>("late", TypeInformation.of(type));
    }

    /**
     * Closes the window of {@code first}/{@code second}, restores, then sends {@code late} (and a
     * duplicate of it) through the gate and, for contrast, straight into a restored window.
     *
     * @return rows the restored window emitted for input that went through the gate
     */
    private static <I, O> void closedWindowStaysClosed(
            LevelSpec<I, O> spec,
            I first,
            I second,
            I late,
            long tsInWindow,
            long windowEnd,
            ToLongFunction<O> count,
            long expectedCount,
            Function<OneInputStreamOperatorTestHarness<I, I>, Integer> lateSeen)
            throws Exception {
        OperatorSubtaskState gateState;
        OperatorSubtaskState windowState;
        Level<I, O> before = spec.open(null, null);
        before.send(first, tsInWindow);
        before.send(second, tsInWindow);
        before.watermark(windowEnd - 1 + spec.lateness.toMillis());
        assertThat(before.rows()).hasSize(1);
        assertThat(count.applyAsLong(before.rows().get(0))).isEqualTo(expectedCount);
        gateState = before.gate.snapshot(1, 1);
        windowState = before.window.snapshot(1, 1);
        before.close();

        // restored: the late input and its duplicate are turned away; nothing re-fires
        Level<I, O> after = spec.open(gateState, windowState);
        after.send(late, tsInWindow);
        after.send(late, tsInWindow);
        after.watermark(windowEnd + spec.size.toMillis() * 2);
        assertThat(after.rows()).as("rows re-emitted after restore").isEmpty();
        assertThat(lateSeen.apply(after.gate)).isEqualTo(2);
        after.close();

        // contrast: the same input straight into a restored window re-fires it from a partial set
        Level<I, O> ungated = spec.open(gateState, windowState);
        ungated.window.processElement(new StreamRecord<>(late, tsInWindow));
        ungated.window.processWatermark(
                new Watermark(windowEnd + spec.lateness.toMillis() + spec.size.toMillis()));
        assertThat(ungated.rows()).hasSize(1);
        assertThat(count.applyAsLong(ungated.rows().get(0))).isLessThan(expectedCount);
        ungated.close();
    }

    private static int sideOutputSize(OneInputStreamOperatorTestHarness<?, ?> h, OutputTag<?> t) {
        return h.getSideOutput(t) == null ? 0 : h.getSideOutput(t).size();
    }

    @Test
    void deviceMinuteClosedBeforeARestoreIsNotRebuiltFromALateRecord() throws Exception {
        LevelSpec<EnrichedTelemetry, DeviceMinute> spec =
                new LevelSpec<>(
                        Duration.ofMinutes(1),
                        Duration.ZERO,
                        EnrichedTelemetry.class,
                        e -> e.deviceId,
                        () -> new LateTelemetryRouter(Duration.ofMinutes(1), Duration.ZERO),
                        s ->
                                new KeyedOneInputStreamOperatorTestHarness<>(
                                        builder(s)
                                                .aggregate(
                                                        new DeviceMinuteAggregate(),
                                                        new DeviceMinuteAggregate.WindowRow(),
                                                        TypeInformation.of(
                                                                DeviceMinuteAccumulator.class)),
                                        e -> e.deviceId,
                                        Types.STRING));
        closedWindowStaysClosed(
                spec,
                sample("D1", "FEEDER", "N", T0 + 1_000, 10.0, 50.0),
                sample("D1", "FEEDER", "N", T0 + 2_000, 20.0, 50.0),
                sample("D1", "FEEDER", "N", T0 + 3_000, 30.0, 50.0),
                T0 + 3_000,
                T0 + MINUTE,
                m -> m.sampleCount,
                2,
                g -> {
                    List<DeadLetter> dl = new ArrayList<>();
                    g.getSideOutput(DeadLetters.TAG).forEach(r -> dl.add(r.getValue()));
                    assertThat(dl).allSatisfy(d -> assertThat(d.reason).isEqualTo("LATE"));
                    return dl.size();
                });
    }

    @Test
    void regionMinuteClosedBeforeARestoreIsNotRebuiltFromALateDeviceMinute() throws Exception {
        OutputTag<DeviceMinute> late = tag(DeviceMinute.class);
        LevelSpec<DeviceMinute, RegionMinute> spec =
                new LevelSpec<>(
                        Duration.ofMinutes(1),
                        Duration.ZERO,
                        DeviceMinute.class,
                        m -> m.region,
                        () ->
                                new ClosedWindowGate<>(
                                        Duration.ofMinutes(1), Duration.ZERO, late, null),
                        s ->
                                new KeyedOneInputStreamOperatorTestHarness<>(
                                        builder(s).process(new RegionMinuteRollup()),
                                        m -> m.region,
                                        Types.STRING));
        closedWindowStaysClosed(
                spec,
                deviceMinute("D1", "FEEDER", "N", T0, 10, 5.0, 50.0, 50.0, 50.0, 10, null, 0),
                deviceMinute("D2", "FEEDER", "N", T0, 12, 6.0, 50.0, 50.0, 50.0, 12, null, 0),
                deviceMinute("D3", "FEEDER", "N", T0, 3, 1.0, 50.0, 50.0, 50.0, 3, null, 0),
                T0 + MINUTE - 1,
                T0 + MINUTE,
                r -> r.sampleCount,
                22,
                g -> sideOutputSize(g, late));
    }

    private static RegionMinute regionMinute(String device, long windowStart, long samples) {
        return RegionMinuteRollup.rollup(
                "N",
                windowStart,
                List.of(
                        deviceMinute(
                                device,
                                "FEEDER",
                                "N",
                                windowStart,
                                samples,
                                5.0,
                                50.0,
                                50.0,
                                50.0,
                                samples,
                                null,
                                0)));
    }

    @Test
    void regionHourClosedBeforeARestoreIsNotRebuiltFromALateRegionMinute() throws Exception {
        OutputTag<RegionMinute> late = tag(RegionMinute.class);
        LevelSpec<RegionMinute, RegionHour> spec =
                new LevelSpec<>(
                        Duration.ofHours(1),
                        Duration.ZERO,
                        RegionMinute.class,
                        m -> m.region,
                        () ->
                                new ClosedWindowGate<>(
                                        Duration.ofHours(1), Duration.ZERO, late, null),
                        s ->
                                new KeyedOneInputStreamOperatorTestHarness<>(
                                        builder(s).process(new RegionRollups.Hourly()),
                                        m -> m.region,
                                        Types.STRING));
        closedWindowStaysClosed(
                spec,
                regionMinute("D1", T0, 10),
                regionMinute("D1", T0 + MINUTE, 12),
                regionMinute("D1", T0 + 2 * MINUTE, 3),
                T0 + HOUR - 1,
                T0 + HOUR,
                h -> h.sampleCount,
                22,
                g -> sideOutputSize(g, late));
    }

    private static RegionHour regionHour(long windowStart, long samples) {
        return RegionRollups.hour(
                "N", windowStart, List.of(regionMinute("D1", windowStart, samples)));
    }

    @Test
    void regionDayClosedBeforeARestoreIsNotRebuiltFromALateRegionHour() throws Exception {
        OutputTag<RegionHour> late = tag(RegionHour.class);
        LevelSpec<RegionHour, RegionDay> spec =
                new LevelSpec<>(
                        Duration.ofDays(1),
                        Duration.ZERO,
                        RegionHour.class,
                        h -> h.region,
                        () -> new ClosedWindowGate<>(Duration.ofDays(1), Duration.ZERO, late, null),
                        s ->
                                new KeyedOneInputStreamOperatorTestHarness<>(
                                        builder(s).process(new RegionRollups.Daily()),
                                        h -> h.region,
                                        Types.STRING));
        closedWindowStaysClosed(
                spec,
                regionHour(T0, 10),
                regionHour(T0 + HOUR, 12),
                regionHour(T0 + 2 * HOUR, 3),
                T0 + DAY - 1,
                T0 + DAY,
                d -> d.sampleCount,
                22,
                g -> sideOutputSize(g, late));
    }

    @Test
    void insideAllowedLatenessARestoredMinuteIsCorrectedNotRebuilt() throws Exception {
        Duration lateness = Duration.ofSeconds(30);
        LevelSpec<EnrichedTelemetry, DeviceMinute> spec =
                new LevelSpec<>(
                        Duration.ofMinutes(1),
                        lateness,
                        EnrichedTelemetry.class,
                        e -> e.deviceId,
                        () -> new LateTelemetryRouter(Duration.ofMinutes(1), lateness),
                        s ->
                                new KeyedOneInputStreamOperatorTestHarness<>(
                                        builder(s)
                                                .aggregate(
                                                        new DeviceMinuteAggregate(),
                                                        new DeviceMinuteAggregate.WindowRow(),
                                                        TypeInformation.of(
                                                                DeviceMinuteAccumulator.class)),
                                        e -> e.deviceId,
                                        Types.STRING));
        Level<EnrichedTelemetry, DeviceMinute> before = spec.open(null, null);
        before.send(sample("D1", "FEEDER", "N", T0 + 1_000, 10.0, 50.0), T0 + 1_000);
        before.send(sample("D1", "FEEDER", "N", T0 + 2_000, 20.0, 50.0), T0 + 2_000);
        before.watermark(T0 + MINUTE + 10_000); // fired, still inside the allowed lateness
        assertThat(before.rows()).extracting(m -> m.sampleCount).containsExactly(2L);
        OperatorSubtaskState gateState = before.gate.snapshot(1, 1);
        OperatorSubtaskState windowState = before.window.snapshot(1, 1);
        before.close();

        Level<EnrichedTelemetry, DeviceMinute> after = spec.open(gateState, windowState);
        after.send(sample("D1", "FEEDER", "N", T0 + 3_000, 30.0, 50.0), T0 + 3_000);
        after.watermark(T0 + MINUTE + 20_000);
        // the correction adds to the complete minute: 3 samples, never 1
        assertThat(after.rows()).extracting(m -> m.sampleCount).containsExactly(3L);
        // past the allowed lateness the minute is closed for good, restored or not
        after.watermark(T0 + MINUTE + 29_999);
        after.send(sample("D1", "FEEDER", "N", T0 + 4_000, 40.0, 50.0), T0 + 4_000);
        after.watermark(T0 + 3 * MINUTE);
        assertThat(after.rows()).extracting(m -> m.sampleCount).containsExactly(3L);
        assertThat(after.gate.getSideOutput(DeadLetters.TAG)).hasSize(1);
        after.close();
    }
}
