package dev.gridhouse.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gridhouse.ads.service.ServiceAds;
import dev.gridhouse.core.catalog.ServiceTables;
import dev.gridhouse.core.catalog.TableSpec;
import dev.gridhouse.core.cluster.LocalFlussCluster;
import dev.gridhouse.core.io.TableReader;
import dev.gridhouse.dws.service.ServiceDws;
import dev.gridhouse.ods.OdsJob;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The ticket warehouse end to end on real parts: seed data in a real PostgreSQL ({@code
 * deploy/bin/pg-local}), the ODS (CDC) and DWS layers of {@code --pipeline service} on a Flink
 * MiniCluster against an embedded Fluss cluster, a seeded random sequence of inserts, status
 * changes, resolutions, reassignments, unassignments and deletes applied while the job runs; then
 * every DWS table and the ADS ranking (in Fluss and in PostgreSQL {@code ads.agent_ranking}) must
 * equal the same aggregate computed by SQL on PostgreSQL. Own database, slot and publication,
 * dropped at the end.
 */
class ServicePipelineITCase {
    private static final Duration WAIT = Duration.ofMinutes(3);
    private static final String ID = UUID.randomUUID().toString().replace("-", "").substring(0, 8);
    private static final String DB = "gh_service_it_" + ID;
    private static final String SLOT = "gh_service_it_" + ID + "_slot";
    private static final String PUBLICATION = "gh_service_it_" + ID + "_pub";
    private static final String PASSWORD =
            System.getenv().getOrDefault("GRIDHOUSE_PG_PASSWORD", "gridhouse");
    private static final int PG_PORT =
            Integer.parseInt(System.getenv().getOrDefault("GRIDHOUSE_PG_PORT", "55432"));
    private static final long T0 = Instant.parse("2026-05-01T00:00:00Z").toEpochMilli();
    private static final long SEED = 9L;

    private static final String DAY = "to_char(%s AT TIME ZONE 'UTC', 'YYYY-MM-DD')";
    private static final String MINUTES = "extract(epoch FROM resolved_at - created_at) / 60.0";

    @TempDir static Path dir;
    private static LocalFlussCluster fluss;
    private static Connection pg;
    private static JobClient job;

    @BeforeAll
    static void start() throws Exception {
        Path repo = Paths.get("").toAbsolutePath().getParent();
        Process p =
                new ProcessBuilder(repo.resolve("deploy/bin/pg-local").toString(), "start")
                        .redirectErrorStream(true)
                        .redirectOutput(dir.resolve("pg-local.log").toFile())
                        .start();
        assertThat(p.waitFor(10, TimeUnit.MINUTES)).as("pg-local start finished").isTrue();
        assertThat(p.exitValue())
                .as("pg-local start: %s", Files.readString(dir.resolve("pg-local.log")))
                .isZero();
        try (Connection admin = connect("gridhouse");
                Statement st = admin.createStatement()) {
            st.execute("CREATE DATABASE " + DB);
        }
        pg = connect(DB);
        ServiceData.createSchema(pg);
        Files.writeString(dir.resolve("pg.password"), PASSWORD + "\n");
        fluss = LocalFlussCluster.start();
    }

    @AfterAll
    static void stop() throws Exception {
        try {
            if (job != null) {
                try {
                    job.cancel().get(1, TimeUnit.MINUTES);
                } catch (Exception ignored) {
                    // already stopped
                }
            }
        } finally {
            try {
                if (pg != null) {
                    long deadline = System.nanoTime() + Duration.ofMinutes(1).toNanos();
                    PrintStream quiet = new PrintStream(new ByteArrayOutputStream(), true, "UTF-8");
                    while (!PgCommands.cleanup(pg, SLOT, PUBLICATION, quiet).isEmpty()
                            && System.nanoTime() < deadline) {
                        Thread.sleep(200);
                    }
                    assertThat(
                                    rows(
                                            "SELECT slot_name FROM pg_replication_slots WHERE"
                                                    + " slot_name LIKE '"
                                                    + SLOT
                                                    + "%'"))
                            .as("replication slots left behind")
                            .isEmpty();
                    pg.close();
                    try (Connection admin = connect("gridhouse");
                            Statement st = admin.createStatement()) {
                        st.execute("DROP DATABASE IF EXISTS " + DB);
                    }
                }
            } finally {
                if (fluss != null) {
                    fluss.close();
                }
            }
        }
    }

    @Test
    void dwsTablesEqualSqlOverTheCurrentPostgresTablesAfterRandomChanges() throws Exception {
        ServiceData data = new ServiceData(pg, SEED, T0, 5, 6);
        data.seed(120);
        // a row that breaks the contract goes to the dead letter, not into the aggregates
        exec(
                "INSERT INTO service.tickets VALUES (999999, 1, 1, 'x', 'SOMEDAY', 'OPEN',"
                        + " now(), now(), NULL)");
        job = startJob();
        awaitDwsEqualsSql();
        awaitAdsEqualsSql();

        List<String> applied = new ArrayList<>();
        for (int i = 0; i < 80; i++) {
            applied.add(data.change());
            if (i % 10 == 9) {
                Thread.sleep(200); // let changes interleave with processing
            }
        }
        exec(
                "UPDATE service.agents SET agent_name = 'Renamed', updated_at = now() WHERE agent_id = 2");
        exec("INSERT INTO service.agents VALUES (7, 'New agent', 'TECH', 3, true, now())");
        exec("DELETE FROM service.agents WHERE agent_id = 6");
        assertThat(applied).anyMatch(s -> s.startsWith("delete"));
        assertThat(applied).anyMatch(s -> s.startsWith("reassign"));
        awaitDwsEqualsSql();
        awaitAdsEqualsSql();

        List<String> dead = new ArrayList<>();
        try (TableReader reader = new TableReader(fluss.clientConfig(), "service")) {
            for (Object[] r :
                    reader.readAll(ServiceTables.ODS_DEAD_LETTER, Duration.ofMinutes(1))) {
                dead.add(r[0] + ":" + r[1] + ":" + r[2]);
            }
        }
        // the bad row may be updated by the generator while still invalid: one letter each time
        assertThat(dead).isNotEmpty().allMatch("tickets:INVALID_VALUE:priority"::equals);
        assertThat(job.getJobStatus().get()).isEqualTo(JobStatus.RUNNING);
    }

    private static final String MILLIS = "floor(extract(epoch FROM %s) * 1000)::bigint";

    private static void awaitDwsEqualsSql() throws Exception {
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
                        + " a.agent_id = t.agent_id WHERE t.priority IN"
                        + " ('LOW','MEDIUM','HIGH','URGENT')");
        awaitEqual(
                ServiceTables.DWS_TICKET_STATUS,
                "SELECT status, count(*) FROM service.tickets WHERE priority IN"
                        + " ('LOW','MEDIUM','HIGH','URGENT') GROUP BY status");
        awaitEqual(
                ServiceTables.DWS_DAILY_TICKET_STATS,
                "SELECT "
                        + String.format(DAY, "created_at")
                        + " AS day, count(*), count(resolved_at),"
                        + " count(*) FILTER (WHERE priority = 'URGENT'), avg("
                        + MINUTES
                        + ") FROM service.tickets WHERE priority IN"
                        + " ('LOW','MEDIUM','HIGH','URGENT') GROUP BY 1");
        awaitEqual(
                ServiceTables.DWS_AGENT_DAILY,
                "WITH t AS (SELECT agent_id, "
                        + String.format(DAY, "created_at")
                        + " AS day, count(*) AS assigned, count(resolved_at) AS resolved, avg("
                        + MINUTES
                        + ") AS avg_min FROM service.tickets WHERE agent_id IS NOT NULL AND"
                        + " priority IN ('LOW','MEDIUM','HIGH','URGENT') GROUP BY 1, 2),"
                        + " l AS (SELECT agent_id, "
                        + String.format(DAY, "created_at")
                        + " AS day, count(*) AS logs FROM service.ticket_logs WHERE agent_id IS"
                        + " NOT NULL GROUP BY 1, 2)"
                        + " SELECT coalesce(t.agent_id, l.agent_id), coalesce(t.day, l.day),"
                        + " coalesce(assigned, 0), coalesce(resolved, 0), avg_min,"
                        + " coalesce(logs, 0) FROM t FULL JOIN l ON t.agent_id = l.agent_id AND"
                        + " t.day = l.day");
    }

    private static final String RANKING_SQL =
            "WITH s AS (SELECT agent_id, count(resolved_at) AS r, avg("
                    + MINUTES
                    + ") AS m FROM service.tickets WHERE agent_id IS NOT NULL AND priority IN"
                    + " ('LOW','MEDIUM','HIGH','URGENT') GROUP BY agent_id)"
                    + " SELECT a.agent_id, a.agent_name, a.department, coalesce(s.r, 0), s.m,"
                    + " row_number() OVER (ORDER BY coalesce(s.r, 0) DESC, s.m ASC NULLS LAST,"
                    + " a.agent_id) FROM service.agents a LEFT JOIN s USING (agent_id)";

    private static void awaitAdsEqualsSql() throws Exception {
        awaitEqual(ServiceTables.ADS_AGENT_RANKING, RANKING_SQL);
        // the PostgreSQL copy written by the JDBC sink
        long deadline = System.nanoTime() + WAIT.toNanos();
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
    private static void awaitEqual(TableSpec table, String sql) throws Exception {
        long deadline = System.nanoTime() + WAIT.toNanos();
        Map<String, String> expected;
        Map<String, String> actual;
        do {
            expected = sqlRows(sql, table.primaryKey().size());
            actual = flussRows(table);
            if (actual.equals(expected)) {
                break;
            }
            Thread.sleep(300);
        } while (System.nanoTime() < deadline);
        assertThat(actual).as(table.name()).isEqualTo(expected);
        assertThat(actual).as(table.name()).isNotEmpty();
    }

    private static Map<String, String> sqlRows(String sql, int keyColumns) throws Exception {
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

    private static Map<String, String> flussRows(TableSpec table) throws Exception {
        Map<String, String> rows = new TreeMap<>();
        try (TableReader reader = new TableReader(fluss.clientConfig(), "service")) {
            for (Object[] r : reader.readAll(table, Duration.ofMinutes(1))) {
                put(rows, r, table.primaryKey().size());
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

    private static JobClient startJob() throws Exception {
        Configuration flink = LocalRunner.flinkConfig(2);
        StreamExecutionEnvironment env =
                StreamExecutionEnvironment.createLocalEnvironment(2, flink);
        Configuration conf = new Configuration();
        conf.setString("pipeline", "service");
        conf.setString("fluss.bootstrap-servers", fluss.bootstrapServers());
        conf.setString("checkpoint.interval", "1s");
        conf.setString("parallelism", "2");
        conf.setString("uid-prefix", "it");
        conf.setString("pg.host", "127.0.0.1");
        conf.setString("pg.port", String.valueOf(PG_PORT));
        conf.setString("pg.database", DB);
        conf.setString("pg.user", "gridhouse");
        conf.setString("pg.password-file", dir.resolve("pg.password").toString());
        conf.setString("pg.slot-name", SLOT);
        conf.setString("pg.publication-name", PUBLICATION);
        OdsJob.build(env, conf);
        ServiceDws.build(env, conf);
        conf.setString("service.jdbc-url", "jdbc:postgresql://127.0.0.1:" + PG_PORT + "/" + DB);
        conf.setString("service.jdbc-password-file", dir.resolve("pg.password").toString());
        ServiceAds.build(env, conf);
        return env.executeAsync("service-pipeline");
    }

    private static Connection connect(String database) throws Exception {
        return DriverManager.getConnection(
                "jdbc:postgresql://127.0.0.1:" + PG_PORT + "/" + database, "gridhouse", PASSWORD);
    }

    private static void exec(String sql) throws Exception {
        try (Statement st = pg.createStatement()) {
            st.execute(sql);
        }
    }

    private static List<String> rows(String sql) throws Exception {
        List<String> out = new ArrayList<>();
        try (Statement st = pg.createStatement();
                ResultSet rs = st.executeQuery(sql)) {
            while (rs.next()) {
                out.add(rs.getString(1));
            }
        }
        return out;
    }
}
