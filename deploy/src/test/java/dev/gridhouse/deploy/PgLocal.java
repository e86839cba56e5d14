package dev.gridhouse.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The throwaway PostgreSQL of {@code deploy/bin/pg-local} that the PostgreSQL tests share: one
 * server per checkout, on the port the script chose (55432 unless another server holds it).
 */
final class PgLocal {

    private static final Pattern RUNNING = Pattern.compile("on 127\\.0\\.0\\.1:(\\d+)");

    private PgLocal() {}

    /** The repository root (tests run in {@code deploy/}). */
    static Path repo() {
        Path cwd = Paths.get("").toAbsolutePath();
        return Files.exists(cwd.resolve("bin/pg-local")) ? cwd.getParent() : cwd;
    }

    /**
     * Starts the server or finds it running and returns its port; the script's output goes to
     * {@code dir/pg-local.log}.
     */
    static int start(Path dir) throws Exception {
        Path log = dir.resolve("pg-local.log");
        Process p =
                new ProcessBuilder(repo().resolve("deploy/bin/pg-local").toString(), "start")
                        .redirectErrorStream(true)
                        .redirectOutput(log.toFile())
                        .start();
        assertThat(p.waitFor(10, TimeUnit.MINUTES)).as("pg-local start finished").isTrue();
        String out = Files.readString(log);
        assertThat(p.exitValue()).as("pg-local start: %s", out).isZero();
        Matcher m = RUNNING.matcher(out);
        assertThat(m.find()).as("pg-local start printed its port: %s", out).isTrue();
        return Integer.parseInt(m.group(1));
    }
}
