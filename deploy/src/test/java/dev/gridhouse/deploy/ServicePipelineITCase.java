package dev.gridhouse.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gridhouse.ads.service.ServiceAds;
import dev.gridhouse.contract.service.ServiceTables;
import dev.gridhouse.core.io.TableReader;
import dev.gridhouse.dws.service.ServiceDws;
import dev.gridhouse.ods.service.ServiceOds;
import dev.gridhouse.testing.LocalFlussCluster;
import dev.gridhouse.testing.PgLocal;
import dev.gridhouse.testing.SharedFlussCluster;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
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

    /** The port pg-local chose (55432 unless another server holds it). */
    private static int PG_PORT;

    private static final long T0 = Instant.parse("2026-05-01T00:00:00Z").toEpochMilli();
    private static final long SEED = 9L;

    @TempDir static Path dir;

    /** One Fluss cluster for every test class of this JVM; this class writes its own databases. */
    @RegisterExtension static final SharedFlussCluster FLUSS = new SharedFlussCluster();

    private static LocalFlussCluster fluss;
    private static Connection pg;
    private static JobClient job;

    @BeforeAll
    static void start() throws Exception {
        Path repo = Paths.get("").toAbsolutePath().getParent();
        // may install the Debian package on a fresh machine
        PG_PORT = PgLocal.start(dir);
        try (Connection admin = connect("gridhouse");
                Statement st = admin.createStatement()) {
            st.execute("CREATE DATABASE " + DB);
        }
        pg = connect(DB);
        ServiceData.createSchema(pg);
        Files.writeString(dir.resolve("pg.password"), PASSWORD + "\n");
        fluss = FLUSS.cluster();
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

    private static PostgresOracle oracle() {
        return new PostgresOracle(pg, fluss.clientConfig(), "service", WAIT);
    }

    private static void awaitDwsEqualsSql() throws Exception {
        oracle().awaitServiceOdsEqualsSql();
        oracle().awaitServiceDwsEqualsSql();
    }

    private static void awaitAdsEqualsSql() throws Exception {
        oracle().awaitServiceRankingEqualsSql();
        oracle().awaitPostgresRankingEqualsSql();
    }

    private static JobClient startJob() throws Exception {
        Configuration flink = LocalCluster.flinkConfig(2);
        StreamExecutionEnvironment env =
                StreamExecutionEnvironment.createLocalEnvironment(2, flink);
        Configuration conf = new Configuration();
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
        ServiceOds.build(env, conf);
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
