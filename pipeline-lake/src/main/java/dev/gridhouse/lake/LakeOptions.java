package dev.gridhouse.lake;

import dev.gridhouse.contract.grid.GridTables;
import dev.gridhouse.core.catalog.TableSpec;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import javax.annotation.Nullable;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;
import org.apache.flink.configuration.Configuration;

/** Options of the lake layer: the Paimon warehouse, tiering, and the recomputation over history. */
public final class LakeOptions {
    private LakeOptions() {}

    /** Which job the lake jar runs. */
    public enum LakeJobKind {
        /** Fluss's tiering service: Fluss tables → Paimon, continuously. */
        TIERING,
        /** A batch job: the DWS rollups recomputed from the DWD telemetry in the lake. */
        RECOMPUTE
    }

    public static final ConfigOption<LakeJobKind> JOB =
            ConfigOptions.key("job")
                    .enumType(LakeJobKind.class)
                    .defaultValue(LakeJobKind.TIERING)
                    .withDescription(
                            "TIERING: tier the warehouse tables into Paimon (runs until"
                                    + " cancelled). RECOMPUTE: batch job, DWS rollups from the"
                                    + " tiered DWD telemetry of a time range.");

    public static final ConfigOption<String> WAREHOUSE =
            ConfigOptions.key("lake.warehouse")
                    .stringType()
                    .defaultValue("/tmp/gridhouse/lake")
                    .withDescription(
                            "Paimon warehouse: a local directory or a URI Paimon can write"
                                    + " (file://, s3://, hdfs://, oss://). Must be the"
                                    + " datalake.paimon.warehouse the Fluss servers run with.");

    public static final ConfigOption<Duration> FRESHNESS =
            ConfigOptions.key("lake.freshness")
                    .durationType()
                    .defaultValue(Duration.ofMinutes(1))
                    .withDescription(
                            "table.datalake.freshness set on every tiered table: how far the"
                                    + " lake may lag behind Fluss (Fluss's default is 3 min).");

    public static final ConfigOption<Duration> POLL_INTERVAL =
            ConfigOptions.key("lake.poll-interval")
                    .durationType()
                    .defaultValue(Duration.ofSeconds(10))
                    .withDescription(
                            "How often the tiering job asks the Fluss coordinator for tables due"
                                    + " for tiering.");

    public static final ConfigOption<List<String>> TABLES =
            ConfigOptions.key("lake.tables")
                    .stringType()
                    .asList()
                    .defaultValues(
                            GridTables.ODS_GRID_TELEMETRY.name(),
                            GridTables.DWD_GRID_TELEMETRY.name(),
                            GridTables.DWS_DEVICE_MINUTE.name(),
                            GridTables.DWS_REGION_MINUTE.name(),
                            GridTables.DWS_REGION_HOUR.name(),
                            GridTables.DWS_REGION_DAY.name())
                    .withDescription("The tables tiered into the lake (';'-separated).");

    public static final ConfigOption<String> RECOMPUTE_FROM =
            ConfigOptions.key("recompute.from")
                    .stringType()
                    .noDefaultValue()
                    .withDescription(
                            "RECOMPUTE: start of the event-time range (ISO-8601 instant, e.g."
                                    + " 2026-01-01T00:00:00Z, or epoch ms), inclusive. Align it"
                                    + " to a day for complete day rollups.");

    public static final ConfigOption<String> RECOMPUTE_TO =
            ConfigOptions.key("recompute.to")
                    .stringType()
                    .noDefaultValue()
                    .withDescription("RECOMPUTE: end of the event-time range, exclusive.");

    /** Where the recomputed rollups go. */
    public enum RecomputeSink {
        FLUSS,
        PAIMON
    }

    public static final ConfigOption<RecomputeSink> RECOMPUTE_SINK =
            ConfigOptions.key("recompute.sink")
                    .enumType(RecomputeSink.class)
                    .defaultValue(RecomputeSink.FLUSS)
                    .withDescription(
                            "RECOMPUTE: write the rollups to Fluss tables or to Paimon tables (in"
                                    + " the warehouse) of recompute.database.");

    public static final ConfigOption<String> RECOMPUTE_DATABASE =
            ConfigOptions.key("recompute.database")
                    .stringType()
                    .noDefaultValue()
                    .withDescription(
                            "RECOMPUTE: database of the recomputed DWS tables; default: the"
                                    + " warehouse database + '_recomputed'. Give the warehouse"
                                    + " database itself to overwrite the streaming results.");

    public static List<ConfigOption<?>> all() {
        return Arrays.asList(
                JOB,
                WAREHOUSE,
                FRESHNESS,
                POLL_INTERVAL,
                TABLES,
                RECOMPUTE_FROM,
                RECOMPUTE_TO,
                RECOMPUTE_SINK,
                RECOMPUTE_DATABASE);
    }

    /** The warehouse of the options. */
    public static PaimonLakehouse lakehouse(Configuration conf) {
        return PaimonLakehouse.at(conf.get(WAREHOUSE));
    }

    /** The contract tables named by {@link #TABLES}. */
    public static List<TableSpec> tables(Configuration conf) {
        List<TableSpec> tables = new ArrayList<>();
        for (String name : conf.get(TABLES)) {
            tables.add(GridTables.byName(name.trim()));
        }
        return tables;
    }

    /** An instant option as epoch ms: ISO-8601 or a number; null when not set. */
    public static @Nullable Long instant(Configuration conf, ConfigOption<String> option) {
        String value = conf.get(option);
        if (value == null || value.isBlank()) {
            return null;
        }
        return parseInstant(option.key(), value);
    }

    /** Parses ISO-8601 ({@code 2026-01-01T10:00:00Z}) or epoch milliseconds. */
    public static long parseInstant(String what, String value) {
        String v = value.trim();
        if (v.matches("-?\\d+")) {
            return Long.parseLong(v);
        }
        try {
            return Instant.parse(v).toEpochMilli();
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException(
                    what
                            + ": '"
                            + value
                            + "' is neither an ISO-8601 instant such as 2026-01-01T10:00:00Z"
                            + " nor epoch milliseconds.");
        }
    }
}
