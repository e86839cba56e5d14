package dev.gridhouse.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import org.apache.flink.configuration.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs GridBench's smoke profile (real Fluss, Kafka, Redis and PostgreSQL, a few thousand records)
 * into a temporary directory and checks that the report is complete. No speed assertions: only that
 * every scenario ran and counted records.
 */
class BenchSmokeTest {
    @Test
    @Timeout(600)
    void smokeProfileWritesACompleteReport(@TempDir Path dir) throws Exception {
        Configuration conf = new Configuration();
        conf.set(BenchOptions.PROFILE, "smoke");
        conf.set(BenchOptions.OUTPUT_DIR, dir.toString());

        GridBench.run(conf, new String[] {"--profile", "smoke", "--output-dir", dir.toString()});

        JsonNode results = new ObjectMapper().readTree(dir.resolve("results.json").toFile());
        Set<String> scenarios = new HashSet<>();
        for (JsonNode m : results.get("measurements")) {
            scenarios.add(m.get("scenario").asText());
            assertThat(m.get("count").asLong()).as(m.get("variant").asText()).isPositive();
            assertThat(m.get("per_second").asDouble()).as(m.get("variant").asText()).isPositive();
        }
        assertThat(scenarios)
                .containsExactlyInAnyOrder(
                        "1-ingest",
                        "2-read-all-columns",
                        "2-read-3-columns",
                        "3-dimension-load",
                        "3-lookup-join",
                        "4-alarm-latency",
                        "4-decision-latency",
                        "5-point-query",
                        "6-max-sustainable-rate");
        // both architectures in every compared scenario
        for (String scenario : scenarios) {
            Set<String> systems = new HashSet<>();
            results.get("measurements")
                    .forEach(
                            m -> {
                                if (m.get("scenario").asText().equals(scenario)) {
                                    systems.add(m.get("system").asText());
                                }
                            });
            assertThat(systems).as(scenario).containsExactlyInAnyOrder("fluss", "kafka");
        }
        // the full pipelines ran: injected faults came out as queryable alarm rows, and the ramp
        // recorded its steps with processed records
        for (JsonNode m : results.get("measurements")) {
            String scenario = m.get("scenario").asText();
            if (scenario.startsWith("4-")) {
                assertThat(m.get("latency_samples").asInt())
                        .as(m.get("system").asText())
                        .isPositive();
                assertThat(m.get("p50_ms").asDouble()).isPositive();
            } else if (scenario.equals("6-max-sustainable-rate")) {
                assertThat(m.get("steps")).as(m.get("system").asText()).isNotEmpty();
                assertThat(m.get("steps").get(0).get("processed_per_second").asDouble())
                        .isPositive();
            }
        }
        // scenarios 4 and 6: the CPU per stage, for both architectures, adding up to the CPU figure
        for (JsonNode m : results.get("measurements")) {
            String scenario = m.get("scenario").asText();
            if (!scenario.startsWith("4-") && !scenario.startsWith("6-")) {
                assertThat(m.get("cpu_stages") == null || m.get("cpu_stages").isNull())
                        .as(scenario)
                        .isTrue();
                continue;
            }
            String what = scenario + " " + m.get("system").asText();
            JsonNode stages = m.get("cpu_stages");
            assertThat(stages.isArray()).as(what).isTrue();
            assertThat(stages.size()).as(what).isGreaterThan(2);
            assertThat(m.get("input_records").asLong()).as(what).isPositive();
            double sum = 0;
            boolean flinkTask = false;
            for (int i = 0; i < stages.size() - 1; i++) {
                JsonNode st = stages.get(i);
                assertThat(st.get("stage").asText()).isNotEqualTo(CpuStages.TOTAL);
                sum += st.get("cpu_seconds").asDouble();
                flinkTask |= st.get("stage").asText().startsWith(CpuStages.FLINK_TASK);
            }
            JsonNode total = stages.get(stages.size() - 1);
            assertThat(total.get("stage").asText()).as(what).isEqualTo(CpuStages.TOTAL);
            assertThat(flinkTask).as(what + ": a Flink task stage").isTrue();
            assertThat(sum).as(what).isPositive();
            assertThat(total.get("cpu_seconds").asDouble())
                    .as(what)
                    .isCloseTo(sum, within(1e-6))
                    .isCloseTo(m.get("cpu_seconds").asDouble(), within(1e-6));
            assertThat(
                            dir.resolve(
                                    "cpu-threads-"
                                            + scenario
                                            + "-"
                                            + m.get("system").asText()
                                            + ".tsv"))
                    .satisfiesAnyOf(
                            p -> assertThat(scenario).isEqualTo("4-decision-latency"),
                            p -> assertThat(p).isNotEmptyFile());
        }
        String report = Files.readString(dir.resolve("report.md"));
        assertThat(report).contains("CPU by stage, fluss").contains("CPU by stage, kafka");
        for (String scenario : scenarios) {
            assertThat(report).contains("## " + scenario);
            assertThat(dir.resolve("chart-" + scenario + ".png")).isNotEmptyFile();
        }
        assertThat(dir.resolve("chart-6-ramp.png")).isNotEmptyFile();
        assertThat(report).contains("## Machine").contains("Command: `GridBench --profile smoke");
    }
}
