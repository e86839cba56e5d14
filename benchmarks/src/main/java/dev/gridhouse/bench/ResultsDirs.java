package dev.gridhouse.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * Where GridBench and the JMH runner write when not told: a new directory per run under the
 * module's {@code target/}, so a run never overwrites the committed {@code benchmarks/results/}
 * unless asked ({@code --output-dir benchmarks/results}, {@code
 * -Dgridhouse.bench.results=benchmarks/results}, or the script's {@code --save}).
 */
public final class ResultsDirs {
    /** The committed results, relative to the repository root. */
    public static final String COMMITTED = "benchmarks/results";

    private static final DateTimeFormatter STAMP =
            DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC);

    private ResultsDirs() {}

    /**
     * A directory that does not exist yet: {@code benchmarks/target/<kind>/<UTC yyyyMMdd-HHmmss>}
     * from the repository root (what the script runs in), {@code target/<kind>/…} elsewhere.
     */
    public static Path fresh(String kind) {
        Path base =
                Files.isDirectory(Paths.get("benchmarks", "src"))
                        ? Paths.get("benchmarks", "target", kind)
                        : Paths.get("target", kind);
        String stamp = STAMP.format(Instant.now());
        Path dir = base.resolve(stamp);
        for (int i = 2; Files.exists(dir); i++) {
            dir = base.resolve(stamp + "-" + i);
        }
        return dir;
    }
}
