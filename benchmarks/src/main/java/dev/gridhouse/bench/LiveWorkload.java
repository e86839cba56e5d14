package dev.gridhouse.bench;

import dev.gridhouse.contract.grid.Device;
import dev.gridhouse.contract.grid.Telemetry;
import dev.gridhouse.ods.parse.ParseResult;
import dev.gridhouse.ods.parse.TelemetryJsonParser;
import dev.gridhouse.ods.sim.GridSimulator;
import java.time.Duration;
import java.util.List;
import java.util.stream.IntStream;

/**
 * The live telemetry of scenarios 4 and 6: "devices × reporting interval". The paced producer
 * cycles through the first {@code active} devices of the dimension in a fixed order (device 0, 1,
 * …, active − 1, 0, …), so every active device reports once per cycle; at the nominal rate ({@code
 * devices / interval}) all devices are active and a cycle lasts one interval. Record values are
 * {@link GridSimulator}'s telemetry of that device (its capacity, type, rated voltage, region load
 * curve; the simulator's noise, overloads, frequency excursions, voltage deviations,
 * over-temperatures and absent fields at the simulator's rates), pre-generated for {@link
 * #rounds()} cycles of every device and replayed cycle by cycle; the producer stamps the send time
 * as the event time. The simulator's own fault codes are replaced by status 0: DEVICE_FAULTs come
 * only from the producer's injections, so each raises exactly one alarm with a known id.
 */
final class LiveWorkload {
    private static final int ABSENT = Integer.MIN_VALUE;

    /** Pre-generated values at most (≈ 50 bytes each). */
    private static final int MAX_POOL = 1_000_000;

    private final int devices;
    private final Duration interval;
    private final int rounds;
    private final String[] ids;
    private final double[] power;
    private final double[] voltage;
    private final double[] frequency;
    private final double[] reactive;
    private final double[] current;
    private final double[] temperature;
    private final int[] status;

    /**
     * The first {@code devices} devices of {@code dimension} (the devices of {@code simulator}),
     * each reporting once per {@code interval} at the nominal rate.
     */
    LiveWorkload(GridSimulator simulator, List<Device> dimension, int devices, Duration interval) {
        if (devices <= 0 || devices > dimension.size()) {
            throw new IllegalArgumentException(
                    "devices must be within 1.." + dimension.size() + ", is " + devices);
        }
        this.devices = devices;
        this.interval = interval;
        this.rounds = Math.max(2, Math.min(8, MAX_POOL / devices));
        int n = rounds * devices;
        ids = new String[devices];
        for (int d = 0; d < devices; d++) {
            ids[d] = dimension.get(d).deviceId;
        }
        power = new double[n];
        voltage = new double[n];
        frequency = new double[n];
        reactive = new double[n];
        current = new double[n];
        temperature = new double[n];
        status = new int[n];
        long dimensionSize = dimension.size();
        int chunk = 10_000;
        // simulator record c × dimensionSize + d is device d's record of round c
        IntStream.range(0, (n + chunk - 1) / chunk)
                .parallel()
                .forEach(
                        k -> {
                            TelemetryJsonParser parser = new TelemetryJsonParser();
                            for (int i = k * chunk; i < Math.min(n, (k + 1) * chunk); i++) {
                                int round = i / devices;
                                int d = i % devices;
                                fill(i, simulator, parser, round, d, dimensionSize);
                            }
                        });
    }

    private void fill(
            int i, GridSimulator sim, TelemetryJsonParser parser, int round, int d, long size) {
        for (long r = round; ; r += rounds) {
            ParseResult p = parser.parse(sim.telemetryJson(r * size + d));
            if (!p.isAccepted()) {
                // not expected (no bad records): the device's record of a later round
                if (r > round + 100L * rounds) {
                    throw new IllegalStateException("No valid simulator record of " + ids[d]);
                }
                continue;
            }
            Telemetry t = p.telemetry();
            if (!t.deviceId.equals(ids[d])) {
                throw new IllegalStateException(
                        "Simulator record of " + t.deviceId + " where " + ids[d] + " was expected");
            }
            power[i] = t.activePowerMw;
            voltage[i] = t.voltageKv;
            frequency[i] = t.frequencyHz;
            reactive[i] = t.reactivePowerMvar == null ? Double.NaN : t.reactivePowerMvar;
            current[i] = t.currentA == null ? Double.NaN : t.currentA;
            temperature[i] = t.temperatureC == null ? Double.NaN : t.temperatureC;
            status[i] = t.statusCode == null ? ABSENT : 0; // faults are injected only
            return;
        }
    }

    /** Devices of the stream. */
    int devices() {
        return devices;
    }

    Duration interval() {
        return interval;
    }

    /** Cycles of pre-generated values per device before they repeat. */
    int rounds() {
        return rounds;
    }

    /**
     * Writes device {@code device}'s record of cycle {@code cycle} into {@code into} (reused by the
     * caller); the caller sets the event time.
     */
    Telemetry record(int device, long cycle, Telemetry into) {
        int i = (int) (cycle % rounds) * devices + device;
        into.deviceId = ids[device];
        into.activePowerMw = power[i];
        into.voltageKv = voltage[i];
        into.frequencyHz = frequency[i];
        into.reactivePowerMvar = Double.isNaN(reactive[i]) ? null : reactive[i];
        into.currentA = Double.isNaN(current[i]) ? null : current[i];
        into.temperatureC = Double.isNaN(temperature[i]) ? null : temperature[i];
        into.statusCode = status[i] == ABSENT ? null : status[i];
        return into;
    }
}
