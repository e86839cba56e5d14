package dev.gridhouse.core.config;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.annotation.Nullable;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.Configuration;

/**
 * The main of a jar holding several jobs: picks one job by name from {@code --<selector> NAME} (the
 * selector option's default when absent), removes that pair from the arguments and hands the rest
 * to the chosen job's own {@link JobOptions}, so each job parses and documents only its own
 * options. An unknown name fails with a message naming the valid ones; {@code --help} prints the
 * chosen job's usage followed by the list of jobs in the jar.
 *
 * <pre>{@code
 * JobSelector.of("ods", PIPELINE,
 *         new JobSelector.Job("grid", "power-grid ODS", OdsJob.OPTIONS, OdsJob::run),
 *         new JobSelector.Job("service", "ticket ODS", ServiceOds.OPTIONS, ServiceOds::run))
 *     .run(args);
 * }</pre>
 */
public final class JobSelector {
    /** What a job does with its parsed options (builds and executes its graph). */
    @FunctionalInterface
    public interface Runner {
        void run(Configuration conf) throws Exception;
    }

    /** One job of the jar: its name, a one-line summary, its options and its runner. */
    public static final class Job {
        final String name;
        final String summary;
        final JobOptions options;
        final Runner runner;

        public Job(String name, String summary, JobOptions options, Runner runner) {
            this.name = name;
            this.summary = summary;
            this.options = options;
            this.runner = runner;
        }

        /** The name the selector option picks this job by. */
        public String name() {
            return name;
        }

        /** The options this job accepts. */
        public JobOptions options() {
            return options;
        }
    }

    private final String command;
    private final ConfigOption<String> selector;
    private final Map<String, Job> jobs = new LinkedHashMap<>();

    private JobSelector(String command, ConfigOption<String> selector) {
        this.command = command;
        this.selector = selector;
    }

    /**
     * A selector over {@code jobs} by the value of {@code selector}; its default names the job run
     * when the option is absent.
     */
    public static JobSelector of(String command, ConfigOption<String> selector, Job... jobs) {
        JobSelector s = new JobSelector(command, selector);
        for (Job j : jobs) {
            if (s.jobs.put(j.name, j) != null) {
                throw new IllegalArgumentException("Two jobs named " + j.name);
            }
        }
        if (!selector.hasDefaultValue() || !s.jobs.containsKey(selector.defaultValue())) {
            throw new IllegalArgumentException(
                    "The default of --" + selector.key() + " must name one of " + s.jobs.keySet());
        }
        return s;
    }

    /** The jobs by name, in declaration order. */
    public Collection<Job> jobs() {
        return jobs.values();
    }

    /**
     * The job {@code args} select.
     *
     * @throws IllegalArgumentException for an unknown job name or a selector without a value
     */
    public Job select(String[] args) {
        String name = selectedName(args);
        Job job = jobs.get(name);
        if (job == null) {
            throw new IllegalArgumentException(
                    "Unknown --"
                            + selector.key()
                            + " '"
                            + name
                            + "' for "
                            + command
                            + "; valid: "
                            + String.join(", ", jobs.keySet()));
        }
        return job;
    }

    /** {@code args} without the selector option and its value. */
    public String[] jobArgs(String[] args) {
        List<String> rest = new ArrayList<>();
        String flag = "--" + selector.key();
        for (int i = 0; i < args.length; i++) {
            if (flag.equals(args[i])) {
                i++;
            } else {
                rest.add(args[i]);
            }
        }
        return rest.toArray(new String[0]);
    }

    /**
     * Selects the job, parses the remaining arguments with its options and runs it; with {@code
     * --help} prints its usage and the jobs of the jar instead.
     */
    public void run(String[] args) throws Exception {
        Job job = select(args);
        Configuration conf = parse(job, args);
        if (conf != null) {
            job.runner.run(conf);
        }
    }

    /**
     * The selected job's options parsed from {@code args} (without the selector), or null after
     * printing the usage for {@code --help}.
     */
    public @Nullable Configuration parse(Job job, String[] args) {
        Configuration conf = job.options.parse(jobArgs(args));
        if (conf == null) {
            System.out.println(jobsHelp());
        }
        return conf;
    }

    /** The list of jobs of the jar, printed after a job's {@code --help}. */
    public String jobsHelp() {
        StringBuilder sb = new StringBuilder();
        sb.append("Jobs of ")
                .append(command)
                .append(", chosen with --")
                .append(selector.key())
                .append(" NAME (default ")
                .append(selector.defaultValue())
                .append("; --")
                .append(selector.key())
                .append(" NAME --help lists that job's options):\n");
        for (Job j : jobs.values()) {
            sb.append("  ").append(j.name).append("  ").append(j.summary).append('\n');
        }
        return sb.toString();
    }

    private String selectedName(String[] args) {
        String flag = "--" + selector.key();
        int i = Arrays.asList(args).lastIndexOf(flag);
        if (i < 0) {
            return selector.defaultValue();
        }
        if (i + 1 >= args.length || args[i + 1].startsWith("--")) {
            throw new IllegalArgumentException(
                    flag + " needs a job name; valid: " + String.join(", ", jobs.keySet()));
        }
        return args[i + 1];
    }
}
