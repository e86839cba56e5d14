package dev.gridhouse.dws.ops;

import dev.gridhouse.contract.grid.DeviceMinute;
import dev.gridhouse.contract.grid.EnrichedTelemetry;
import dev.gridhouse.contract.grid.RegionDay;
import dev.gridhouse.contract.grid.RegionHour;
import dev.gridhouse.contract.grid.RegionMinute;
import dev.gridhouse.core.model.DeadLetter;
import dev.gridhouse.core.model.RejectReason;
import dev.gridhouse.core.ops.ClosedWindowGate;
import dev.gridhouse.core.serde.ModelJson;
import java.time.Duration;
import java.time.Instant;
import org.apache.flink.api.common.functions.MapFunction;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.DataStreamUtils;
import org.apache.flink.streaming.api.datastream.KeyedStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.windowing.assigners.TumblingEventTimeWindows;
import org.apache.flink.util.OutputTag;

/**
 * The DWS rollups of contract §5 over DWD telemetry keyed by device: device minute → region minute
 * → region hour → region day, all event-time tumbling windows. The streaming DWS layer and the
 * batch recomputation over the lake history run this same chain (in BATCH mode the windows fire
 * once at the end of input, with the same results).
 *
 * <p>Every region level has a {@link ClosedWindowGate} chained in front of its window, so a row for
 * a window that closed before a restore can never re-fire it from a partial set (Flink does not
 * checkpoint watermarks). Such rows cannot arise from this chain itself (the device-minute level is
 * gated by the caller's {@link LateTelemetryRouter}); if one does, it becomes a LATE dead letter
 * with source = the table the row belongs to, never a silent drop.
 *
 * <pre>{@code
 * GridRollups.Outputs out =
 *         GridRollups.apply(dwd.keyBy(t -> t.deviceId), Duration.ofMinutes(1), 4, "grid-dws");
 * }</pre>
 */
public final class GridRollups {
    private GridRollups() {}

    private static final OutputTag<EnrichedTelemetry> LATE_TAG =
            new OutputTag<>("late-telemetry", TypeInformation.of(EnrichedTelemetry.class));

    /** The rollup streams and the telemetry that came too late for its device minute. */
    public static final class Outputs {
        public final SingleOutputStreamOperator<DeviceMinute> deviceMinutes;
        public final SingleOutputStreamOperator<RegionMinute> regionMinutes;
        public final SingleOutputStreamOperator<RegionHour> regionHours;
        public final SingleOutputStreamOperator<RegionDay> regionDays;

        /**
         * LATE dead letters: records the device-minute window had already closed for, and rows a
         * closed region window's gate turned away.
         */
        public final DataStream<DeadLetter> late;

        Outputs(
                SingleOutputStreamOperator<DeviceMinute> deviceMinutes,
                SingleOutputStreamOperator<RegionMinute> regionMinutes,
                SingleOutputStreamOperator<RegionHour> regionHours,
                SingleOutputStreamOperator<RegionDay> regionDays,
                DataStream<DeadLetter> late) {
            this.deviceMinutes = deviceMinutes;
            this.regionMinutes = regionMinutes;
            this.regionHours = regionHours;
            this.regionDays = regionDays;
            this.late = late;
        }
    }

    /**
     * Builds the chain.
     *
     * @param byDevice DWD telemetry with event-time timestamps, keyed by {@code device_id}
     * @param allowedLateness how long a closed window still accepts records (and fires again)
     * @param parallelism parallelism of every window operator
     * @param uid uid prefix; operators get {@code uid + "-window-device-minute"} and so on
     */
    public static Outputs apply(
            KeyedStream<EnrichedTelemetry, String> byDevice,
            Duration allowedLateness,
            int parallelism,
            String uid) {
        SingleOutputStreamOperator<DeviceMinute> deviceMinutes =
                byDevice.window(TumblingEventTimeWindows.of(Duration.ofMinutes(1)))
                        .allowedLateness(allowedLateness)
                        .sideOutputLateData(LATE_TAG)
                        .aggregate(
                                new DeviceMinuteAggregate(), new DeviceMinuteAggregate.WindowRow())
                        .name("Window : dws_device_minute")
                        .uid(uid + "-window-device-minute")
                        .setParallelism(parallelism);

        DataStream<DeadLetter> late =
                deviceMinutes
                        .getSideOutput(LATE_TAG)
                        .map(new LateRecords(Duration.ofMinutes(1)))
                        .name("Window : late telemetry")
                        .uid(uid + "-window-late-telemetry")
                        .setParallelism(parallelism);

        SingleOutputStreamOperator<DeviceMinute> gatedDeviceMinutes =
                gate(
                        deviceMinutes.keyBy(m -> m.region),
                        Duration.ofMinutes(1),
                        allowedLateness,
                        DeviceMinute.class,
                        "dws_device_minute",
                        parallelism,
                        uid + "-gate-region-minute");
        SingleOutputStreamOperator<RegionMinute> regionMinutes =
                DataStreamUtils.reinterpretAsKeyedStream(gatedDeviceMinutes, m -> m.region)
                        .window(TumblingEventTimeWindows.of(Duration.ofMinutes(1)))
                        .allowedLateness(allowedLateness)
                        .process(new RegionMinuteRollup())
                        .name("Window : dws_region_minute")
                        .uid(uid + "-window-region-minute")
                        .setParallelism(parallelism);

        SingleOutputStreamOperator<RegionMinute> gatedRegionMinutes =
                gate(
                        regionMinutes.keyBy(m -> m.region),
                        Duration.ofHours(1),
                        allowedLateness,
                        RegionMinute.class,
                        "dws_region_minute",
                        parallelism,
                        uid + "-gate-region-hour");
        SingleOutputStreamOperator<RegionHour> regionHours =
                DataStreamUtils.reinterpretAsKeyedStream(gatedRegionMinutes, m -> m.region)
                        .window(TumblingEventTimeWindows.of(Duration.ofHours(1)))
                        .allowedLateness(allowedLateness)
                        .process(new RegionRollups.Hourly())
                        .name("Window : dws_region_hour")
                        .uid(uid + "-window-region-hour")
                        .setParallelism(parallelism);

        SingleOutputStreamOperator<RegionHour> gatedRegionHours =
                gate(
                        regionHours.keyBy(h -> h.region),
                        Duration.ofDays(1),
                        allowedLateness,
                        RegionHour.class,
                        "dws_region_hour",
                        parallelism,
                        uid + "-gate-region-day");
        SingleOutputStreamOperator<RegionDay> regionDays =
                DataStreamUtils.reinterpretAsKeyedStream(gatedRegionHours, h -> h.region)
                        .window(TumblingEventTimeWindows.of(Duration.ofDays(1)))
                        .allowedLateness(allowedLateness)
                        .process(new RegionRollups.Daily())
                        .name("Window : dws_region_day")
                        .uid(uid + "-window-region-day")
                        .setParallelism(parallelism);
        DataStream<DeadLetter> allLate =
                late.union(
                        lateRows(
                                gatedDeviceMinutes,
                                DeviceMinute.class,
                                "dws_device_minute",
                                parallelism,
                                uid),
                        lateRows(
                                gatedRegionMinutes,
                                RegionMinute.class,
                                "dws_region_minute",
                                parallelism,
                                uid),
                        lateRows(
                                gatedRegionHours,
                                RegionHour.class,
                                "dws_region_hour",
                                parallelism,
                                uid));
        return new Outputs(deviceMinutes, regionMinutes, regionHours, regionDays, allLate);
    }

    private static <T> OutputTag<T> lateTag(Class<T> type) {
        return new OutputTag<>("late-" + type.getSimpleName(), TypeInformation.of(type));
    }

    /** A {@link ClosedWindowGate} chained in front of a window of {@code window} size. */
    private static <T> SingleOutputStreamOperator<T> gate(
            KeyedStream<T, String> keyed,
            Duration window,
            Duration allowedLateness,
            Class<T> type,
            String table,
            int parallelism,
            String uid) {
        return keyed.transform(
                        "Gate : closed windows of " + table,
                        TypeInformation.of(type),
                        new ClosedWindowGate<>(window, allowedLateness, lateTag(type), null))
                .uid(uid)
                .setParallelism(parallelism);
    }

    private static <T> DataStream<DeadLetter> lateRows(
            SingleOutputStreamOperator<T> gated,
            Class<T> type,
            String table,
            int parallelism,
            String uid) {
        return gated.getSideOutput(lateTag(type))
                .map(new LateRow<T>(table))
                .returns(DeadLetter.class)
                .name("Gate : late rows of " + table)
                .uid(uid + "-gate-late-" + table)
                .setParallelism(parallelism);
    }

    /** A row a closed window turned away, as a LATE dead letter (detail = the row's minute). */
    static final class LateRow<T> implements MapFunction<T, DeadLetter> {
        private static final long serialVersionUID = 1L;
        private final String table;

        LateRow(String table) {
            this.table = table;
        }

        @Override
        public DeadLetter map(T row) {
            Long windowStart = windowStartOf(row);
            return new DeadLetter(
                    table,
                    RejectReason.LATE,
                    windowStart == null ? null : Instant.ofEpochMilli(windowStart).toString(),
                    ModelJson.toJson(row),
                    windowStart,
                    System.currentTimeMillis());
        }

        private static Long windowStartOf(Object row) {
            if (row instanceof DeviceMinute) {
                return ((DeviceMinute) row).windowStart;
            } else if (row instanceof RegionMinute) {
                return ((RegionMinute) row).windowStart;
            } else if (row instanceof RegionHour) {
                return ((RegionHour) row).windowStart;
            }
            return null;
        }
    }
}
