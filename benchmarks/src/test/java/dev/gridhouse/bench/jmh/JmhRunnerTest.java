package dev.gridhouse.bench.jmh;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.openjdk.jmh.runner.options.CommandLineOptions;

/** JMH's list and help options print and return without running or writing results. */
class JmhRunnerTest {
    @Test
    void listAndHelpOptionsAreRecognised() throws Exception {
        assertThat(JmhRunner.mode(new CommandLineOptions())).isEqualTo(JmhRunner.Mode.RUN);
        assertThat(JmhRunner.mode(new CommandLineOptions("-l"))).isEqualTo(JmhRunner.Mode.LIST);
        assertThat(JmhRunner.mode(new CommandLineOptions("-lp")))
                .isEqualTo(JmhRunner.Mode.LIST_WITH_PARAMS);
        assertThat(JmhRunner.mode(new CommandLineOptions("-h"))).isEqualTo(JmhRunner.Mode.HELP);
        assertThat(JmhRunner.mode(new CommandLineOptions("-lprof")))
                .isEqualTo(JmhRunner.Mode.LIST_PROFILERS);
        assertThat(JmhRunner.mode(new CommandLineOptions("-lrf")))
                .isEqualTo(JmhRunner.Mode.LIST_RESULT_FORMATS);
    }

    @Test
    void listPrintsTheBenchmarksAndRunsNothing() throws Exception {
        PrintStream out = System.out;
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        System.setOut(new PrintStream(buffer, true, StandardCharsets.UTF_8));
        try {
            assertThat(JmhRunner.run(new CommandLineOptions("-l", "ParseBenchmarks"))).isNull();
        } finally {
            System.setOut(out);
        }
        assertThat(buffer.toString(StandardCharsets.UTF_8))
                .contains("ParseBenchmarks.avroEncode")
                .doesNotContain("RollupBenchmarks");
    }
}
