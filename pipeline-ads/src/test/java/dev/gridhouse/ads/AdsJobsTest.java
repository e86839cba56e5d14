package dev.gridhouse.ads;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gridhouse.ads.service.ServiceAds;
import org.junit.jupiter.api.Test;

/** The ADS jar's main picks the grid or the ticket ADS; each documents only its own options. */
class AdsJobsTest {

    @Test
    void pipelineSelectsTheJob() {
        assertThat(AdsJob.JOBS.select(new String[0]).options()).isSameAs(AdsJob.OPTIONS);
        assertThat(AdsJob.JOBS.select(new String[] {"--pipeline", "service"}).options())
                .isSameAs(ServiceAds.OPTIONS);
        assertThatThrownBy(() -> AdsJob.JOBS.select(new String[] {"--pipeline", "x"}))
                .hasMessageContaining("valid: grid, service");
    }

    @Test
    void eachHelpListsOnlyItsWarehouse() {
        String grid = AdsJob.OPTIONS.usage();
        assertThat(grid).contains("--pg-sink.url", "ads_alarms");
        assertThat(grid).doesNotContain("--service.jdbc-url", "agent_ranking", "--pipeline");
        String service = ServiceAds.OPTIONS.usage();
        assertThat(service).contains("--service.jdbc-url", "ads_agent_ranking");
        assertThat(service).doesNotContain("--pg-sink.", "ads_alarms");
        assertThatThrownBy(() -> ServiceAds.OPTIONS.parse(new String[] {"--pg-sink.enabled"}))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
