package dev.gridhouse.deploy;

import static dev.gridhouse.deploy.LauncherHarness.*;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.sql.Connection;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * CDC on the path users run: {@code deploy/bin/gridhouse} itself (its classpath file, its JVM
 * flags), not Maven's test classpath, for the ticket warehouse ({@code local --pipeline service}).
 * A thread keeps changing PostgreSQL from before the launcher starts until after the CDC snapshot
 * is in Fluss, so changes land before, during and right after the snapshot of every captured table;
 * then every Fluss table must equal SQL over PostgreSQL's current rows, the job must not have
 * restarted, and the slot must be dropped on shutdown. Runs in the {@code integration-test} phase
 * (failsafe), after the launcher's jar and classpath exist. {@link LauncherGridCdcIT} does the same
 * for the grid's dimension.
 */
class LauncherServiceCdcIT {
    private static final String ID = UUID.randomUUID().toString().replace("-", "").substring(0, 8);

    @TempDir static Path dir;

    @BeforeAll
    static void startPostgres() throws Exception {
        LauncherHarness.startPostgres(dir);
    }

    @AfterAll
    static void dropDatabase() throws Exception {
        LauncherHarness.dropDatabase("gh_launch_svc_" + ID);
    }

    @Test
    void launcherClasspathPutsFlinkCdcsPatchedDebeziumClassesFirst() throws Exception {
        List<String> entries =
                List.of(
                        Files.readString(REPO.resolve("deploy/target/launcher.classpath"))
                                .trim()
                                .split(":"));
        assertThat(entries).allSatisfy(e -> assertThat(Paths.get(e)).isRegularFile());
        int cdc = indexOf(entries, "flink-connector-postgres-cdc-");
        int debezium = indexOf(entries, "debezium-connector-postgres-");
        assertThat(cdc).isNotNegative().isLessThan(debezium);
        assertThat(Files.readString(REPO.resolve("deploy/bin/gridhouse")))
                .contains("launcher.classpath")
                .doesNotContain("-cp \"$JAR:$LIB/*\"");
    }

    private static int indexOf(List<String> entries, String jarPrefix) {
        for (int i = 0; i < entries.size(); i++) {
            if (Paths.get(entries.get(i)).getFileName().toString().startsWith(jarPrefix)) {
                return i;
            }
        }
        return -1;
    }

    @Test
    void servicePipelineThroughTheLauncherEqualsSqlWithChangesDuringTheSnapshot() throws Exception {
        String db = "gh_launch_svc_" + ID;
        String slot = db + "_slot";
        createDatabase(db);
        try (Connection pg = connect(db);
                Connection changes = connect(db)) {
            ServiceData.createSchema(pg);
            long t0 = Instant.parse("2026-05-01T00:00:00Z").toEpochMilli();
            new ServiceData(pg, 5L, t0, 5, 6).seed(150);
            ServiceData data = new ServiceData(changes, 6L, t0, 5, 6);
            Changer changer = new Changer(data::change);
            Launched run =
                    launch(
                            changer,
                            "Ticket warehouse running",
                            "local",
                            "--pipeline",
                            "service",
                            "--change-rate",
                            "0",
                            "--refresh",
                            "2s",
                            "--pg.port",
                            String.valueOf(PG_PORT),
                            "--pg.database",
                            db,
                            "--pg.slot-name",
                            slot,
                            "--pg.publication-name",
                            db + "_pub");
            try {
                assertThat(changer.before.get() + changer.after.get())
                        .as("changes made around the snapshot")
                        .isGreaterThan(20);
                PostgresOracle oracle = new PostgresOracle(pg, run.fluss(), "service", WAIT);
                oracle.awaitServiceOdsEqualsSql();
                oracle.awaitServiceDwsEqualsSql();
                oracle.awaitServiceRankingEqualsSql();
                oracle.awaitPostgresRankingEqualsSql();
                run.assertNoRestarts();
            } finally {
                run.stop();
            }
            assertThat(run.output()).contains("Stopped; Fluss and Flink are shut down.");
            assertNoSlotLeft(pg, slot);
        }
    }
}
