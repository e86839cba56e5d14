package dev.gridhouse.dws;

import dev.gridhouse.contract.grid.Device;
import dev.gridhouse.contract.grid.DeviceMinute;
import dev.gridhouse.contract.grid.EnrichedTelemetry;
import dev.gridhouse.contract.grid.GridTables;
import dev.gridhouse.contract.grid.RegionDay;
import dev.gridhouse.contract.grid.RegionHour;
import dev.gridhouse.contract.grid.RegionMinute;
import dev.gridhouse.contract.grid.Telemetry;
import dev.gridhouse.core.io.FlussEndpoint;
import dev.gridhouse.core.io.FlussIo;
import dev.gridhouse.core.model.DeadLetter;
import dev.gridhouse.core.ops.DeadLetters;
import dev.gridhouse.core.ops.FlussLookupJoin;
import dev.gridhouse.core.ops.FlussMirrorJoin;
import dev.gridhouse.dws.ops.GridRollups;
import dev.gridhouse.dws.ops.LateTelemetryRouter;
import dev.gridhouse.dws.ops.TelemetryDeduplicator;
import dev.gridhouse.dws.ops.TelemetryWatermarks;
import dev.gridhouse.dws.ops.UnknownDeviceRouter;
import java.time.Duration;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.DataStreamUtils;
import org.apache.flink.streaming.api.datastream.KeyedStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.fluss.client.initializer.OffsetsInitializer;

/**
 * The DWD and DWS layers as a function over a stream of validated telemetry that already carries
 * event-time timestamps and watermarks (contract §3–5):
 *
 * <pre>
 * telemetry ─keyBy(device)→ lookup ods_devices → unknown? → dedup → late? → dwd_grid_telemetry
 *                                                   │          │        │   └→ 1-min window → dws_device_minute
 *                                                   ▼          ▼        ▼        └keyBy(region)→ dws_region_minute
 *                                                                                     → 1-h → dws_region_hour → 1-day → dws_region_day
 *                                            UNKNOWN_DEVICE DUPLICATE  LATE → ods_dead_letter
 * </pre>
 *
 * <p>Everything from the lookup to the device-minute window is chained on the device key without
 * another shuffle, so each keyed subtask sees the records and watermarks of one upstream channel in
 * order: with a single-channel replay source, LATE and DUPLICATE decisions depend only on the input
 * order, whatever the parallelism.
 */
public final class DwsPipeline {
    private DwsPipeline() {}

    /** The streams the layer produces. */
    public static final class Outputs {
        public final DataStream<EnrichedTelemetry> dwdTelemetry;
        public final DataStream<DeviceMinute> deviceMinutes;
        public final DataStream<RegionMinute> regionMinutes;
        public final DataStream<RegionHour> regionHours;
        public final DataStream<RegionDay> regionDays;
        public final DataStream<DeadLetter> deadLetters;

        Outputs(
                DataStream<EnrichedTelemetry> dwdTelemetry,
                DataStream<DeviceMinute> deviceMinutes,
                DataStream<RegionMinute> regionMinutes,
                DataStream<RegionHour> regionHours,
                DataStream<RegionDay> regionDays,
                DataStream<DeadLetter> deadLetters) {
            this.dwdTelemetry = dwdTelemetry;
            this.deviceMinutes = deviceMinutes;
            this.regionMinutes = regionMinutes;
            this.regionHours = regionHours;
            this.regionDays = regionDays;
            this.deadLetters = deadLetters;
        }

        /**
         * The same outputs with {@code dwd} (e.g. the DWD stream through a probe) in place of the
         * DWD telemetry, for the writes and the layers after DWS.
         */
        public Outputs withDwdTelemetry(DataStream<EnrichedTelemetry> dwd) {
            return new Outputs(
                    dwd, deviceMinutes, regionMinutes, regionHours, regionDays, deadLetters);
        }
    }

    /**
     * The event-time watermarks of validated telemetry under {@code settings}: per record for a
     * bounded replay (deterministic, contract §4), else periodic with idleness.
     */
    public static WatermarkStrategy<Telemetry> watermarks(DwsSettings settings, boolean replay) {
        return replay
                ? TelemetryWatermarks.replay(settings.outOfOrderness, (t, ts) -> t.ts)
                : TelemetryWatermarks.streaming(
                        settings.outOfOrderness, settings.idleness, (t, ts) -> t.ts);
    }

    /**
     * Assigns {@code watermarks} to validated telemetry right after validation, at its parallelism
     * ("Watermarks : telemetry", uid {@code <prefix>-watermarks-telemetry}): the input of {@link
     * #apply} for a pipeline whose telemetry source carries no event time.
     */
    public static DataStream<Telemetry> assignWatermarks(
            SingleOutputStreamOperator<Telemetry> valid,
            WatermarkStrategy<Telemetry> watermarks,
            String uidPrefix) {
        return valid.assignTimestampsAndWatermarks(watermarks)
                .name("Watermarks : telemetry")
                .uid(uidPrefix + "-watermarks-telemetry")
                .setParallelism(valid.getParallelism());
    }

    /**
     * Reads {@code ods_grid_telemetry} from {@code start} with the streaming {@link #watermarks} of
     * {@code settings}: the input of {@link #apply} in the DWS job.
     */
    public static DataStream<Telemetry> readOdsTelemetry(
            StreamExecutionEnvironment env,
            FlussEndpoint fluss,
            DwsSettings settings,
            OffsetsInitializer start,
            String uidPrefix) {
        return FlussIo.read(
                env,
                fluss,
                GridTables.ODS_GRID_TELEMETRY,
                Telemetry.class,
                start,
                watermarks(settings, false),
                uidPrefix + "-dws",
                -1);
    }

    /**
     * How telemetry keyed by device is joined with its device row: returns one {@link
     * EnrichedTelemetry} per record, with a null device when the device is unknown (see {@link
     * UnknownDeviceRouter#join}). The output must stay on the subtask of its key (an async lookup
     * or a keyed process function does), because the operators after it reinterpret it as keyed.
     */
    @FunctionalInterface
    public interface DeviceJoin {
        SingleOutputStreamOperator<EnrichedTelemetry> apply(
                KeyedStream<Telemetry, String> telemetryByDevice, String uid);
    }

    /** The device join of {@code settings}: a Fluss lookup (with or without cache) or a mirror. */
    public static DeviceJoin flussDeviceJoin(FlussEndpoint fluss, DwsSettings settings) {
        if (settings.lookupMode == LookupMode.MIRROR) {
            return (byDevice, uid) ->
                    byDevice.process(
                                    new FlussMirrorJoin<
                                            String, Telemetry, Device, EnrichedTelemetry>(
                                            fluss,
                                            GridTables.ODS_DEVICES,
                                            t -> new Object[] {t.deviceId},
                                            UnknownDeviceRouter::join,
                                            settings.mirrorLoadTimeout),
                                    TypeInformation.of(EnrichedTelemetry.class))
                            .name("Mirror join : ods_devices")
                            .uid(uid + "-mirror-ods_devices");
        }
        return (byDevice, uid) ->
                FlussLookupJoin.apply(
                                byDevice,
                                new FlussLookupJoin<Telemetry, Device, EnrichedTelemetry>(
                                        fluss,
                                        GridTables.ODS_DEVICES,
                                        t -> new Object[] {t.deviceId},
                                        UnknownDeviceRouter::join,
                                        settings.lookup),
                                TypeInformation.of(EnrichedTelemetry.class))
                        .name("Lookup : ods_devices")
                        .uid(uid + "-lookup-ods_devices");
    }

    /** Builds the layer with the device join of {@code settings} against {@code fluss}. */
    public static Outputs apply(
            DataStream<Telemetry> telemetry,
            FlussEndpoint fluss,
            DwsSettings settings,
            String uidPrefix) {
        return apply(telemetry, flussDeviceJoin(fluss, settings), settings, uidPrefix);
    }

    /**
     * Builds the layer with any device join (e.g. one against another store); {@code
     * settings.parallelism} ≤ 0 keeps the environment's.
     */
    public static Outputs apply(
            DataStream<Telemetry> telemetry,
            DeviceJoin deviceJoin,
            DwsSettings settings,
            String uidPrefix) {
        String uid = uidPrefix + "-dws";
        int p =
                settings.parallelism > 0
                        ? settings.parallelism
                        : telemetry.getExecutionEnvironment().getParallelism();

        SingleOutputStreamOperator<EnrichedTelemetry> looked =
                deviceJoin.apply(telemetry.keyBy(t -> t.deviceId), uid);
        looked.setParallelism(p);

        SingleOutputStreamOperator<EnrichedTelemetry> known =
                looked.process(new UnknownDeviceRouter())
                        .name("Route : unknown devices")
                        .uid(uid + "-route-unknown-devices")
                        .setParallelism(p);

        SingleOutputStreamOperator<EnrichedTelemetry> unique =
                DataStreamUtils.reinterpretAsKeyedStream(known, t -> t.deviceId)
                        .process(
                                new TelemetryDeduplicator(
                                        TelemetryDeduplicator.retentionFor(
                                                settings.outOfOrderness, settings.allowedLateness),
                                        settings.dedupStateTtl))
                        .name("Dedup : device_id, ts")
                        .uid(uid + "-dedup-telemetry")
                        .setParallelism(p);

        SingleOutputStreamOperator<EnrichedTelemetry> onTime =
                unique.transform(
                                "Route : late telemetry",
                                TypeInformation.of(EnrichedTelemetry.class),
                                new LateTelemetryRouter(
                                        Duration.ofMinutes(1), settings.allowedLateness))
                        .uid(uid + "-route-late-telemetry")
                        .setParallelism(p);

        GridRollups.Outputs rollups =
                GridRollups.apply(
                        DataStreamUtils.reinterpretAsKeyedStream(onTime, t -> t.deviceId),
                        settings.allowedLateness,
                        p,
                        uid);
        DataStream<DeadLetter> late = rollups.late;

        DataStream<DeadLetter> deadLetters =
                known.getSideOutput(DeadLetters.TAG)
                        .union(
                                unique.getSideOutput(DeadLetters.TAG),
                                onTime.getSideOutput(DeadLetters.TAG),
                                late);
        return new Outputs(
                onTime,
                rollups.deviceMinutes,
                rollups.regionMinutes,
                rollups.regionHours,
                rollups.regionDays,
                deadLetters);
    }

    /** Writes the DWD and the four DWS tables (dead letters are left to the caller). */
    public static void write(Outputs outputs, FlussEndpoint fluss, String uidPrefix) {
        String uid = uidPrefix + "-dws";
        FlussIo.write(outputs.dwdTelemetry, fluss, GridTables.DWD_GRID_TELEMETRY, uid, 0);
        FlussIo.write(outputs.deviceMinutes, fluss, GridTables.DWS_DEVICE_MINUTE, uid, 0);
        FlussIo.write(outputs.regionMinutes, fluss, GridTables.DWS_REGION_MINUTE, uid, 0);
        FlussIo.write(outputs.regionHours, fluss, GridTables.DWS_REGION_HOUR, uid, 0);
        FlussIo.write(outputs.regionDays, fluss, GridTables.DWS_REGION_DAY, uid, 0);
    }

    /** Writes the layer's dead letters (only DWS's) to {@code ods_dead_letter}. */
    public static void writeDeadLetters(Outputs outputs, FlussEndpoint fluss, String uidPrefix) {
        DeadLetters.write(
                outputs.deadLetters, fluss, GridTables.ODS_DEAD_LETTER, uidPrefix + "-dws", 1);
    }
}
