package dev.gridhouse.dws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gridhouse.dws.service.ServiceDws;
import org.junit.jupiter.api.Test;

/** The DWS jar's main picks the grid or the ticket DWS; each documents only its own options. */
class DwsJobsTest {

    @Test
    void pipelineSelectsTheJob() {
        assertThat(DwsJob.JOBS.select(new String[0]).options()).isSameAs(DwsJob.OPTIONS);
        assertThat(DwsJob.JOBS.select(new String[] {"--pipeline", "service"}).options())
                .isSameAs(ServiceDws.OPTIONS);
        assertThatThrownBy(() -> DwsJob.JOBS.select(new String[] {"--pipeline", "x"}))
                .hasMessageContaining("valid: grid, service");
    }

    @Test
    void eachHelpListsOnlyItsWarehouse() {
        String grid = DwsJob.OPTIONS.usage();
        assertThat(grid).contains("--lookup-mode", "--allowed-lateness");
        assertThat(grid).doesNotContain("ticket", "--pipeline");
        String service = ServiceDws.OPTIONS.usage();
        assertThat(service).contains("dws_ticket_status", "--fluss.bootstrap-servers");
        assertThat(service).doesNotContain("--lookup-mode", "--watermark.", "--allowed-lateness");
    }
}
