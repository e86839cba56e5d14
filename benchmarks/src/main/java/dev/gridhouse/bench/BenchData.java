package dev.gridhouse.bench;

import dev.gridhouse.contract.grid.Device;
import dev.gridhouse.contract.grid.EnrichedTelemetry;
import dev.gridhouse.contract.grid.Telemetry;
import dev.gridhouse.ods.parse.ParseResult;
import dev.gridhouse.ods.parse.TelemetryJsonParser;
import dev.gridhouse.ods.sim.GridSimulator;
import dev.gridhouse.ods.sim.SimulatorConfig;
import java.util.ArrayList;
import java.util.List;

/**
 * Deterministic benchmark input from {@link GridSimulator}: valid telemetry records (as JSON lines
 * and parsed), the devices they belong to, and the records joined with their devices. Shared by the
 * JMH benchmarks and GridBench, so both measure the same workload.
 */
public final class BenchData {
    /** Start of the simulated event time: 2026-01-01T00:00:00Z. */
    public static final long START_MS = 1_767_225_600_000L;

    private final GridSimulator simulator;
    private final List<String> json;
    private final List<Telemetry> telemetry;
    private final List<Device> devices;
    private final List<EnrichedTelemetry> enriched;

    private BenchData(int deviceCount, int records, long recordsPerSecond) {
        if (deviceCount <= 0 || records <= 0 || recordsPerSecond <= 0) {
            throw new IllegalArgumentException(
                    "deviceCount, records and recordsPerSecond must be positive; got "
                            + deviceCount
                            + ", "
                            + records
                            + ", "
                            + recordsPerSecond);
        }
        simulator =
                new GridSimulator(
                        SimulatorConfig.builder()
                                .deviceCount(deviceCount)
                                .recordsPerSecond(recordsPerSecond)
                                .startTimeMs(START_MS)
                                .seed(42L)
                                .noBadRecords()
                                .build());
        devices = simulator.devices();
        TelemetryJsonParser parser = new TelemetryJsonParser();
        json = new ArrayList<>(records);
        telemetry = new ArrayList<>(records);
        enriched = new ArrayList<>(records);
        for (long i = 0; telemetry.size() < records; i++) {
            String line = simulator.telemetryJson(i);
            ParseResult r = parser.parse(line);
            if (!r.isAccepted()) {
                continue; // absent fields etc. are valid; anything rejected is skipped
            }
            Telemetry t = r.telemetry();
            t.ingestTime = t.ts;
            json.add(line);
            telemetry.add(t);
            enriched.add(EnrichedTelemetry.of(t, devices.get(deviceIndex(t.deviceId))));
        }
    }

    /**
     * {@code records} valid records of {@code deviceCount} devices; event time advances at {@code
     * recordsPerSecond}.
     */
    public static BenchData generate(int deviceCount, int records, long recordsPerSecond) {
        return new BenchData(deviceCount, records, recordsPerSecond);
    }

    /** The index of a simulator device id {@code D%06d}. */
    public static int deviceIndex(String deviceId) {
        return Integer.parseInt(deviceId.substring(1));
    }

    public GridSimulator simulator() {
        return simulator;
    }

    public List<String> json() {
        return json;
    }

    public List<Telemetry> telemetry() {
        return telemetry;
    }

    public List<Device> devices() {
        return devices;
    }

    public List<EnrichedTelemetry> enriched() {
        return enriched;
    }
}
