package dev.gridhouse.ads;

import dev.gridhouse.ads.ops.GridTopology;
import dev.gridhouse.ads.service.ServiceAds;
import dev.gridhouse.contract.Pipelines;
import dev.gridhouse.contract.grid.EnrichedTelemetry;
import dev.gridhouse.contract.grid.GridTables;
import dev.gridhouse.contract.grid.RegionMinute;
import dev.gridhouse.core.config.CommonOptions;
import dev.gridhouse.core.config.JobOptions;
import dev.gridhouse.core.config.JobSelector;
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
 * <p>The main of the ADS jar is a {@link JobSelector}: this job by default ({@code --pipeline
 * grid}), the ticket warehouse's ADS ({@link ServiceAds}) with {@code --pipeline service}; each has
 * its own options and {@code --help}.
 *
 * <pre>flink run pipeline-ads-*-job.jar --fluss.bootstrap-servers host:9123</pre>
 */
public final class AdsJob {
    private AdsJob() {}

    public static final JobOptions OPTIONS =
            JobOptions.of(
                    "ads",
                    "Alarms (ads_alarms) from dwd_grid_telemetry and the live per-region view"
                            + " ads_grid_realtime from dws_region_minute.",
                    CommonOptions.common(),
                    java.util.Collections.<ConfigOption<?>>singletonList(
                            AdsPipeline.SUBSTATION_LOAD_INTERVAL),
                    AdsPostgresOptions.all());

    /** The jobs of the ADS jar, chosen by {@code --pipeline}. */
    public static final JobSelector JOBS =
            JobSelector.of(
                    "the ADS jar",
                    Pipelines.PIPELINE,
                    new JobSelector.Job(
                            Pipelines.GRID,
                            "power-grid alarms, realtime view and dispatch ("
                                    + AdsJob.class.getName()
                                    + ")",
                            OPTIONS,
                            AdsJob::run),
                    new JobSelector.Job(
                            Pipelines.SERVICE,
                            "ticket warehouse agent ranking (" + ServiceAds.class.getName() + ")",
                            ServiceAds.OPTIONS,
                            ServiceAds::run));

    /** Runs the job {@code --pipeline} names (default grid) with the other arguments. */
    public static void main(String[] args) throws Exception {
        JOBS.run(args);
    }

    /** Builds the grid ADS graph of {@code conf} and executes it. */
    public static void run(Configuration conf) throws Exception {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        build(env, conf);
        env.execute("gridhouse-ads");
    }

    public static void build(StreamExecutionEnvironment env, Configuration conf)
            throws java.sql.SQLException {
        JobSetup.configure(env, conf);
        String uid = conf.get(CommonOptions.UID_PREFIX);
        FlussEndpoint fluss = CommonOptions.endpoint(conf);
        JobSetup.ensureTables(
                fluss,
                conf.get(CommonOptions.FLUSS_BUCKETS),
                Arrays.asList(
                        GridTables.DWD_GRID_TELEMETRY,
                        GridTables.DWS_REGION_MINUTE,
                        GridTables.ADS_GRID_REALTIME,
                        GridTables.ODS_SUBSTATIONS,
                        GridTables.ODS_LINES,
                        GridTables.DWS_SUBSTATION_LOAD,
                        GridTables.ADS_ALARMS,
                        GridTables.ADS_DISPATCH_DECISIONS));
        int p = conf.get(CommonOptions.PARALLELISM);
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
