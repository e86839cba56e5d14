package dev.gridhouse.deploy;

import dev.gridhouse.ads.AdsPostgresOptions;
import dev.gridhouse.lake.LakeOptions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;

/** Options of {@code gridhouse local}. */
public final class LocalOptions {
    private LocalOptions() {}

    public static final ConfigOption<String> DATA_DIR =
            ConfigOptions.key("data-dir")
                    .stringType()
                    .noDefaultValue()
                    .withDescription(
                            "Directory for the Fluss cluster's data (kept); default a temporary"
                                    + " directory, deleted on exit.");

    public static final ConfigOption<Duration> DURATION =
            ConfigOptions.key("duration")
                    .durationType()
                    .defaultValue(Duration.ZERO)
                    .withDescription("Stop after this long (e.g. 120s); 0 runs until Ctrl-C.");

    public static final ConfigOption<Duration> REFRESH =
            ConfigOptions.key("refresh")
                    .durationType()
                    .defaultValue(Duration.ofSeconds(5))
                    .withDescription("How often the region table is printed.");

    public static final ConfigOption<Integer> DEVICE_COUNT =
            ConfigOptions.key("device-count")
                    .intType()
                    .defaultValue(10_000)
                    .withDescription("Simulated devices.");

    public static final ConfigOption<Long> RATE =
            ConfigOptions.key("rate")
                    .longType()
                    .defaultValue(2_000L)
                    .withDescription("Simulated telemetry records per second.");

    public static final ConfigOption<Long> SEED =
            ConfigOptions.key("seed")
                    .longType()
                    .defaultValue(42L)
                    .withDescription("Simulator seed.");

    public static final ConfigOption<Integer> PARALLELISM =
            ConfigOptions.key("parallelism")
                    .intType()
                    .defaultValue(2)
                    .withDescription("Parallelism of the keyed operators and task slots.");

    public static final ConfigOption<String> DEVICES =
            ConfigOptions.key("devices")
                    .stringType()
                    .noDefaultValue()
                    .withDescription("Device CSV file instead of the simulator's devices.");

    public static final ConfigOption<String> SUBSTATIONS =
            ConfigOptions.key("substations")
                    .stringType()
                    .noDefaultValue()
                    .withDescription(
                            "With --devices: substations CSV of the topology (header"
                                    + " substation_id,substation_name,region,voltage_level_kv,"
                                    + "capacity_mw) into ods_substations. Without topology no"
                                    + " dispatch decisions are made.");

    public static final ConfigOption<String> LINES =
            ConfigOptions.key("lines")
                    .stringType()
                    .noDefaultValue()
                    .withDescription(
                            "With --devices: lines CSV of the topology (header"
                                    + " line_id,from_substation_id,to_substation_id,capacity_mw,"
                                    + "status; status CLOSED or OPEN) into ods_lines.");

    public static final ConfigOption<String> TELEMETRY =
            ConfigOptions.key("telemetry")
                    .stringType()
                    .noDefaultValue()
                    .withDescription(
                            "Telemetry JSON-lines file (or directory) instead of the simulator.");

    public static final ConfigOption<Boolean> BOUNDED =
            ConfigOptions.key("bounded")
                    .booleanType()
                    .defaultValue(false)
                    .withDescription(
                            "Replay the input to its end (every window flushed) and exit;"
                                    + " deterministic.");

    public static final ConfigOption<String> DUMP_DIR =
            ConfigOptions.key("dump-dir")
                    .stringType()
                    .noDefaultValue()
                    .withDescription(
                            "After a bounded run, write every table produced as DIR/<table>.csv.");

    public static final ConfigOption<Duration> OUT_OF_ORDERNESS =
            ConfigOptions.key("watermark.out-of-orderness")
                    .durationType()
                    .defaultValue(Duration.ofSeconds(5))
                    .withDescription("Out-of-orderness bound of the watermark.");

    public static final ConfigOption<Duration> ALLOWED_LATENESS =
            ConfigOptions.key("allowed-lateness")
                    .durationType()
                    .defaultValue(Duration.ZERO)
                    .withDescription("Allowed lateness of the minute windows.");

    public static final ConfigOption<String> LOOKUP_MODE =
            ConfigOptions.key("lookup-mode")
                    .stringType()
                    .defaultValue("async")
                    .withDescription("Device lookup: async, cache or mirror.");

    public static final ConfigOption<Boolean> LAKE =
            ConfigOptions.key("lake")
                    .booleanType()
                    .defaultValue(false)
                    .withDescription(
                            "Also tier the telemetry, DWD and DWS tables into a Paimon warehouse"
                                    + " (lake.warehouse; default <data-dir>/lake or a temporary"
                                    + " directory) with Fluss's tiering service, every"
                                    + " lake.freshness.");

    public static final ConfigOption<Duration> LAKE_FRESHNESS =
            ConfigOptions.key(LakeOptions.FRESHNESS.key())
                    .durationType()
                    .defaultValue(Duration.ofSeconds(30))
                    .withDescription("With --lake: how far the lake may lag behind Fluss.");

    public static List<ConfigOption<?>> all() {
        List<ConfigOption<?>> all = new ArrayList<>(local());
        all.addAll(ServeCommand.options());
        all.addAll(AdsPostgresOptions.all());
        return all;
    }

    private static List<ConfigOption<?>> local() {
        return Arrays.asList(
                DATA_DIR,
                DURATION,
                REFRESH,
                DEVICE_COUNT,
                RATE,
                SEED,
                PARALLELISM,
                DEVICES,
                SUBSTATIONS,
                LINES,
                TELEMETRY,
                BOUNDED,
                DUMP_DIR,
                OUT_OF_ORDERNESS,
                ALLOWED_LATENESS,
                LOOKUP_MODE,
                LAKE,
                LakeOptions.WAREHOUSE,
                LAKE_FRESHNESS);
    }
}
