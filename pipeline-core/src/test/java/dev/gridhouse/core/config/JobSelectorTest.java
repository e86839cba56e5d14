package dev.gridhouse.core.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;
import org.junit.jupiter.api.Test;

class JobSelectorTest {
    private static final ConfigOption<String> SELECTOR =
            ConfigOptions.key("pipeline").stringType().defaultValue("a").withDescription("which");
    private static final ConfigOption<Boolean> ONLY_A =
            ConfigOptions.key("only-a").booleanType().defaultValue(false).withDescription("a");
    private static final ConfigOption<String> ONLY_B =
            ConfigOptions.key("only-b").stringType().defaultValue("x").withDescription("b");

    private final List<String> ran = new ArrayList<>();

    private JobSelector selector() {
        return JobSelector.of(
                "the test jar",
                SELECTOR,
                new JobSelector.Job(
                        "a",
                        "job A",
                        JobOptions.of(
                                "t", "Job A.", Collections.<ConfigOption<?>>singletonList(ONLY_A)),
                        conf -> ran.add("a " + conf.get(ONLY_A))),
                new JobSelector.Job(
                        "b",
                        "job B",
                        JobOptions.of(
                                "t --pipeline b",
                                "Job B.",
                                Collections.<ConfigOption<?>>singletonList(ONLY_B)),
                        conf -> ran.add("b " + conf.get(ONLY_B))));
    }

    @Test
    void runsTheDefaultJobWithoutTheSelectorAndTheNamedOneWithIt() throws Exception {
        selector().run(new String[] {"--only-a"});
        selector().run(new String[] {"--pipeline", "a", "--only-a"});
        selector().run(new String[] {"--only-b", "y", "--pipeline", "b"});
        assertThat(ran).containsExactly("a true", "a true", "b y");
    }

    @Test
    void eachJobAcceptsOnlyItsOwnOptions() {
        assertThatThrownBy(() -> selector().run(new String[] {"--only-b", "y"}))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("[only-b]");
        assertThatThrownBy(() -> selector().run(new String[] {"--pipeline", "b", "--only-a"}))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("[only-a]");
    }

    @Test
    void anUnknownJobNamesTheValidOnes() {
        assertThatThrownBy(() -> selector().run(new String[] {"--pipeline", "c"}))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'c'")
                .hasMessageContaining("valid: a, b");
        assertThatThrownBy(() -> selector().run(new String[] {"--pipeline"}))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("valid: a, b");
        assertThat(ran).isEmpty();
    }

    @Test
    void helpPrintsOnlyTheChosenJobsOptionsAndTheJobs() throws Exception {
        String a = help("--help");
        assertThat(a).contains("--only-a").doesNotContain("--only-b");
        assertThat(a)
                .contains("Jobs of the test jar")
                .contains("  a  job A")
                .contains("  b  job B");
        String b = help("--pipeline", "b", "--help");
        assertThat(b)
                .contains("Usage: t --pipeline b")
                .contains("--only-b")
                .doesNotContain("--only-a");
        assertThat(ran).isEmpty();
    }

    @Test
    void theDefaultMustNameAJob() {
        assertThatThrownBy(
                        () ->
                                JobSelector.of(
                                        "x",
                                        SELECTOR,
                                        new JobSelector.Job(
                                                "b", "b", JobOptions.of("b", "b"), conf -> {})))
                .isInstanceOf(IllegalArgumentException.class);
    }

    private String help(String... args) throws Exception {
        PrintStream old = System.out;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        System.setOut(new PrintStream(out, true, "UTF-8"));
        try {
            selector().run(args);
        } finally {
            System.setOut(old);
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void jobArgsDropOnlyTheSelector() {
        assertThat(selector().jobArgs(new String[] {"--x", "1", "--pipeline", "b", "--y"}))
                .containsExactly("--x", "1", "--y");
    }
}
