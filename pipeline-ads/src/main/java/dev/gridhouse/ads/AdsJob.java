package dev.gridhouse.ads;

import dev.gridhouse.ads.ops.GridTopology;
import dev.gridhouse.ads.service.ServiceAds;
import dev.gridhouse.ads.service.ServiceAdsOptions;
import dev.gridhouse.contract.grid.EnrichedTelemetry;
import dev.gridhouse.contract.grid.GridTables;
import dev.gridhouse.contract.grid.RegionMinute;
import dev.gridhouse.core.config.GridOptions;
import dev.gridhouse.core.config.JobOptions;
import dev.gridhouse.core.config.JobSetup;
import dev.gridhouse.core.io.FlussEndpoint;
import dev.gridhouse.core.io.FlussIo;
import java.util.Arrays;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.fluss.client.initializer.OffsetsInitializer;

/**
 * The ADS job: {@code dwd_grid_telemetry} → {@code ads_alarms}; {@code dws_region_minute}
 * (snapshot, then changes) + alarms → {@code ads_grid_realtime}.
 *
 * <pre>flink run pipeline-ads-*-job.jar --fluss.bootstrap-servers host:9123</pre>
 */
public final class AdsJob {
    private AdsJob() {}

    public static final JobOptions OPTIONS =
            JobOptions.of(
                    "ads",
                    "Alarms (ads_alarms) from dwd_grid_telemetry and the live per-region view"
                            + " ads_grid_realtime from dws_region_minute. With --pipeline service:"
                            + " ads_agent_ranking from dws_agent_daily and ods_agents, also"
                            + " upserted into PostgreSQL ads.agent_ranking (--service.jdbc-url).",
                    GridOptions.common(),
                    java.util.Collections.<ConfigOption<?>>singletonList(
                            AdsPipeline.SUBSTATION_LOAD_INTERVAL),
                    AdsPostgresOptions.all(),
                    ServiceAdsOptions.all());

    public static void main(String[] args) throws Exception {
        Configuration conf = OPTIONS.parse(args);
        if (conf == null) {
            return;
        }
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        if (GridOptions.isService(conf)) {
            ServiceAds.build(env, conf);
            env.execute("gridhouse-service-ads");
            return;
        }
        build(env, conf);
        env.execute("gridhouse-ads");
    }

    public static void build(StreamExecutionEnvironment env, Configuration conf)
            throws java.sql.SQLException {
        JobSetup.configure(env, conf);
        String uid = conf.get(GridOptions.UID_PREFIX);
        FlussEndpoint fluss = GridOptions.endpoint(conf);
        JobSetup.ensureTables(
                fluss,
                conf.get(GridOptions.FLUSS_BUCKETS),
                Arrays.asList(
                        GridTables.DWD_GRID_TELEMETRY,
                        GridTables.DWS_REGION_MINUTE,
                        GridTables.ADS_GRID_REALTIME,
                        GridTables.ODS_SUBSTATIONS,
                        GridTables.ODS_LINES,
                        GridTables.DWS_SUBSTATION_LOAD,
                        GridTables.ADS_ALARMS,
                        GridTables.ADS_DISPATCH_DECISIONS));
        int p = conf.get(GridOptions.PARALLELISM);
        DataStream<EnrichedTelemetry> dwd =
                FlussIo.read(
                        env,
                        fluss,
                        GridTables.DWD_GRID_TELEMETRY,
                        EnrichedTelemetry.class,
                        OffsetsInitializer.earliest(),
                        WatermarkStrategy.noWatermarks(),
                        uid + "-ads",
                        -1);
        DataStream<RegionMinute> minutes =
                FlussIo.read(
                        env,
                        fluss,
                        GridTables.DWS_REGION_MINUTE,
                        RegionMinute.class,
                        OffsetsInitializer.full(),
                        WatermarkStrategy.noWatermarks(),
                        uid + "-ads",
                        -1);
        AdsPipeline.Outputs ads =
                AdsPipeline.apply(
                        dwd,
                        minutes,
                        GridTopology.flussMirror(fluss),
                        conf.get(AdsPipeline.SUBSTATION_LOAD_INTERVAL),
                        p,
                        uid);
        AdsPipeline.write(ads, fluss, uid);
        AdsPostgresSink postgres = AdsPostgresSink.fromConfig(conf, System.getenv());
        if (postgres != null) {
            postgres.createTables();
            postgres.write(ads.realtime, ads.alarms, uid);
        }
    }
}
