package dev.gridhouse.deploy;

import dev.gridhouse.ads.AdsPipeline;
import dev.gridhouse.ads.AdsPostgresSink;
import dev.gridhouse.ads.ops.AlarmRules;
import dev.gridhouse.contract.grid.Alarm;
import dev.gridhouse.contract.grid.RegionRealtime;
import dev.gridhouse.contract.grid.SubstationLoad;
import dev.gridhouse.contract.grid.Telemetry;
import dev.gridhouse.core.io.FlussEndpoint;
import dev.gridhouse.core.model.DeadLetter;
import dev.gridhouse.core.ops.DeadLetters;
import dev.gridhouse.dws.DwsPipeline;
import dev.gridhouse.dws.DwsSettings;
import dev.gridhouse.dws.ops.TelemetryWatermarks;
import dev.gridhouse.ods.OdsPipeline;
import javax.annotation.Nullable;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;

/**
 * ODS → DWD → DWS → ADS in one job graph over raw telemetry lines, every layer writing its tables
 * to Fluss. Watermarks are assigned right after validation on the single-channel source, so a
 * bounded replay ({@code replay = true}) is deterministic at any parallelism (contract §4).
 */
public final class ComposedPipeline {
    private ComposedPipeline() {}

    public static void build(
            DataStream<String> rawTelemetry,
            FlussEndpoint fluss,
            DwsSettings settings,
            boolean replay,
            String uid) {
        build(rawTelemetry, fluss, settings, replay, uid, null);
    }

    /** As above, also upserting the dashboard tables into PostgreSQL if {@code postgres} is set. */
    public static void build(
            DataStream<String> rawTelemetry,
            FlussEndpoint fluss,
            DwsSettings settings,
            boolean replay,
            String uid,
            @Nullable AdsPostgresSink postgres) {
        SingleOutputStreamOperator<Telemetry> valid =
                OdsPipeline.validateTelemetry(rawTelemetry, uid);
        OdsPipeline.writeTelemetry(valid, fluss, uid);

        WatermarkStrategy<Telemetry> watermarks =
                replay
                        ? TelemetryWatermarks.replay(settings.outOfOrderness, (t, ts) -> t.ts)
                        : TelemetryWatermarks.streaming(
                                settings.outOfOrderness, settings.idleness, (t, ts) -> t.ts);
        DataStream<Telemetry> timed =
                valid.assignTimestampsAndWatermarks(watermarks)
                        .name("Watermarks : telemetry")
                        .uid(uid + "-watermarks-telemetry")
                        .setParallelism(valid.getParallelism());

        DwsPipeline.Outputs dws = DwsPipeline.apply(timed, fluss, settings, uid);
        DwsPipeline.write(dws, fluss, uid);
        DataStream<Alarm> alarms = AdsPipeline.alarms(dws.dwdTelemetry, new AlarmRules(), uid, 0);
        DataStream<RegionRealtime> realtime =
                AdsPipeline.realtime(dws.regionMinutes, alarms, uid, 0);
        AdsPipeline.write(realtime, alarms, fluss, uid);
        if (postgres != null) {
            postgres.write(realtime, alarms, uid);
        }
        DataStream<SubstationLoad> loads = AdsPipeline.substationLoad(dws.dwdTelemetry, uid, 0);
        AdsPipeline.writeDispatch(
                loads, AdsPipeline.decisions(alarms, loads, fluss, uid), fluss, uid);

        DataStream<DeadLetter> deadLetters =
                valid.getSideOutput(DeadLetters.TAG).union(dws.deadLetters);
        OdsPipeline.writeDeadLetters(deadLetters, fluss, uid);
    }
}
