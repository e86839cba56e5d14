package dev.gridhouse.ods;

import dev.gridhouse.contract.Pipelines;
import dev.gridhouse.contract.grid.Device;
import dev.gridhouse.contract.grid.GridLine;
import dev.gridhouse.contract.grid.GridTables;
import dev.gridhouse.contract.grid.Substation;
import dev.gridhouse.contract.grid.Telemetry;
import dev.gridhouse.core.config.CommonOptions;
import dev.gridhouse.core.config.JobOptions;
import dev.gridhouse.core.config.JobSelector;
import dev.gridhouse.core.config.JobSetup;
import dev.gridhouse.core.io.FlussEndpoint;
import dev.gridhouse.core.model.DeadLetter;
import dev.gridhouse.core.ops.DeadLetters;
import dev.gridhouse.ods.cdc.PostgresCdc;
import dev.gridhouse.ods.cdc.PostgresDimensions;
import dev.gridhouse.ods.cdc.PostgresOptions;
import dev.gridhouse.ods.service.ServiceOds;
import dev.gridhouse.ods.sim.GridSimulator;
import dev.gridhouse.ods.sim.SimulatorConfig;
import dev.gridhouse.ods.source.GridSources;
import dev.gridhouse.ods.source.KafkaTelemetrySource;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import javax.annotation.Nullable;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * The ODS job: telemetry (simulator, JSON-lines files, Kafka JSON or Avro) → validation → {@code
 * ods_grid_telemetry}; devices (simulator or CSV) → {@code ods_devices}; with CSV devices, the
 * topology from {@code --substations-source csv:…} and {@code --lines-source csv:…} → {@code
 * ods_substations}, {@code ods_lines}; every reject → {@code ods_dead_letter}.
 *
 * <p>The main of the ODS jar is a {@link JobSelector}: this job by default ({@code --pipeline
 * grid}), the ticket warehouse's ODS ({@link ServiceOds}) with {@code --pipeline service}; each has
 * its own options and {@code --help}.
 *
 * <pre>flink run pipeline-ods-*-job.jar --fluss.bootstrap-servers host:9123 \
 *     --telemetry-source file:/data/telemetry --devices-source csv:/data/devices.csv \
 *     --substations-source csv:/data/substations.csv --lines-source csv:/data/lines.csv</pre>
 */
public final class OdsJob {
    private OdsJob() {}

    public static final JobOptions OPTIONS =
            JobOptions.of(
                    "ods",
                    "Validates raw telemetry, device and topology data into the ODS tables."
                            + " --devices-source postgres captures grid.devices, grid.substations"
                            + " and grid.lines by CDC (--pg.*; slot and publication suffix"
                            + " ods_dims).",
                    CommonOptions.common(),
                    OdsOptions.all(),
                    PostgresOptions.all());

    /** The jobs of the ODS jar, chosen by {@code --pipeline}. */
    public static final JobSelector JOBS =
            JobSelector.of(
                    "the ODS jar",
                    Pipelines.PIPELINE,
                    new JobSelector.Job(
                            Pipelines.GRID,
                            "power-grid ODS: telemetry, devices and topology ("
                                    + OdsJob.class.getName()
                                    + ")",
                            OPTIONS,
                            OdsJob::run),
                    new JobSelector.Job(
                            Pipelines.SERVICE,
                            "ticket warehouse ODS from PostgreSQL CDC ("
                                    + ServiceOds.class.getName()
                                    + ")",
                            ServiceOds.OPTIONS,
                            ServiceOds::run));

    /** Runs the job {@code --pipeline} names (default grid) with the other arguments. */
    public static void main(String[] args) throws Exception {
        JOBS.run(args);
    }

    /** Builds the grid ODS graph of {@code conf} and executes it. */
    public static void run(Configuration conf) throws Exception {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        build(env, conf);
        env.execute("gridhouse-ods");
    }

    /** Builds the job graph into {@code env}, creating the ODS tables. */
    public static void build(StreamExecutionEnvironment env, Configuration conf) {
        JobSetup.configure(env, conf);
        String uid = conf.get(CommonOptions.UID_PREFIX);
        FlussEndpoint fluss = CommonOptions.endpoint(conf);
        JobSetup.ensureTables(
                fluss,
                conf.get(CommonOptions.FLUSS_BUCKETS),
                Arrays.asList(
                        GridTables.ODS_DEVICES,
                        GridTables.ODS_SUBSTATIONS,
                        GridTables.ODS_LINES,
                        GridTables.ODS_GRID_TELEMETRY,
                        GridTables.ODS_DEAD_LETTER));

        List<DataStream<DeadLetter>> deadLetters = new ArrayList<>();
        DataStream<Telemetry> telemetry = telemetry(env, conf, uid, deadLetters);
        if (telemetry != null) {
            OdsPipeline.writeTelemetry(telemetry, fluss, uid);
        }
        if (PostgresDimensions.SOURCE.equals(conf.get(OdsOptions.DEVICES_SOURCE))) {
            PostgresCdc.build(
                    PostgresDimensions.ODS, env, conf, fluss, uid, deadLetters, System.getenv());
        } else {
            DataStream<Device> devices = devices(env, conf, uid, deadLetters);
            if (devices != null) {
                OdsPipeline.writeDevices(devices, fluss, uid);
            }
        }
        DataStream<Substation> substations = substations(env, conf, uid, deadLetters);
        if (substations != null) {
            OdsPipeline.writeSubstations(substations, fluss, uid);
        }
        DataStream<GridLine> lines = lines(env, conf, uid, deadLetters);
        if (lines != null) {
            OdsPipeline.writeLines(lines, fluss, uid);
        }
        if (!deadLetters.isEmpty()) {
            DataStream<DeadLetter> all = deadLetters.get(0);
            for (int i = 1; i < deadLetters.size(); i++) {
                all = all.union(deadLetters.get(i));
            }
            OdsPipeline.writeDeadLetters(all, fluss, uid + "-ods");
        }
    }

    /** The validated telemetry of {@code --telemetry-source}, or null for {@code none}. */
    public static @Nullable SingleOutputStreamOperator<Telemetry> telemetry(
            StreamExecutionEnvironment env,
            Configuration conf,
            String uid,
            List<DataStream<DeadLetter>> deadLetters) {
        String source = conf.get(OdsOptions.TELEMETRY_SOURCE);
        String format = conf.get(OdsOptions.TELEMETRY_FORMAT);
        if (!"json".equals(format) && !("avro".equals(format) && source.startsWith("kafka:"))) {
            throw new IllegalArgumentException(
                    "--telemetry-format must be json, or avro with a kafka: source, was " + format);
        }
        DataStream<String> raw;
        if ("none".equals(source)) {
            return null;
        } else if ("simulator".equals(source)) {
            // without a fixed --sim.start-time, records carry the running job's wall-clock time
            raw =
                    GridSources.simulatedTelemetry(
                            env, simulator(conf), uid, conf.get(OdsOptions.SIM_START_TIME) < 0);
        } else if (source.startsWith("file:")) {
            raw =
                    GridSources.fileLines(
                            env,
                            source.substring("file:".length()),
                            "telemetry",
                            conf.get(OdsOptions.FILE_MONITOR_INTERVAL),
                            uid);
        } else if (source.startsWith("kafka:")) {
            KafkaTelemetrySource kafka = kafka(conf, source.substring("kafka:".length()));
            if ("avro".equals(format)) {
                SingleOutputStreamOperator<Telemetry> valid =
                        OdsPipeline.validateAvroTelemetry(
                                GridSources.kafkaAvro(env, kafka, uid), uid);
                deadLetters.add(valid.getSideOutput(DeadLetters.TAG));
                return valid;
            }
            raw = GridSources.kafkaLines(env, kafka, uid);
        } else {
            throw new IllegalArgumentException(
                    "--telemetry-source must be simulator, file:<path>, kafka:<topic> or none, was "
                            + source);
        }
        SingleOutputStreamOperator<Telemetry> valid = OdsPipeline.validateTelemetry(raw, uid);
        deadLetters.add(valid.getSideOutput(DeadLetters.TAG));
        return valid;
    }

    /** The device rows of {@code --devices-source}, or null for {@code none}. */
    public static @Nullable DataStream<Device> devices(
            StreamExecutionEnvironment env,
            Configuration conf,
            String uid,
            List<DataStream<DeadLetter>> deadLetters) {
        String source = conf.get(OdsOptions.DEVICES_SOURCE);
        if ("none".equals(source)) {
            return null;
        } else if ("simulator".equals(source)) {
            GridSimulator sim = simulator(conf);
            OdsPipeline.writeTopology(env, sim, CommonOptions.endpoint(conf), uid);
            return GridSources.simulatedDevices(env, sim, uid);
        } else if (source.startsWith("csv:")) {
            DataStream<String> lines =
                    GridSources.fileLines(
                            env,
                            source.substring("csv:".length()),
                            "devices",
                            java.time.Duration.ZERO,
                            uid);
            SingleOutputStreamOperator<Device> devices = OdsPipeline.parseDeviceCsv(lines, uid);
            deadLetters.add(devices.getSideOutput(DeadLetters.TAG));
            return devices;
        }
        throw new IllegalArgumentException(
                "--devices-source must be simulator, csv:<path>, postgres or none, was " + source);
    }

    /**
     * The substation rows of {@code --substations-source csv:PATH}, or null for {@code none};
     * rejects (source {@code substations}) are added to {@code deadLetters}.
     */
    public static @Nullable DataStream<Substation> substations(
            StreamExecutionEnvironment env,
            Configuration conf,
            String uid,
            List<DataStream<DeadLetter>> deadLetters) {
        String path = topologyCsv(conf, OdsOptions.SUBSTATIONS_SOURCE);
        if (path == null) {
            return null;
        }
        SingleOutputStreamOperator<Substation> substations =
                OdsPipeline.parseSubstationCsv(
                        GridSources.fileLines(
                                env, path, "substations", java.time.Duration.ZERO, uid),
                        uid);
        deadLetters.add(substations.getSideOutput(DeadLetters.TAG));
        return substations;
    }

    /**
     * The line rows of {@code --lines-source csv:PATH}, or null for {@code none}; rejects (source
     * {@code lines}) are added to {@code deadLetters}.
     */
    public static @Nullable DataStream<GridLine> lines(
            StreamExecutionEnvironment env,
            Configuration conf,
            String uid,
            List<DataStream<DeadLetter>> deadLetters) {
        String path = topologyCsv(conf, OdsOptions.LINES_SOURCE);
        if (path == null) {
            return null;
        }
        SingleOutputStreamOperator<GridLine> lines =
                OdsPipeline.parseLineCsv(
                        GridSources.fileLines(env, path, "lines", java.time.Duration.ZERO, uid),
                        uid);
        deadLetters.add(lines.getSideOutput(DeadLetters.TAG));
        return lines;
    }

    /**
     * The path of a topology CSV option ({@code csv:PATH}), or null for {@code none}. A topology
     * CSV goes with CSV devices (or none): the simulator and PostgreSQL CDC write their own.
     */
    static @Nullable String topologyCsv(Configuration conf, ConfigOption<String> option) {
        String source = conf.get(option);
        if ("none".equals(source)) {
            return null;
        }
        if (!source.startsWith("csv:")) {
            throw new IllegalArgumentException(
                    "--" + option.key() + " must be csv:<path> or none, was " + source);
        }
        String devices = conf.get(OdsOptions.DEVICES_SOURCE);
        if (!"none".equals(devices) && !devices.startsWith("csv:")) {
            throw new IllegalArgumentException(
                    "--"
                            + option.key()
                            + " needs --devices-source csv:<path> or none; --devices-source "
                            + devices
                            + " writes its own topology");
        }
        return source.substring("csv:".length());
    }

    /** The Kafka telemetry source the options describe. */
    public static KafkaTelemetrySource kafka(Configuration conf, String topic) {
        return new KafkaTelemetrySource(
                conf.get(OdsOptions.KAFKA_BOOTSTRAP_SERVERS),
                topic,
                conf.get(OdsOptions.KAFKA_GROUP_ID),
                KafkaTelemetrySource.StartingOffsets.parse(
                        conf.get(OdsOptions.KAFKA_STARTING_OFFSETS)),
                conf.get(OdsOptions.KAFKA_BOUNDED));
    }

    /** The simulator the options describe. */
    public static GridSimulator simulator(Configuration conf) {
        long start = conf.get(OdsOptions.SIM_START_TIME);
        long recordCount = conf.get(OdsOptions.SIM_RECORD_COUNT);
        double bad = conf.get(OdsOptions.SIM_BAD_SHARE);
        return new GridSimulator(
                SimulatorConfig.builder()
                        .deviceCount(conf.get(OdsOptions.SIM_DEVICE_COUNT))
                        .regionCount(conf.get(OdsOptions.SIM_REGIONS))
                        .recordsPerSecond(conf.get(OdsOptions.SIM_RATE))
                        .seed(conf.get(OdsOptions.SIM_SEED))
                        .startTimeMs(start >= 0 ? start : System.currentTimeMillis())
                        .recordCount(recordCount >= 0 ? recordCount : Long.MAX_VALUE)
                        .malformedShare(bad)
                        .outOfRangeShare(bad)
                        .duplicateShare(bad)
                        .unknownDeviceShare(bad / 2)
                        .build());
    }
}
