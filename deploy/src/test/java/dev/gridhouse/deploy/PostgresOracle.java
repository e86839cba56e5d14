package dev.gridhouse.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gridhouse.contract.grid.GridTables;
import dev.gridhouse.contract.service.ServiceTables;
import dev.gridhouse.core.catalog.TableSpec;
import dev.gridhouse.core.io.TableReader;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.Statement;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.apache.fluss.config.Configuration;

/**
 * Test oracle: polls until a Fluss table equals a SQL query over PostgreSQL's current rows (by
 * primary key, numbers normalised), then asserts equality. The queries of the ticket warehouse
 * (service contract §2–4) and of the grid's ODS dimension tables live here so that every test
 * compares against the same SQL.
 */
final class PostgresOracle {
    static final String MILLIS = "floor(extract(epoch FROM %s) * 1000)::bigint";
    private static final String DAY = "to_char(%s AT TIME ZONE 'UTC', 'YYYY-MM-DD')";
    private static final String MINUTES = "extract(epoch FROM resolved_at - created_at) / 60.0";
    private static final String VALID = " priority IN ('LOW','MEDIUM','HIGH','URGENT')";

    private final Connection pg;
    private final Configuration fluss;
    private final String database;
    private final Duration wait;

    PostgresOracle(Connection pg, Configuration fluss, String database, Duration wait) {
        this.pg = pg;
        this.fluss = fluss;
        this.database = database;
        this.wait = wait;
    }

    /** {@code ods_devices}, {@code ods_substations} and {@code ods_lines} equal {@code grid.*}. */
    void awaitGridDimensionsEqualSql() throws Exception {
        awaitEqual(
                GridTables.ODS_DEVICES,
                "SELECT device_id, device_name, device_type, substation_id, region, capacity_mw,"
                        + " rated_voltage_kv, status, "
                        + String.format(MILLIS, "updated_at")
                        + " FROM grid.devices");
        awaitEqual(
                GridTables.ODS_SUBSTATIONS,
                "SELECT substation_id, substation_name, region, voltage_level_kv, capacity_mw"
                        + " FROM grid.substations");
        awaitEqual(
                GridTables.ODS_LINES,
                "SELECT line_id, from_substation_id, to_substation_id, capacity_mw, status"
                        + " FROM grid.lines");
    }

    /** The ticket warehouse's ODS tables equal {@code service.*} (rejected tickets left out). */
    void awaitServiceOdsEqualsSql() throws Exception {
        awaitEqual(
                ServiceTables.ODS_AGENTS,
                "SELECT agent_id, agent_name, department, skill_level, active, "
                        + String.format(MILLIS, "updated_at")
                        + " FROM service.agents");
        awaitEqual(
                ServiceTables.ODS_TICKETS,
                "SELECT ticket_id, customer_id, agent_id, category, priority, status, "
                        + String.format(MILLIS, "created_at")
                        + ", "
                        + String.format(MILLIS, "updated_at")
                        + ", "
                        + String.format(MILLIS, "resolved_at")
                        + " FROM service.tickets WHERE"
                        + VALID);
        // a log table: every log row once (keyed by log_id; the count catches duplicates)
        awaitEqual(
                ServiceTables.ODS_TICKET_LOGS,
                "SELECT log_id, ticket_id, agent_id, action, note, "
                        + String.format(MILLIS, "created_at")
                        + " FROM service.ticket_logs");
        try (TableReader reader = new TableReader(fluss, database)) {
            assertThat(reader.readAll(ServiceTables.ODS_TICKET_LOGS, Duration.ofMinutes(1)))
                    .as("ods_ticket_logs rows (no duplicates)")
                    .hasSize(sqlRows("SELECT log_id FROM service.ticket_logs", 1).size());
        }
    }

    /** The ticket warehouse's DWD and DWS tables equal the same aggregates in SQL. */
    void awaitServiceDwsEqualsSql() throws Exception {
        // DWD: the current ticket joined with its current agent (renamed, deleted agents included)
        awaitEqual(
                ServiceTables.DWD_TICKETS,
                "SELECT t.ticket_id, t.customer_id, t.agent_id, t.category, t.priority, t.status, "
                        + String.format(MILLIS, "t.created_at")
                        + ", "
                        + String.format(MILLIS, "t.updated_at")
                        + ", "
                        + String.format(MILLIS, "t.resolved_at")
                        + ", a.agent_name, a.department, ("
                        + String.format(MILLIS, "t.resolved_at")
                        + " - "
                        + String.format(MILLIS, "t.created_at")
                        + ") / 60000.0 FROM service.tickets t LEFT JOIN service.agents a ON"
                        + " a.agent_id = t.agent_id WHERE t."
                        + VALID.trim());
        awaitEqual(
                ServiceTables.DWS_TICKET_STATUS,
                "SELECT status, count(*) FROM service.tickets WHERE" + VALID + " GROUP BY status");
        awaitEqual(
                ServiceTables.DWS_DAILY_TICKET_STATS,
                "SELECT "
                        + String.format(DAY, "created_at")
                        + " AS day, count(*), count(resolved_at),"
                        + " count(*) FILTER (WHERE priority = 'URGENT'), avg("
                        + MINUTES
                        + ") FROM service.tickets WHERE"
                        + VALID
                        + " GROUP BY 1");
        awaitEqual(
                ServiceTables.DWS_AGENT_DAILY,
                "WITH t AS (SELECT agent_id, "
                        + String.format(DAY, "created_at")
                        + " AS day, count(*) AS assigned, count(resolved_at) AS resolved, avg("
                        + MINUTES
                        + ") AS avg_min FROM service.tickets WHERE agent_id IS NOT NULL AND"
                        + VALID
                        + " GROUP BY 1, 2),"
                        + " l AS (SELECT agent_id, "
                        + String.format(DAY, "created_at")
                        + " AS day, count(*) AS logs FROM service.ticket_logs WHERE agent_id IS"
                        + " NOT NULL GROUP BY 1, 2)"
                        + " SELECT coalesce(t.agent_id, l.agent_id), coalesce(t.day, l.day),"
                        + " coalesce(assigned, 0), coalesce(resolved, 0), avg_min,"
                        + " coalesce(logs, 0) FROM t FULL JOIN l ON t.agent_id = l.agent_id AND"
                        + " t.day = l.day");
    }

    static final String RANKING_SQL =
            "WITH s AS (SELECT agent_id, count(resolved_at) AS r, avg("
                    + MINUTES
                    + ") AS m FROM service.tickets WHERE agent_id IS NOT NULL AND"
                    + VALID
                    + " GROUP BY agent_id)"
                    + " SELECT a.agent_id, a.agent_name, a.department, coalesce(s.r, 0), s.m,"
                    + " row_number() OVER (ORDER BY coalesce(s.r, 0) DESC, s.m ASC NULLS LAST,"
                    + " a.agent_id) FROM service.agents a LEFT JOIN s USING (agent_id)";

    /** {@code ads_agent_ranking} in Fluss equals the ranking computed in SQL. */
    void awaitServiceRankingEqualsSql() throws Exception {
        awaitEqual(ServiceTables.ADS_AGENT_RANKING, RANKING_SQL);
    }

    /** The PostgreSQL copy {@code ads.agent_ranking} written by the JDBC sink equals the SQL. */
    void awaitPostgresRankingEqualsSql() throws Exception {
        long deadline = System.nanoTime() + wait.toNanos();
        Map<String, String> expected;
        Map<String, String> actual;
        do {
            expected = sqlRows(RANKING_SQL, 1);
            actual =
                    sqlRows(
                            "SELECT agent_id, agent_name, department, tickets_resolved,"
                                    + " avg_resolution_minutes, rank FROM ads.agent_ranking",
                            1);
            if (actual.equals(expected)) {
                break;
            }
            Thread.sleep(300);
        } while (System.nanoTime() < deadline);
        assertThat(actual).as("PostgreSQL ads.agent_ranking").isEqualTo(expected).isNotEmpty();
    }

    /** Polls until the Fluss table equals the SQL result (by key), then asserts equality. */
    void awaitEqual(TableSpec table, String sql) throws Exception {
        int keys = table.hasPrimaryKey() ? table.primaryKey().size() : 1;
        long deadline = System.nanoTime() + wait.toNanos();
        Map<String, String> expected;
        Map<String, String> actual;
        do {
            expected = sqlRows(sql, keys);
            actual = flussRows(table, keys);
            if (actual.equals(expected)) {
                break;
            }
            Thread.sleep(300);
        } while (System.nanoTime() < deadline);
        assertThat(actual).as(table.name()).isEqualTo(expected);
        assertThat(actual).as(table.name()).isNotEmpty();
    }

    Map<String, String> sqlRows(String sql, int keyColumns) throws Exception {
        Map<String, String> rows = new TreeMap<>();
        try (Statement st = pg.createStatement();
                ResultSet rs = st.executeQuery(sql)) {
            ResultSetMetaData md = rs.getMetaData();
            while (rs.next()) {
                Object[] values = new Object[md.getColumnCount()];
                for (int i = 0; i < values.length; i++) {
                    values[i] = rs.getObject(i + 1);
                }
                put(rows, values, keyColumns);
            }
        }
        return rows;
    }

    private Map<String, String> flussRows(TableSpec table, int keyColumns) throws Exception {
        Map<String, String> rows = new TreeMap<>();
        try (TableReader reader = new TableReader(fluss, database)) {
            for (Object[] r : reader.readAll(table, Duration.ofMinutes(1))) {
                put(rows, r, keyColumns);
            }
        }
        return rows;
    }

    /** Renders a row: numbers as plain values, averages to 6 decimals (SQL numeric vs double). */
    private static void put(Map<String, String> rows, Object[] values, int keyColumns) {
        StringBuilder key = new StringBuilder();
        StringBuilder rest = new StringBuilder();
        for (int i = 0; i < values.length; i++) {
            Object v = values[i];
            String s;
            if (v == null) {
                s = "null";
            } else if (v instanceof Double
                    || v instanceof Float
                    || v instanceof java.math.BigDecimal) {
                s = String.format(Locale.ROOT, "%.6f", ((Number) v).doubleValue());
            } else if (v instanceof Number) {
                s = Long.toString(((Number) v).longValue());
            } else if (v instanceof org.apache.fluss.row.TimestampLtz) {
                s = Long.toString(((org.apache.fluss.row.TimestampLtz) v).getEpochMillisecond());
            } else {
                s = v.toString();
            }
            (i < keyColumns ? key : rest).append(s).append('|');
        }
        rows.put(key.toString(), rest.toString());
    }
}
