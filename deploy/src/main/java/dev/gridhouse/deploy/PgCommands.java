package dev.gridhouse.deploy;

import dev.gridhouse.contract.grid.Device;
import dev.gridhouse.contract.grid.GridLine;
import dev.gridhouse.contract.grid.Substation;
import dev.gridhouse.core.config.JobOptions;
import dev.gridhouse.ods.OdsOptions;
import dev.gridhouse.ods.cdc.PostgresOptions;
import dev.gridhouse.ods.cdc.PostgresSettings;
import dev.gridhouse.ods.sim.GridSimulator;
import dev.gridhouse.ods.sim.SimulatorConfig;
import java.io.PrintStream;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;
import org.apache.flink.configuration.Configuration;

/**
 * {@code gridhouse pg-load} (the simulator's devices, substations and lines into PostgreSQL {@code
 * grid.*}, batched upserts) and {@code gridhouse pg-cleanup} (drops a CDC job's replication slots
 * and publication). The password comes from {@code $GRIDHOUSE_PG_PASSWORD} or {@code
 * --pg.password-file} and is never printed.
 */
public final class PgCommands {
    private static final int BATCH = 1000;

    public static final ConfigOption<String> SLOT =
            ConfigOptions.key("slot")
                    .stringType()
                    .noDefaultValue()
                    .withDescription(
                            "Replication slot to drop (with its backfill slots <slot>_<n>).");

    public static final ConfigOption<String> PUBLICATION =
            ConfigOptions.key("publication")
                    .stringType()
                    .noDefaultValue()
                    .withDescription("Publication to drop.");

    private static final List<ConfigOption<?>> CONNECTION =
            Arrays.asList(
                    PostgresOptions.HOST,
                    PostgresOptions.PORT,
                    PostgresOptions.DATABASE,
                    PostgresOptions.USER,
                    PostgresOptions.PASSWORD_FILE);

    static final JobOptions LOAD =
            JobOptions.of(
                    "gridhouse pg-load",
                    "Upserts the simulator's devices, substations and lines into PostgreSQL"
                            + " grid.devices, grid.substations and grid.lines.",
                    CONNECTION,
                    Arrays.asList(
                            OdsOptions.SIM_DEVICE_COUNT,
                            OdsOptions.SIM_REGIONS,
                            OdsOptions.SIM_SEED,
                            OdsOptions.SIM_START_TIME));

    static final JobOptions CLEANUP =
            JobOptions.of(
                    "gridhouse pg-cleanup",
                    "Drops a CDC job's replication slot (if inactive) and publication.",
                    CONNECTION,
                    Arrays.asList(SLOT, PUBLICATION));

    private PgCommands() {}

    static int load(String[] args, PrintStream out) throws SQLException {
        Configuration conf = LOAD.parse(args);
        if (conf == null) {
            return 0;
        }
        long start = conf.get(OdsOptions.SIM_START_TIME);
        GridSimulator sim =
                new GridSimulator(
                        SimulatorConfig.builder()
                                .deviceCount(conf.get(OdsOptions.SIM_DEVICE_COUNT))
                                .regionCount(conf.get(OdsOptions.SIM_REGIONS))
                                .seed(conf.get(OdsOptions.SIM_SEED))
                                .startTimeMs(start >= 0 ? start : System.currentTimeMillis())
                                .build());
        try (Connection c = connect(conf, System.getenv())) {
            int[] n = load(c, sim.devices(), sim.substations(), sim.lines());
            out.printf(
                    "pg-load: upserted %d devices, %d substations, %d lines into %s%n",
                    n[0], n[1], n[2], settingsString(conf));
        }
        return 0;
    }

    /** Upserts the rows in one transaction; returns the counts of devices, substations, lines. */
    public static int[] load(
            Connection c, List<Device> devices, List<Substation> substations, List<GridLine> lines)
            throws SQLException {
        boolean auto = c.getAutoCommit();
        c.setAutoCommit(false);
        try {
            try (PreparedStatement ps =
                    c.prepareStatement(
                            "INSERT INTO grid.substations (substation_id, substation_name, region,"
                                    + " voltage_level_kv, capacity_mw) VALUES (?, ?, ?, ?, ?)"
                                    + " ON CONFLICT (substation_id) DO UPDATE SET"
                                    + " substation_name = EXCLUDED.substation_name,"
                                    + " region = EXCLUDED.region,"
                                    + " voltage_level_kv = EXCLUDED.voltage_level_kv,"
                                    + " capacity_mw = EXCLUDED.capacity_mw")) {
                int i = 0;
                for (Substation s : substations) {
                    ps.setString(1, s.substationId);
                    ps.setString(2, s.substationName);
                    ps.setString(3, s.region);
                    ps.setDouble(4, s.voltageLevelKv);
                    ps.setDouble(5, s.capacityMw);
                    ps.addBatch();
                    if (++i % BATCH == 0) {
                        ps.executeBatch();
                    }
                }
                ps.executeBatch();
            }
            try (PreparedStatement ps =
                    c.prepareStatement(
                            "INSERT INTO grid.lines (line_id, from_substation_id,"
                                    + " to_substation_id, capacity_mw, status)"
                                    + " VALUES (?, ?, ?, ?, ?)"
                                    + " ON CONFLICT (line_id) DO UPDATE SET"
                                    + " from_substation_id = EXCLUDED.from_substation_id,"
                                    + " to_substation_id = EXCLUDED.to_substation_id,"
                                    + " capacity_mw = EXCLUDED.capacity_mw,"
                                    + " status = EXCLUDED.status")) {
                int i = 0;
                for (GridLine l : lines) {
                    ps.setString(1, l.lineId);
                    ps.setString(2, l.fromSubstationId);
                    ps.setString(3, l.toSubstationId);
                    ps.setDouble(4, l.capacityMw);
                    ps.setString(5, l.status);
                    ps.addBatch();
                    if (++i % BATCH == 0) {
                        ps.executeBatch();
                    }
                }
                ps.executeBatch();
            }
            try (PreparedStatement ps = c.prepareStatement(DEVICE_UPSERT)) {
                int i = 0;
                for (Device d : devices) {
                    bindDevice(ps, d);
                    ps.addBatch();
                    if (++i % BATCH == 0) {
                        ps.executeBatch();
                    }
                }
                ps.executeBatch();
            }
            c.commit();
        } catch (SQLException | RuntimeException e) {
            c.rollback();
            throw e;
        } finally {
            c.setAutoCommit(auto);
        }
        return new int[] {devices.size(), substations.size(), lines.size()};
    }

    /** Upsert of one {@code grid.devices} row; bind with {@link #bindDevice}. */
    public static final String DEVICE_UPSERT =
            "INSERT INTO grid.devices (device_id, device_name, device_type, substation_id,"
                    + " region, capacity_mw, rated_voltage_kv, status, updated_at)"
                    + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"
                    + " ON CONFLICT (device_id) DO UPDATE SET"
                    + " device_name = EXCLUDED.device_name,"
                    + " device_type = EXCLUDED.device_type,"
                    + " substation_id = EXCLUDED.substation_id,"
                    + " region = EXCLUDED.region,"
                    + " capacity_mw = EXCLUDED.capacity_mw,"
                    + " rated_voltage_kv = EXCLUDED.rated_voltage_kv,"
                    + " status = EXCLUDED.status,"
                    + " updated_at = EXCLUDED.updated_at";

    public static void bindDevice(PreparedStatement ps, Device d) throws SQLException {
        ps.setString(1, d.deviceId);
        ps.setString(2, d.deviceName);
        ps.setString(3, d.deviceType);
        ps.setString(4, d.substationId);
        ps.setString(5, d.region);
        ps.setDouble(6, d.capacityMw);
        ps.setDouble(7, d.ratedVoltageKv);
        ps.setString(8, d.status);
        ps.setObject(
                9, OffsetDateTime.ofInstant(Instant.ofEpochMilli(d.updatedAt), ZoneOffset.UTC));
    }

    static int cleanup(String[] args, PrintStream out) throws SQLException {
        Configuration conf = CLEANUP.parse(args);
        if (conf == null) {
            return 0;
        }
        String slot = conf.getOptional(SLOT).orElse(null);
        String publication = conf.getOptional(PUBLICATION).orElse(null);
        if (slot == null && publication == null) {
            throw new IllegalArgumentException("pg-cleanup needs --slot and/or --publication");
        }
        try (Connection c = connect(conf, System.getenv())) {
            List<String> kept = cleanup(c, slot, publication, out);
            return kept.isEmpty() ? 0 : 1;
        }
    }

    /**
     * Drops the inactive replication slots {@code slot} and {@code slot_<n>} (backfill slots of the
     * incremental snapshot) and the publication, each if it exists.
     *
     * @return the slots that were kept because a job still uses them
     */
    public static List<String> cleanup(
            Connection c, String slot, String publication, PrintStream out) throws SQLException {
        List<String> kept = new ArrayList<>();
        if (slot != null) {
            PostgresSettings.identifier(slot);
            try (PreparedStatement ps =
                    c.prepareStatement(
                            "SELECT slot_name, active FROM pg_replication_slots"
                                    + " WHERE database = current_database()"
                                    + " AND (slot_name = ? OR slot_name ~ ?)")) {
                ps.setString(1, slot);
                ps.setString(2, "^" + slot + "_[0-9]+$");
                List<String> drop = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        if (rs.getBoolean(2)) {
                            kept.add(rs.getString(1));
                        } else {
                            drop.add(rs.getString(1));
                        }
                    }
                }
                for (String s : drop) {
                    try (PreparedStatement d =
                            c.prepareStatement("SELECT pg_drop_replication_slot(?)")) {
                        d.setString(1, s);
                        d.execute();
                    }
                    out.println("pg-cleanup: dropped replication slot " + s);
                }
                for (String s : kept) {
                    out.println("pg-cleanup: slot " + s + " is active (a job uses it); kept");
                }
                if (drop.isEmpty() && kept.isEmpty()) {
                    out.println("pg-cleanup: no replication slot " + slot);
                }
            }
        }
        if (publication != null) {
            if (!publication.matches("[a-z0-9_]{1,63}")) {
                throw new IllegalArgumentException(
                        "--publication must be 1-63 of [a-z0-9_], was '" + publication + "'");
            }
            try (Statement st = c.createStatement()) {
                st.execute("DROP PUBLICATION IF EXISTS " + publication);
            }
            out.println("pg-cleanup: dropped publication " + publication + " (if it existed)");
        }
        return kept;
    }

    /** A JDBC connection of the {@code pg.*} options; the password is not logged. */
    public static Connection connect(Configuration conf, Map<String, String> env)
            throws SQLException {
        String url =
                "jdbc:postgresql://"
                        + conf.get(PostgresOptions.HOST)
                        + ":"
                        + conf.get(PostgresOptions.PORT)
                        + "/"
                        + conf.get(PostgresOptions.DATABASE);
        Properties props = new Properties();
        props.setProperty("user", conf.get(PostgresOptions.USER));
        props.setProperty(
                "password",
                PostgresSettings.password(conf.get(PostgresOptions.PASSWORD_FILE), env));
        props.setProperty("reWriteBatchedInserts", "true");
        return DriverManager.getConnection(url, props);
    }

    private static String settingsString(Configuration conf) {
        return "postgresql://"
                + conf.get(PostgresOptions.USER)
                + "@"
                + conf.get(PostgresOptions.HOST)
                + ":"
                + conf.get(PostgresOptions.PORT)
                + "/"
                + conf.get(PostgresOptions.DATABASE);
    }
}
