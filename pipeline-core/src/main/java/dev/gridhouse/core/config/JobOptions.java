package dev.gridhouse.core.config;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.apache.flink.api.java.utils.ParameterTool;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.description.BlockElement;
import org.apache.flink.configuration.description.TextElement;

/**
 * Parses a job's {@code --key value} arguments into a Flink {@link Configuration} of typed {@link
 * ConfigOption}s, and renders {@code --help}. Unknown keys and values that do not parse fail with a
 * message naming the option; values are parsed by Flink's own option conversion.
 *
 * <pre>{@code
 * JobOptions options = JobOptions.of("ods", "Validates telemetry into the ODS tables.",
 *         CommonOptions.common(), OdsOptions.all());
 * Configuration conf = options.parse(args);   // null after printing --help
 * }</pre>
 */
public final class JobOptions {
    private static final String NO_VALUE = "__NO_VALUE_KEY";

    private final String jobName;
    private final String summary;
    private final Map<String, ConfigOption<?>> options = new LinkedHashMap<>();

    private JobOptions(String jobName, String summary) {
        this.jobName = jobName;
        this.summary = summary;
    }

    @SafeVarargs
    public static JobOptions of(
            String jobName, String summary, Collection<ConfigOption<?>>... optionGroups) {
        JobOptions j = new JobOptions(jobName, summary);
        for (Collection<ConfigOption<?>> group : optionGroups) {
            for (ConfigOption<?> o : group) {
                j.options.put(o.key(), o);
            }
        }
        return j;
    }

    /** The options this job accepts. */
    public Collection<ConfigOption<?>> options() {
        return options.values();
    }

    /**
     * Parses the arguments, or prints the usage to stdout and returns null when {@code --help} or
     * {@code -h} is among them.
     *
     * @throws IllegalArgumentException for an unknown key or a value that does not parse
     */
    public Configuration parse(String[] args) {
        if (Arrays.asList(args).contains("--help") || Arrays.asList(args).contains("-h")) {
            System.out.println(usage());
            return null;
        }
        ParameterTool params = ParameterTool.fromArgs(args);
        Set<String> unknown = new TreeSet<>(params.toMap().keySet());
        unknown.removeAll(options.keySet());
        if (!unknown.isEmpty()) {
            throw new IllegalArgumentException(
                    "Unknown option(s) "
                            + unknown
                            + " for job '"
                            + jobName
                            + "'. Run with --help to list the options.");
        }
        Map<String, String> values = new LinkedHashMap<>(params.toMap());
        // a bare flag such as --bounded means true
        values.replaceAll((k, v) -> NO_VALUE.equals(v) ? "true" : v);
        Configuration conf = Configuration.fromMap(values);
        for (ConfigOption<?> o : options.values()) {
            try {
                conf.get(o);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(
                        "Invalid value '"
                                + params.get(o.key())
                                + "' for --"
                                + o.key()
                                + ": "
                                + e.getMessage(),
                        e);
            }
        }
        return conf;
    }

    /** The {@code --help} text: every option with its default and description. */
    public String usage() {
        StringBuilder sb = new StringBuilder();
        sb.append("Usage: ").append(jobName).append(" [--key value ...]\n\n");
        sb.append(summary).append("\n\nOptions:\n");
        List<ConfigOption<?>> sorted = new ArrayList<>(options.values());
        for (ConfigOption<?> o : sorted) {
            sb.append("  --").append(o.key());
            if (o.hasDefaultValue()) {
                sb.append("  (default: ").append(o.defaultValue()).append(')');
            }
            sb.append('\n');
            String text = describe(o);
            if (!text.isEmpty()) {
                sb.append("      ").append(text.replace("\n", "\n      ")).append('\n');
            }
        }
        return sb.toString();
    }

    private static String describe(ConfigOption<?> o) {
        StringBuilder sb = new StringBuilder();
        for (BlockElement block : o.description().getBlocks()) {
            if (block instanceof TextElement) {
                sb.append(((TextElement) block).getFormat());
            }
        }
        return sb.toString();
    }
}
