package dev.gridhouse.ods;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gridhouse.ods.service.ServiceOds;
import org.junit.jupiter.api.Test;

/** The ODS jar's main picks the grid or the ticket ODS; each documents only its own options. */
class OdsJobsTest {

    @Test
    void pipelineSelectsTheJobAndUnknownNamesFail() {
        assertThat(OdsJob.JOBS.select(new String[] {"--telemetry-source", "none"}).options())
                .isSameAs(OdsJob.OPTIONS);
        assertThat(OdsJob.JOBS.select(new String[] {"--pipeline", "grid"}).options())
                .isSameAs(OdsJob.OPTIONS);
        assertThat(OdsJob.JOBS.select(new String[] {"--pipeline", "service"}).options())
                .isSameAs(ServiceOds.OPTIONS);
        assertThatThrownBy(() -> OdsJob.JOBS.select(new String[] {"--pipeline", "tickets"}))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("valid: grid, service");
    }

    @Test
    void eachHelpListsOnlyItsWarehouse() {
        String grid = OdsJob.OPTIONS.usage();
        assertThat(grid).contains("--telemetry-source", "--devices-source", "--pg.host");
        assertThat(grid).doesNotContain("ods_tickets", "service.agents", "--pipeline");
        String service = ServiceOds.OPTIONS.usage();
        assertThat(service).contains("--pg.host", "--fluss.bootstrap-servers", "ods_tickets");
        assertThat(service)
                .doesNotContain("--telemetry-source", "--sim.", "--kafka.", "--devices-source");
    }

    @Test
    void serviceArgumentsParseWithoutTheSelector() {
        String[] args = {"--pipeline", "service", "--pg.database", "tickets"};
        assertThat(
                        ServiceOds.OPTIONS
                                .parse(OdsJob.JOBS.jobArgs(args))
                                .getString("pg.database", null))
                .isEqualTo("tickets");
        assertThatThrownBy(
                        () ->
                                ServiceOds.OPTIONS.parse(
                                        new String[] {"--telemetry-source", "simulator"}))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("telemetry-source");
    }
}
