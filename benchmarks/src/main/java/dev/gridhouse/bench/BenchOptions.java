package dev.gridhouse.bench;

import java.time.Duration;
import java.util.List;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;
import org.apache.flink.configuration.Configuration;

/** Options of {@link GridBench}; a profile sets the scale, any explicit option overrides it. */
public final class BenchOptions {
    private BenchOptions() {}

    public static final ConfigOption<String> PROFILE =
            ConfigOptions.key("profile")
                    .stringType()
                    .defaultValue("default")
                    .withDescription(
                            "default (5M records, 500K devices; < 15 min on 2 cores) or smoke (a"
                                    + " few thousand records, 1K devices; for CI).");

    public static final ConfigOption<String> OUTPUT_DIR =
            ConfigOptions.key("output-dir")
                    .stringType()
                    .defaultValue("benchmarks/results")
                    .withDescription(
                            "Where results.json, report.md and the PNG charts are written.");

    public static final ConfigOption<String> SCENARIOS =
            ConfigOptions.key("scenarios")
                    .stringType()
                    .defaultValue("1,2,3,5")
                    .withDescription(
                            "Scenarios to run, comma-separated: 1 ingest, 2 read all vs 3 columns,"
                                    + " 3 lookup join, 5 point query (4 and 6 are not"
                                    + " implemented).");

    public static final ConfigOption<Long> RECORDS =
            ConfigOptions.key("records")
                    .longType()
                    .noDefaultValue()
                    .withDescription(
                            "Telemetry records ingested and read back (profile: 5,000,000 /"
                                    + " 5,000).");

    public static final ConfigOption<Integer> DEVICES =
            ConfigOptions.key("devices")
                    .intType()
                    .noDefaultValue()
                    .withDescription("Devices in the dimension (profile: 500,000 / 1,000).");

    public static final ConfigOption<Integer> LOOKUPS =
            ConfigOptions.key("lookups")
                    .intType()
                    .noDefaultValue()
                    .withDescription(
                            "Lookups per store in scenario 3, at most (profile: 2,000,000 /"
                                    + " 5,000).");

    public static final ConfigOption<Duration> LOOKUP_TIME =
            ConfigOptions.key("lookup-time")
                    .durationType()
                    .defaultValue(Duration.ofSeconds(20))
                    .withDescription("Time limit of each store's lookups in scenario 3.");

    public static final ConfigOption<Integer> POINT_QUERIES =
            ConfigOptions.key("point-queries")
                    .intType()
                    .noDefaultValue()
                    .withDescription(
                            "Sequential point queries per store in scenario 5 (profile: 20,000 /"
                                    + " 200).");

    public static final ConfigOption<Integer> IN_FLIGHT =
            ConfigOptions.key("lookup-in-flight")
                    .intType()
                    .defaultValue(1_000)
                    .withDescription(
                            "Outstanding async lookups (Fluss, Redis); the DWD lookup join's"
                                    + " default capacity.");

    public static final ConfigOption<Integer> PG_THREADS =
            ConfigOptions.key("pg-lookup-threads")
                    .intType()
                    .defaultValue(4)
                    .withDescription("Connections querying PostgreSQL in scenario 3.");

    public static final ConfigOption<Integer> PARTITIONS =
            ConfigOptions.key("partitions")
                    .intType()
                    .defaultValue(2)
                    .withDescription(
                            "Kafka partitions per topic (the Fluss tables have 2 buckets, as in"
                                    + " the contract).");

    public static final ConfigOption<String> PG_LOCAL =
            ConfigOptions.key("pg-local")
                    .stringType()
                    .noDefaultValue()
                    .withDescription(
                            "Path of deploy/bin/pg-local; default: found from the working"
                                    + " directory.");

    public static List<ConfigOption<?>> all() {
        return List.of(
                PROFILE,
                OUTPUT_DIR,
                SCENARIOS,
                RECORDS,
                DEVICES,
                LOOKUPS,
                LOOKUP_TIME,
                POINT_QUERIES,
                IN_FLIGHT,
                PG_THREADS,
                PARTITIONS,
                PG_LOCAL);
    }

    /** The resolved scale of a run. */
    static final class Settings {
        final String profile;
        final long records;
        final int devices;
        final int lookups;
        final Duration lookupTime;
        final int pointQueries;
        final int inFlight;
        final int pgThreads;
        final int partitions;
        final List<String> scenarios;

        Settings(Configuration conf) {
            profile = conf.get(PROFILE);
            boolean smoke;
            if (profile.equals("smoke")) {
                smoke = true;
            } else if (profile.equals("default")) {
                smoke = false;
            } else {
                throw new IllegalArgumentException(
                        "--profile must be 'default' or 'smoke', is '" + profile + "'.");
            }
            records = conf.getOptional(RECORDS).orElse(smoke ? 5_000L : 5_000_000L);
            devices = conf.getOptional(DEVICES).orElse(smoke ? 1_000 : 500_000);
            lookups = conf.getOptional(LOOKUPS).orElse(smoke ? 5_000 : 2_000_000);
            pointQueries = conf.getOptional(POINT_QUERIES).orElse(smoke ? 200 : 20_000);
            lookupTime = conf.get(LOOKUP_TIME);
            inFlight = conf.get(IN_FLIGHT);
            pgThreads = conf.get(PG_THREADS);
            partitions = conf.get(PARTITIONS);
            scenarios = List.of(conf.get(SCENARIOS).replace(" ", "").split(","));
            for (String s : scenarios) {
                if (!List.of("1", "2", "3", "5").contains(s)) {
                    throw new IllegalArgumentException(
                            "--scenarios: '"
                                    + s
                                    + "' is not one of 1, 2, 3, 5 (4 and 6 are not implemented).");
                }
            }
            positive("records", records);
            positive("devices", devices);
            positive("lookups", lookups);
            positive("point-queries", pointQueries);
            positive("lookup-in-flight", inFlight);
            positive("pg-lookup-threads", pgThreads);
            positive("partitions", partitions);
            if (scenarios.contains("2") && !scenarios.contains("1")) {
                throw new IllegalArgumentException(
                        "--scenarios: 2 reads what 1 ingested; add 1 (e.g. --scenarios 1,2).");
            }
        }

        private static void positive(String key, long value) {
            if (value <= 0) {
                throw new IllegalArgumentException(
                        "--" + key + " must be positive, is " + value + ".");
            }
        }
    }
}
