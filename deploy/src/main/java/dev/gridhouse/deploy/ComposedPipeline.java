package dev.gridhouse.deploy;

import dev.gridhouse.ads.AdsPipeline;
import dev.gridhouse.ads.AdsPostgresSink;
import dev.gridhouse.contract.grid.Telemetry;
import dev.gridhouse.core.io.FlussEndpoint;
import dev.gridhouse.core.model.DeadLetter;
import dev.gridhouse.core.ops.DeadLetters;
import dev.gridhouse.dws.DwsPipeline;
import dev.gridhouse.dws.DwsSettings;
import dev.gridhouse.ods.OdsPipeline;
import javax.annotation.Nullable;
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
        build(
                rawTelemetry,
                fluss,
                DwsPipeline.flussDeviceJoin(fluss, settings),
                settings,
                replay,
                uid,
                postgres);
    }

    /** As above with any device join of the DWD layer (e.g. an instrumented one in a test). */
    public static void build(
            DataStream<String> rawTelemetry,
            FlussEndpoint fluss,
            DwsPipeline.DeviceJoin deviceJoin,
            DwsSettings settings,
            boolean replay,
            String uid,
            @Nullable AdsPostgresSink postgres) {
        SingleOutputStreamOperator<Telemetry> valid =
                OdsPipeline.validateTelemetry(rawTelemetry, uid);
        OdsPipeline.writeTelemetry(valid, fluss, uid);

        DataStream<Telemetry> timed =
                DwsPipeline.assignWatermarks(valid, DwsPipeline.watermarks(settings, replay), uid);
        DwsPipeline.Outputs dws = DwsPipeline.apply(timed, deviceJoin, settings, uid);
        DwsPipeline.write(dws, fluss, uid);

        AdsPipeline.Outputs ads =
                AdsPipeline.apply(dws.dwdTelemetry, dws.regionMinutes, fluss, uid);
        AdsPipeline.write(ads, fluss, uid);
        if (postgres != null) {
            postgres.write(ads.realtime, ads.alarms, uid);
        }

        DataStream<DeadLetter> deadLetters =
                valid.getSideOutput(DeadLetters.TAG).union(dws.deadLetters);
        OdsPipeline.writeDeadLetters(deadLetters, fluss, uid);
    }
}
