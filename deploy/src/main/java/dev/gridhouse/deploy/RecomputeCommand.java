package dev.gridhouse.deploy;

import dev.gridhouse.core.config.CommonOptions;
import dev.gridhouse.lake.LakeJob;
import dev.gridhouse.lake.LakeOptions;
import java.io.PrintStream;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * {@code gridhouse recompute --recompute.from T --recompute.to T [...]}: the lake jar's RECOMPUTE
 * job on a local Flink (127.0.0.1) against a running Fluss cluster and its Paimon warehouse.
 */
public final class RecomputeCommand {
    private RecomputeCommand() {}

    public static int run(String[] args, PrintStream out) throws Exception {
        Configuration conf = LakeJob.OPTIONS.parse(args);
        if (conf == null) {
            return 0;
        }
        conf.set(LakeOptions.JOB, LakeOptions.LakeJobKind.RECOMPUTE);
        int p = Math.max(1, conf.get(CommonOptions.PARALLELISM));
        StreamExecutionEnvironment env =
                StreamExecutionEnvironment.createLocalEnvironment(p, LocalCluster.flinkConfig(p));
        LakeJob.buildRecompute(env, conf);
        out.println("Recomputing the DWS rollups from the lake history ...");
        env.execute("gridhouse-lake-recompute");
        out.println(
                "Done: dws_device_minute, dws_region_minute, dws_region_hour, dws_region_day in "
                        + conf.get(LakeOptions.RECOMPUTE_SINK)
                        + " database "
                        + conf.getOptional(LakeOptions.RECOMPUTE_DATABASE)
                                .orElse(conf.get(CommonOptions.FLUSS_DATABASE) + "_recomputed"));
        return 0;
    }
}
