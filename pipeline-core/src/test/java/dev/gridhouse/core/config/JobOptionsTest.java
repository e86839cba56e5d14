package dev.gridhouse.core.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Arrays;
import java.util.Collections;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;
import org.apache.flink.configuration.Configuration;
import org.junit.jupiter.api.Test;

class JobOptionsTest {
    private static final ConfigOption<Boolean> BOUNDED =
            ConfigOptions.key("bounded").booleanType().defaultValue(false).withDescription("b");

    private final JobOptions options =
            JobOptions.of(
                    "test",
                    "A test job.",
                    CommonOptions.common(),
                    Collections.singletonList(BOUNDED));

    @Test
    void parsesTypedValuesAndBareFlags() {
        Configuration conf =
                options.parse(
                        new String[] {
                            "--fluss.bootstrap-servers",
                            "10.0.0.1:9123",
                            "--checkpoint.interval",
                            "2 min",
                            "--bounded",
                            "--parallelism",
                            "3"
                        });
        assertThat(conf.get(CommonOptions.FLUSS_BOOTSTRAP_SERVERS)).isEqualTo("10.0.0.1:9123");
        assertThat(conf.get(CommonOptions.CHECKPOINT_INTERVAL)).isEqualTo(Duration.ofMinutes(2));
        assertThat(conf.get(CommonOptions.PARALLELISM)).isEqualTo(3);
        assertThat(conf.get(BOUNDED)).isTrue();
        assertThat(conf.get(CommonOptions.FLUSS_DATABASE)).isEqualTo("grid");
    }

    @Test
    void rejectsUnknownKeysAndBadValuesNamingThem() {
        assertThatThrownBy(() -> options.parse(new String[] {"--paralelism", "3"}))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("[paralelism]")
                .hasMessageContaining("--help");
        assertThatThrownBy(() -> options.parse(new String[] {"--parallelism", "three"}))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("--parallelism")
                .hasMessageContaining("three");
    }

    @Test
    void helpListsEveryOptionWithDefaultAndDescription() {
        assertThat(options.parse(new String[] {"--help"})).isNull();
        String usage = options.usage();
        for (ConfigOption<?> o : options.options()) {
            assertThat(usage).contains("--" + o.key());
        }
        assertThat(usage)
                .contains("(default: 127.0.0.1:9123)")
                .contains("Fluss coordinator address");
        assertThat(Arrays.asList(usage.split("\n"))).first().asString().contains("test");
    }
}
