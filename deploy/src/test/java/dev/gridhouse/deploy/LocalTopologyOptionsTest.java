package dev.gridhouse.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import org.apache.flink.configuration.Configuration;
import org.junit.jupiter.api.Test;

/**
 * {@code gridhouse local --substations/--lines}: the options, their checks and the topology
 * warning, without a cluster (the replays are in {@link LocalWarehouseITCase}).
 */
class LocalTopologyOptionsTest {

    @Test
    void theOptionsAreListedForHelp() {
        assertThat(LocalOptions.all()).contains(LocalOptions.SUBSTATIONS, LocalOptions.LINES);
        assertThat(Gridhouse.LOCAL.usage())
                .contains("--substations")
                .contains("substation_id")
                .contains("--lines")
                .contains("CLOSED or OPEN");
    }

    @Test
    void topologyCsvNeedsCsvDevices() {
        Configuration conf = new Configuration();
        conf.set(LocalOptions.SUBSTATIONS, "substations.csv");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        // fails before any cluster is started
        assertThatThrownBy(() -> new LocalRunner(conf, new PrintStream(out, true)).run())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("--substations and --lines need --devices");
        assertThat(out.toString()).doesNotContain("Starting Fluss");
    }

    @Test
    void warnsWhenDispatchDecisionsCannotWork() {
        assertThat(LocalReplay.topologyWarning(false, 0, false, 0))
                .isEqualTo(
                        "No topology (--substations/--lines): dispatch decisions cannot be made;"
                                + " ads_dispatch_decisions will stay empty.");
        assertThat(LocalReplay.topologyWarning(false, 0, true, 3))
                .startsWith("No substations (--substations)")
                .endsWith("ads_dispatch_decisions will stay empty.");
        assertThat(LocalReplay.topologyWarning(true, 0, true, 3))
                .contains("rejected rows are in ods_dead_letter")
                .endsWith("ads_dispatch_decisions will stay empty.");
        assertThat(LocalReplay.topologyWarning(true, 2, false, 0))
                .startsWith("No lines (--lines)")
                .contains("cannot transfer load");
        assertThat(LocalReplay.topologyWarning(true, 2, true, 0))
                .startsWith("No lines loaded from --lines");
        assertThat(LocalReplay.topologyWarning(true, 2, true, 1)).isNull();
    }
}
