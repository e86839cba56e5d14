package dev.gridhouse.core.ops;

import dev.gridhouse.core.model.DeadLetter;
import dev.gridhouse.core.model.DeviceMinute;
import dev.gridhouse.core.model.EnrichedTelemetry;
import dev.gridhouse.core.model.RegionDay;
import dev.gridhouse.core.model.RegionHour;
import dev.gridhouse.core.model.RegionMinute;
import java.time.Duration;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.streaming.api.datastream.DataStream;
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

        /** LATE dead letters: records the device-minute window had already closed for. */
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

        SingleOutputStreamOperator<RegionMinute> regionMinutes =
                deviceMinutes
                        .keyBy(m -> m.region)
                        .window(TumblingEventTimeWindows.of(Duration.ofMinutes(1)))
                        .allowedLateness(allowedLateness)
                        .process(new RegionMinuteRollup())
                        .name("Window : dws_region_minute")
                        .uid(uid + "-window-region-minute")
                        .setParallelism(parallelism);

        SingleOutputStreamOperator<RegionHour> regionHours =
                regionMinutes
                        .keyBy(m -> m.region)
                        .window(TumblingEventTimeWindows.of(Duration.ofHours(1)))
                        .allowedLateness(allowedLateness)
                        .process(new RegionRollups.Hourly())
                        .name("Window : dws_region_hour")
                        .uid(uid + "-window-region-hour")
                        .setParallelism(parallelism);

        SingleOutputStreamOperator<RegionDay> regionDays =
                regionHours
                        .keyBy(h -> h.region)
                        .window(TumblingEventTimeWindows.of(Duration.ofDays(1)))
                        .allowedLateness(allowedLateness)
                        .process(new RegionRollups.Daily())
                        .name("Window : dws_region_day")
                        .uid(uid + "-window-region-day")
                        .setParallelism(parallelism);
        return new Outputs(deviceMinutes, regionMinutes, regionHours, regionDays, late);
    }
}
