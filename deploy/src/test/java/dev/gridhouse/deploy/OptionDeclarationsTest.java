package dev.gridhouse.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gridhouse.ads.AdsJob;
import dev.gridhouse.ads.service.ServiceAds;
import dev.gridhouse.core.config.CommonOptions;
import dev.gridhouse.core.config.JobOptions;
import dev.gridhouse.dws.DwsJob;
import dev.gridhouse.dws.DwsOptions;
import dev.gridhouse.dws.LookupMode;
import dev.gridhouse.dws.service.ServiceDws;
import dev.gridhouse.lake.LakeJob;
import dev.gridhouse.lake.LakeOptions;
import dev.gridhouse.ods.OdsJob;
import dev.gridhouse.ods.service.ServiceOds;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.Configuration;
import org.junit.jupiter.api.Test;

/**
 * Every option key is declared once, with one type and default, and reused wherever it is accepted;
 * {@code gridhouse local}'s own defaults are values stated in its {@code --help}.
 */
class OptionDeclarationsTest {
    private static final List<JobOptions> ALL =
            List.of(
                    OdsJob.OPTIONS,
                    ServiceOds.OPTIONS,
                    DwsJob.OPTIONS,
                    ServiceDws.OPTIONS,
                    AdsJob.OPTIONS,
                    ServiceAds.OPTIONS,
                    LakeJob.OPTIONS,
                    Gridhouse.LOCAL,
                    Gridhouse.SERVICE_LOCAL,
                    ServeCommand.OPTIONS,
                    HistoryCommand.OPTIONS,
                    PgCommands.LOAD,
                    PgCommands.CLEANUP);

    @Test
    void eachKeyIsOneDeclaration() {
        Map<String, ConfigOption<?>> byKey = new HashMap<>();
        for (JobOptions job : ALL) {
            for (ConfigOption<?> o : job.options()) {
                ConfigOption<?> first = byKey.putIfAbsent(o.key(), o);
                assertThat(first == null || first == o)
                        .as("--%s is declared more than once", o.key())
                        .isTrue();
            }
        }
        assertThat(byKey).doesNotContainKey("pipeline"); // the selector, not a job option
    }

    @Test
    void localAppliesItsDefaultsAsValuesAndSaysSo() {
        Configuration none = Gridhouse.LOCAL.parse(new String[0]);
        assertThat(LocalOptions.parallelism(none)).isEqualTo(2);
        assertThat(LocalOptions.lakeFreshness(none)).isEqualTo(Duration.ofSeconds(30));
        Configuration given =
                Gridhouse.LOCAL.parse(
                        new String[] {
                            "--parallelism",
                            "3",
                            "--lake.freshness",
                            "5s",
                            "--lookup-mode",
                            "mirror"
                        });
        assertThat(LocalOptions.parallelism(given)).isEqualTo(3);
        assertThat(LocalOptions.lakeFreshness(given)).isEqualTo(Duration.ofSeconds(5));
        assertThat(given.get(DwsOptions.LOOKUP_MODE)).isEqualTo(LookupMode.MIRROR);
        assertThat(Gridhouse.LOCAL.options())
                .contains(
                        CommonOptions.PARALLELISM,
                        DwsOptions.LOOKUP_MODE,
                        DwsOptions.OUT_OF_ORDERNESS,
                        DwsOptions.ALLOWED_LATENESS,
                        LakeOptions.FRESHNESS);
        assertThat(Gridhouse.LOCAL.usage())
                .contains("Local default: --parallelism 2", "Local default: --lake.freshness 30s");
        assertThat(Gridhouse.SERVICE_LOCAL.usage()).contains("Local default: --parallelism 2");
    }

    @Test
    void localHelpListsOnlyTheChosenWarehouse() {
        assertThat(Gridhouse.LOCAL_RUNS.select(new String[0]).options()).isSameAs(Gridhouse.LOCAL);
        assertThat(Gridhouse.LOCAL_RUNS.select(new String[] {"--pipeline", "service"}).options())
                .isSameAs(Gridhouse.SERVICE_LOCAL);
        assertThat(Gridhouse.LOCAL.usage()).doesNotContain("--change-rate", "ticket changes");
        assertThat(Gridhouse.SERVICE_LOCAL.usage())
                .contains("--change-rate", "--pg.database", "--duration")
                .doesNotContain("--telemetry", "--lake", "--lookup-mode", "--devices-source");
    }
}
