package dev.gridhouse.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gridhouse.testing.PgLocal;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.fluss.config.Configuration;

/**
 * What the launcher tests share: PostgreSQL from {@code deploy/bin/pg-local}, a thread that keeps
 * changing PostgreSQL from before the launcher starts until after it is ready, and a running {@code
 * deploy/bin/gridhouse} process with the lines it printed.
 */
final class LauncherHarness {
    static final Duration WAIT = Duration.ofMinutes(3);
    static final String PASSWORD =
            System.getenv().getOrDefault("GRIDHOUSE_PG_PASSWORD", "gridhouse");

    /** The port pg-local chose; set by {@link #startPostgres}. */
    static int PG_PORT;

    static final Pattern FLUSS = Pattern.compile("Fluss (?:is up at )?(127\\.0\\.0\\.1:\\d+)");
    static final Path REPO = Paths.get("").toAbsolutePath().getParent();

    private LauncherHarness() {}

    /** Starts (or finds running) the throwaway PostgreSQL of {@code deploy/bin/pg-local}. */
    static void startPostgres(Path dir) throws Exception {
        PG_PORT = PgLocal.start(dir);
    }

    static void dropDatabase(String db) throws Exception {
        try (Connection admin = connect("gridhouse");
                Statement st = admin.createStatement()) {
            st.execute("DROP DATABASE IF EXISTS " + db + " WITH (FORCE)");
        }
    }

    /** Applies changes in a loop; counts those before and after the readiness line. */
    static final class Changer implements Runnable {
        interface Change {
            Object apply() throws Exception;
        }

        private final Change change;
        final AtomicBoolean ready = new AtomicBoolean();
        final AtomicBoolean stop = new AtomicBoolean();
        final AtomicInteger before = new AtomicInteger();
        final AtomicInteger after = new AtomicInteger();
        volatile Exception failure;

        Changer(Change change) {
            this.change = change;
        }

        @Override
        public void run() {
            try {
                while (!stop.get()) {
                    change.apply();
                    (ready.get() ? after : before).incrementAndGet();
                    Thread.sleep(20);
                }
            } catch (Exception e) {
                failure = e;
            }
        }
    }

    /** Random valid changes of devices, substations and lines (all three CDC tables). */
    static final class Launched {
        private final Process process;
        private final List<String> lines = Collections.synchronizedList(new ArrayList<>());
        private final Thread reader;

        Launched(Process process) {
            this.process = process;
            reader =
                    new Thread(
                            () -> {
                                try (BufferedReader r =
                                        new BufferedReader(
                                                new InputStreamReader(
                                                        process.getInputStream(),
                                                        StandardCharsets.UTF_8))) {
                                    String line;
                                    while ((line = r.readLine()) != null) {
                                        lines.add(line);
                                    }
                                } catch (Exception ignored) {
                                    // the process ended
                                }
                            },
                            "gridhouse-output");
            reader.setDaemon(true);
            reader.start();
        }

        String output() {
            synchronized (lines) {
                return String.join("\n", lines);
            }
        }

        String awaitOutput(String text, Duration timeout) throws Exception {
            long deadline = System.nanoTime() + timeout.toNanos();
            while (System.nanoTime() < deadline) {
                synchronized (lines) {
                    for (String l : lines) {
                        if (l.contains(text)) {
                            return l;
                        }
                    }
                }
                assertThat(process.isAlive())
                        .as("gridhouse is still running; it printed:\n%s", output())
                        .isTrue();
                Thread.sleep(200);
            }
            throw new AssertionError("gridhouse never printed '" + text + "':\n" + output());
        }

        Matcher awaitPattern(Pattern pattern, Duration timeout) throws Exception {
            long deadline = System.nanoTime() + timeout.toNanos();
            while (System.nanoTime() < deadline) {
                synchronized (lines) {
                    for (String l : lines) {
                        Matcher m = pattern.matcher(l);
                        if (m.find()) {
                            return m;
                        }
                    }
                }
                assertThat(process.isAlive())
                        .as("gridhouse is still running; it printed:\n%s", output())
                        .isTrue();
                Thread.sleep(200);
            }
            throw new AssertionError("gridhouse never printed /" + pattern + "/:\n" + output());
        }

        Configuration fluss() throws Exception {
            Configuration conf = new Configuration();
            conf.setString(
                    "bootstrap.servers", awaitPattern(FLUSS, Duration.ofMinutes(2)).group(1));
            return conf;
        }

        /** The job-status lines never reported a restart, and no job ended. */
        void assertNoRestarts() {
            String out = output();
            assertThat(out).contains("RUNNING");
            assertThat(out).doesNotContainPattern("\\d+ restarts? \\(").doesNotContain("job ended");
        }

        /** SIGTERM, as Ctrl-C: the launcher stops the jobs and drops its slot, then exits. */
        void stop() throws Exception {
            // kill(1), not Process#destroy: destroy also closes our end of its output pipe
            new ProcessBuilder("kill", "-TERM", String.valueOf(process.pid()))
                    .inheritIO()
                    .start()
                    .waitFor();
            if (!process.waitFor(2, TimeUnit.MINUTES)) {
                process.destroyForcibly().waitFor();
            }
            reader.join(TimeUnit.SECONDS.toMillis(30)); // what it printed last
            Path logs = REPO.resolve("deploy/target/launcher-it");
            Files.createDirectories(logs);
            Files.write(
                    logs.resolve("gridhouse-" + process.pid() + ".log"),
                    output().getBytes(StandardCharsets.UTF_8));
        }
    }

    static Launched launch(Changer changer, String readyLine, String... args) throws Exception {
        Thread thread = new Thread(changer, "pg-changes");
        thread.start(); // changes before the launcher starts, then all through its startup
        Launched run = new Launched(launcher(args).start());
        try {
            run.awaitOutput(readyLine, Duration.ofMinutes(4));
            changer.ready.set(true);
            Thread.sleep(5_000); // and for a while after the snapshot
        } finally {
            changer.stop.set(true);
            thread.join();
        }
        if (changer.failure != null) {
            throw changer.failure;
        }
        return run;
    }

    static ProcessBuilder launcher(String... args) {
        List<String> command = new ArrayList<>();
        command.add(REPO.resolve("deploy/bin/gridhouse").toString());
        Collections.addAll(command, args);
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        pb.environment().put("GRIDHOUSE_NO_BUILD", "1"); // the build under test made the jar
        pb.environment().put("GRIDHOUSE_PG_PASSWORD", PASSWORD);
        pb.environment().put("GRIDHOUSE_HEAP", "1500m");
        return pb;
    }

    static String[] concat(String[] a, String[] b) {
        String[] all = new String[a.length + b.length];
        System.arraycopy(a, 0, all, 0, a.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        return all;
    }

    static void createDatabase(String db) throws Exception {
        try (Connection admin = connect("gridhouse");
                Statement st = admin.createStatement()) {
            st.execute("CREATE DATABASE " + db);
        }
    }

    static void assertNoSlotLeft(Connection pg, String slot) throws Exception {
        try (PreparedStatement ps =
                pg.prepareStatement(
                        "SELECT slot_name FROM pg_replication_slots WHERE slot_name LIKE ?")) {
            ps.setString(1, slot + "%");
            try (ResultSet rs = ps.executeQuery()) {
                assertThat(rs.next()).as("replication slot left behind").isFalse();
            }
        }
    }

    static Connection connect(String database) throws Exception {
        return DriverManager.getConnection(
                "jdbc:postgresql://127.0.0.1:" + PG_PORT + "/" + database, "gridhouse", PASSWORD);
    }
}
