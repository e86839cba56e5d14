package dev.gridhouse.ads.service;

import java.util.Arrays;
import java.util.List;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;

/** Options of the ticket warehouse's ADS job ({@code --pipeline service}). */
public final class ServiceAdsOptions {
    private ServiceAdsOptions() {}

    public static final ConfigOption<String> JDBC_URL =
            ConfigOptions.key("service.jdbc-url")
                    .stringType()
                    .defaultValue("")
                    .withDescription(
                            "PostgreSQL JDBC URL to upsert ads.agent_ranking into (--pipeline"
                                    + " service), e.g. jdbc:postgresql://host:5432/db; empty"
                                    + " writes Fluss only.");

    public static final ConfigOption<String> JDBC_USER =
            ConfigOptions.key("service.jdbc-user")
                    .stringType()
                    .defaultValue("gridhouse")
                    .withDescription("PostgreSQL user of --service.jdbc-url.");

    public static final ConfigOption<String> JDBC_PASSWORD_FILE =
            ConfigOptions.key("service.jdbc-password-file")
                    .stringType()
                    .noDefaultValue()
                    .withDescription(
                            "File whose first line is the password; default"
                                    + " $GRIDHOUSE_PG_PASSWORD. Never logged.");

    public static List<ConfigOption<?>> all() {
        return Arrays.asList(JDBC_URL, JDBC_USER, JDBC_PASSWORD_FILE);
    }
}
