package dev.gridhouse.deploy;

import dev.gridhouse.contract.grid.GridTables;
import dev.gridhouse.core.config.JobSetup;
import dev.gridhouse.core.io.FlussEndpoint;
import dev.gridhouse.ods.OdsOptions;
import dev.gridhouse.ods.cdc.PostgresDimensions;
import java.io.PrintStream;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import javax.annotation.Nullable;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;

/**
 * {@code gridhouse local}: a real Fluss cluster and a Flink MiniCluster in this JVM, on 127.0.0.1
 * only; loads the device dimension and the topology (the simulator's, or {@code --devices}, {@code
 * --substations}, {@code --lines} CSV files), then runs ODS → DWS → ADS over simulated or file
 * telemetry. Live mode prints the per-region table every few seconds; bounded mode replays the
 * files to the end and can dump every table as CSV.
 *
 * <p>This class orchestrates the run: {@link LocalCluster} starts and stops the clusters, {@link
 * DimensionCdc} captures PostgreSQL's dimensions, {@link LocalReplay} feeds devices and telemetry,
 * {@link LiveConsole} prints the live dashboard and {@link LocalSummary} reports the tables.
 */
public final class LocalRunner {
    private final Configuration conf;
    private final PrintStream out;
    private final LocalReplay replay;
    private final LocalSummary summary;

    /** The dimension CDC job of {@code --devices-source postgres}, while it runs. */
    private @Nullable DimensionCdc dimensionCdc;

    /** Ctrl-C / SIGTERM during {@link #run}. */
    private StopSignal signal;

    /** A run with the {@code gridhouse local} options {@code conf}, printing to {@code out}. */
    public LocalRunner(Configuration conf, PrintStream out) {
        this.conf = conf;
        this.out = out;
        this.replay = new LocalReplay(conf, out);
        this.summary = new LocalSummary(out);
    }

    /**
     * Runs until the replay ends (bounded), {@code --duration} passes or Ctrl-C / SIGTERM (live),
     * then shuts everything down; returns the exit code.
     */
    public int run() throws Exception {
        try (StopSignal s = new StopSignal()) {
            signal = s;
            int code = runStack();
            out.println("Stopped; Fluss and Flink are shut down.");
            out.flush();
            return code;
        }
    }

    private int runStack() throws Exception {
        boolean bounded = checkOptions();
        int code;
        LocalCluster cluster = LocalCluster.start(conf, out);
        try {
            FlussEndpoint endpoint = cluster.endpoint();
            JobSetup.ensureTables(endpoint, 0, GridTables.ALL);
            JobClient tiering =
                    cluster.lake() == null
                            ? null
                            : LocalCluster.startTiering(conf, endpoint, cluster.lake(), out);
            try {
                loadDevices(endpoint);
                if (bounded) {
                    runBounded(endpoint);
                    code = 0;
                } else {
                    code = runLive(endpoint);
                }
                if (tiering != null) {
                    summary.printLake(
                            endpoint, cluster.lake(), bounded, LocalOptions.lakeFreshness(conf));
                }
            } finally {
                stopDimensionCdc();
                LocalCluster.stopTiering(tiering);
            }
        } finally {
            signal.close(cluster);
        }
        return code;
    }

    /** Rejects option combinations that cannot run; true if the run is bounded. */
    private boolean checkOptions() {
        boolean bounded = conf.get(LocalOptions.BOUNDED);
        if (bounded && !conf.getOptional(LocalOptions.TELEMETRY).isPresent()) {
            throw new IllegalArgumentException("--bounded needs --telemetry FILE.jsonl");
        }
        if (conf.getOptional(LocalOptions.DUMP_DIR).isPresent() && !bounded) {
            throw new IllegalArgumentException("--dump-dir needs --bounded");
        }
        String devicesSource = conf.get(OdsOptions.DEVICES_SOURCE);
        if (!"simulator".equals(devicesSource)
                && !PostgresDimensions.SOURCE.equals(devicesSource)
                && !devicesSource.startsWith("csv:")) {
            throw new IllegalArgumentException(
                    "--devices-source must be simulator, csv:<path> or postgres, was "
                            + devicesSource);
        }
        if ((conf.getOptional(LocalOptions.SUBSTATIONS).isPresent()
                        || conf.getOptional(LocalOptions.LINES).isPresent())
                && !conf.getOptional(LocalOptions.DEVICES).isPresent()
                && !devicesSource.startsWith("csv:")) {
            throw new IllegalArgumentException(
                    "--substations and --lines need --devices FILE.csv (the simulator's devices"
                            + " come with the simulator's topology, postgres with grid.substations"
                            + " and grid.lines)");
        }
        return bounded;
    }

    /**
     * Loads the devices and replays {@code --telemetry} to completion into an already running Fluss
     * cluster (tables created if missing), leaving the cluster up: for tests and tools that serve
     * or inspect the result afterwards.
     */
    void replayInto(FlussEndpoint endpoint) throws Exception {
        JobSetup.ensureTables(endpoint, 0, GridTables.ALL);
        loadDevices(endpoint);
        runBounded(endpoint);
    }

    /** The devices from PostgreSQL (CDC, kept running), the CSV files or the simulator. */
    private void loadDevices(FlussEndpoint fluss) throws Exception {
        if (PostgresDimensions.SOURCE.equals(conf.get(OdsOptions.DEVICES_SOURCE))) {
            dimensionCdc = DimensionCdc.start(conf, fluss, out);
            dimensionCdc.awaitSnapshot(fluss);
        } else {
            replay.loadDevices(fluss);
        }
    }

    private void stopDimensionCdc() {
        if (dimensionCdc != null) {
            dimensionCdc.stop(signal);
            dimensionCdc = null;
        }
    }

    private void runBounded(FlussEndpoint fluss) throws Exception {
        replay.replay(fluss);
        String dump = conf.getOptional(LocalOptions.DUMP_DIR).orElse(null);
        if (dump != null) {
            LocalSummary.dumpTables(fluss, Paths.get(dump), LocalSummary.PRODUCED, out);
        }
    }

    private int runLive(FlussEndpoint fluss) throws Exception {
        LocalCluster.Environment live = LocalCluster.environment(conf, Duration.ofSeconds(10));
        replay.live(live.env, fluss);
        JobClient job = live.env.executeAsync("gridhouse-local");
        JobWatch pipeline = new JobWatch("pipeline", job, live.restPort);
        out.println(
                "Pipeline running (job "
                        + job.getJobID()
                        + "). The first region rows appear after the first event-time minute"
                        + " closes. Ctrl-C stops.");
        int servePort = conf.get(ServeCommand.PORT);
        GridApiServer api =
                servePort < 0
                        ? null
                        : GridApiServer.start(fluss, conf.get(ServeCommand.HOST), servePort);
        if (api != null) {
            out.println("Dashboard and query API at " + api.url());
        }
        try {
            new LiveConsole(out, fluss, signal)
                    .run(
                            conf.get(LocalOptions.DURATION),
                            conf.get(LocalOptions.REFRESH),
                            pipeline,
                            dimensionCdc == null ? null : dimensionCdc.watch());
            if (!signal.isStopped()) { // on a signal, Fluss's servers are shutting down too
                summary.printDecisionLatency(fluss);
            }
            return 0;
        } finally {
            signal.clearInterrupt();
            if (api != null) {
                api.close();
            }
            out.println("Stopping the pipeline ...");
            try {
                job.cancel().get(signal.isStopped() ? 10 : 30, TimeUnit.SECONDS);
            } catch (Exception e) {
                // already finished or the cluster is going down
            }
        }
    }
}
