package dev.gridhouse.ods.sim;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gridhouse.core.serde.ModelJson;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import org.junit.jupiter.api.Test;

/**
 * The simulator's output for fixed seeds, pinned as SHA-256 hashes taken before the simulator was
 * split into topology, values, faults and JSON classes: any change to a device, substation, line,
 * telemetry line, record kind, event time or load factor changes a hash.
 */
class GridSimulatorGoldenTest {
    private static final int RECORDS = 100_000;

    /** High bad-record shares, so that every kind of bad record is in the sample many times. */
    private static final SimulatorConfig CONFIG =
            SimulatorConfig.builder()
                    .deviceCount(5_000)
                    .regionCount(5)
                    .seed(20_260_412L)
                    .startTimeMs(1_767_225_600_000L)
                    .recordsPerSecond(1_000)
                    .malformedShare(0.03)
                    .outOfRangeShare(0.03)
                    .duplicateShare(0.02)
                    .unknownDeviceShare(0.01)
                    .devicesPerSubstation(25)
                    .build();

    @Test
    void topologyIsUnchanged() throws Exception {
        GridSimulator sim = new GridSimulator(CONFIG);
        MessageDigest md = MessageDigest.getInstance("SHA-256");
        sim.devices().forEach(d -> update(md, ModelJson.toJson(d)));
        sim.substations().forEach(s -> update(md, ModelJson.toJson(s)));
        sim.lines().forEach(l -> update(md, ModelJson.toJson(l)));
        assertThat(hex(md))
                .isEqualTo("ad006a4778257d5a237eef207850b800d377a707bc8239b0ef96e65117204fa1");
    }

    @Test
    void telemetryIsUnchanged() throws Exception {
        GridSimulator sim = new GridSimulator(CONFIG);
        MessageDigest md = MessageDigest.getInstance("SHA-256");
        for (long i = 0; i < RECORDS; i++) {
            update(md, sim.telemetryJson(i));
            update(md, sim.recordKind(i).name());
            update(md, Long.toString(sim.eventTime(i)));
        }
        for (long i = 0; i < 5_000; i++) {
            update(md, sim.telemetryJson(i * 7_919, -3_600_000L + i));
        }
        for (int g = 0; g < CONFIG.regions().size(); g++) {
            for (int h = 0; h < 96; h++) {
                update(md, Double.toString(sim.loadFactor(g, h * 900_000L)));
            }
        }
        assertThat(hex(md))
                .isEqualTo("f8e1a97dd15eb7a645f77f1a97679a255d54f2de6e28a5ac731980b4b6e7bcac");
    }

    @Test
    void defaultConfigTelemetryIsUnchanged() throws Exception {
        GridSimulator sim =
                new GridSimulator(
                        SimulatorConfig.builder().startTimeMs(1_767_225_600_000L).build());
        MessageDigest md = MessageDigest.getInstance("SHA-256");
        for (long i = 0; i < RECORDS; i++) {
            update(md, sim.telemetryJson(i * 13));
        }
        assertThat(hex(md))
                .isEqualTo("b581d2b336cc9704fb2fc3d335a68f4dfcafc642db710196f772a571415574cc");
    }

    private static String hex(MessageDigest md) {
        StringBuilder sb = new StringBuilder();
        for (byte b : md.digest()) {
            sb.append(String.format("%02x", b));
        }
        return sb.toString();
    }

    private static void update(MessageDigest md, String s) {
        md.update(s.getBytes(StandardCharsets.UTF_8));
        md.update((byte) '\n');
    }
}
