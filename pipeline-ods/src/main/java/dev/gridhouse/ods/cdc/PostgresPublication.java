package dev.gridhouse.ods.cdc;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code pgoutput} publication of a CDC job, created before the job starts and covering every
 * captured table, so that no change is lost while the snapshot runs.
 *
 * <p>Debezium's {@code publication.autocreate.mode=filtered} narrows the publication to one table
 * at a time while the incremental snapshot reads each table ({@code ALTER PUBLICATION … SET
 * TABLE}); changes to the other tables in that window are never decoded (FLINK-38907). The CDC
 * sources of this project therefore run with the auto-create mode {@code disabled} on a publication
 * this class has created up front: tables are only ever added to it, never removed.
 */
public final class PostgresPublication {
    private static final Logger LOG = LoggerFactory.getLogger(PostgresPublication.class);

    private PostgresPublication() {}

    /**
     * Creates the publication {@link PostgresSettings#publicationName} for {@code schema.tables},
     * or adds the tables it lacks. A publication {@code FOR ALL TABLES} is left as it is.
     *
     * @return the tables that were added (all of them for a new publication)
     * @throws IllegalStateException with what to fix if the publication cannot be created
     */
    public static List<String> ensure(PostgresSettings pg, String schema, List<String> tables) {
        Properties props = new Properties();
        props.setProperty("user", pg.user);
        props.setProperty("password", pg.password);
        try (Connection c = DriverManager.getConnection(pg.jdbcUrl(), props)) {
            return ensure(c, pg.publicationName, schema, tables);
        } catch (SQLException e) {
            throw new IllegalStateException(
                    "Cannot create or extend the publication "
                            + pg.publicationName
                            + " for "
                            + schema
                            + "."
                            + tables
                            + " on "
                            + pg
                            + ": "
                            + e.getMessage()
                            + ". The CDC user must own the tables (or create the publication"
                            + " beforehand: CREATE PUBLICATION "
                            + pg.publicationName
                            + " FOR TABLE ...).",
                    e);
        }
    }

    /** {@link #ensure(PostgresSettings, String, List)} on an open connection. */
    public static List<String> ensure(
            Connection c, String publication, String schema, List<String> tables)
            throws SQLException {
        String name = PostgresSettings.identifier(publication);
        if (!name.equals(publication)) {
            throw new IllegalArgumentException("Not a valid publication name: " + publication);
        }
        Boolean allTables = null;
        try (PreparedStatement ps =
                c.prepareStatement("SELECT puballtables FROM pg_publication WHERE pubname = ?")) {
            ps.setString(1, publication);
            try (ResultSet rs = ps.executeQuery()) {
                if (rs.next()) {
                    allTables = rs.getBoolean(1);
                }
            }
        }
        if (Boolean.TRUE.equals(allTables)) {
            LOG.info("Publication {} covers all tables; left as it is", publication);
            return new ArrayList<>();
        }
        Set<String> published = new LinkedHashSet<>();
        if (allTables != null) {
            try (PreparedStatement ps =
                    c.prepareStatement(
                            "SELECT schemaname, tablename FROM pg_publication_tables"
                                    + " WHERE pubname = ?")) {
                ps.setString(1, publication);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        published.add(rs.getString(1) + "." + rs.getString(2));
                    }
                }
            }
        }
        List<String> missing = new ArrayList<>();
        for (String t : tables) {
            if (!published.contains(schema + "." + t)) {
                missing.add(schema + "." + t);
            }
        }
        if (missing.isEmpty()) {
            return missing;
        }
        StringBuilder list = new StringBuilder();
        for (String t : missing) {
            if (list.length() > 0) {
                list.append(", ");
            }
            int dot = t.indexOf('.');
            list.append(quote(t.substring(0, dot))).append('.').append(quote(t.substring(dot + 1)));
        }
        try (Statement st = c.createStatement()) {
            if (allTables == null) {
                try {
                    st.execute("CREATE PUBLICATION " + publication + " FOR TABLE " + list);
                } catch (SQLException e) {
                    if ("42710".equals(e.getSQLState())) { // created concurrently: extend it
                        return ensure(c, publication, schema, tables);
                    }
                    throw e;
                }
                LOG.info("Created publication {} for {}", publication, missing);
            } else {
                st.execute("ALTER PUBLICATION " + publication + " ADD TABLE " + list);
                LOG.info("Added {} to publication {}", missing, publication);
            }
        }
        return missing;
    }

    private static String quote(String identifier) {
        return '"' + identifier.replace("\"", "\"\"") + '"';
    }
}
