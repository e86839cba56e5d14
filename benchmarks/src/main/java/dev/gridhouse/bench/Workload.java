package dev.gridhouse.bench;

import dev.gridhouse.contract.grid.Device;
import dev.gridhouse.contract.grid.GridLine;
import dev.gridhouse.contract.grid.Substation;
import dev.gridhouse.contract.grid.Telemetry;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The stream both architectures ingest: record {@code i} is simulator record {@code i mod pool} of
 * a pre-generated pool, its event time moved forward by one pool span per round, so any number of
 * records comes from a bounded amount of generated data; plus the device dimension and the keys of
 * the lookup stream.
 */
final class Workload {
    private final Telemetry[] pool;
    private final long spanMs;
    private final List<Device> devices;
    private final List<Substation> substations;
    private final List<GridLine> lines;

    Workload(BenchData data) {
        this.pool = data.telemetry().toArray(new Telemetry[0]);
        this.devices = data.devices();
        this.substations = data.simulator().substations();
        this.lines = data.simulator().lines();
        this.spanMs = pool[pool.length - 1].ts - pool[0].ts + 1_000;
    }

    /** Writes record {@code i} into {@code into} (reused by the caller) and returns it. */
    Telemetry record(long i, Telemetry into) {
        Telemetry src = pool[(int) (i % pool.length)];
        into.copyTelemetryFrom(src);
        into.ts = src.ts + (i / pool.length) * spanMs;
        into.ingestTime = into.ts;
        return into;
    }

    /** The simulator's substations (the devices' substations) and lines: the topology. */
    List<Substation> substations() {
        return substations;
    }

    List<GridLine> lines() {
        return lines;
    }

    List<Device> devices() {
        return devices;
    }

    /** {@code n} device ids drawn uniformly (seeded), the keys of a lookup stream. */
    String[] lookupKeys(int n, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        String[] keys = new String[n];
        for (int i = 0; i < n; i++) {
            keys[i] = devices.get(r.nextInt(devices.size())).deviceId;
        }
        return keys;
    }
}
