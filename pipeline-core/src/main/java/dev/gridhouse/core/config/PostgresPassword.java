package dev.gridhouse.core.config;

import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;

/**
 * Where every PostgreSQL connection of Gridhouse (the CDC source, the dashboard sinks) takes its
 * password from. The password is never an option (options are shown in the web UI): it comes from a
 * password-file option or the environment variable {@value #ENV}.
 */
public final class PostgresPassword {
    private PostgresPassword() {}

    /** Environment variable holding the PostgreSQL password. */
    public static final String ENV = "GRIDHOUSE_PG_PASSWORD";

    /** The option {@code key} naming the password file, read from {@value #ENV} without it. */
    public static ConfigOption<String> fileOption(String key) {
        return ConfigOptions.key(key)
                .stringType()
                .noDefaultValue()
                .withDescription(
                        "File whose first line is the password; without it the password is"
                                + " read from $"
                                + ENV
                                + ".");
    }
}
