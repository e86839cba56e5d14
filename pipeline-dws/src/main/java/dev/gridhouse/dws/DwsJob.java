package dev.gridhouse.dws;

import dev.gridhouse.contract.Pipelines;
import dev.gridhouse.contract.grid.GridTables;
import dev.gridhouse.contract.grid.Telemetry;
import dev.gridhouse.core.config.CommonOptions;
import dev.gridhouse.core.config.JobOptions;
import dev.gridhouse.core.config.JobSelector;
import dev.gridhouse.core.config.JobSetup;
import dev.gridhouse.core.io.FlussEndpoint;
import dev.gridhouse.dws.service.ServiceDws;
import java.util.Arrays;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.fluss.client.initializer.OffsetsInitializer;

/**
 * The DWS job: {@code ods_grid_telemetry} → device lookup → {@code dwd_grid_telemetry} → {@code
 * dws_device_minute} → {@code dws_region_minute} → hour → day, rejects to {@code ods_dead_letter}.
 *
 * <p>The main of the DWS jar is a {@link JobSelector}: this job by default ({@code --pipeline
 * grid}), the ticket warehouse's DWS ({@link ServiceDws}) with {@code --pipeline service}; each has
 * its own options and {@code --help}.
 *
 * <pre>flink run pipeline-dws-*-job.jar --fluss.bootstrap-servers host:9123</pre>
 */
public final class DwsJob {
    private DwsJob() {}

    public static final JobOptions OPTIONS =
            JobOptions.of(
                    "dws",
                    "DWD enrichment and DWS minute/hour/day rollups from ods_grid_telemetry.",
                    CommonOptions.common(),
                    DwsOptions.all());

    /** The jobs of the DWS jar, chosen by {@code --pipeline}. */
    public static final JobSelector JOBS =
            JobSelector.of(
                    "the DWS jar",
                    Pipelines.PIPELINE,
                    new JobSelector.Job(
                            Pipelines.GRID,
                            "power-grid DWD and DWS rollups (" + DwsJob.class.getName() + ")",
                            OPTIONS,
                            DwsJob::run),
                    new JobSelector.Job(
                            Pipelines.SERVICE,
                            "ticket warehouse DWD and DWS (" + ServiceDws.class.getName() + ")",
                            ServiceDws.OPTIONS,
                            ServiceDws::run));

    /** Runs the job {@code --pipeline} names (default grid) with the other arguments. */
    public static void main(String[] args) throws Exception {
        JOBS.run(args);
    }

    /** Builds the grid DWS graph of {@code conf} and executes it. */
    public static void run(Configuration conf) throws Exception {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        build(env, conf);
        env.execute("gridhouse-dws");
    }

    /** Builds the job graph into {@code env}, creating the tables it needs. */
    public static void build(StreamExecutionEnvironment env, Configuration conf) {
        JobSetup.configure(env, conf);
        String uid = conf.get(CommonOptions.UID_PREFIX);
        FlussEndpoint fluss = endpoint(conf);
        JobSetup.ensureTables(
                fluss,
                conf.get(CommonOptions.FLUSS_BUCKETS),
                Arrays.asList(
                        GridTables.ODS_DEVICES,
                        GridTables.ODS_GRID_TELEMETRY,
                        GridTables.ODS_DEAD_LETTER,
                        GridTables.DWD_GRID_TELEMETRY,
                        GridTables.DWS_DEVICE_MINUTE,
                        GridTables.DWS_REGION_MINUTE,
                        GridTables.DWS_REGION_HOUR,
                        GridTables.DWS_REGION_DAY));
        DwsSettings settings = DwsSettings.from(conf, conf.get(CommonOptions.PARALLELISM));
        OffsetsInitializer start =
                "latest".equalsIgnoreCase(conf.get(DwsOptions.STARTING_OFFSETS))
                        ? OffsetsInitializer.latest()
                        : OffsetsInitializer.earliest();
        DataStream<Telemetry> telemetry =
                DwsPipeline.readOdsTelemetry(env, fluss, settings, start, uid);
        DwsPipeline.Outputs out = DwsPipeline.apply(telemetry, fluss, settings, uid);
        DwsPipeline.write(out, fluss, uid);
        DwsPipeline.writeDeadLetters(out, fluss, uid);
    }

    /** The Fluss endpoint with the lookup batch timeout of the options. */
    public static FlussEndpoint endpoint(Configuration conf) {
        return CommonOptions.endpoint(conf)
                .withClientOption(
                        "client.lookup.batch-timeout", conf.get(DwsOptions.LOOKUP_BATCH_TIMEOUT));
    }
}
