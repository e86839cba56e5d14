package dev.gridhouse.ads;

import dev.gridhouse.core.config.PostgresPassword;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;

/**
 * Options of the PostgreSQL dashboard sink of the ADS layer ({@code ads.grid_realtime}, {@code
 * ads.alarms}). The password is never an option (options are shown in the web UI): it comes from
 * {@code --pg-sink.password-file} or the environment variable {@value #PASSWORD_ENV}.
 */
public final class AdsPostgresOptions {
    private AdsPostgresOptions() {}

    /** Environment variable holding the PostgreSQL password ({@link PostgresPassword#ENV}). */
    public static final String PASSWORD_ENV = PostgresPassword.ENV;

    public static final ConfigOption<Boolean> ENABLED =
            ConfigOptions.key("pg-sink.enabled")
                    .booleanType()
                    .defaultValue(false)
                    .withDescription(
                            "Also upsert ads_grid_realtime and ads_alarms into PostgreSQL"
                                    + " <schema>.grid_realtime and <schema>.alarms (tables"
                                    + " created if missing).");

    public static final ConfigOption<String> URL =
            ConfigOptions.key("pg-sink.url")
                    .stringType()
                    .defaultValue("jdbc:postgresql://127.0.0.1:55432/gridhouse")
                    .withDescription(
                            "JDBC URL of the dashboard database (default: deploy/bin/pg-local).");

    public static final ConfigOption<String> USER =
            ConfigOptions.key("pg-sink.user")
                    .stringType()
                    .defaultValue("gridhouse")
                    .withDescription("PostgreSQL user allowed to create and write the schema.");

    public static final ConfigOption<String> PASSWORD_FILE =
            PostgresPassword.fileOption("pg-sink.password-file");

    public static final ConfigOption<String> SCHEMA =
            ConfigOptions.key("pg-sink.schema")
                    .stringType()
                    .defaultValue("ads")
                    .withDescription("Schema of the dashboard tables (a lower-case identifier).");

    public static final ConfigOption<Integer> BATCH_SIZE =
            ConfigOptions.key("pg-sink.batch-size")
                    .intType()
                    .defaultValue(500)
                    .withDescription("Rows per JDBC batch.");

    public static final ConfigOption<Duration> BATCH_INTERVAL =
            ConfigOptions.key("pg-sink.batch-interval")
                    .durationType()
                    .defaultValue(Duration.ofMillis(200))
                    .withDescription("Longest wait before a partial batch is written.");

    public static List<ConfigOption<?>> all() {
        return Arrays.asList(ENABLED, URL, USER, PASSWORD_FILE, SCHEMA, BATCH_SIZE, BATCH_INTERVAL);
    }
}
