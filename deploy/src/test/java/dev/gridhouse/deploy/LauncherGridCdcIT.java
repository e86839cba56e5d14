package dev.gridhouse.deploy;

import static dev.gridhouse.deploy.LauncherHarness.*;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code gridhouse pg-load} and {@code gridhouse local --devices-source postgres} through {@code
 * deploy/bin/gridhouse}: random inserts, updates, deletes and reassignments of devices, substations
 * and lines from before the launcher starts until after the dimension snapshot is in Fluss; then
 * {@code ods_devices}, {@code ods_substations} and {@code ods_lines} must equal SQL over {@code
 * grid.*}, the pipeline must accept telemetry on that dimension, nothing must have restarted and
 * the slot must be gone after SIGTERM. (With Debezium's {@code filtered} publication mode this test
 * fails: changes to the tables not being snapshotted are lost.)
 */
class LauncherGridCdcIT {
    private static final String ID = UUID.randomUUID().toString().replace("-", "").substring(0, 8);

    @TempDir static Path dir;

    @BeforeAll
    static void startPostgres() throws Exception {
        LauncherHarness.startPostgres(dir);
    }

    @AfterAll
    static void dropDatabase() throws Exception {
        LauncherHarness.dropDatabase("gh_launch_grid_" + ID);
    }

    @Test
    void gridDimensionsFromPostgresThroughTheLauncherEqualSqlWithChangesDuringTheSnapshot()
            throws Exception {
        String db = "gh_launch_grid_" + ID;
        String slot = db + "_slot";
        createDatabase(db);
        try (Connection pg = connect(db);
                Connection changes = connect(db)) {
            try (Statement st = pg.createStatement()) {
                st.execute(Files.readString(REPO.resolve("deploy/sql/grid-schema.sql")));
            }
            String[] pgArgs = {"--pg.port", String.valueOf(PG_PORT), "--pg.database", db};
            Process load =
                    launcher(concat(new String[] {"pg-load", "--sim.device-count", "3000"}, pgArgs))
                            .redirectOutput(dir.resolve("pg-load.log").toFile())
                            .start();
            assertThat(load.waitFor(5, TimeUnit.MINUTES)).isTrue();
            assertThat(load.exitValue())
                    .as("gridhouse pg-load: %s", Files.readString(dir.resolve("pg-load.log")))
                    .isZero();
            GridChanges grid = new GridChanges(changes, 11L);
            Changer changer = new Changer(grid::change);
            Launched run =
                    launch(
                            changer,
                            "from PostgreSQL; CDC keeps them current",
                            concat(
                                    new String[] {
                                        "local",
                                        "--devices-source",
                                        "postgres",
                                        "--device-count",
                                        "3000",
                                        "--rate",
                                        "300",
                                        "--refresh",
                                        "2s",
                                        "--serve.port",
                                        "0",
                                        "--pg.slot-name",
                                        slot,
                                        "--pg.publication-name",
                                        db + "_pub"
                                    },
                                    pgArgs));
            try {
                assertThat(changer.before.get() + changer.after.get())
                        .as("changes made around the snapshot")
                        .isGreaterThan(20);
                assertThat(grid.kinds).as("kinds of change made").hasSizeGreaterThan(6);
                new PostgresOracle(pg, run.fluss(), "grid", WAIT).awaitGridDimensionsEqualSql();
                // the pipeline runs on the captured dimension: telemetry is accepted
                run.awaitPattern(Pattern.compile(" [1-9][0-9]* accepted,"), Duration.ofMinutes(3));
                try (dev.gridhouse.core.io.TableReader reader =
                        new dev.gridhouse.core.io.TableReader(run.fluss(), "grid")) {
                    java.util.Map<String, Integer> reasons = new java.util.TreeMap<>();
                    for (Object[] r :
                            reader.readAll(
                                    dev.gridhouse.contract.grid.GridTables.ODS_DEAD_LETTER,
                                    Duration.ofMinutes(1))) {
                        reasons.merge(r[0] + ":" + r[1], 1, Integer::sum);
                    }
                    System.out.println("Dead letters by source:reason: " + reasons);
                    // every row the changes wrote is valid: no dimension row was rejected
                    assertThat(reasons.keySet()).allMatch(k -> k.startsWith("telemetry:"));
                }
                run.assertNoRestarts();
            } finally {
                run.stop();
            }
            assertThat(run.output()).contains("Stopped; Fluss and Flink are shut down.");
            assertNoSlotLeft(pg, slot);
        }
    }

    private static final class GridChanges {
        private static final String[] STATUS = {"IN_SERVICE", "MAINTENANCE", "OUT_OF_SERVICE"};
        private static final String[] TYPES = {"GENERATOR", "TRANSFORMER", "FEEDER", "BREAKER"};
        private final Connection c;
        private final Random random;
        private final List<String> substations = new ArrayList<>();
        private final List<String> regions = new ArrayList<>();
        final java.util.Set<Integer> kinds = Collections.synchronizedSet(new java.util.HashSet<>());
        private int next;

        GridChanges(Connection c, long seed) throws Exception {
            this.c = c;
            this.random = new Random(seed);
            try (Statement st = c.createStatement();
                    ResultSet rs =
                            st.executeQuery(
                                    "SELECT substation_id, region FROM grid.substations ORDER BY 1")) {
                while (rs.next()) {
                    substations.add(rs.getString(1));
                    regions.add(rs.getString(2));
                }
            }
        }

        Object change() throws Exception {
            int kind = random.nextInt(9);
            kinds.add(kind);
            int s = random.nextInt(substations.size());
            switch (kind) {
                case 0:
                    return exec(
                            "UPDATE grid.devices SET status = ?, updated_at = now() WHERE"
                                    + " device_id = (SELECT device_id FROM grid.devices ORDER BY"
                                    + " random() LIMIT 1)",
                            STATUS[random.nextInt(STATUS.length)]);
                case 1:
                    return exec(
                            "UPDATE grid.devices SET capacity_mw = ?::float8, updated_at = now()"
                                    + " WHERE device_id = (SELECT device_id FROM grid.devices"
                                    + " ORDER BY random() LIMIT 1)",
                            String.valueOf(1 + random.nextInt(500)));
                case 2:
                    return exec(
                            "UPDATE grid.devices SET substation_id = ?, region = ?, updated_at ="
                                    + " now() WHERE device_id = (SELECT device_id FROM"
                                    + " grid.devices ORDER BY random() LIMIT 1)",
                            substations.get(s),
                            regions.get(s));
                case 3:
                    return exec(
                            "DELETE FROM grid.devices WHERE device_id = (SELECT device_id FROM"
                                    + " grid.devices ORDER BY random() LIMIT 1)");
                case 4:
                    return exec(
                            "INSERT INTO grid.devices VALUES (?, ?, ?, ?, ?, 120.0, 110.0,"
                                    + " 'IN_SERVICE', now())",
                            "DX" + ID + "_" + next,
                            "new device " + next++,
                            TYPES[random.nextInt(TYPES.length)],
                            substations.get(s),
                            regions.get(s));
                case 5:
                    return exec(
                            "UPDATE grid.substations SET capacity_mw = ?::float8 WHERE"
                                    + " substation_id = ?",
                            String.valueOf(100 + random.nextInt(900)),
                            substations.get(s));
                case 6:
                    return exec(
                            "UPDATE grid.lines SET status = CASE status WHEN 'OPEN' THEN 'CLOSED'"
                                    + " ELSE 'OPEN' END WHERE line_id = (SELECT line_id FROM"
                                    + " grid.lines ORDER BY random() LIMIT 1)");
                case 7:
                    return exec(
                            "INSERT INTO grid.lines VALUES (?, ?, ?, 80.0, 'CLOSED')",
                            "LX" + ID + "_" + next++,
                            substations.get(s),
                            substations.get((s + 1) % substations.size()));
                default:
                    return exec(
                            "DELETE FROM grid.lines WHERE line_id = (SELECT line_id FROM"
                                    + " grid.lines ORDER BY random() LIMIT 1)");
            }
        }

        private int exec(String sql, String... args) throws Exception {
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                for (int i = 0; i < args.length; i++) {
                    ps.setString(i + 1, args[i]);
                }
                return ps.executeUpdate();
            }
        }
    }

    /** A running {@code deploy/bin/gridhouse} process and the lines it printed. */
}
