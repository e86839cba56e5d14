package dev.gridhouse.bench.jmh;

import java.io.File;
import java.io.FileOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Collection;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.results.format.ResultFormatFactory;
import org.openjdk.jmh.results.format.ResultFormatType;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.CommandLineOptions;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;

/**
 * Runs the JMH benchmarks and writes the results as JSON and CSV: {@code <dir>/jmh.json} and {@code
 * <dir>/jmh.csv} ({@code dir} from {@code -Dgridhouse.bench.results}, default {@code
 * benchmarks/results}). Any JMH command-line option is passed through (e.g. a benchmark regex,
 * {@code -f 1 -wi 1 -i 1} for a quick look).
 */
public final class JmhRunner {
    private JmhRunner() {}

    public static void main(String[] args) throws Exception {
        File dir = new File(System.getProperty("gridhouse.bench.results", "benchmarks/results"));
        if (!dir.isDirectory() && !dir.mkdirs()) {
            throw new IllegalArgumentException(
                    "Cannot create the results directory "
                            + dir.getAbsolutePath()
                            + "; set -Dgridhouse.bench.results to a writable directory.");
        }
        CommandLineOptions cli = new CommandLineOptions(args);
        Options options =
                new OptionsBuilder()
                        .parent(cli)
                        .resultFormat(ResultFormatType.JSON)
                        .result(new File(dir, "jmh.json").getPath())
                        .build();
        Collection<RunResult> results = new Runner(options).run();
        try (PrintStream csv =
                new PrintStream(
                        new FileOutputStream(new File(dir, "jmh.csv")),
                        true,
                        StandardCharsets.UTF_8)) {
            ResultFormatFactory.getInstance(ResultFormatType.CSV, csv).writeOut(results);
        }
    }
}
