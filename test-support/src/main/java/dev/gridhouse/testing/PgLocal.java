package dev.gridhouse.testing;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Collections;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The throwaway PostgreSQL of {@code deploy/bin/pg-local} that the PostgreSQL tests share: one
 * server per checkout, on the port the script chose (55432 unless another server holds it).
 */
public final class PgLocal {

    private static final Pattern RUNNING = Pattern.compile("on 127\\.0\\.0\\.1:(\\d+)");

    private static final AtomicInteger RUNS = new AtomicInteger();

    private PgLocal() {}

    /** The repository root: the nearest directory at or above the working one with deploy/bin. */
    public static Path repo() {
        Path cwd = Paths.get("").toAbsolutePath();
        for (Path p = cwd; p != null; p = p.getParent()) {
            if (Files.exists(p.resolve("deploy/bin/pg-local"))) {
                return p;
            }
        }
        throw new IllegalStateException("No deploy/bin/pg-local at or above " + cwd);
    }

    /**
     * Starts the server or finds it running and returns its port; the script's output goes to
     * {@code dir/pg-local-start-N.log}.
     */
    public static int start(Path dir) throws Exception {
        return start(dir, Collections.emptyMap());
    }

    /**
     * {@link #start(Path)} with extra environment for the script: a key mapped to null is removed
     * from the inherited environment (e.g. {@code GRIDHOUSE_PG_PORT} → null: the script picks a
     * free port). With {@code GRIDHOUSE_PG_DIR} a test gets a server of its own that it may stop
     * and restart without disturbing the shared one.
     */
    public static int start(Path dir, Map<String, String> env) throws Exception {
        String out = run(dir, "start", env);
        Matcher m = RUNNING.matcher(out);
        if (!m.find()) {
            throw new IllegalStateException("pg-local start printed no port: " + out);
        }
        return Integer.parseInt(m.group(1));
    }

    /** Stops the server of {@code env} ({@code pg-local stop}; fast shutdown). */
    public static void stop(Path dir, Map<String, String> env) throws Exception {
        run(dir, "stop", env);
    }

    private static String run(Path dir, String command, Map<String, String> env) throws Exception {
        Path log = dir.resolve("pg-local-" + command + "-" + RUNS.incrementAndGet() + ".log");
        ProcessBuilder pb =
                new ProcessBuilder(repo().resolve("deploy/bin/pg-local").toString(), command)
                        .redirectErrorStream(true)
                        .redirectOutput(log.toFile());
        for (Map.Entry<String, String> e : env.entrySet()) {
            if (e.getValue() == null) {
                pb.environment().remove(e.getKey());
            } else {
                pb.environment().put(e.getKey(), e.getValue());
            }
        }
        Process p = pb.start();
        if (!p.waitFor(10, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            throw new IllegalStateException("pg-local " + command + " did not finish in 10 min");
        }
        String out = Files.readString(log);
        if (p.exitValue() != 0) {
            throw new IllegalStateException("pg-local " + command + " failed: " + out);
        }
        return out;
    }
}
