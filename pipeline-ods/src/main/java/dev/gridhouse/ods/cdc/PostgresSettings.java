package dev.gridhouse.ods.cdc;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.flink.configuration.Configuration;

/** Resolved connection settings of the CDC source. {@link #toString()} hides the password. */
public final class PostgresSettings {
    public final String host;
    public final int port;
    public final String database;
    public final String user;
    public final String password;
    public final String slotName;
    public final String publicationName;

    public PostgresSettings(
            String host,
            int port,
            String database,
            String user,
            String password,
            String slotName,
            String publicationName) {
        this.host = host;
        this.port = port;
        this.database = database;
        this.user = user;
        this.password = password;
        this.slotName = checkIdentifier(slotName, "pg.slot-name");
        this.publicationName = checkIdentifier(publicationName, "pg.publication-name");
    }

    /** The settings of the options, with slot and publication defaulting from the uid prefix. */
    public static PostgresSettings of(
            Configuration conf, String uidPrefix, Map<String, String> env) {
        return of(conf, uidPrefix, "ods_dims", env);
    }

    /**
     * The settings of the options; slot and publication default to {@code <uidPrefix>_<suffix>} so
     * that each CDC job of a pipeline has its own.
     */
    public static PostgresSettings of(
            Configuration conf, String uidPrefix, String suffix, Map<String, String> env) {
        String fallback = identifier(uidPrefix + "_" + suffix);
        return new PostgresSettings(
                conf.get(PostgresOptions.HOST),
                conf.get(PostgresOptions.PORT),
                conf.get(PostgresOptions.DATABASE),
                conf.get(PostgresOptions.USER),
                password(conf.get(PostgresOptions.PASSWORD_FILE), env),
                conf.getOptional(PostgresOptions.SLOT_NAME).orElse(fallback),
                conf.getOptional(PostgresOptions.PUBLICATION_NAME).orElse(fallback));
    }

    /** The password from the file if given, else from {@value PostgresOptions#PASSWORD_ENV}. */
    public static String password(String passwordFile, Map<String, String> env) {
        if (passwordFile != null) {
            try {
                List<String> lines =
                        Files.readAllLines(Paths.get(passwordFile), StandardCharsets.UTF_8);
                return lines.isEmpty() ? "" : lines.get(0).trim();
            } catch (IOException e) {
                throw new UncheckedIOException(
                        "Cannot read the PostgreSQL password file " + passwordFile, e);
            }
        }
        String pw = env.get(PostgresOptions.PASSWORD_ENV);
        if (pw == null) {
            throw new IllegalArgumentException(
                    "No PostgreSQL password: set $"
                            + PostgresOptions.PASSWORD_ENV
                            + " or --pg.password-file.");
        }
        return pw;
    }

    /** A valid slot/publication name: lower case letters, digits and underscores. */
    public static String identifier(String s) {
        return s.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9_]", "_");
    }

    private static String checkIdentifier(String s, String option) {
        if (s == null || !s.matches("[a-z0-9_]{1,63}")) {
            throw new IllegalArgumentException(
                    "--" + option + " must be 1-63 of [a-z0-9_], was '" + s + "'");
        }
        return s;
    }

    public String jdbcUrl() {
        return "jdbc:postgresql://" + host + ":" + port + "/" + database;
    }

    @Override
    public String toString() {
        return "postgresql://"
                + user
                + "@"
                + host
                + ":"
                + port
                + "/"
                + database
                + " slot="
                + slotName
                + " publication="
                + publicationName;
    }
}
