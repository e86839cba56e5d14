package dev.gridhouse.ods;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.apache.flink.configuration.Configuration;
import org.junit.jupiter.api.Test;

/** {@code --substations-source} / {@code --lines-source}: which combinations the ODS job takes. */
class OdsJobTopologyTest {

    private static Configuration conf(String devices, String substations) {
        Configuration c = new Configuration();
        c.set(OdsOptions.DEVICES_SOURCE, devices);
        c.set(OdsOptions.SUBSTATIONS_SOURCE, substations);
        return c;
    }

    @Test
    void noneIsTheDefaultAndReadsNothing() {
        assertThat(OdsJob.topologyCsv(new Configuration(), OdsOptions.SUBSTATIONS_SOURCE)).isNull();
        assertThat(OdsJob.topologyCsv(new Configuration(), OdsOptions.LINES_SOURCE)).isNull();
    }

    @Test
    void csvGoesWithCsvDevicesOrNone() {
        assertThat(
                        OdsJob.topologyCsv(
                                conf("csv:/d/devices.csv", "csv:/d/substations.csv"),
                                OdsOptions.SUBSTATIONS_SOURCE))
                .isEqualTo("/d/substations.csv");
        assertThat(
                        OdsJob.topologyCsv(
                                conf("none", "csv:/d/substations.csv"),
                                OdsOptions.SUBSTATIONS_SOURCE))
                .isEqualTo("/d/substations.csv");
    }

    @Test
    void rejectsATopologyCsvNextToTheSimulatorOrPostgres() {
        for (String devices : new String[] {"simulator", "postgres"}) {
            assertThatThrownBy(
                            () ->
                                    OdsJob.topologyCsv(
                                            conf(devices, "csv:/d/substations.csv"),
                                            OdsOptions.SUBSTATIONS_SOURCE))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("--substations-source needs --devices-source csv:");
        }
    }

    @Test
    void rejectsAnUnknownSource() {
        Configuration c = new Configuration();
        c.set(OdsOptions.DEVICES_SOURCE, "csv:/d/devices.csv");
        c.set(OdsOptions.LINES_SOURCE, "/d/lines.csv");
        assertThatThrownBy(() -> OdsJob.topologyCsv(c, OdsOptions.LINES_SOURCE))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("--lines-source must be csv:<path> or none");
    }

    @Test
    void theOptionsAreListedForHelp() {
        assertThat(OdsOptions.all())
                .contains(OdsOptions.SUBSTATIONS_SOURCE, OdsOptions.LINES_SOURCE);
    }
}
