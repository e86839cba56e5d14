package dev.gridhouse.deploy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.sql.Types;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Seed data and a change generator for the ticket warehouse's PostgreSQL tables ({@code
 * deploy/sql/service-schema.sql}): agents, tickets spread over several days, logs; then random
 * (seeded) status changes, resolutions, reassignments, unassignments, deletes, new tickets and new
 * logs — the changes the pipeline must retract and re-aggregate.
 */
public final class ServiceData {
    static final String[] DEPARTMENTS = {"BILLING", "TECH", "SALES"};
    static final String[] CATEGORIES = {"billing", "outage", "meter", "contract"};
    static final String[] PRIORITIES = {"LOW", "MEDIUM", "HIGH", "URGENT"};
    static final String[] STATUSES = {"OPEN", "IN_PROGRESS", "RESOLVED", "CLOSED"};

    private final Connection c;
    private final Random random;
    private final long startMs;
    private final int days;
    private final int agents;
    private long nextTicket = 1;
    private long nextLog = 1;

    /**
     * @param startMs the first day's start (epoch ms); tickets are created over {@code days} days
     */
    public ServiceData(Connection c, long seed, long startMs, int days, int agents)
            throws SQLException {
        this.c = c;
        this.random = new Random(seed);
        this.startMs = startMs;
        this.days = days;
        this.agents = agents;
        this.nextTicket = 1 + max("SELECT max(ticket_id) FROM service.tickets");
        this.nextLog = 1 + max("SELECT max(log_id) FROM service.ticket_logs");
    }

    /** Creates schemas {@code service} and {@code ads} and their tables, if missing. */
    public static void createSchema(Connection c) throws SQLException, IOException {
        try (InputStream in = ServiceData.class.getResourceAsStream("/service-schema.sql");
                Statement st = c.createStatement()) {
            st.execute(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        }
    }

    /** True when {@code service.agents} has no row. */
    public static boolean isEmpty(Connection c) throws SQLException {
        try (Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT count(*) FROM service.agents")) {
            rs.next();
            return rs.getLong(1) == 0;
        }
    }

    private long max(String sql) throws SQLException {
        try (Statement st = c.createStatement();
                ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1); // 0 for null
        }
    }

    /** Inserts the agents, {@code tickets} tickets and about two logs per ticket. */
    public void seed(int tickets) throws SQLException {
        try (PreparedStatement ps =
                c.prepareStatement("INSERT INTO service.agents VALUES (?, ?, ?, ?, ?, now())")) {
            for (int a = 1; a <= agents; a++) {
                ps.setInt(1, a);
                ps.setString(2, "Agent " + a);
                ps.setString(3, DEPARTMENTS[a % DEPARTMENTS.length]);
                ps.setInt(4, 1 + a % 5);
                ps.setBoolean(5, true);
                ps.addBatch();
            }
            ps.executeBatch();
        }
        for (int i = 0; i < tickets; i++) {
            insertTicket();
        }
    }

    /** Inserts one new ticket (and a log of its creation); returns its id. */
    public long insertTicket() throws SQLException {
        long id = nextTicket++;
        long created = startMs + (long) (random.nextDouble() * days * 86_400_000L);
        Integer agent = random.nextInt(5) == 0 ? null : 1 + random.nextInt(agents);
        String status = STATUSES[random.nextInt(STATUSES.length)];
        Long resolved =
                "RESOLVED".equals(status) || "CLOSED".equals(status)
                        ? created + 60_000L + random.nextInt(3 * 86_400_000)
                        : null;
        try (PreparedStatement ps =
                c.prepareStatement(
                        "INSERT INTO service.tickets VALUES (?, ?, ?, ?, ?, ?, ?, now(), ?)")) {
            ps.setLong(1, id);
            ps.setLong(2, 1000 + random.nextInt(500));
            setAgent(ps, 3, agent);
            ps.setString(4, CATEGORIES[random.nextInt(CATEGORIES.length)]);
            ps.setString(5, PRIORITIES[random.nextInt(PRIORITIES.length)]);
            ps.setString(6, status);
            ps.setTimestamp(7, new Timestamp(created));
            ps.setTimestamp(8, resolved == null ? null : new Timestamp(resolved));
            ps.executeUpdate();
        }
        insertLog(id, agent, "CREATED", created);
        if (agent != null && random.nextBoolean()) {
            insertLog(id, agent, "COMMENT", created + random.nextInt(86_400_000));
        }
        return id;
    }

    private void insertLog(long ticket, Integer agent, String action, long at) throws SQLException {
        try (PreparedStatement ps =
                c.prepareStatement("INSERT INTO service.ticket_logs VALUES (?, ?, ?, ?, ?, ?)")) {
            ps.setLong(1, nextLog++);
            ps.setLong(2, ticket);
            setAgent(ps, 3, agent);
            ps.setString(4, action);
            ps.setString(5, "generated");
            ps.setTimestamp(6, new Timestamp(at));
            ps.executeUpdate();
        }
    }

    /** Applies one random change; returns a short description of it. */
    public String change() throws SQLException {
        List<Long> ids = ticketIds();
        if (ids.isEmpty()) {
            return "insert " + insertTicket();
        }
        long id = ids.get(random.nextInt(ids.size()));
        int kind = random.nextInt(7);
        switch (kind) {
            case 0:
                return "insert " + insertTicket();
            case 1:
                update(
                        "UPDATE service.tickets SET status = 'IN_PROGRESS', resolved_at = NULL,"
                                + " updated_at = now() WHERE ticket_id = ?",
                        id);
                return "reopen " + id;
            case 2:
                update(
                        "UPDATE service.tickets SET status = 'RESOLVED', resolved_at = created_at"
                                + " + make_interval(mins => ?::int), updated_at = now() WHERE ticket_id = "
                                + id,
                        1 + random.nextInt(5000));
                return "resolve " + id;
            case 3:
                int agent = 1 + random.nextInt(agents);
                update(
                        "UPDATE service.tickets SET agent_id = ?, updated_at = now() WHERE"
                                + " ticket_id = "
                                + id,
                        agent);
                insertLog(id, agent, "REASSIGNED", System.currentTimeMillis());
                return "reassign " + id + " to " + agent;
            case 4:
                update(
                        "UPDATE service.tickets SET agent_id = NULL, updated_at = now() WHERE"
                                + " ticket_id = ?",
                        id);
                return "unassign " + id;
            case 5:
                update(
                        "UPDATE service.tickets SET priority = 'URGENT', status = 'CLOSED',"
                                + " updated_at = now() WHERE ticket_id = ?",
                        id);
                return "escalate+close " + id;
            default:
                update("DELETE FROM service.tickets WHERE ticket_id = ?", id);
                return "delete " + id;
        }
    }

    private void update(String sql, long arg) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setLong(1, arg);
            ps.executeUpdate();
        }
    }

    private List<Long> ticketIds() throws SQLException {
        List<Long> ids = new ArrayList<>();
        try (Statement st = c.createStatement();
                ResultSet rs =
                        st.executeQuery("SELECT ticket_id FROM service.tickets ORDER BY 1")) {
            while (rs.next()) {
                ids.add(rs.getLong(1));
            }
        }
        return ids;
    }

    private static void setAgent(PreparedStatement ps, int i, Integer agent) throws SQLException {
        if (agent == null) {
            ps.setNull(i, Types.INTEGER);
        } else {
            ps.setInt(i, agent);
        }
    }
}
