package dev.gridhouse.ods.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.gridhouse.contract.grid.Device;
import dev.gridhouse.contract.grid.GridLine;
import dev.gridhouse.contract.grid.Substation;
import dev.gridhouse.ods.sim.GridSimulator.RecordKind;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.LongStream;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.util.CloseableIterator;
import org.apache.flink.util.InstantiationUtil;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class GridSimulatorTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    // Contract §1.3 ranges, written independently of the simulator.
    private static final long TS_MIN = Instant.parse("2000-01-01T00:00:00Z").toEpochMilli();
    private static final long TS_END = Instant.parse("2100-01-01T00:00:00Z").toEpochMilli();
    private static final String[] REQUIRED = {
        "device_id", "ts", "active_power_mw", "voltage_kv", "frequency_hz"
    };
    private static final String[] OPTIONAL = {
        "reactive_power_mvar", "current_a", "temperature_c", "status_code"
    };

    private static final int SAMPLE = 200_000;

    /** Default shares (0.1 %) are too rare to measure well; this config uses 1 %. */
    private static final SimulatorConfig HIGH_SHARES =
            SimulatorConfig.builder()
                    .malformedShare(0.01)
                    .outOfRangeShare(0.01)
                    .duplicateShare(0.01)
                    .unknownDeviceShare(0.005)
                    .build();

    private static GridSimulator highShares;
    private static Map<String, Device> highSharesDevices;
    private static List<String> highSharesLines;

    @BeforeAll
    static void generateSample() {
        highShares = new GridSimulator(HIGH_SHARES);
        highSharesDevices = new HashMap<>();
        for (Device d : highShares.devices()) {
            highSharesDevices.put(d.deviceId, d);
        }
        highSharesLines = new ArrayList<>(SAMPLE);
        for (long i = 0; i < SAMPLE; i++) {
            highSharesLines.add(highShares.telemetryJson(i));
        }
    }

    // ------------------------------------------------------------------ determinism

    @Test
    void shiftedRecordsDifferOnlyInEventTime() throws Exception {
        ObjectMapper json = new ObjectMapper();
        for (long i = 0; i < 2_000; i++) {
            String plain = highShares.telemetryJson(i);
            String shifted = highShares.telemetryJson(i, 5_000L);
            JsonNode a;
            try {
                a = json.readTree(plain);
            } catch (Exception notJson) {
                continue; // malformed lines have no ts to compare
            }
            if (a == null || !a.isObject() || !a.path("ts").isIntegralNumber()) {
                continue;
            }
            JsonNode b = json.readTree(shifted);
            assertThat(b.get("ts").asLong()).isEqualTo(a.get("ts").asLong() + 5_000L);
            ((com.fasterxml.jackson.databind.node.ObjectNode) a).remove("ts");
            ((com.fasterxml.jackson.databind.node.ObjectNode) b).remove("ts");
            assertThat(b).isEqualTo(a);
        }
    }

    @Test
    void sameSeedGivesIdenticalGridAndTelemetry() {
        SimulatorConfig config = SimulatorConfig.builder().deviceCount(3_000).build();
        GridSimulator a = new GridSimulator(config);
        GridSimulator b = new GridSimulator(SimulatorConfig.builder().deviceCount(3_000).build());

        assertThat(a.devices()).isEqualTo(b.devices());
        assertThat(a.substations())
                .usingRecursiveFieldByFieldElementComparator()
                .isEqualTo(b.substations());
        assertThat(a.lines()).usingRecursiveFieldByFieldElementComparator().isEqualTo(b.lines());
        for (long i = 0; i < 20_000; i++) {
            assertThat(a.telemetryJson(i)).isEqualTo(b.telemetryJson(i));
        }
        // Any index can be generated on its own, in any order.
        assertThat(a.telemetryJson(123_456_789L)).isEqualTo(b.telemetryJson(123_456_789L));
    }

    @Test
    void differentSeedGivesDifferentGridAndTelemetry() {
        GridSimulator a = new GridSimulator(SimulatorConfig.builder().deviceCount(3_000).build());
        GridSimulator b =
                new GridSimulator(SimulatorConfig.builder().deviceCount(3_000).seed(7).build());

        assertThat(a.devices()).isNotEqualTo(b.devices());
        assertThat(lineKeys(a.lines())).isNotEqualTo(lineKeys(b.lines()));
        long differing =
                LongStream.range(0, 1_000)
                        .filter(i -> !a.telemetryJson(i).equals(b.telemetryJson(i)))
                        .count();
        assertThat(differing).isGreaterThan(990);
    }

    @Test
    void survivesJavaSerialization() throws Exception {
        GridSimulator sim = new GridSimulator(SimulatorConfig.builder().deviceCount(500).build());
        GridSimulator copy = InstantiationUtil.clone(sim);
        assertThat(copy.config()).isEqualTo(sim.config());
        for (long i = 0; i < 2_000; i++) {
            assertThat(copy.telemetryJson(i)).isEqualTo(sim.telemetryJson(i));
        }
    }

    // ------------------------------------------------------------------ dimension and topology

    @Test
    void deviceByIndexEqualsDeviceInList() {
        GridSimulator sim = new GridSimulator(SimulatorConfig.defaults());
        List<Device> devices = sim.devices();
        assertThat(devices).hasSize(10_000);
        for (int i = 0; i < devices.size(); i++) {
            assertThat(sim.device(i)).isEqualTo(devices.get(i));
        }
        List<Substation> substations = sim.substations();
        for (int s = 0; s < substations.size(); s++) {
            assertThat(sim.substation(s)).usingRecursiveComparison().isEqualTo(substations.get(s));
        }
        assertThatThrownBy(() -> sim.device(10_000)).isInstanceOf(IndexOutOfBoundsException.class);
    }

    @Test
    void defaultGridIsPlausible() {
        GridSimulator sim = new GridSimulator(SimulatorConfig.defaults());
        List<Device> devices = sim.devices();
        Map<String, Substation> substations =
                sim.substations().stream().collect(Collectors.toMap(s -> s.substationId, s -> s));
        assertThat(substations).hasSize(250);

        Map<String, Double> loadCapacity = new HashMap<>();
        Map<String, Integer> types = new HashMap<>();
        Map<String, Integer> statuses = new HashMap<>();
        for (Device d : devices) {
            assertThat(d.deviceId).matches("D\\d{6}");
            Substation s = substations.get(d.substationId);
            assertThat(s).as("substation of %s", d).isNotNull();
            assertThat(d.region).isEqualTo(s.region);
            assertThat(d.ratedVoltageKv).isEqualTo(s.voltageLevelKv);
            assertThat(d.capacityMw).isPositive();
            assertThat(d.updatedAt).isEqualTo(SimulatorConfig.DEFAULT_START_TIME_MS);
            types.merge(d.deviceType, 1, Integer::sum);
            statuses.merge(d.status, 1, Integer::sum);
            if (!d.isGenerator()) {
                loadCapacity.merge(d.substationId, d.capacityMw, Double::sum);
            }
        }
        assertThat(types.get("GENERATOR") / 10_000.0).isCloseTo(0.10, within(0.02));
        assertThat(types.get("TRANSFORMER") / 10_000.0).isCloseTo(0.30, within(0.03));
        assertThat(types.get("FEEDER") / 10_000.0).isCloseTo(0.40, within(0.03));
        assertThat(types.get("BREAKER") / 10_000.0).isCloseTo(0.20, within(0.03));
        assertThat(statuses.get("MAINTENANCE") / 10_000.0).isCloseTo(0.02, within(0.006));
        assertThat(statuses.get("OUT_OF_SERVICE") / 10_000.0).isCloseTo(0.01, within(0.005));
        assertThat(statuses.get("IN_SERVICE") / 10_000.0).isCloseTo(0.97, within(0.01));

        for (Substation s : substations.values()) {
            assertThat(s.substationId).matches("S\\d{5}");
            assertThat(s.voltageLevelKv).isIn(10.0, 35.0, 110.0, 220.0);
            // Comfortably above the typical load (loads run at well under 80 % of capacity).
            assertThat(s.capacityMw)
                    .isGreaterThanOrEqualTo(loadCapacity.getOrDefault(s.substationId, 0.0) - 0.05)
                    .isPositive();
        }
        assertThat(substations.values().stream().map(s -> s.region).collect(Collectors.toSet()))
                .containsExactlyInAnyOrderElementsOf(SimulatorConfig.DEFAULT_REGIONS);
    }

    @Test
    void halfAMillionDevices() {
        GridSimulator sim =
                new GridSimulator(SimulatorConfig.builder().deviceCount(500_000).build());
        List<Device> devices = sim.devices();
        Set<String> substationIds =
                sim.substations().stream().map(s -> s.substationId).collect(Collectors.toSet());

        assertThat(devices).hasSize(500_000);
        assertThat(substationIds).hasSize(12_500);
        Set<String> ids = new HashSet<>();
        Set<String> regions = new HashSet<>();
        List<Device> orphans = new ArrayList<>();
        for (Device d : devices) {
            ids.add(d.deviceId);
            regions.add(d.region);
            if (!substationIds.contains(d.substationId)) {
                orphans.add(d);
            }
        }
        assertThat(orphans).isEmpty();
        assertThat(ids).hasSize(500_000);
        assertThat(regions).containsExactlyInAnyOrderElementsOf(SimulatorConfig.DEFAULT_REGIONS);
        assertThat(sim.device(499_999)).isEqualTo(devices.get(499_999));
        assertThat(sim.telemetryJson(499_999)).contains("\"D499999\"");
    }

    @Test
    void linesConnectExistingSubstations() {
        GridSimulator sim = new GridSimulator(SimulatorConfig.defaults());
        Map<String, Substation> substations =
                sim.substations().stream().collect(Collectors.toMap(s -> s.substationId, s -> s));
        List<GridLine> lines = sim.lines();

        Set<String> ids = new HashSet<>();
        Set<String> connected = new HashSet<>();
        int open = 0;
        int crossRegion = 0;
        for (GridLine l : lines) {
            assertThat(l.lineId).matches("L\\d{6}");
            ids.add(l.lineId);
            Substation from = substations.get(l.fromSubstationId);
            Substation to = substations.get(l.toSubstationId);
            assertThat(from).as("from of %s", l).isNotNull();
            assertThat(to).as("to of %s", l).isNotNull();
            assertThat(l.fromSubstationId).isNotEqualTo(l.toSubstationId);
            assertThat(l.capacityMw)
                    .isPositive()
                    .isLessThanOrEqualTo(Math.min(from.capacityMw, to.capacityMw));
            assertThat(l.status).isIn(GridLine.CLOSED, GridLine.OPEN);
            open += GridLine.OPEN.equals(l.status) ? 1 : 0;
            crossRegion += from.region.equals(to.region) ? 0 : 1;
            connected.add(l.fromSubstationId);
            connected.add(l.toSubstationId);
        }
        assertThat(ids).hasSize(lines.size());
        // 7 rings of 35-36 substations plus 7 inter-region ties.
        assertThat(lines).hasSize(250 + 7);
        assertThat(crossRegion).isEqualTo(7);
        assertThat(connected).isEqualTo(substations.keySet());
        assertThat(open / (double) lines.size()).isBetween(0.04, 0.18);

        // 500K devices: every endpoint still exists.
        GridSimulator big =
                new GridSimulator(SimulatorConfig.builder().deviceCount(500_000).build());
        Set<String> bigIds =
                big.substations().stream().map(s -> s.substationId).collect(Collectors.toSet());
        assertThat(big.lines())
                .isNotEmpty()
                .allMatch(
                        l ->
                                bigIds.contains(l.fromSubstationId)
                                        && bigIds.contains(l.toSubstationId));
    }

    @Test
    void smallGridsHaveNoDegenerateLines() {
        for (int devices : new int[] {1, 40, 80, 120, 400}) {
            GridSimulator sim =
                    new GridSimulator(
                            SimulatorConfig.builder()
                                    .deviceCount(devices)
                                    .recordsPerSecond(1)
                                    .build());
            Set<String> ids =
                    sim.substations().stream().map(s -> s.substationId).collect(Collectors.toSet());
            for (GridLine l : sim.lines()) {
                assertThat(ids).contains(l.fromSubstationId, l.toSubstationId);
                assertThat(l.fromSubstationId).isNotEqualTo(l.toSubstationId);
            }
        }
    }

    // ------------------------------------------------------------------ telemetry

    @Test
    void injectedKindsMatchTheirSharesAndEveryOtherLineIsValid() {
        Map<RecordKind, Integer> counts = classifyAll(highShares, highSharesLines);
        double clean = 1 - 0.01 - 0.01 - 0.01 - 0.005;
        assertThat(counts.get(RecordKind.MALFORMED) / (double) SAMPLE)
                .isCloseTo(0.01, within(0.0015));
        assertThat(counts.get(RecordKind.OUT_OF_RANGE) / (double) SAMPLE)
                .isCloseTo(0.01, within(0.0015));
        // A duplicate only repeats a valid line, so slightly fewer than the share.
        assertThat(counts.get(RecordKind.DUPLICATE) / (double) SAMPLE)
                .isCloseTo(0.01 * clean, within(0.0015));
        assertThat(counts.get(RecordKind.UNKNOWN_DEVICE) / (double) SAMPLE)
                .isCloseTo(0.005, within(0.001));
    }

    @Test
    void defaultSharesAreRoughlyObserved() {
        GridSimulator sim = new GridSimulator(SimulatorConfig.defaults());
        List<String> lines = new ArrayList<>(SAMPLE);
        for (long i = 0; i < SAMPLE; i++) {
            lines.add(sim.telemetryJson(i));
        }
        Map<RecordKind, Integer> counts = classifyAll(sim, lines);
        // Expected 200, 200, ~200, 100 of 200,000.
        assertThat(counts.get(RecordKind.MALFORMED)).isBetween(140, 260);
        assertThat(counts.get(RecordKind.OUT_OF_RANGE)).isBetween(140, 260);
        assertThat(counts.get(RecordKind.DUPLICATE)).isBetween(140, 260);
        assertThat(counts.get(RecordKind.UNKNOWN_DEVICE)).isBetween(60, 140);
    }

    @Test
    void noBadRecordsGivesOnlyValidLines() {
        GridSimulator sim = new GridSimulator(SimulatorConfig.builder().noBadRecords().build());
        List<String> lines = new ArrayList<>();
        for (long i = 0; i < 20_000; i++) {
            lines.add(sim.telemetryJson(i));
        }
        assertThat(classifyAll(sim, lines).get(RecordKind.VALID)).isEqualTo(20_000);
    }

    @Test
    void malformedRecordsCoverEveryVariant() {
        int truncatedOrGarbage = 0;
        int wrongType = 0;
        int missing = 0;
        int fractionalTs = 0;
        for (int i = 0; i < SAMPLE; i++) {
            if (highShares.recordKind(i) != RecordKind.MALFORMED) {
                continue;
            }
            String line = highSharesLines.get(i);
            JsonNode n = parse(line);
            if (n == null || !n.isObject()) {
                truncatedOrGarbage++;
            } else if (line.contains("\"ts\":") && n.path("ts").isFloatingPointNumber()) {
                fractionalTs++;
            } else if (missingRequired(n) != null) {
                missing++;
            } else {
                wrongType++;
            }
        }
        assertThat(truncatedOrGarbage).isGreaterThan(300);
        assertThat(wrongType).isGreaterThan(150);
        assertThat(missing).isGreaterThan(300);
        assertThat(fractionalTs).isGreaterThan(150);
    }

    @Test
    void eventTimeAdvancesAtTheConfiguredRate() {
        long start = Instant.parse("2026-03-01T12:00:00Z").toEpochMilli();
        GridSimulator sim =
                new GridSimulator(
                        SimulatorConfig.builder()
                                .startTimeMs(start)
                                .recordsPerSecond(3_000)
                                .noBadRecords()
                                .build());
        assertThat(sim.eventTime(0)).isEqualTo(start);
        assertThat(sim.eventTime(3_000)).isEqualTo(start + 1_000);
        assertThat(sim.eventTime(1_500)).isEqualTo(start + 500);
        assertThat(sim.eventTime(3_000L * 3_600)).isEqualTo(start + 3_600_000);
        long previous = Long.MIN_VALUE;
        for (long i = 0; i < 10_000; i++) {
            long ts = sim.eventTime(i);
            assertThat(ts).isGreaterThanOrEqualTo(previous);
            assertThat(ts).isEqualTo(start + i * 1000 / 3_000);
            previous = ts;
            JsonNode n = parse(sim.telemetryJson(i));
            assertThat(n.get("ts").asLong()).isEqualTo(ts);
            assertThat(n.get("device_id").asText()).isEqualTo(String.format("D%06d", i % 10_000));
        }
        // Very large indexes do not overflow.
        assertThat(sim.eventTime(Long.MAX_VALUE / 2))
                .isEqualTo(
                        start
                                + (Long.MAX_VALUE / 2 / 3_000) * 1_000
                                + (Long.MAX_VALUE / 2 % 3_000) * 1_000 / 3_000);
    }

    @Test
    void anomaliesOccurAtTheirRates() {
        int valid = 0;
        int loadRecords = 0;
        int overloads = 0;
        int excursions = 0;
        int voltageDeviations = 0;
        int withTemperature = 0;
        int overTemperature = 0;
        int withStatus = 0;
        int faults = 0;
        int[] absent = new int[OPTIONAL.length];
        double generation = 0;
        double load = 0;
        double sum = 0;
        double sumSq = 0;
        int inBand = 0;
        for (int i = 0; i < SAMPLE; i++) {
            if (highShares.recordKind(i) != RecordKind.VALID) {
                continue;
            }
            valid++;
            JsonNode n = parse(highSharesLines.get(i));
            Device d = highSharesDevices.get(n.get("device_id").asText());
            double p = n.get("active_power_mw").asDouble();
            double f = n.get("frequency_hz").asDouble();
            double v = n.get("voltage_kv").asDouble();
            if (d.isGenerator()) {
                assertThat(p).isGreaterThanOrEqualTo(0).isLessThanOrEqualTo(d.capacityMw);
                generation += p;
            } else {
                loadRecords++;
                load += p;
                assertThat(p).isGreaterThanOrEqualTo(0);
                overloads += p > d.capacityMw ? 1 : 0;
            }
            if (Math.abs(f - 50) > 0.2) {
                excursions++;
                assertThat(Math.abs(f - 50)).isLessThanOrEqualTo(0.8);
            } else {
                inBand++;
                sum += f - 50;
                sumSq += (f - 50) * (f - 50);
            }
            if (Math.abs(v - d.ratedVoltageKv) / d.ratedVoltageKv > 0.10) {
                voltageDeviations++;
            } else {
                assertThat(Math.abs(v - d.ratedVoltageKv) / d.ratedVoltageKv)
                        .isLessThanOrEqualTo(0.0201);
            }
            if (n.has("temperature_c")) {
                withTemperature++;
                double t = n.get("temperature_c").asDouble();
                if (t > 90) {
                    overTemperature++;
                } else {
                    assertThat(t).isBetween(30.0, 80.0);
                }
            }
            if (n.has("status_code")) {
                withStatus++;
                int code = n.get("status_code").asInt();
                if (code != 0) {
                    faults++;
                    assertThat(code).isBetween(100, 199);
                }
            }
            for (int k = 0; k < OPTIONAL.length; k++) {
                absent[k] += n.has(OPTIONAL[k]) ? 0 : 1;
            }
        }
        assertThat(valid).isGreaterThan(190_000);
        assertThat(overloads / (double) loadRecords).isCloseTo(0.003, within(0.0008));
        assertThat(excursions / (double) valid).isCloseTo(0.005, within(0.001));
        assertThat(voltageDeviations / (double) valid).isCloseTo(0.002, within(0.0006));
        assertThat(overTemperature / (double) withTemperature).isCloseTo(0.002, within(0.0006));
        assertThat(faults / (double) withStatus).isCloseTo(0.001, within(0.0004));
        for (int k = 0; k < OPTIONAL.length; k++) {
            assertThat(absent[k] / (double) valid).as(OPTIONAL[k]).isCloseTo(0.05, within(0.005));
        }
        double mean = sum / inBand;
        double sigma = Math.sqrt(sumSq / inBand - mean * mean);
        // A slow regional drift (±0.012 Hz) does not average out over 100 s.
        assertThat(mean).isCloseTo(0.0, within(0.015));
        assertThat(sigma).isBetween(0.02, 0.04);
        assertThat(generation / load).isBetween(0.7, 1.3);
    }

    @Test
    void regionalLoadFollowsTheDailyCurve() {
        Map<String, Double> evening = meanLoadByRegion("2026-01-05T19:00:00Z");
        Map<String, Double> night = meanLoadByRegion("2026-01-05T04:00:00Z");
        Map<String, Double> morning = meanLoadByRegion("2026-01-05T08:30:00Z");
        Map<String, Double> midday = meanLoadByRegion("2026-01-05T13:00:00Z");
        assertThat(evening.keySet())
                .containsExactlyInAnyOrderElementsOf(SimulatorConfig.DEFAULT_REGIONS);
        for (String region : SimulatorConfig.DEFAULT_REGIONS) {
            assertThat(evening.get(region)).as(region).isGreaterThan(1.3 * night.get(region));
            assertThat(morning.get(region)).as(region).isGreaterThan(1.2 * night.get(region));
        }
        // Regions have their own phase and amplitude.
        assertThat(new HashSet<>(evening.values())).hasSize(7);
        assertThat(midday.get("NORTH")).isGreaterThan(night.get("NORTH"));

        GridSimulator sim = new GridSimulator(SimulatorConfig.defaults());
        for (int g = 0; g < 7; g++) {
            for (int h = 0; h < 24; h++) {
                assertThat(sim.loadFactor(g, h * 3_600_000L)).isBetween(0.3, 0.8);
            }
        }
    }

    // ------------------------------------------------------------------ Flink source

    @Test
    void boundedSourceEmitsExactlyTheLinesOfItsIndexes() throws Exception {
        GridSimulator sim =
                new GridSimulator(
                        SimulatorConfig.builder()
                                .recordCount(1_000)
                                .recordsPerSecond(100_000)
                                .malformedShare(0.05)
                                .duplicateShare(0.05)
                                .build());
        List<String> expected = new ArrayList<>();
        for (long i = 0; i < 1_000; i++) {
            expected.add(sim.telemetryJson(i));
        }

        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(2);
        List<String> actual = new ArrayList<>();
        try (CloseableIterator<String> it =
                env.fromSource(
                                sim.telemetrySource(),
                                WatermarkStrategy.noWatermarks(),
                                "Grid simulator")
                        .executeAndCollect("simulator source test")) {
            it.forEachRemaining(actual::add);
        }
        assertThat(actual).hasSize(1_000).containsExactlyInAnyOrderElementsOf(expected);
    }

    @Test
    void sourceIsConfiguredFromTheConfig() {
        GridSimulator sim = new GridSimulator(SimulatorConfig.defaults());
        assertThat(sim.telemetrySource().getProducedType())
                .isEqualTo(org.apache.flink.api.common.typeinfo.Types.STRING);
    }

    // ------------------------------------------------------------------ config

    @Test
    void configDefaultsAndRegionCount() {
        SimulatorConfig c = SimulatorConfig.defaults();
        assertThat(c.deviceCount()).isEqualTo(10_000);
        assertThat(c.regions()).hasSize(7).startsWith("NORTH", "EAST");
        assertThat(c.recordsPerSecond()).isEqualTo(2_000);
        assertThat(c.seed()).isEqualTo(42);
        assertThat(c.startTimeMs()).isEqualTo(Instant.parse("2026-01-01T00:00:00Z").toEpochMilli());
        assertThat(c.recordCount()).isEqualTo(Long.MAX_VALUE);
        assertThat(c.isBounded()).isFalse();
        assertThat(c.malformedShare()).isEqualTo(0.001);
        assertThat(c.outOfRangeShare()).isEqualTo(0.001);
        assertThat(c.duplicateShare()).isEqualTo(0.001);
        assertThat(c.unknownDeviceShare()).isEqualTo(0.0005);
        assertThat(c.devicesPerSubstation()).isEqualTo(40);
        assertThat(c.substationCount()).isEqualTo(250);
        assertThat(c.toBuilder().build()).isEqualTo(c);

        SimulatorConfig three = SimulatorConfig.builder().regionCount(3).build();
        assertThat(three.regions()).containsExactly("NORTH", "EAST", "SOUTH");
        GridSimulator sim = new GridSimulator(three);
        assertThat(sim.devices().stream().map(d -> d.region).collect(Collectors.toSet()))
                .containsExactlyInAnyOrder("NORTH", "EAST", "SOUTH");

        SimulatorConfig custom = SimulatorConfig.builder().regions("A", "B").build();
        assertThat(new GridSimulator(custom).substation(1).region).isEqualTo("B");
    }

    @Test
    void configValidationSaysWhatToFix() {
        assertThatThrownBy(() -> SimulatorConfig.builder().deviceCount(0).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("deviceCount must be between 1 and 999999");
        assertThatThrownBy(() -> SimulatorConfig.builder().deviceCount(1_000_000).build())
                .hasMessageContaining("deviceCount");
        assertThatThrownBy(() -> SimulatorConfig.builder().regionCount(8))
                .hasMessageContaining("regionCount must be between 1 and 7");
        assertThatThrownBy(() -> SimulatorConfig.builder().regionCount(0))
                .hasMessageContaining("regionCount");
        assertThatThrownBy(() -> SimulatorConfig.builder().regions(List.of()).build())
                .hasMessageContaining("regions must name at least one region");
        assertThatThrownBy(() -> SimulatorConfig.builder().regions("A", "A").build())
                .hasMessageContaining("regions must be distinct");
        assertThatThrownBy(() -> SimulatorConfig.builder().regions("A", " ").build())
                .hasMessageContaining("blank");
        assertThatThrownBy(() -> SimulatorConfig.builder().recordsPerSecond(0).build())
                .hasMessageContaining("recordsPerSecond must be > 0");
        assertThatThrownBy(
                        () ->
                                SimulatorConfig.builder()
                                        .deviceCount(10)
                                        .recordsPerSecond(20_000)
                                        .build())
                .hasMessageContaining("raise deviceCount or lower recordsPerSecond");
        assertThatThrownBy(() -> SimulatorConfig.builder().recordCount(0).build())
                .hasMessageContaining("recordCount must be > 0");
        assertThatThrownBy(() -> SimulatorConfig.builder().startTimeMs(0).build())
                .hasMessageContaining("startTimeMs must be");
        assertThatThrownBy(
                        () ->
                                SimulatorConfig.builder()
                                        .recordsPerSecond(1)
                                        .recordCount(Long.MAX_VALUE - 1)
                                        .build())
                .hasMessageContaining("lower recordCount");
        assertThatThrownBy(() -> SimulatorConfig.builder().malformedShare(-0.1).build())
                .hasMessageContaining("malformedShare must be a fraction between 0 and 1");
        assertThatThrownBy(() -> SimulatorConfig.builder().duplicateShare(Double.NaN).build())
                .hasMessageContaining("duplicateShare");
        assertThatThrownBy(
                        () ->
                                SimulatorConfig.builder()
                                        .malformedShare(0.6)
                                        .outOfRangeShare(0.6)
                                        .build())
                .hasMessageContaining("must be at most 1");
        assertThatThrownBy(
                        () ->
                                SimulatorConfig.builder()
                                        .deviceCount(500_000)
                                        .devicesPerSubstation(1)
                                        .build())
                .hasMessageContaining("raise devicesPerSubstation");
        assertThatThrownBy(() -> SimulatorConfig.builder().devicesPerSubstation(0).build())
                .hasMessageContaining("devicesPerSubstation must be at least 1");
    }

    // ------------------------------------------------------------------ helpers

    private static Map<String, Double> meanLoadByRegion(String hour) {
        SimulatorConfig config =
                SimulatorConfig.builder()
                        .startTimeMs(Instant.parse(hour).toEpochMilli())
                        .noBadRecords()
                        .build();
        GridSimulator sim = new GridSimulator(config);
        Map<String, Device> devices = new HashMap<>();
        sim.devices().forEach(d -> devices.put(d.deviceId, d));
        Map<String, double[]> sums = new HashMap<>();
        // 20,000 records = 10 s: every device twice.
        IntStream.range(0, 20_000)
                .forEach(
                        i -> {
                            JsonNode n = parse(sim.telemetryJson(i));
                            Device d = devices.get(n.get("device_id").asText());
                            if (!d.isGenerator()) {
                                double[] s = sums.computeIfAbsent(d.region, r -> new double[2]);
                                s[0] += n.get("active_power_mw").asDouble();
                                s[1]++;
                            }
                        });
        Map<String, Double> means = new HashMap<>();
        sums.forEach((region, s) -> means.put(region, s[0] / s[1]));
        return means;
    }

    /**
     * Classifies every line independently and checks it against {@link GridSimulator#recordKind}.
     */
    private static Map<RecordKind, Integer> classifyAll(GridSimulator sim, List<String> lines) {
        Set<String> deviceIds = new HashSet<>();
        for (int i = 0; i < sim.config().deviceCount(); i++) {
            deviceIds.add(String.format("D%06d", i));
        }
        Map<RecordKind, Integer> counts = new EnumMap<>(RecordKind.class);
        for (RecordKind k : RecordKind.values()) {
            counts.put(k, 0);
        }
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            RecordKind kind = classify(line, i == 0 ? null : lines.get(i - 1), deviceIds);
            assertThat(kind).as("line %d: %s", i, line).isEqualTo(sim.recordKind(i));
            counts.merge(kind, 1, Integer::sum);
        }
        return counts;
    }

    private static RecordKind classify(String line, String previous, Set<String> deviceIds) {
        if (line.equals(previous)) {
            assertThat(classify(line, null, deviceIds)).isEqualTo(RecordKind.VALID);
            return RecordKind.DUPLICATE;
        }
        assertThat(line).doesNotContain("\n");
        JsonNode n = parse(line);
        if (n == null || !n.isObject() || missingRequired(n) != null || !typesOk(n)) {
            return RecordKind.MALFORMED;
        }
        if (!inRange(n)) {
            return RecordKind.OUT_OF_RANGE;
        }
        String deviceId = n.get("device_id").asText();
        if (!deviceIds.contains(deviceId)) {
            assertThat(deviceId).matches("X\\d{6}");
            return RecordKind.UNKNOWN_DEVICE;
        }
        return RecordKind.VALID;
    }

    private static JsonNode parse(String line) {
        try {
            return MAPPER.readTree(line);
        } catch (Exception e) {
            return null;
        }
    }

    private static String missingRequired(JsonNode n) {
        for (String field : REQUIRED) {
            if (!n.hasNonNull(field)) {
                return field;
            }
        }
        return null;
    }

    private static boolean typesOk(JsonNode n) {
        if (!n.get("device_id").isTextual() || !n.get("ts").isIntegralNumber()) {
            return false;
        }
        for (String field :
                new String[] {
                    "active_power_mw",
                    "voltage_kv",
                    "frequency_hz",
                    "reactive_power_mvar",
                    "current_a",
                    "temperature_c"
                }) {
            if (n.has(field) && !n.get(field).isNumber()) {
                return false;
            }
        }
        return !n.has("status_code") || n.get("status_code").isIntegralNumber();
    }

    private static boolean inRange(JsonNode n) {
        long ts = n.get("ts").asLong();
        return !n.get("device_id").asText().isEmpty()
                && ts >= TS_MIN
                && ts < TS_END
                && between(n, "active_power_mw", -5000, 5000)
                && between(n, "voltage_kv", 0, 1200)
                && between(n, "frequency_hz", 45, 55)
                && between(n, "reactive_power_mvar", -5000, 5000)
                && between(n, "current_a", 0, 100_000)
                && between(n, "temperature_c", -60, 250);
    }

    private static boolean between(JsonNode n, String field, double min, double max) {
        if (!n.has(field)) {
            return true;
        }
        double v = n.get(field).asDouble();
        return Double.isFinite(v) && v >= min && v <= max;
    }

    private static List<String> lineKeys(List<GridLine> lines) {
        return lines.stream()
                .map(l -> l.fromSubstationId + "-" + l.toSubstationId + "-" + l.capacityMw)
                .collect(Collectors.toList());
    }
}
