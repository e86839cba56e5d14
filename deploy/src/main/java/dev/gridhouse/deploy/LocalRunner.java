package dev.gridhouse.deploy;

import dev.gridhouse.ads.AdsPostgresOptions;
import dev.gridhouse.ads.AdsPostgresSink;
import dev.gridhouse.contract.grid.Device;
import dev.gridhouse.contract.grid.GridLine;
import dev.gridhouse.contract.grid.GridTables;
import dev.gridhouse.contract.grid.Substation;
import dev.gridhouse.core.catalog.TableSpec;
import dev.gridhouse.core.config.GridOptions;
import dev.gridhouse.core.config.JobSetup;
import dev.gridhouse.core.io.FlussEndpoint;
import dev.gridhouse.core.io.FlussIo;
import dev.gridhouse.core.io.TableReader;
import dev.gridhouse.core.model.DeadLetter;
import dev.gridhouse.core.ops.DeadLetters;
import dev.gridhouse.dws.DwsOptions;
import dev.gridhouse.dws.DwsSettings;
import dev.gridhouse.lake.LakeOptions;
import dev.gridhouse.lake.LakeTiering;
import dev.gridhouse.lake.PaimonLakehouse;
import dev.gridhouse.ods.OdsJob;
import dev.gridhouse.ods.OdsOptions;
import dev.gridhouse.ods.OdsPipeline;
import dev.gridhouse.ods.cdc.PostgresCdc;
import dev.gridhouse.ods.cdc.PostgresDimensions;
import dev.gridhouse.ods.cdc.PostgresSettings;
import dev.gridhouse.ods.sim.GridSimulator;
import dev.gridhouse.ods.source.GridSources;
import dev.gridhouse.testing.LocalFlink;
import dev.gridhouse.testing.LocalFlussCluster;
import java.io.PrintStream;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.sql.Connection;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.annotation.Nullable;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.fluss.client.admin.Admin;
import org.apache.fluss.client.admin.OffsetSpec;
import org.apache.fluss.metadata.TablePath;
import org.apache.fluss.row.TimestampNtz;

/**
 * {@code gridhouse local}: a real Fluss cluster and a Flink MiniCluster in this JVM, on 127.0.0.1
 * only; loads the device dimension and the topology (the simulator's, or {@code --devices}, {@code
 * --substations}, {@code --lines} CSV files), then runs ODS → DWS → ADS over simulated or file
 * telemetry. Live mode prints the per-region table every few seconds; bounded mode replays the
 * files to the end and can dump every table as CSV.
 */
public final class LocalRunner {
    private static final DateTimeFormatter HH_MM =
            DateTimeFormatter.ofPattern("HH:mm").withZone(ZoneOffset.UTC);

    /** The tables a local run produces, in layer order. */
    public static final List<TableSpec> PRODUCED =
            Arrays.asList(
                    GridTables.ODS_DEVICES,
                    GridTables.ODS_SUBSTATIONS,
                    GridTables.ODS_LINES,
                    GridTables.ODS_GRID_TELEMETRY,
                    GridTables.ODS_DEAD_LETTER,
                    GridTables.DWD_GRID_TELEMETRY,
                    GridTables.DWS_DEVICE_MINUTE,
                    GridTables.DWS_REGION_MINUTE,
                    GridTables.DWS_REGION_HOUR,
                    GridTables.DWS_REGION_DAY,
                    GridTables.DWS_SUBSTATION_LOAD,
                    GridTables.ADS_GRID_REALTIME,
                    GridTables.ADS_ALARMS,
                    GridTables.ADS_DISPATCH_DECISIONS);

    private final Configuration conf;
    private final PrintStream out;

    /** The dimension CDC job of {@code --devices-source postgres}, while it runs. */
    private @Nullable JobWatch dimensionCdc;

    /** The REST port of the MiniCluster {@link #environment} configured last. */
    private int restPort = -1;

    /** Ctrl-C / SIGTERM during {@link #run}. */
    private StopSignal signal;

    public LocalRunner(Configuration conf, PrintStream out) {
        this.conf = conf;
        this.out = out;
    }

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
        String dataDir = conf.getOptional(LocalOptions.DATA_DIR).orElse(null);
        PaimonLakehouse lake = conf.get(LocalOptions.LAKE) ? lakehouse(dataDir) : null;
        Map<String, String> serverConfig = lake == null ? Map.of() : lake.serverConfig();
        out.println("Starting Fluss (ZooKeeper, coordinator, tablet server) on 127.0.0.1 ...");
        int code;
        LocalFlussCluster fluss =
                dataDir == null
                        ? LocalFlussCluster.start(
                                Files.createTempDirectory("gridhouse-fluss-"), true, serverConfig)
                        : LocalFlussCluster.start(Paths.get(dataDir), false, serverConfig);
        try {
            FlussEndpoint endpoint =
                    new FlussEndpoint(fluss.bootstrapServers(), GridTables.DEFAULT_DATABASE)
                            .withClientOption("client.lookup.batch-timeout", "5ms");
            out.println("Fluss is up at " + fluss.bootstrapServers());
            JobSetup.ensureTables(endpoint, 0, GridTables.ALL);
            JobClient tiering = lake == null ? null : startTiering(endpoint, lake);
            try {
                loadDevices(endpoint);
                if (bounded) {
                    runBounded(endpoint);
                    code = 0;
                } else {
                    code = runLive(endpoint);
                }
                if (tiering != null) {
                    printLake(endpoint, lake, bounded);
                }
            } finally {
                stopDimensionCdc();
                if (tiering != null) {
                    try {
                        tiering.cancel().get(30, TimeUnit.SECONDS);
                    } catch (Exception e) {
                        // the MiniCluster is going down anyway
                    }
                }
            }
        } finally {
            signal.close(fluss);
        }
        return code;
    }

    /** The tables {@code --lake} tiers. */
    public static final List<TableSpec> TIERED =
            Arrays.asList(
                    GridTables.ODS_GRID_TELEMETRY,
                    GridTables.DWD_GRID_TELEMETRY,
                    GridTables.DWS_DEVICE_MINUTE,
                    GridTables.DWS_REGION_MINUTE,
                    GridTables.DWS_REGION_HOUR,
                    GridTables.DWS_REGION_DAY);

    private PaimonLakehouse lakehouse(@Nullable String dataDir) throws java.io.IOException {
        String warehouse =
                conf.getOptional(LakeOptions.WAREHOUSE)
                        .orElse(
                                dataDir != null
                                        ? Paths.get(dataDir, "lake").toString()
                                        : Files.createTempDirectory("gridhouse-lake-").toString());
        return PaimonLakehouse.at(warehouse);
    }

    /** Turns tiering on for {@link #TIERED} and starts Fluss's tiering job on its own Flink. */
    JobClient startTiering(FlussEndpoint fluss, PaimonLakehouse lake) throws Exception {
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

    /**
     * Prints what the lake holds per tiered table; after a bounded replay, first waits (up to a few
     * freshness intervals) until the lake has caught up with Fluss.
     */
    private void printLake(FlussEndpoint fluss, PaimonLakehouse lake, boolean waitForCatchUp)
            throws Exception {
        try (TableReader reader = new TableReader(fluss.toFlussConfig(), fluss.database())) {
            Admin admin = reader.admin();
            if (waitForCatchUp) {
                long deadline =
                        System.nanoTime()
                                + LocalOptions.lakeFreshness(conf).multipliedBy(4).toNanos()
                                + Duration.ofSeconds(30).toNanos();
                for (TableSpec t : TIERED) {
                    TablePath path = TablePath.of(fluss.database(), t.name());
                    while (!LakeTiering.caughtUp(admin, path) && System.nanoTime() < deadline) {
                        Thread.sleep(500);
                    }
                }
            }
            out.println("Lake (" + lake.warehouse() + "):");
            for (TableSpec t : TIERED) {
                TablePath path = TablePath.of(fluss.database(), t.name());
                String state;
                try {
                    org.apache.fluss.client.metadata.LakeSnapshot s =
                            admin.getLatestLakeSnapshot(path).get();
                    long tiered =
                            s.getTableBucketsOffset().values().stream().mapToLong(v -> v).sum();
                    state =
                            "snapshot "
                                    + s.getSnapshotId()
                                    + ", "
                                    + tiered
                                    + " of "
                                    + totalRows(reader, fluss, t)
                                    + " log records tiered";
                } catch (java.util.concurrent.ExecutionException e) {
                    state = "nothing tiered yet";
                }
                out.println("  " + t.name() + ": " + state);
            }
        }
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

    /** Flink settings of the MiniCluster: loopback only, free ports. */
    static Configuration flinkConfig(int parallelism) {
        return LocalFlink.config(parallelism);
    }

    private StreamExecutionEnvironment environment(boolean checkpoints) {
        int p = LocalOptions.parallelism(conf);
        Configuration flink = flinkConfig(p);
        restPort = JobWatch.restPort(flink);
        StreamExecutionEnvironment env =
                StreamExecutionEnvironment.createLocalEnvironment(p, flink);
        Configuration jobConf = new Configuration();
        jobConf.set(GridOptions.PARALLELISM, p);
        jobConf.set(
                GridOptions.CHECKPOINT_INTERVAL,
                checkpoints ? Duration.ofSeconds(10) : Duration.ZERO);
        restartStrategy(conf, jobConf);
        JobSetup.configure(env, jobConf);
        return env;
    }

    /** Restarts this many times at most in local runs unless {@code --restart.attempts} says. */
    static final int LOCAL_RESTART_ATTEMPTS = 3;

    /**
     * A bounded restart strategy for local runs ({@code --restart.attempts}, default {@value
     * #LOCAL_RESTART_ATTEMPTS}, back-off up to 10 s): a job that keeps failing ends, and the runner
     * reports its root cause instead of restarting forever.
     */
    static void restartStrategy(Configuration options, Configuration jobConf) {
        jobConf.set(
                GridOptions.RESTART_ATTEMPTS,
                options.getOptional(GridOptions.RESTART_ATTEMPTS).orElse(LOCAL_RESTART_ATTEMPTS));
        jobConf.set(
                GridOptions.RESTART_MAX_DELAY,
                options.getOptional(GridOptions.RESTART_MAX_DELAY).orElse(Duration.ofSeconds(10)));
    }

    private Configuration simulatorConf() {
        Configuration sim = new Configuration();
        sim.set(OdsOptions.SIM_DEVICE_COUNT, conf.get(LocalOptions.DEVICE_COUNT));
        sim.set(OdsOptions.SIM_RATE, conf.get(LocalOptions.RATE));
        sim.set(OdsOptions.SIM_SEED, conf.get(LocalOptions.SEED));
        return sim;
    }

    private void loadDevices(FlussEndpoint fluss) throws Exception {
        if (PostgresDimensions.SOURCE.equals(conf.get(OdsOptions.DEVICES_SOURCE))) {
            startDimensionCdc(fluss);
            return;
        }
        try (FlussIo.PreparedSinks ignored =
                FlussIo.prepareSinks(
                        fluss,
                        Arrays.asList(
                                GridTables.ODS_DEVICES,
                                GridTables.ODS_SUBSTATIONS,
                                GridTables.ODS_LINES,
                                GridTables.ODS_DEAD_LETTER))) {
            loadDevices(fluss, environment(false));
        }
    }

    private void loadDevices(FlussEndpoint fluss, StreamExecutionEnvironment env) throws Exception {
        String uid = "gridhouse";
        List<DataStream<DeadLetter>> deadLetters = new ArrayList<>();
        DataStream<Device> devices;
        String csv = conf.getOptional(LocalOptions.DEVICES).orElse(null);
        String source = conf.get(OdsOptions.DEVICES_SOURCE);
        if (csv == null && source.startsWith("csv:")) {
            csv = source.substring("csv:".length());
        }
        String substationsCsv = conf.getOptional(LocalOptions.SUBSTATIONS).orElse(null);
        String linesCsv = conf.getOptional(LocalOptions.LINES).orElse(null);
        if (csv != null) {
            SingleOutputStreamOperator<Device> parsed =
                    OdsPipeline.parseDeviceCsv(
                            GridSources.fileLines(env, csv, "devices", Duration.ZERO, uid), uid);
            deadLetters.add(parsed.getSideOutput(DeadLetters.TAG));
            devices = parsed;
            if (substationsCsv != null) {
                SingleOutputStreamOperator<Substation> substations =
                        OdsPipeline.parseSubstationCsv(
                                GridSources.fileLines(
                                        env, substationsCsv, "substations", Duration.ZERO, uid),
                                uid);
                deadLetters.add(substations.getSideOutput(DeadLetters.TAG));
                OdsPipeline.writeSubstations(substations, fluss, uid);
            }
            if (linesCsv != null) {
                SingleOutputStreamOperator<GridLine> lines =
                        OdsPipeline.parseLineCsv(
                                GridSources.fileLines(env, linesCsv, "lines", Duration.ZERO, uid),
                                uid);
                deadLetters.add(lines.getSideOutput(DeadLetters.TAG));
                OdsPipeline.writeLines(lines, fluss, uid);
            }
        } else {
            GridSimulator sim = OdsJob.simulator(simulatorConf());
            devices = GridSources.simulatedDevices(env, sim, uid);
            OdsPipeline.writeTopology(env, sim, fluss, uid);
        }
        OdsPipeline.writeDevices(devices, fluss, uid);
        if (!deadLetters.isEmpty()) {
            DataStream<DeadLetter> all = deadLetters.get(0);
            for (int i = 1; i < deadLetters.size(); i++) {
                all = all.union(deadLetters.get(i));
            }
            OdsPipeline.writeDeadLetters(all, fluss, uid + "-devices");
        }
        if (csv != null && (substationsCsv != null || linesCsv != null)) {
            out.println(
                    "Loading the device dimension and topology into ods_devices,"
                            + " ods_substations, ods_lines ...");
        } else {
            out.println("Loading the device dimension into ods_devices ...");
        }
        env.execute("gridhouse-local-devices");
        if (csv != null) {
            reportTopology(fluss, substationsCsv != null, linesCsv != null);
        }
    }

    /**
     * After CSV devices were loaded: how much topology there is, and a warning if the dispatch
     * decisions cannot work without it (the simulator's devices always come with a topology).
     */
    private void reportTopology(FlussEndpoint fluss, boolean substationsGiven, boolean linesGiven)
            throws Exception {
        long substations = 0;
        long lines = 0;
        if (substationsGiven || linesGiven) {
            try (TableReader reader = new TableReader(fluss.toFlussConfig(), fluss.database())) {
                Duration timeout = Duration.ofMinutes(1);
                substations =
                        substationsGiven
                                ? reader.readAll(GridTables.ODS_SUBSTATIONS, timeout).size()
                                : 0;
                lines = linesGiven ? reader.readAll(GridTables.ODS_LINES, timeout).size() : 0;
            }
            out.println("Topology: " + substations + " substations, " + lines + " lines.");
        }
        String warning = topologyWarning(substationsGiven, substations, linesGiven, lines);
        if (warning != null) {
            out.println(warning);
        }
    }

    /**
     * The warning for a run with CSV devices whose topology cannot support dispatch decisions, or
     * null if it can: without substations every alarm is skipped by the {@code DispatchDecider};
     * without lines no load can be moved.
     *
     * @param substations the rows in {@code ods_substations} (0 if {@code --substations} is absent)
     * @param lines the rows in {@code ods_lines} (0 if {@code --lines} is absent)
     */
    static @Nullable String topologyWarning(
            boolean substationsGiven, long substations, boolean linesGiven, long lines) {
        String noDecisions =
                ": dispatch decisions cannot be made; ads_dispatch_decisions will stay empty.";
        if (!substationsGiven && !linesGiven) {
            return "No topology (--substations/--lines)" + noDecisions;
        }
        if (substations == 0) {
            return (substationsGiven
                            ? "No substations loaded from --substations (rejected rows are in"
                                    + " ods_dead_letter)"
                            : "No substations (--substations)")
                    + noDecisions;
        }
        if (lines == 0) {
            return (linesGiven
                            ? "No lines loaded from --lines (rejected rows are in"
                                    + " ods_dead_letter)"
                            : "No lines (--lines)")
                    + ": dispatch decisions cannot transfer load; all required load stays"
                    + " unserved.";
        }
        return null;
    }

    /**
     * {@code --devices-source postgres}: starts the CDC job of {@code grid.devices}, {@code
     * grid.substations} and {@code grid.lines} into the ODS tables (it keeps running beside the
     * pipeline, so later changes arrive too) and waits until the snapshot is in Fluss: every table
     * holds as many rows as PostgreSQL does.
     */
    private void startDimensionCdc(FlussEndpoint fluss) throws Exception {
        Map<String, String> env = System.getenv();
        Configuration job = new Configuration(conf);
        job.set(GridOptions.FLUSS_BOOTSTRAP_SERVERS, fluss.bootstrapServers());
        job.set(GridOptions.UID_PREFIX, "gridhouse");
        PostgresSettings pg = PostgresSettings.of(job, "gridhouse", env);
        int p = LocalOptions.parallelism(conf);
        Configuration flink = flinkConfig(p);
        StreamExecutionEnvironment cdc =
                StreamExecutionEnvironment.createLocalEnvironment(p, flink);
        Configuration jobConf = new Configuration();
        jobConf.set(GridOptions.PARALLELISM, p);
        jobConf.set(GridOptions.CHECKPOINT_INTERVAL, Duration.ofSeconds(5));
        restartStrategy(conf, jobConf);
        JobSetup.configure(cdc, jobConf);
        List<DataStream<DeadLetter>> deadLetters = new ArrayList<>();
        PostgresCdc.build(PostgresDimensions.ODS, cdc, job, fluss, "gridhouse", deadLetters, env);
        OdsPipeline.writeDeadLetters(deadLetters.get(0), fluss, "gridhouse-ods");
        out.println("Capturing grid.devices, grid.substations, grid.lines from " + pg + " ...");
        dimensionCdc =
                new JobWatch(
                        "dimension CDC",
                        cdc.executeAsync("gridhouse-local-dimensions-cdc"),
                        JobWatch.restPort(flink));
        long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
        try (Connection c = PgCommands.connect(job, env);
                TableReader reader = new TableReader(fluss.toFlussConfig(), fluss.database())) {
            while (true) {
                failIfEnded(dimensionCdc);
                long[] sql = {
                    count(c, "grid.devices"), count(c, "grid.substations"), count(c, "grid.lines")
                };
                long[] ods = {
                    reader.readAll(GridTables.ODS_DEVICES, Duration.ofSeconds(30)).size(),
                    reader.readAll(GridTables.ODS_SUBSTATIONS, Duration.ofSeconds(30)).size(),
                    reader.readAll(GridTables.ODS_LINES, Duration.ofSeconds(30)).size()
                };
                if (Arrays.equals(sql, ods)) {
                    out.println(
                            "Loaded "
                                    + ods[0]
                                    + " devices, "
                                    + ods[1]
                                    + " substations and "
                                    + ods[2]
                                    + " lines from PostgreSQL; CDC keeps them current.");
                    return;
                }
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException(
                            "The dimension snapshot did not arrive in 3 min: PostgreSQL has "
                                    + Arrays.toString(sql)
                                    + " devices/substations/lines, Fluss "
                                    + Arrays.toString(ods)
                                    + " ("
                                    + dimensionCdc.describe()
                                    + ")");
                }
                Thread.sleep(500);
            }
        }
    }

    private static long count(Connection c, String table) throws java.sql.SQLException {
        try (java.sql.Statement st = c.createStatement();
                java.sql.ResultSet rs = st.executeQuery("SELECT count(*) FROM " + table)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** Cancels the dimension CDC job and drops its replication slot and publication. */
    private void stopDimensionCdc() {
        if (dimensionCdc == null) {
            return;
        }
        signal.clearInterrupt();
        try {
            dimensionCdc.job().cancel().get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            // already ended
        }
        Configuration job = new Configuration(conf);
        job.set(GridOptions.UID_PREFIX, "gridhouse");
        PostgresSettings pg = PostgresSettings.of(job, "gridhouse", System.getenv());
        try (Connection c = PgCommands.connect(job, System.getenv())) {
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (!PgCommands.cleanup(c, pg.slotName, pg.publicationName, out).isEmpty()
                    && System.nanoTime() < deadline) {
                Thread.sleep(500);
            }
        } catch (Exception e) {
            out.println(
                    "Could not drop the CDC slot/publication ("
                            + e.getMessage()
                            + "); run gridhouse pg-cleanup --slot "
                            + pg.slotName
                            + " --publication "
                            + pg.publicationName);
        }
        dimensionCdc = null;
    }

    /**
     * Throws {@link JobWatch.JobFailedException} with the root cause if the watched job has ended
     * in failure (its restarts used up).
     */
    static void failIfEnded(@Nullable JobWatch watch) {
        if (watch == null) {
            return;
        }
        JobStatus status = watch.status();
        if (status.isGloballyTerminalState()) {
            Throwable cause =
                    status == JobStatus.FAILED ? watch.failureCause(Duration.ofSeconds(30)) : null;
            throw new JobWatch.JobFailedException(watch.name(), status, cause);
        }
    }

    /** The PostgreSQL dashboard sink if {@code --pg-sink.enabled}, its tables created. */
    private @Nullable AdsPostgresSink postgresSink() throws java.sql.SQLException {
        AdsPostgresSink sink = AdsPostgresSink.fromConfig(conf, System.getenv());
        if (sink != null) {
            sink.createTables();
            out.println(
                    "Dashboard tables in PostgreSQL: "
                            + conf.get(AdsPostgresOptions.SCHEMA)
                            + ".grid_realtime, "
                            + conf.get(AdsPostgresOptions.SCHEMA)
                            + ".alarms");
        }
        return sink;
    }

    private DwsSettings dwsSettings(boolean bounded) {
        Configuration dws = new Configuration();
        dws.set(DwsOptions.OUT_OF_ORDERNESS, conf.get(DwsOptions.OUT_OF_ORDERNESS));
        dws.set(DwsOptions.ALLOWED_LATENESS, conf.get(DwsOptions.ALLOWED_LATENESS));
        // a bounded replay keeps input order through the lookup; live mode may reorder
        dws.set(DwsOptions.LOOKUP_ORDERED, true);
        dws.set(DwsOptions.LOOKUP_MODE, conf.get(DwsOptions.LOOKUP_MODE));
        return DwsSettings.from(dws, LocalOptions.parallelism(conf));
    }

    private void runBounded(FlussEndpoint fluss) throws Exception {
        StreamExecutionEnvironment env = environment(false);
        DataStream<String> raw =
                GridSources.fileLines(
                        env,
                        conf.get(LocalOptions.TELEMETRY),
                        "telemetry",
                        Duration.ZERO,
                        "gridhouse");
        try (FlussIo.PreparedSinks ignored = FlussIo.prepareSinks(fluss, GridTables.ALL)) {
            ComposedPipeline.build(
                    raw, fluss, dwsSettings(true), true, "gridhouse", postgresSink());
        }
        out.println(
                "Replaying " + conf.get(LocalOptions.TELEMETRY) + " through ODS → DWS → ADS ...");
        env.execute("gridhouse-local-replay");
        out.println("Replay finished.");
        String dump = conf.getOptional(LocalOptions.DUMP_DIR).orElse(null);
        if (dump != null) {
            dumpTables(fluss, Paths.get(dump), PRODUCED, out);
        }
    }

    /** Writes each table as {@code dir/<table>.csv}. */
    public static void dumpTables(
            FlussEndpoint fluss, Path dir, List<TableSpec> tables, PrintStream out)
            throws Exception {
        Files.createDirectories(dir);
        try (TableReader reader = new TableReader(fluss.toFlussConfig(), fluss.database())) {
            for (TableSpec t : tables) {
                List<Object[]> rows = reader.readAll(t, Duration.ofMinutes(2));
                Path file = dir.resolve(t.name() + ".csv");
                try (Writer w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
                    TableFormat.writeCsv(t, rows, w);
                }
                out.println("  " + file + "  (" + rows.size() + " rows)");
            }
        }
    }

    private int runLive(FlussEndpoint fluss) throws Exception {
        StreamExecutionEnvironment env = environment(true);
        String uid = "gridhouse";
        DataStream<String> raw =
                conf.getOptional(LocalOptions.TELEMETRY).isPresent()
                        ? GridSources.fileLines(
                                env,
                                conf.get(LocalOptions.TELEMETRY),
                                "telemetry",
                                Duration.ZERO,
                                uid)
                        : GridSources.simulatedTelemetry(
                                env, OdsJob.simulator(simulatorConf()), uid, true);
        try (FlussIo.PreparedSinks ignored = FlussIo.prepareSinks(fluss, GridTables.ALL)) {
            ComposedPipeline.build(raw, fluss, dwsSettings(false), false, uid, postgresSink());
        }
        JobClient job = env.executeAsync("gridhouse-local");
        JobWatch pipeline = new JobWatch("pipeline", job, restPort);
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
            Duration duration = conf.get(LocalOptions.DURATION);
            long deadline =
                    duration.isZero() ? Long.MAX_VALUE : System.nanoTime() + duration.toNanos();
            long refreshMs = conf.get(LocalOptions.REFRESH).toMillis();
            try (TableReader reader = new TableReader(fluss.toFlussConfig(), fluss.database())) {
                long lastCount = 0;
                long lastTime = System.nanoTime();
                while (System.nanoTime() < deadline) {
                    if (signal.await(refreshMs)) {
                        break;
                    }
                    failIfEnded(pipeline);
                    failIfEnded(dimensionCdc);
                    long count = totalRows(reader, fluss, GridTables.ODS_GRID_TELEMETRY);
                    long dead = totalRows(reader, fluss, GridTables.ODS_DEAD_LETTER);
                    long now = System.nanoTime();
                    double rate = (count - lastCount) * 1e9 / (now - lastTime);
                    lastCount = count;
                    lastTime = now;
                    printRegions(reader, rate, count, dead);
                    out.println(jobsLine(pipeline));
                }
            } catch (Exception e) {
                if (!signal.isStopped()) {
                    throw e;
                } // interrupted by Ctrl-C / SIGTERM while reading: stop
            }
            if (!signal.isStopped()) { // on a signal, Fluss's servers are shutting down too
                try (TableReader reader =
                        new TableReader(fluss.toFlussConfig(), fluss.database())) {
                    printDecisionLatency(reader);
                }
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

    private String jobsLine(JobWatch pipeline) {
        return dimensionCdc == null
                ? "jobs: " + pipeline.describe()
                : "jobs: " + pipeline.describe() + "; " + dimensionCdc.describe();
    }

    /**
     * The distribution of {@code decision_latency_ms} (decision time − event time) over the
     * dispatch decisions of this run: count, p50, p99 and max (nearest-rank percentiles).
     */
    private void printDecisionLatency(TableReader reader) throws Exception {
        List<Object[]> rows =
                reader.readAll(GridTables.ADS_DISPATCH_DECISIONS, Duration.ofSeconds(30));
        int col = GridTables.ADS_DISPATCH_DECISIONS.columnNames().indexOf("decision_latency_ms");
        long[] latencies = rows.stream().mapToLong(r -> (Long) r[col]).sorted().toArray();
        if (latencies.length == 0) {
            out.println("Dispatch decisions: none in this run.");
            return;
        }
        out.printf(
                "Dispatch decisions: %d; decision latency (decided_at - event time) p50 %d ms,"
                        + " p99 %d ms, max %d ms (budget 300 ms)%n",
                latencies.length,
                percentile(latencies, 50),
                percentile(latencies, 99),
                latencies[latencies.length - 1]);
    }

    /** Nearest-rank percentile of sorted values. */
    static long percentile(long[] sorted, double p) {
        int rank = (int) Math.ceil(p / 100.0 * sorted.length);
        return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
    }

    static long totalRows(TableReader reader, FlussEndpoint fluss, TableSpec table)
            throws Exception {
        Admin admin = reader.connection().getAdmin();
        TablePath path = TablePath.of(fluss.database(), table.name());
        int buckets = admin.getTableInfo(path).get().getNumBuckets();
        List<Integer> ids = new ArrayList<>();
        for (int i = 0; i < buckets; i++) {
            ids.add(i);
        }
        long total = 0;
        for (Map.Entry<Integer, Long> e :
                admin.listOffsets(path, ids, new OffsetSpec.LatestSpec()).all().get().entrySet()) {
            total += e.getValue();
        }
        return total;
    }

    private void printRegions(TableReader reader, double rate, long telemetry, long dead)
            throws Exception {
        List<Object[]> rows = reader.readAll(GridTables.ADS_GRID_REALTIME, Duration.ofSeconds(30));
        List<String> cols = GridTables.ADS_GRID_REALTIME.columnNames();
        List<String> header =
                Arrays.asList(
                        "region",
                        "minute",
                        "devices",
                        "load_mw",
                        "generation_mw",
                        "balance_mw",
                        "avg_freq_hz",
                        "stability_%",
                        "records/s",
                        "faults",
                        "alarms");
        List<String[]> lines = new ArrayList<>();
        for (Object[] r : rows) {
            long samples = (Long) r[cols.indexOf("sample_count")];
            lines.add(
                    new String[] {
                        (String) r[cols.indexOf("region")],
                        HH_MM.format(
                                Instant.ofEpochMilli(
                                        ((TimestampNtz) r[cols.indexOf("window_start")])
                                                .getMillisecond())),
                        String.valueOf(r[cols.indexOf("device_count")]),
                        String.format("%.1f", (Double) r[cols.indexOf("load_mw")]),
                        String.format("%.1f", (Double) r[cols.indexOf("generation_mw")]),
                        String.format("%.1f", (Double) r[cols.indexOf("balance_mw")]),
                        String.format("%.3f", (Double) r[cols.indexOf("avg_frequency_hz")]),
                        String.format("%.2f", (Double) r[cols.indexOf("frequency_stability_pct")]),
                        String.format("%.0f", samples / 60.0),
                        String.valueOf(r[cols.indexOf("fault_count")]),
                        String.valueOf(r[cols.indexOf("active_alarm_count")])
                    });
        }
        out.printf(
                "%n[%s] telemetry in: %.0f rec/s, %d accepted, %d dead letters%n",
                Instant.now().toString().substring(11, 19), rate, telemetry, dead);
        if (lines.isEmpty()) {
            out.println("(waiting for the first event-time minute to close)");
        } else {
            out.print(TableFormat.table(header, lines));
        }
        out.flush();
    }
}
