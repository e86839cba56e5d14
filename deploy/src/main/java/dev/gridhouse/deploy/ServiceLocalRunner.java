package dev.gridhouse.deploy;

import dev.gridhouse.ads.service.ServiceAds;
import dev.gridhouse.ads.service.ServiceAdsOptions;
import dev.gridhouse.contract.service.ServiceTables;
import dev.gridhouse.core.config.CommonOptions;
import dev.gridhouse.core.io.FlussEndpoint;
import dev.gridhouse.core.io.TableReader;
import dev.gridhouse.dws.service.ServiceDws;
import dev.gridhouse.ods.cdc.PostgresOptions;
import dev.gridhouse.ods.cdc.PostgresSettings;
import dev.gridhouse.ods.service.ServiceOds;
import dev.gridhouse.testing.LocalFlussCluster;
import java.io.PrintStream;
import java.nio.file.Paths;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * {@code gridhouse local --pipeline service}: the ticket warehouse on 127.0.0.1 with the local
 * PostgreSQL ({@code deploy/bin/pg-local start}). Creates database {@code --pg.database} (default
 * {@value #DEFAULT_DATABASE}) and schemas {@code service}/{@code ads} if missing, seeds agents,
 * tickets over several days and logs when empty, starts an embedded Fluss cluster and the ODS, DWS
 * and ADS jobs in one MiniCluster job, then applies random ticket changes (updates, reassignments,
 * deletes, inserts) at {@code --change-rate} per second and prints the status counts and the agent
 * ranking every {@code --refresh}. On exit it drops its replication slot and publication.
 */
final class ServiceLocalRunner {
    static final String DEFAULT_DATABASE = "gridhouse_service";
    private static final long DAY_MS = 86_400_000L;

    static final ConfigOption<Double> CHANGE_RATE =
            ConfigOptions.key("change-rate")
                    .doubleType()
                    .defaultValue(2.0)
                    .withDescription(
                            "Random ticket changes per second applied to PostgreSQL (0: none).");

    private final Configuration conf;
    private final PrintStream out;

    /** Ctrl-C / SIGTERM. */
    private StopSignal signal;

    ServiceLocalRunner(Configuration conf, PrintStream out) {
        this.conf = conf;
        this.out = out;
    }

    int run() throws Exception {
        try (StopSignal s = new StopSignal()) {
            signal = s;
            int code = runService();
            out.println("Stopped; Fluss and Flink are shut down.");
            out.flush();
            return code;
        } catch (Exception | Error e) {
            out.println("gridhouse local --pipeline service failed: " + e);
            e.printStackTrace(out);
            throw e;
        }
    }

    private int runService() throws Exception {
        Map<String, String> env = System.getenv();
        Configuration pgConf = new Configuration(conf);
        if (!conf.contains(PostgresOptions.DATABASE)) {
            pgConf.set(PostgresOptions.DATABASE, DEFAULT_DATABASE);
        }
        String database = pgConf.get(PostgresOptions.DATABASE);
        createDatabase(pgConf, database, env);
        String uid = "local";
        PostgresSettings pg = PostgresSettings.of(pgConf, uid, "ods_service", env);
        int parallelism = LocalOptions.parallelism(conf);
        try (Connection c = PgCommands.connect(pgConf, env)) {
            ServiceData.createSchema(c);
            long start = (System.currentTimeMillis() / DAY_MS - 4) * DAY_MS;
            ServiceData data = new ServiceData(c, conf.get(LocalOptions.SEED), start, 5, 8);
            if (ServiceData.isEmpty(c)) {
                data.seed(300);
                out.println("Seeded " + database + ": 8 agents, 300 tickets over 5 days, logs.");
            }
            LocalFlussCluster fluss = LocalFlussCluster.start();
            try {
                Configuration flinkConf = LocalCluster.flinkConfig(parallelism);
                StreamExecutionEnvironment flink =
                        StreamExecutionEnvironment.createLocalEnvironment(parallelism, flinkConf);
                Configuration job = new Configuration(pgConf);
                job.set(CommonOptions.FLUSS_BOOTSTRAP_SERVERS, fluss.bootstrapServers());
                job.set(CommonOptions.PARALLELISM, parallelism);
                job.set(CommonOptions.CHECKPOINT_INTERVAL, Duration.ofSeconds(5));
                job.set(CommonOptions.UID_PREFIX, uid);
                LocalCluster.restartStrategy(conf, job);
                job.set(ServiceAdsOptions.JDBC_URL, pg.jdbcUrl());
                job.set(ServiceAdsOptions.JDBC_USER, pg.user);
                ServiceOds.build(flink, job);
                ServiceDws.build(flink, job);
                ServiceAds.build(flink, job);
                JobClient client = flink.executeAsync("gridhouse-service-local");
                JobWatch watch =
                        new JobWatch("ticket warehouse", client, JobWatch.restPort(flinkConf));
                out.println(
                        "Ticket warehouse running: Fluss "
                                + fluss.bootstrapServers()
                                + " database "
                                + ServiceTables.DEFAULT_DATABASE
                                + ", PostgreSQL "
                                + pg
                                + ". Ctrl-C to stop.");
                try {
                    loop(c, data, fluss, watch);
                    String dump = conf.getOptional(LocalOptions.DUMP_DIR).orElse(null);
                    if (dump != null && !signal.isStopped()) {
                        LocalSummary.dumpTables(
                                new FlussEndpoint(
                                        fluss.bootstrapServers(), ServiceTables.DEFAULT_DATABASE),
                                Paths.get(dump),
                                ServiceTables.ALL,
                                out);
                    }
                } finally {
                    try {
                        client.cancel().get(30, TimeUnit.SECONDS);
                    } catch (Exception e) {
                        // already ended
                    }
                    cleanup(c, pg);
                }
            } finally {
                signal.close(fluss);
            }
        }
        return 0;
    }

    private void loop(Connection c, ServiceData data, LocalFlussCluster fluss, JobWatch watch)
            throws Exception {
        try {
            changeAndPrint(c, data, fluss, watch);
        } catch (Exception e) {
            if (!signal.isStopped()) {
                throw e;
            } // interrupted by Ctrl-C / SIGTERM: stop (Fluss's servers are shutting down too)
        } finally {
            signal.clearInterrupt();
        }
    }

    private void changeAndPrint(
            Connection c, ServiceData data, LocalFlussCluster fluss, JobWatch watch)
            throws Exception {
        Duration duration = conf.get(LocalOptions.DURATION);
        long end =
                duration.isZero()
                        ? Long.MAX_VALUE
                        : System.currentTimeMillis() + duration.toMillis();
        double rate = conf.get(CHANGE_RATE);
        long pause = rate <= 0 ? Long.MAX_VALUE : (long) Math.max(1, 1000 / Math.min(rate, 1000));
        long nextPrint = System.currentTimeMillis() + conf.get(LocalOptions.REFRESH).toMillis();
        int changes = 0;
        while (System.currentTimeMillis() < end) {
            if (rate > 0) {
                data.change();
                changes++;
            }
            if (signal.await(Math.min(pause, 1000))) {
                return; // Fluss's servers are shutting down too: no last read
            }
            JobWatch.failIfEnded(watch);
            if (System.currentTimeMillis() >= nextPrint) {
                print(c, fluss, changes);
                out.println("  job: " + watch.describe());
                nextPrint += conf.get(LocalOptions.REFRESH).toMillis();
            }
        }
        print(c, fluss, changes);
    }

    private void print(Connection c, LocalFlussCluster fluss, int changes) throws Exception {
        out.println("--- " + changes + " changes applied");
        try (TableReader reader =
                new TableReader(fluss.clientConfig(), ServiceTables.DEFAULT_DATABASE)) {
            for (Object[] r :
                    reader.readAll(ServiceTables.DWS_TICKET_STATUS, Duration.ofSeconds(30))) {
                out.println("  status " + r[0] + ": " + r[1]);
            }
        }
        try (Statement st = c.createStatement();
                ResultSet rs =
                        st.executeQuery(
                                "SELECT rank, agent_id, agent_name, tickets_resolved,"
                                        + " round(avg_resolution_minutes::numeric, 1)"
                                        + " FROM ads.agent_ranking ORDER BY rank LIMIT 5")) {
            while (rs.next()) {
                out.printf(
                        "  #%d agent %d %s: %d resolved, avg %s min (ads.agent_ranking)%n",
                        rs.getInt(1),
                        rs.getInt(2),
                        rs.getString(3),
                        rs.getLong(4),
                        rs.getString(5));
            }
        }
    }

    private void createDatabase(Configuration pgConf, String database, Map<String, String> env)
            throws Exception {
        PostgresSettings.identifier(database);
        if (!database.matches("[a-z0-9_]{1,63}")) {
            throw new IllegalArgumentException("--pg.database must be [a-z0-9_], was " + database);
        }
        Configuration admin = new Configuration(pgConf);
        admin.set(PostgresOptions.DATABASE, "gridhouse"); // created by pg-local
        try (Connection c = PgCommands.connect(admin, env);
                Statement st = c.createStatement();
                ResultSet rs =
                        st.executeQuery(
                                "SELECT 1 FROM pg_database WHERE datname = '" + database + "'")) {
            if (!rs.next()) {
                try (Statement create = c.createStatement()) {
                    create.execute("CREATE DATABASE " + database);
                }
                out.println("Created database " + database);
            }
        }
    }

    private void cleanup(Connection c, PostgresSettings pg) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        List<String> kept;
        do {
            kept = PgCommands.cleanup(c, pg.slotName, pg.publicationName, out);
            if (!kept.isEmpty()) {
                Thread.sleep(500);
            }
        } while (!kept.isEmpty() && System.nanoTime() < deadline);
    }
}
