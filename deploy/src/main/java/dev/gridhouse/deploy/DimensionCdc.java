package dev.gridhouse.deploy;

import dev.gridhouse.contract.grid.GridTables;
import dev.gridhouse.core.config.CommonOptions;
import dev.gridhouse.core.io.FlussEndpoint;
import dev.gridhouse.core.io.TableReader;
import dev.gridhouse.core.model.DeadLetter;
import dev.gridhouse.ods.OdsPipeline;
import dev.gridhouse.ods.cdc.PostgresCdc;
import dev.gridhouse.ods.cdc.PostgresDimensions;
import dev.gridhouse.ods.cdc.PostgresSettings;
import java.io.PrintStream;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.streaming.api.datastream.DataStream;

/**
 * The dimension CDC job of {@code gridhouse local --devices-source postgres}: captures {@code
 * grid.devices}, {@code grid.substations} and {@code grid.lines} into the ODS tables beside the
 * pipeline (so later changes arrive too) until it is stopped, then drops its replication slot and
 * publication.
 */
final class DimensionCdc {
    private final Configuration conf;

    /** The job's settings: {@code conf} with the Fluss servers and the uid prefix. */
    private final Configuration job;

    private final PrintStream out;
    private final JobWatch watch;

    private DimensionCdc(Configuration conf, Configuration job, PrintStream out, JobWatch watch) {
        this.conf = conf;
        this.job = job;
        this.out = out;
        this.watch = watch;
    }

    /**
     * Starts the CDC job on its own MiniCluster; {@link #awaitSnapshot} then waits for its
     * snapshot.
     */
    static DimensionCdc start(Configuration conf, FlussEndpoint fluss, PrintStream out)
            throws Exception {
        Map<String, String> env = System.getenv();
        Configuration job = new Configuration(conf);
        job.set(CommonOptions.FLUSS_BOOTSTRAP_SERVERS, fluss.bootstrapServers());
        job.set(CommonOptions.UID_PREFIX, "gridhouse");
        PostgresSettings pg = PostgresSettings.of(job, "gridhouse", env);
        LocalCluster.Environment cdc = LocalCluster.environment(conf, Duration.ofSeconds(5));
        List<DataStream<DeadLetter>> deadLetters = new ArrayList<>();
        PostgresCdc.build(
                PostgresDimensions.ODS, cdc.env, job, fluss, "gridhouse", deadLetters, env);
        OdsPipeline.writeDeadLetters(deadLetters.get(0), fluss, "gridhouse-ods");
        out.println("Capturing grid.devices, grid.substations, grid.lines from " + pg + " ...");
        JobWatch watch =
                new JobWatch(
                        "dimension CDC",
                        cdc.env.executeAsync("gridhouse-local-dimensions-cdc"),
                        cdc.restPort);
        return new DimensionCdc(conf, job, out, watch);
    }

    /**
     * Waits (up to 3 min) until the snapshot is in Fluss: every table holds as many rows as
     * PostgreSQL does.
     */
    void awaitSnapshot(FlussEndpoint fluss) throws Exception {
        Map<String, String> env = System.getenv();
        long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
        try (Connection c = PgCommands.connect(job, env);
                TableReader reader = new TableReader(fluss.toFlussConfig(), fluss.database())) {
            while (true) {
                JobWatch.failIfEnded(watch);
                long[] sql = {
                    count(c, "grid.devices"), count(c, "grid.substations"), count(c, "grid.lines")
                };
                long[] ods = {
                    reader.readAll(GridTables.ODS_DEVICES, Duration.ofSeconds(30)).size(),
                    reader.readAll(GridTables.ODS_SUBSTATIONS, Duration.ofSeconds(30)).size(),
                    reader.readAll(GridTables.ODS_LINES, Duration.ofSeconds(30)).size()
                };
                if (Arrays.equals(sql, ods)) {
                    out.println(
                            "Loaded "
                                    + ods[0]
                                    + " devices, "
                                    + ods[1]
                                    + " substations and "
                                    + ods[2]
                                    + " lines from PostgreSQL; CDC keeps them current.");
                    return;
                }
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException(
                            "The dimension snapshot did not arrive in 3 min: PostgreSQL has "
                                    + Arrays.toString(sql)
                                    + " devices/substations/lines, Fluss "
                                    + Arrays.toString(ods)
                                    + " ("
                                    + watch.describe()
                                    + ")");
                }
                Thread.sleep(500);
            }
        }
    }

    private static long count(Connection c, String table) throws SQLException {
        try (Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT count(*) FROM " + table)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** The running job. */
    JobWatch watch() {
        return watch;
    }

    /**
     * Cancels the job and drops its replication slot and publication (after clearing the interrupt
     * of a stop signal, so that this can block).
     */
    void stop(StopSignal signal) {
        signal.clearInterrupt();
        try {
            watch.job().cancel().get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            // already ended
        }
        Configuration job = new Configuration(conf);
        job.set(CommonOptions.UID_PREFIX, "gridhouse");
        PostgresSettings pg = PostgresSettings.of(job, "gridhouse", System.getenv());
        try (Connection c = PgCommands.connect(job, System.getenv())) {
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (!PgCommands.cleanup(c, pg.slotName, pg.publicationName, out).isEmpty()
                    && System.nanoTime() < deadline) {
                Thread.sleep(500);
            }
        } catch (Exception e) {
            out.println(
                    "Could not drop the CDC slot/publication ("
                            + e.getMessage()
                            + "); run gridhouse pg-cleanup --slot "
                            + pg.slotName
                            + " --publication "
                            + pg.publicationName);
        }
    }
}
