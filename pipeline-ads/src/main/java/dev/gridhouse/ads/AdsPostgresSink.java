package dev.gridhouse.ads;

import dev.gridhouse.contract.grid.Alarm;
import dev.gridhouse.contract.grid.GridTables;
import dev.gridhouse.contract.grid.RegionRealtime;
import dev.gridhouse.core.io.JdbcUpsertSink;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import javax.annotation.Nullable;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.streaming.api.datastream.DataStream;

/**
 * The dashboard copy of the ADS layer in PostgreSQL: {@code ads.grid_realtime} (PK region) and
 * {@code ads.alarms} (PK alarm_id), upserted idempotently with {@link JdbcUpsertSink}. A replay of
 * the same input leaves both tables unchanged: {@code updated_at} (wall clock) alone is not a
 * change.
 */
public final class AdsPostgresSink {
    private final JdbcUpsertSink<RegionRealtime> realtime;
    private final JdbcUpsertSink<Alarm> alarms;

    private AdsPostgresSink(JdbcUpsertSink<RegionRealtime> realtime, JdbcUpsertSink<Alarm> alarms) {
        this.realtime = realtime;
        this.alarms = alarms;
    }

    /** The sink configured by {@link AdsPostgresOptions}, or null if not enabled. */
    public static @Nullable AdsPostgresSink fromConfig(
            Configuration conf, Map<String, String> env) {
        if (!conf.get(AdsPostgresOptions.ENABLED)) {
            return null;
        }
        String password = password(conf.get(AdsPostgresOptions.PASSWORD_FILE), env);
        String schema = conf.get(AdsPostgresOptions.SCHEMA);
        JdbcUpsertSink<RegionRealtime> realtime =
                JdbcUpsertSink.<RegionRealtime>builder(GridTables.ADS_GRID_REALTIME)
                        .setTarget(schema, "grid_realtime")
                        .setUrl(conf.get(AdsPostgresOptions.URL))
                        .setUser(conf.get(AdsPostgresOptions.USER))
                        .setPassword(password)
                        .setBatchSize(conf.get(AdsPostgresOptions.BATCH_SIZE))
                        .setBatchInterval(conf.get(AdsPostgresOptions.BATCH_INTERVAL))
                        .setNotChangeColumns("updated_at")
                        .build();
        JdbcUpsertSink<Alarm> alarms =
                JdbcUpsertSink.<Alarm>builder(GridTables.ADS_ALARMS)
                        .setTarget(schema, "alarms")
                        .setUrl(conf.get(AdsPostgresOptions.URL))
                        .setUser(conf.get(AdsPostgresOptions.USER))
                        .setPassword(password)
                        .setBatchSize(conf.get(AdsPostgresOptions.BATCH_SIZE))
                        .setBatchInterval(conf.get(AdsPostgresOptions.BATCH_INTERVAL))
                        .build();
        return new AdsPostgresSink(realtime, alarms);
    }

    /** The password from the file if given, else from {@value AdsPostgresOptions#PASSWORD_ENV}. */
    static String password(@Nullable String passwordFile, Map<String, String> env) {
        if (passwordFile != null) {
            try {
                List<String> lines =
                        Files.readAllLines(Paths.get(passwordFile), StandardCharsets.UTF_8);
                return lines.isEmpty() ? "" : lines.get(0);
            } catch (IOException e) {
                throw new IllegalArgumentException(
                        "Cannot read the PostgreSQL password file " + passwordFile, e);
            }
        }
        String fromEnv = env.get(AdsPostgresOptions.PASSWORD_ENV);
        if (fromEnv == null) {
            throw new IllegalArgumentException(
                    "No PostgreSQL password: set --"
                            + AdsPostgresOptions.PASSWORD_FILE.key()
                            + " FILE or the environment variable "
                            + AdsPostgresOptions.PASSWORD_ENV
                            + ".");
        }
        return fromEnv;
    }

    /** Creates the schema and both tables if missing. */
    public void createTables() throws SQLException {
        realtime.createTableIfNotExists();
        alarms.createTableIfNotExists();
    }

    /** The DDL of both tables, as shipped in {@code deploy/sql/ads-schema.sql}. */
    public String ddl() {
        return realtime.createTableStatements() + alarms.createTableStatements();
    }

    /** Adds both JDBC writers (parallelism 1: the dashboard tables are small). */
    public void write(
            DataStream<RegionRealtime> realtimeRows, DataStream<Alarm> alarmRows, String uid) {
        realtime.write(realtimeRows, uid + "-ads", 1);
        alarms.write(alarmRows, uid + "-ads", 1);
    }
}
