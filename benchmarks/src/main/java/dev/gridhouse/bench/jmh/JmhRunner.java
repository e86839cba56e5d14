package dev.gridhouse.bench.jmh;

import dev.gridhouse.bench.ResultsDirs;
import java.io.File;
import java.io.FileOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Collection;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.results.format.ResultFormatFactory;
import org.openjdk.jmh.results.format.ResultFormatType;
import org.openjdk.jmh.runner.NoBenchmarksException;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.CommandLineOptionException;
import org.openjdk.jmh.runner.options.CommandLineOptions;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;

/**
 * Runs the JMH benchmarks and writes the results as JSON and CSV: {@code <dir>/jmh.json} and {@code
 * <dir>/jmh.csv}. {@code dir} is {@code -Dgridhouse.bench.results} when set — {@code
 * -Dgridhouse.bench.results=benchmarks/results} (the script's {@code --save}) updates the committed
 * results — and otherwise a new directory {@code benchmarks/target/jmh-results/<UTC time>}, so a
 * run never overwrites the committed files by accident. Any JMH command-line option is passed
 * through (e.g. a benchmark regex, {@code -f 1 -wi 1 -i 1} for a quick look); JMH's list and help
 * options ({@code -l}, {@code -lp}, {@code -lprof}, {@code -lrf}, {@code -h}) print and exit
 * without running anything or creating a directory, as JMH's own {@code Main} does.
 */
public final class JmhRunner {
    /** The property naming the results directory. */
    public static final String RESULTS_PROPERTY = "gridhouse.bench.results";

    /** What a command line asks for. */
    enum Mode {
        RUN,
        HELP,
        LIST,
        LIST_WITH_PARAMS,
        LIST_PROFILERS,
        LIST_RESULT_FORMATS
    }

    private JmhRunner() {}

    public static void main(String[] args) throws Exception {
        CommandLineOptions cli;
        try {
            cli = new CommandLineOptions(args);
        } catch (CommandLineOptionException e) {
            System.err.println("Error parsing command line:");
            System.err.println(" " + e.getMessage());
            System.exit(1);
            return;
        }
        try {
            run(cli);
        } catch (NoBenchmarksException e) {
            System.err.println("No matching benchmarks. Miss-spelled regexp? Available:");
            new Runner(cli).list();
            System.exit(1);
        } catch (RunnerException e) {
            System.err.println("Benchmark had encountered error, and fail on error was requested");
            System.exit(1);
        }
    }

    /** The first of JMH's print-and-exit options the command line holds, in Main's order. */
    static Mode mode(CommandLineOptions cli) {
        if (cli.shouldHelp()) {
            return Mode.HELP;
        }
        if (cli.shouldList()) {
            return Mode.LIST;
        }
        if (cli.shouldListWithParams()) {
            return Mode.LIST_WITH_PARAMS;
        }
        if (cli.shouldListProfilers()) {
            return Mode.LIST_PROFILERS;
        }
        if (cli.shouldListResultFormats()) {
            return Mode.LIST_RESULT_FORMATS;
        }
        return Mode.RUN;
    }

    /**
     * Lists, prints help, or runs the benchmarks and writes the results; returns the results
     * directory when it ran, null otherwise.
     */
    static File run(CommandLineOptions cli) throws Exception {
        switch (mode(cli)) {
            case HELP:
                cli.showHelp();
                return null;
            case LIST:
                new Runner(cli).list();
                return null;
            case LIST_WITH_PARAMS:
                new Runner(cli).listWithParams(cli);
                return null;
            case LIST_PROFILERS:
                cli.listProfilers();
                return null;
            case LIST_RESULT_FORMATS:
                cli.listResultFormats();
                return null;
            default:
                break;
        }
        String property = System.getProperty(RESULTS_PROPERTY);
        File dir =
                property != null && !property.isBlank()
                        ? new File(property)
                        : ResultsDirs.fresh("jmh-results").toFile();
        if (!dir.isDirectory() && !dir.mkdirs()) {
            throw new IllegalArgumentException(
                    "Cannot create the results directory "
                            + dir.getAbsolutePath()
                            + "; set -D"
                            + RESULTS_PROPERTY
                            + " to a writable directory.");
        }
        OptionsBuilder builder = new OptionsBuilder();
        builder.parent(cli);
        if (!cli.getResult().hasValue()) {
            builder.resultFormat(ResultFormatType.JSON).result(new File(dir, "jmh.json").getPath());
        }
        Options options = builder.build();
        Collection<RunResult> results = new Runner(options).run();
        File csvFile = new File(dir, "jmh.csv");
        try (PrintStream csv =
                new PrintStream(new FileOutputStream(csvFile), true, StandardCharsets.UTF_8)) {
            ResultFormatFactory.getInstance(ResultFormatType.CSV, csv).writeOut(results);
        }
        System.out.println(
                "JMH results: "
                        + (cli.getResult().hasValue()
                                ? cli.getResult().get()
                                : new File(dir, "jmh.json").getPath())
                        + " and "
                        + csvFile.getPath()
                        + (property == null
                                ? " (pass --save to the script, or -D"
                                        + RESULTS_PROPERTY
                                        + "="
                                        + ResultsDirs.COMMITTED
                                        + ", to update the committed results)"
                                : ""));
        return dir;
    }
}
