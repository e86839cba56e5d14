package dev.gridhouse.lake;

import dev.gridhouse.core.config.CommonOptions;
import dev.gridhouse.core.config.JobOptions;
import dev.gridhouse.core.config.JobSetup;
import dev.gridhouse.core.io.FlussEndpoint;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * The lake layer's jobs (one jar, chosen by {@code --job}):
 *
 * <ul>
 *   <li>{@code TIERING} (default): turns tiering on for {@code lake.tables} with {@code
 *       lake.freshness} and runs Fluss's tiering service into the Paimon warehouse. The Fluss
 *       servers must run with {@code datalake.format: paimon}, {@code datalake.paimon.metastore:
 *       filesystem} and the same {@code datalake.paimon.warehouse}.
 *   <li>{@code RECOMPUTE}: the DWS rollups recomputed in BATCH mode from the tiered DWD telemetry
 *       of [{@code recompute.from}, {@code recompute.to}), written to Fluss or Paimon.
 * </ul>
 *
 * <pre>
 * flink run pipeline-lake-*-job.jar --fluss.bootstrap-servers host:9123 --lake.warehouse s3://b/lake
 * flink run pipeline-lake-*-job.jar --job RECOMPUTE --recompute.from 2026-01-01T00:00:00Z \
 *     --recompute.to 2026-01-02T00:00:00Z --lake.warehouse s3://b/lake
 * </pre>
 */
public final class LakeJob {
    private LakeJob() {}

    public static final JobOptions OPTIONS =
            JobOptions.of(
                    "lake",
                    "Tiering of the warehouse tables from Fluss into Paimon (Fluss's tiering"
                            + " service), or (--job RECOMPUTE) the DWS rollups recomputed in batch"
                            + " from the DWD history in the lake.",
                    CommonOptions.common(),
                    LakeOptions.all());

    public static void main(String[] args) throws Exception {
        Configuration conf = OPTIONS.parse(args);
        if (conf == null) {
            return;
        }
        if (conf.get(LakeOptions.JOB) == LakeOptions.LakeJobKind.RECOMPUTE) {
            StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
            buildRecompute(env, conf);
            env.execute("gridhouse-lake-recompute");
            return;
        }
        StreamExecutionEnvironment env =
                StreamExecutionEnvironment.getExecutionEnvironment(LakeTiering.flinkConfig());
        JobClient client = startTiering(env, conf);
        System.out.println(
                "Tiering into " + LakeOptions.lakehouse(conf) + ": job " + client.getJobID());
    }

    /** Enables tiering on the configured tables and submits the tiering job into {@code env}. */
    public static JobClient startTiering(StreamExecutionEnvironment env, Configuration conf)
            throws Exception {
        FlussEndpoint fluss = CommonOptions.endpoint(conf);
        JobSetup.ensureTables(
                fluss, conf.get(CommonOptions.FLUSS_BUCKETS), LakeOptions.tables(conf));
        LakeTiering.enable(fluss, LakeOptions.tables(conf), conf.get(LakeOptions.FRESHNESS));
        int parallelism = conf.get(CommonOptions.PARALLELISM);
        if (parallelism > 0) {
            env.setParallelism(parallelism);
        }
        return LakeTiering.start(
                env, fluss, LakeOptions.lakehouse(conf), conf.get(LakeOptions.POLL_INTERVAL));
    }

    /** Builds the batch recomputation into {@code env} from the options. */
    public static void buildRecompute(StreamExecutionEnvironment env, Configuration conf)
            throws Exception {
        Long from = LakeOptions.instant(conf, LakeOptions.RECOMPUTE_FROM);
        Long to = LakeOptions.instant(conf, LakeOptions.RECOMPUTE_TO);
        if (from == null || to == null) {
            throw new IllegalArgumentException(
                    "--job RECOMPUTE needs --recompute.from and --recompute.to, e.g."
                            + " --recompute.from 2026-01-01T00:00:00Z --recompute.to"
                            + " 2026-01-02T00:00:00Z");
        }
        env.configure(JobSetup.flinkSettings(conf));
        FlussEndpoint fluss = CommonOptions.endpoint(conf);
        String target =
                conf.getOptional(LakeOptions.RECOMPUTE_DATABASE)
                        .orElse(fluss.database() + "_recomputed");
        HistoryRollups.build(
                env,
                new HistoryRollups.Settings(
                        LakeOptions.lakehouse(conf),
                        fluss,
                        from,
                        to,
                        conf.get(LakeOptions.RECOMPUTE_SINK),
                        target,
                        conf.get(CommonOptions.PARALLELISM)),
                conf.get(CommonOptions.UID_PREFIX) + "-lake-recompute");
    }
}
