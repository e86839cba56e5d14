package dev.gridhouse.deploy;

import dev.gridhouse.ads.AdsPostgresOptions;
import dev.gridhouse.core.config.CommonOptions;
import dev.gridhouse.dws.DwsOptions;
import dev.gridhouse.lake.LakeOptions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;
import org.apache.flink.configuration.Configuration;

/**
 * Options of {@code gridhouse local}: its own, plus the jobs' options it shares (declared once in
 * their layer: {@code --parallelism}, {@code --watermark.out-of-orderness}, {@code
 * --allowed-lateness}, {@code --lookup-mode}, {@code --lake.freshness}). Where a local run needs
 * another default than a cluster job, it is applied as a value ({@link #parallelism}, {@link
 * #lakeFreshness}) and stated in the {@code --help} summary ({@link #DEFAULTS}, {@link
 * #LAKE_DEFAULTS}).
 */
public final class LocalOptions {
    private LocalOptions() {}

    /** Parallelism (and task slots) of a local run without {@code --parallelism}. */
    public static final int DEFAULT_PARALLELISM = 2;

    /** Lake freshness of a local run without {@code --lake.freshness}. */
    public static final Duration DEFAULT_LAKE_FRESHNESS = Duration.ofSeconds(30);

    /** The local parallelism default, for the {@code --help} summaries. */
    public static final String DEFAULTS =
            "Local default: --"
                    + CommonOptions.PARALLELISM.key()
                    + " "
                    + DEFAULT_PARALLELISM
                    + " (also the task slots; a value below 1 means "
                    + DEFAULT_PARALLELISM
                    + ").";

    /** The local lake freshness default, for the {@code --help} summary. */
    public static final String LAKE_DEFAULTS =
            "Local default: --"
                    + LakeOptions.FRESHNESS.key()
                    + " "
                    + DEFAULT_LAKE_FRESHNESS.getSeconds()
                    + "s.";

    /** {@code --parallelism}, else (or when below 1) {@value #DEFAULT_PARALLELISM}. */
    public static int parallelism(Configuration conf) {
        int p = conf.getOptional(CommonOptions.PARALLELISM).orElse(DEFAULT_PARALLELISM);
        return p > 0 ? p : DEFAULT_PARALLELISM;
    }

    /** {@code --lake.freshness}, else {@link #DEFAULT_LAKE_FRESHNESS}. */
    public static Duration lakeFreshness(Configuration conf) {
        return conf.getOptional(LakeOptions.FRESHNESS).orElse(DEFAULT_LAKE_FRESHNESS);
    }

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

    public static final ConfigOption<Boolean> LAKE =
            ConfigOptions.key("lake")
                    .booleanType()
                    .defaultValue(false)
                    .withDescription(
                            "Also tier the telemetry, DWD and DWS tables into a Paimon warehouse"
                                    + " (lake.warehouse; default <data-dir>/lake or a temporary"
                                    + " directory) with Fluss's tiering service, every"
                                    + " lake.freshness.");

    /** The options of {@code gridhouse local} (grid warehouse) besides those of the CDC source. */
    public static List<ConfigOption<?>> all() {
        List<ConfigOption<?>> all = new ArrayList<>(local());
        all.addAll(ServeCommand.options());
        all.addAll(AdsPostgresOptions.all());
        return all;
    }

    /**
     * The options of {@code gridhouse local --pipeline service} besides {@code --change-rate}, the
     * restart and the CDC source's options: the ones the ticket warehouse's local run reads.
     */
    public static List<ConfigOption<?>> service() {
        return Arrays.asList(DURATION, REFRESH, SEED, CommonOptions.PARALLELISM, DUMP_DIR);
    }

    private static List<ConfigOption<?>> local() {
        return Arrays.asList(
                DATA_DIR,
                DURATION,
                REFRESH,
                DEVICE_COUNT,
                RATE,
                SEED,
                CommonOptions.PARALLELISM,
                DEVICES,
                SUBSTATIONS,
                LINES,
                TELEMETRY,
                BOUNDED,
                DUMP_DIR,
                DwsOptions.OUT_OF_ORDERNESS,
                DwsOptions.ALLOWED_LATENESS,
                DwsOptions.LOOKUP_MODE,
                LAKE,
                LakeOptions.WAREHOUSE,
                LakeOptions.FRESHNESS);
    }
}
