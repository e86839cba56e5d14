package dev.gridhouse.ods;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;

/** Options of the ODS job. */
public final class OdsOptions {
    private OdsOptions() {}

    public static final ConfigOption<String> TELEMETRY_SOURCE =
            ConfigOptions.key("telemetry-source")
                    .stringType()
                    .defaultValue("simulator")
                    .withDescription(
                            "Where telemetry comes from: 'simulator', 'file:<path>' (a JSON-lines"
                                    + " file, a directory, or a glob in the file name such as"
                                    + " /data/day-*.jsonl), 'kafka:<topic>' or 'none'.");

    public static final ConfigOption<String> TELEMETRY_FORMAT =
            ConfigOptions.key("telemetry-format")
                    .stringType()
                    .defaultValue("json")
                    .withDescription(
                            "Record format of a Kafka telemetry source: 'json' (one JSON object"
                                    + " per record value) or 'avro' (telemetry.avsc, plain binary"
                                    + " encoding). Files are always JSON lines.");

    public static final ConfigOption<String> KAFKA_BOOTSTRAP_SERVERS =
            ConfigOptions.key("kafka.bootstrap-servers")
                    .stringType()
                    .defaultValue("")
                    .withDescription("Kafka brokers host:port[,host:port] of 'kafka:<topic>'.");

    public static final ConfigOption<String> KAFKA_GROUP_ID =
            ConfigOptions.key("kafka.group-id")
                    .stringType()
                    .defaultValue("gridhouse-ods")
                    .withDescription(
                            "Kafka consumer group (offsets are committed on checkpoints).");

    public static final ConfigOption<String> KAFKA_STARTING_OFFSETS =
            ConfigOptions.key("kafka.starting-offsets")
                    .stringType()
                    .defaultValue("committed")
                    .withDescription(
                            "Where a job without state starts: 'earliest', 'latest' or"
                                    + " 'committed' (the group's offsets, else earliest).");

    public static final ConfigOption<Boolean> KAFKA_BOUNDED =
            ConfigOptions.key("kafka.bounded")
                    .booleanType()
                    .defaultValue(false)
                    .withDescription(
                            "Stop at the latest offsets seen at start (replays and tests); the job"
                                    + " then ends.");

    public static final ConfigOption<Duration> FILE_MONITOR_INTERVAL =
            ConfigOptions.key("file.monitor-interval")
                    .durationType()
                    .defaultValue(Duration.ZERO)
                    .withDescription(
                            "Watch a telemetry directory for new files at this interval; 0 reads"
                                    + " what is there and ends (bounded).");

    public static final ConfigOption<String> DEVICES_SOURCE =
            ConfigOptions.key("devices-source")
                    .stringType()
                    .defaultValue("simulator")
                    .withDescription(
                            "Where the device dimension comes from: 'simulator', 'csv:<path>',"
                                    + " 'postgres' (CDC of grid.devices, grid.substations and"
                                    + " grid.lines, see pg.*) or 'none'.");

    public static final ConfigOption<String> SUBSTATIONS_SOURCE =
            ConfigOptions.key("substations-source")
                    .stringType()
                    .defaultValue("none")
                    .withDescription(
                            "Substations CSV of the topology, 'csv:<path>' (header"
                                    + " substation_id,substation_name,region,voltage_level_kv,"
                                    + "capacity_mw), or 'none'. Only with --devices-source csv:"
                                    + " or none: the simulator and postgres bring their own"
                                    + " topology.");

    public static final ConfigOption<String> LINES_SOURCE =
            ConfigOptions.key("lines-source")
                    .stringType()
                    .defaultValue("none")
                    .withDescription(
                            "Lines CSV of the topology, 'csv:<path>' (header"
                                    + " line_id,from_substation_id,to_substation_id,capacity_mw,"
                                    + "status; status CLOSED or OPEN), or 'none'. Only with"
                                    + " --devices-source csv: or none.");

    public static final ConfigOption<Integer> SIM_DEVICE_COUNT =
            ConfigOptions.key("sim.device-count")
                    .intType()
                    .defaultValue(10_000)
                    .withDescription("Simulated devices (up to 500000 and more).");

    public static final ConfigOption<Integer> SIM_REGIONS =
            ConfigOptions.key("sim.regions")
                    .intType()
                    .defaultValue(7)
                    .withDescription("Simulated regions, 1..7.");

    public static final ConfigOption<Long> SIM_RATE =
            ConfigOptions.key("sim.rate")
                    .longType()
                    .defaultValue(2_000L)
                    .withDescription("Simulated telemetry records per second.");

    public static final ConfigOption<Long> SIM_SEED =
            ConfigOptions.key("sim.seed")
                    .longType()
                    .defaultValue(42L)
                    .withDescription("Seed of the simulator: the same seed gives the same data.");

    public static final ConfigOption<Long> SIM_RECORD_COUNT =
            ConfigOptions.key("sim.record-count")
                    .longType()
                    .defaultValue(-1L)
                    .withDescription("Stop after this many records; -1 runs forever.");

    public static final ConfigOption<Long> SIM_START_TIME =
            ConfigOptions.key("sim.start-time-ms")
                    .longType()
                    .defaultValue(-1L)
                    .withDescription(
                            "Event time of the first simulated record, epoch ms; -1 = now.");

    public static final ConfigOption<Double> SIM_BAD_SHARE =
            ConfigOptions.key("sim.bad-share")
                    .doubleType()
                    .defaultValue(0.001)
                    .withDescription(
                            "Share of malformed, of out-of-range and of duplicate records each.");

    public static List<ConfigOption<?>> all() {
        return Arrays.asList(
                TELEMETRY_SOURCE,
                TELEMETRY_FORMAT,
                KAFKA_BOOTSTRAP_SERVERS,
                KAFKA_GROUP_ID,
                KAFKA_STARTING_OFFSETS,
                KAFKA_BOUNDED,
                FILE_MONITOR_INTERVAL,
                DEVICES_SOURCE,
                SUBSTATIONS_SOURCE,
                LINES_SOURCE,
                SIM_DEVICE_COUNT,
                SIM_REGIONS,
                SIM_RATE,
                SIM_SEED,
                SIM_RECORD_COUNT,
                SIM_START_TIME,
                SIM_BAD_SHARE);
    }
}
