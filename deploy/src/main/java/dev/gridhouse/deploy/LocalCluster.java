package dev.gridhouse.deploy;

import dev.gridhouse.contract.grid.GridTables;
import dev.gridhouse.core.catalog.TableSpec;
import dev.gridhouse.core.config.CommonOptions;
import dev.gridhouse.core.config.JobSetup;
import dev.gridhouse.core.io.FlussEndpoint;
import dev.gridhouse.lake.LakeOptions;
import dev.gridhouse.lake.LakeTiering;
import dev.gridhouse.lake.PaimonLakehouse;
import dev.gridhouse.testing.LocalFlink;
import dev.gridhouse.testing.LocalFlussCluster;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.annotation.Nullable;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * The clusters of {@code gridhouse local}: the embedded Fluss cluster (with the Paimon lake of
 * {@code --lake}), started and stopped here, the Flink MiniCluster environments its jobs run in and
 * the settings they share, and Fluss's lake tiering job.
 */
final class LocalCluster implements AutoCloseable {
    /** The tables {@code --lake} tiers. */
    static final List<TableSpec> TIERED =
            Arrays.asList(
                    GridTables.ODS_GRID_TELEMETRY,
                    GridTables.DWD_GRID_TELEMETRY,
                    GridTables.DWS_DEVICE_MINUTE,
                    GridTables.DWS_REGION_MINUTE,
                    GridTables.DWS_REGION_HOUR,
                    GridTables.DWS_REGION_DAY);

    /** Restarts this many times at most in local runs unless {@code --restart.attempts} says. */
    static final int LOCAL_RESTART_ATTEMPTS = 3;

    private final LocalFlussCluster fluss;
    private final FlussEndpoint endpoint;
    private final @Nullable PaimonLakehouse lake;

    private LocalCluster(
            LocalFlussCluster fluss, FlussEndpoint endpoint, @Nullable PaimonLakehouse lake) {
        this.fluss = fluss;
        this.endpoint = endpoint;
        this.lake = lake;
    }

    /**
     * Starts Fluss on 127.0.0.1: its data in {@code --data-dir} (kept) or a temporary directory
     * (deleted on close), tiering into a Paimon warehouse if {@code --lake}.
     */
    static LocalCluster start(Configuration conf, PrintStream out) throws Exception {
        String dataDir = conf.getOptional(LocalOptions.DATA_DIR).orElse(null);
        PaimonLakehouse lake = conf.get(LocalOptions.LAKE) ? lakehouse(conf, dataDir) : null;
        Map<String, String> serverConfig = lake == null ? Map.of() : lake.serverConfig();
        out.println("Starting Fluss (ZooKeeper, coordinator, tablet server) on 127.0.0.1 ...");
        LocalFlussCluster fluss =
                dataDir == null
                        ? LocalFlussCluster.start(
                                Files.createTempDirectory("gridhouse-fluss-"), true, serverConfig)
                        : LocalFlussCluster.start(Paths.get(dataDir), false, serverConfig);
        FlussEndpoint endpoint =
                new FlussEndpoint(fluss.bootstrapServers(), GridTables.DEFAULT_DATABASE)
                        .withClientOption("client.lookup.batch-timeout", "5ms");
        out.println("Fluss is up at " + fluss.bootstrapServers());
        return new LocalCluster(fluss, endpoint, lake);
    }

    private static PaimonLakehouse lakehouse(Configuration conf, @Nullable String dataDir)
            throws IOException {
        String warehouse =
                conf.getOptional(LakeOptions.WAREHOUSE)
                        .orElse(
                                dataDir != null
                                        ? Paths.get(dataDir, "lake").toString()
                                        : Files.createTempDirectory("gridhouse-lake-").toString());
        return PaimonLakehouse.at(warehouse);
    }

    /** The grid database on this cluster. */
    FlussEndpoint endpoint() {
        return endpoint;
    }

    /** The lake of {@code --lake}, or null. */
    @Nullable
    PaimonLakehouse lake() {
        return lake;
    }

    /** Stops Fluss (and deletes its temporary data). */
    @Override
    public void close() throws Exception {
        fluss.close();
    }

    /** Flink settings of the MiniCluster: loopback only, free ports. */
    static Configuration flinkConfig(int parallelism) {
        return LocalFlink.config(parallelism);
    }

    /**
     * A bounded restart strategy for local runs ({@code --restart.attempts}, default {@value
     * #LOCAL_RESTART_ATTEMPTS}, back-off up to 10 s): a job that keeps failing ends, and the runner
     * reports its root cause instead of restarting forever.
     */
    static void restartStrategy(Configuration options, Configuration jobConf) {
        jobConf.set(
                CommonOptions.RESTART_ATTEMPTS,
                options.getOptional(CommonOptions.RESTART_ATTEMPTS).orElse(LOCAL_RESTART_ATTEMPTS));
        jobConf.set(
                CommonOptions.RESTART_MAX_DELAY,
                options.getOptional(CommonOptions.RESTART_MAX_DELAY)
                        .orElse(Duration.ofSeconds(10)));
    }

    /**
     * A MiniCluster environment for one job of a local run ({@code --parallelism}, the local
     * restart strategy, checkpoints every {@code checkpointInterval} or none if zero).
     */
    static Environment environment(Configuration conf, Duration checkpointInterval) {
        int p = LocalOptions.parallelism(conf);
        Configuration flink = flinkConfig(p);
        int restPort = JobWatch.restPort(flink);
        StreamExecutionEnvironment env =
                StreamExecutionEnvironment.createLocalEnvironment(p, flink);
        Configuration jobConf = new Configuration();
        jobConf.set(CommonOptions.PARALLELISM, p);
        jobConf.set(CommonOptions.CHECKPOINT_INTERVAL, checkpointInterval);
        restartStrategy(conf, jobConf);
        JobSetup.configure(env, jobConf);
        return new Environment(env, restPort);
    }

    /** A job's environment and the REST port of its MiniCluster (for a {@link JobWatch}). */
    static final class Environment {
        final StreamExecutionEnvironment env;
        final int restPort;

        Environment(StreamExecutionEnvironment env, int restPort) {
            this.env = env;
            this.restPort = restPort;
        }
    }

    /** Turns tiering on for {@link #TIERED} and starts Fluss's tiering job on its own Flink. */
    static JobClient startTiering(
            Configuration conf, FlussEndpoint fluss, PaimonLakehouse lake, PrintStream out)
            throws Exception {
        LakeTiering.enable(fluss, TIERED, LocalOptions.lakeFreshness(conf));
        Configuration flink = flinkConfig(1);
        flink.addAll(LakeTiering.flinkConfig());
        // Fluss's tiering job uses generic types of its own
        flink.setString("pipeline.generic-types", "true");
        JobClient job =
                LakeTiering.start(
                        StreamExecutionEnvironment.createLocalEnvironment(1, flink),
                        fluss,
                        lake,
                        Duration.ofSeconds(2));
        out.println(
                "Tiering "
                        + TIERED.size()
                        + " tables into the Paimon warehouse "
                        + lake.warehouse()
                        + " every "
                        + LocalOptions.lakeFreshness(conf).getSeconds()
                        + " s (job "
                        + job.getJobID()
                        + ")");
        return job;
    }

    /** Cancels the tiering job, if there is one. */
    static void stopTiering(@Nullable JobClient tiering) {
        if (tiering == null) {
            return;
        }
        try {
            tiering.cancel().get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            // the MiniCluster is going down anyway
        }
    }
}
