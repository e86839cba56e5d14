package dev.gridhouse.deploy;

import dev.gridhouse.ads.AdsPostgresOptions;
import dev.gridhouse.ads.AdsPostgresSink;
import dev.gridhouse.contract.grid.Device;
import dev.gridhouse.contract.grid.GridLine;
import dev.gridhouse.contract.grid.GridTables;
import dev.gridhouse.contract.grid.Substation;
import dev.gridhouse.core.io.FlussEndpoint;
import dev.gridhouse.core.io.FlussIo;
import dev.gridhouse.core.io.TableReader;
import dev.gridhouse.core.model.DeadLetter;
import dev.gridhouse.core.ops.DeadLetters;
import dev.gridhouse.dws.DwsOptions;
import dev.gridhouse.dws.DwsSettings;
import dev.gridhouse.ods.OdsJob;
import dev.gridhouse.ods.OdsOptions;
import dev.gridhouse.ods.OdsPipeline;
import dev.gridhouse.ods.sim.GridSimulator;
import dev.gridhouse.ods.source.GridSources;
import java.io.PrintStream;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import javax.annotation.Nullable;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * What a local run feeds into Fluss: the device dimension and topology (the simulator's, or the
 * {@code --devices}, {@code --substations}, {@code --lines} CSV files), and the telemetry of {@code
 * --telemetry} (replayed to its end in bounded mode) or the simulator, through ODS → DWS → ADS.
 */
final class LocalReplay {
    private static final String UID = "gridhouse";

    private final Configuration conf;
    private final PrintStream out;

    LocalReplay(Configuration conf, PrintStream out) {
        this.conf = conf;
        this.out = out;
    }

    /** Loads the simulator's or the CSV files' devices and topology in a bounded job. */
    void loadDevices(FlussEndpoint fluss) throws Exception {
        try (FlussIo.PreparedSinks ignored =
                FlussIo.prepareSinks(
                        fluss,
                        Arrays.asList(
                                GridTables.ODS_DEVICES,
                                GridTables.ODS_SUBSTATIONS,
                                GridTables.ODS_LINES,
                                GridTables.ODS_DEAD_LETTER))) {
            loadDevices(fluss, LocalCluster.environment(conf, Duration.ZERO).env);
        }
    }

    private void loadDevices(FlussEndpoint fluss, StreamExecutionEnvironment env) throws Exception {
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
                            GridSources.fileLines(env, csv, "devices", Duration.ZERO, UID), UID);
            deadLetters.add(parsed.getSideOutput(DeadLetters.TAG));
            devices = parsed;
            if (substationsCsv != null) {
                SingleOutputStreamOperator<Substation> substations =
                        OdsPipeline.parseSubstationCsv(
                                GridSources.fileLines(
                                        env, substationsCsv, "substations", Duration.ZERO, UID),
                                UID);
                deadLetters.add(substations.getSideOutput(DeadLetters.TAG));
                OdsPipeline.writeSubstations(substations, fluss, UID);
            }
            if (linesCsv != null) {
                SingleOutputStreamOperator<GridLine> lines =
                        OdsPipeline.parseLineCsv(
                                GridSources.fileLines(env, linesCsv, "lines", Duration.ZERO, UID),
                                UID);
                deadLetters.add(lines.getSideOutput(DeadLetters.TAG));
                OdsPipeline.writeLines(lines, fluss, UID);
            }
        } else {
            GridSimulator sim = OdsJob.simulator(simulatorConf());
            devices = GridSources.simulatedDevices(env, sim, UID);
            OdsPipeline.writeTopology(env, sim, fluss, UID);
        }
        OdsPipeline.writeDevices(devices, fluss, UID);
        if (!deadLetters.isEmpty()) {
            DataStream<DeadLetter> all = deadLetters.get(0);
            for (int i = 1; i < deadLetters.size(); i++) {
                all = all.union(deadLetters.get(i));
            }
            OdsPipeline.writeDeadLetters(all, fluss, UID + "-devices");
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

    /** Replays {@code --telemetry} through ODS → DWS → ADS to its end. */
    void replay(FlussEndpoint fluss) throws Exception {
        StreamExecutionEnvironment env = LocalCluster.environment(conf, Duration.ZERO).env;
        DataStream<String> raw =
                GridSources.fileLines(
                        env, conf.get(LocalOptions.TELEMETRY), "telemetry", Duration.ZERO, UID);
        try (FlussIo.PreparedSinks ignored = FlussIo.prepareSinks(fluss, GridTables.ALL)) {
            ComposedPipeline.build(raw, fluss, dwsSettings(true), true, UID, postgresSink());
        }
        out.println(
                "Replaying " + conf.get(LocalOptions.TELEMETRY) + " through ODS → DWS → ADS ...");
        env.execute("gridhouse-local-replay");
        out.println("Replay finished.");
    }

    /**
     * Builds the live pipeline into {@code env}: ODS → DWS → ADS over {@code --telemetry} or,
     * without it, the simulator's telemetry.
     */
    void live(StreamExecutionEnvironment env, FlussEndpoint fluss) throws Exception {
        DataStream<String> raw =
                conf.getOptional(LocalOptions.TELEMETRY).isPresent()
                        ? GridSources.fileLines(
                                env,
                                conf.get(LocalOptions.TELEMETRY),
                                "telemetry",
                                Duration.ZERO,
                                UID)
                        : GridSources.simulatedTelemetry(
                                env, OdsJob.simulator(simulatorConf()), UID, true);
        try (FlussIo.PreparedSinks ignored = FlussIo.prepareSinks(fluss, GridTables.ALL)) {
            ComposedPipeline.build(raw, fluss, dwsSettings(false), false, UID, postgresSink());
        }
    }

    private Configuration simulatorConf() {
        Configuration sim = new Configuration();
        sim.set(OdsOptions.SIM_DEVICE_COUNT, conf.get(LocalOptions.DEVICE_COUNT));
        sim.set(OdsOptions.SIM_RATE, conf.get(LocalOptions.RATE));
        sim.set(OdsOptions.SIM_SEED, conf.get(LocalOptions.SEED));
        return sim;
    }

    /** The PostgreSQL dashboard sink if {@code --pg-sink.enabled}, its tables created. */
    private @Nullable AdsPostgresSink postgresSink() throws SQLException {
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
}
