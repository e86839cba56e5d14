package dev.gridhouse.dws;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;

/** Options of the DWS layer (event time, lookup join, dedup). */
public final class DwsOptions {
    private DwsOptions() {}

    public static final ConfigOption<Duration> OUT_OF_ORDERNESS =
            ConfigOptions.key("watermark.out-of-orderness")
                    .durationType()
                    .defaultValue(Duration.ofSeconds(5))
                    .withDescription("Watermark = highest ts seen minus this bound (contract §4).");

    public static final ConfigOption<Duration> IDLENESS =
            ConfigOptions.key("watermark.idleness")
                    .durationType()
                    .defaultValue(Duration.ofSeconds(30))
                    .withDescription(
                            "A source split without data for this long stops holding back the"
                                    + " watermark; 0 disables.");

    public static final ConfigOption<Duration> ALLOWED_LATENESS =
            ConfigOptions.key("allowed-lateness")
                    .durationType()
                    .defaultValue(Duration.ZERO)
                    .withDescription(
                            "Records this late still update their minute window (re-emitted as"
                                    + " upserts); later ones are LATE dead letters.");

    public static final ConfigOption<Duration> DEDUP_STATE_TTL =
            ConfigOptions.key("dedup.state-ttl")
                    .durationType()
                    .defaultValue(Duration.ofHours(1))
                    .withDescription(
                            "Processing-time TTL of dedup state, a backstop for silent devices;"
                                    + " 0 disables.");

    public static final ConfigOption<LookupMode> LOOKUP_MODE =
            ConfigOptions.key("lookup-mode")
                    .enumType(LookupMode.class)
                    .defaultValue(LookupMode.ASYNC)
                    .withDescription(
                            "How each record finds its device: ASYNC (a Fluss point lookup per"
                                    + " record), CACHE (async behind an LRU cache with TTL) or"
                                    + " MIRROR (a full copy of ods_devices per subtask, kept"
                                    + " current from its changelog).");

    public static final ConfigOption<Long> LOOKUP_CACHE_MAX_ROWS =
            ConfigOptions.key("lookup.cache.max-rows")
                    .longType()
                    .defaultValue(100_000L)
                    .withDescription("Rows kept by the lookup cache (lookup-mode CACHE).");

    public static final ConfigOption<Duration> LOOKUP_CACHE_TTL =
            ConfigOptions.key("lookup.cache.ttl")
                    .durationType()
                    .defaultValue(Duration.ofMinutes(5))
                    .withDescription(
                            "How long a cached device row is used before it is looked up again.");

    public static final ConfigOption<Duration> MIRROR_LOAD_TIMEOUT =
            ConfigOptions.key("lookup.mirror.load-timeout")
                    .durationType()
                    .defaultValue(Duration.ofMinutes(5))
                    .withDescription(
                            "How long records wait for the mirror's initial load before the job"
                                    + " fails over (lookup-mode MIRROR).");

    public static final ConfigOption<Integer> LOOKUP_CAPACITY =
            ConfigOptions.key("lookup.capacity")
                    .intType()
                    .defaultValue(1000)
                    .withDescription("Device lookups in flight per subtask.");

    public static final ConfigOption<Boolean> LOOKUP_ORDERED =
            ConfigOptions.key("lookup.ordered")
                    .booleanType()
                    .defaultValue(true)
                    .withDescription("Keep input order through the async device lookup.");

    public static final ConfigOption<Duration> LOOKUP_TIMEOUT =
            ConfigOptions.key("lookup.timeout")
                    .durationType()
                    .defaultValue(Duration.ofSeconds(30))
                    .withDescription("Timeout of a device lookup including retries.");

    public static final ConfigOption<Integer> LOOKUP_MAX_RETRIES =
            ConfigOptions.key("lookup.max-retries")
                    .intType()
                    .defaultValue(3)
                    .withDescription("Retries of a failed lookup before the job fails over.");

    public static final ConfigOption<String> LOOKUP_BATCH_TIMEOUT =
            ConfigOptions.key("lookup.batch-timeout")
                    .stringType()
                    .defaultValue("5ms")
                    .withDescription(
                            "Fluss client.lookup.batch-timeout: how long the client waits to fill"
                                    + " a lookup batch (Fluss's 100ms default throttles).");

    public static final ConfigOption<String> STARTING_OFFSETS =
            ConfigOptions.key("source.starting-offsets")
                    .stringType()
                    .defaultValue("earliest")
                    .withDescription(
                            "Where the DWS job starts reading ods_grid_telemetry: earliest or"
                                    + " latest.");

    public static List<ConfigOption<?>> all() {
        return Arrays.asList(
                LOOKUP_MODE,
                LOOKUP_CACHE_MAX_ROWS,
                LOOKUP_CACHE_TTL,
                MIRROR_LOAD_TIMEOUT,
                OUT_OF_ORDERNESS,
                IDLENESS,
                ALLOWED_LATENESS,
                DEDUP_STATE_TTL,
                LOOKUP_CAPACITY,
                LOOKUP_ORDERED,
                LOOKUP_TIMEOUT,
                LOOKUP_MAX_RETRIES,
                LOOKUP_BATCH_TIMEOUT,
                STARTING_OFFSETS);
    }
}
