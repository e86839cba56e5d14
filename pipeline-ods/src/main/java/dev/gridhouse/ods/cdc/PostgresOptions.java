package dev.gridhouse.ods.cdc;

import dev.gridhouse.core.config.PostgresPassword;
import java.util.Arrays;
import java.util.List;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;

/**
 * Options of the PostgreSQL CDC source ({@code --devices-source postgres}). The password is never
 * an option (options are shown in the web UI): it comes from {@code --pg.password-file} or the
 * environment variable {@value #PASSWORD_ENV}.
 */
public final class PostgresOptions {
    private PostgresOptions() {}

    /** Environment variable holding the PostgreSQL password ({@link PostgresPassword#ENV}). */
    public static final String PASSWORD_ENV = PostgresPassword.ENV;

    public static final ConfigOption<String> HOST =
            ConfigOptions.key("pg.host")
                    .stringType()
                    .defaultValue("127.0.0.1")
                    .withDescription("PostgreSQL host.");

    public static final ConfigOption<Integer> PORT =
            ConfigOptions.key("pg.port")
                    .intType()
                    .defaultValue(55432)
                    .withDescription("PostgreSQL port (55432 = deploy/bin/pg-local).");

    public static final ConfigOption<String> DATABASE =
            ConfigOptions.key("pg.database")
                    .stringType()
                    .defaultValue("gridhouse")
                    .withDescription("Database holding the captured schema.");

    public static final ConfigOption<String> USER =
            ConfigOptions.key("pg.user")
                    .stringType()
                    .defaultValue("gridhouse")
                    .withDescription(
                            "User with the REPLICATION attribute, owner of the captured tables.");

    public static final ConfigOption<String> PASSWORD_FILE =
            PostgresPassword.fileOption("pg.password-file");

    public static final ConfigOption<String> SLOT_NAME =
            ConfigOptions.key("pg.slot-name")
                    .stringType()
                    .noDefaultValue()
                    .withDescription(
                            "Replication slot of this job (default <uid-prefix>_<suffix>, the"
                                    + " suffix named in the job's summary). One per job; drop it"
                                    + " with 'gridhouse pg-cleanup' when the job is retired.");

    public static final ConfigOption<String> PUBLICATION_NAME =
            ConfigOptions.key("pg.publication-name")
                    .stringType()
                    .noDefaultValue()
                    .withDescription(
                            "Publication of this job, created filtered to the captured tables"
                                    + " (default <uid-prefix>_<suffix>, as the slot).");

    public static List<ConfigOption<?>> all() {
        return Arrays.asList(
                HOST, PORT, DATABASE, USER, PASSWORD_FILE, SLOT_NAME, PUBLICATION_NAME);
    }
}
