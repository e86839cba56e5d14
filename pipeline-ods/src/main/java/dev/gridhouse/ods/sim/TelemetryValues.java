package dev.gridhouse.ods.sim;

import static dev.gridhouse.ods.sim.SimRandom.checkIndex;
import static dev.gridhouse.ods.sim.SimRandom.clamp;
import static dev.gridhouse.ods.sim.SimRandom.gaussian;
import static dev.gridhouse.ods.sim.SimRandom.round;

import dev.gridhouse.ods.sim.SimulatedTopology.DeviceSpec;
import dev.gridhouse.ods.sim.SimulatedTopology.DeviceStatus;
import dev.gridhouse.ods.sim.SimulatedTopology.DeviceType;
import java.io.Serializable;
import java.util.SplittableRandom;

/**
 * The values of valid telemetry records: event time from the record index, power from the device's
 * capacity and its region's daily load curve, voltage, frequency, reactive power, current,
 * temperature and status code, including the rare excursions a real grid reports (see {@link
 * GridSimulator} for the shapes and shares).
 */
final class TelemetryValues implements Serializable {
    private static final long serialVersionUID = 1L;

    static final double FREQ_EXCURSION_SHARE = 0.005;
    static final double OVERLOAD_SHARE = 0.003;
    static final double VOLTAGE_DEVIATION_SHARE = 0.002;
    static final double OVER_TEMPERATURE_SHARE = 0.002;
    static final double FAULT_SHARE = 0.001;
    static final double ABSENT_SHARE = 0.05;

    private static final long DAY_MS = 86_400_000L;
    private static final long FREQ_DRIFT_PERIOD_MS = 780_000L;
    private static final double SQRT3 = Math.sqrt(3);
    private static final long SALT_REGION = 0x1a3b_5c7d_9e0f_2143L;

    /**
     * Generators run at {@code loadFactor × GEN_SCALE} of capacity, so the expected regional
     * generation equals the expected regional load given the type mix and capacity ranges.
     */
    private static final double GEN_SCALE;

    static {
        double load = 0;
        for (DeviceType t : DeviceType.values()) {
            if (t != DeviceType.GENERATOR) {
                load += t.share * (t.capMin + t.capMax) / 2;
            }
        }
        DeviceType g = DeviceType.GENERATOR;
        double gen = g.share * (g.capMin + g.capMax) / 2;
        GEN_SCALE = SimulatedTopology.MEAN_LOAD_MULT * load / gen;
    }

    private final SimulatedTopology topology;
    private final long startTimeMs;
    private final long recordsPerSecond;
    private final double[] regionPhaseH;
    private final double[] regionAmplitude;
    private final double[] regionFreqPhase;

    TelemetryValues(SimulatorConfig config, SimulatedTopology topology, SimRandom random) {
        this.topology = topology;
        this.startTimeMs = config.startTimeMs();
        this.recordsPerSecond = config.recordsPerSecond();
        int regions = topology.regionCount();
        this.regionPhaseH = new double[regions];
        this.regionAmplitude = new double[regions];
        this.regionFreqPhase = new double[regions];
        for (int g = 0; g < regions; g++) {
            SplittableRandom r = random.rng(SALT_REGION, g);
            regionPhaseH[g] = r.nextDouble(-1.0, 1.0);
            regionAmplitude[g] = r.nextDouble(0.85, 1.15);
            regionFreqPhase[g] = r.nextDouble(0, 2 * Math.PI);
        }
    }

    /** Event time of record {@code index} (no argument check). */
    long eventTime(long index) {
        return eventTime(startTimeMs, recordsPerSecond, index);
    }

    /** {@code startTimeMs + index × 1000 / recordsPerSecond}, without overflowing. */
    static long eventTime(long startTimeMs, long recordsPerSecond, long index) {
        // Split to avoid overflowing index * 1000.
        return startTimeMs
                + (index / recordsPerSecond) * 1000
                + (index % recordsPerSecond) * 1000 / recordsPerSecond;
    }

    /** See {@link GridSimulator#loadFactor(int, long)}. */
    double loadFactor(int regionIndex, long ts) {
        checkIndex(regionIndex, regionPhaseH.length, "region");
        double hour = Math.floorMod(ts, DAY_MS) / 3_600_000.0;
        double ph = regionPhaseH[regionIndex];
        double peaks =
                0.22 * bump(hour, 8.5 + ph, 1.6)
                        + 0.10 * bump(hour, 13.5 + ph, 3.0)
                        + 0.33 * bump(hour, 19.5 + ph, 1.8);
        return 0.32 + regionAmplitude[regionIndex] * peaks;
    }

    private static double bump(double hour, double center, double width) {
        double d = hour - center;
        d -= 24 * Math.rint(d / 24);
        return Math.exp(-d * d / (2 * width * width));
    }

    /**
     * The valid record {@code index}, drawing from {@code r}; its event time moved by {@code
     * shiftMs} after the values were computed.
     */
    SimulatedRecord validRecord(long index, SplittableRandom r, long shiftMs) {
        SimulatedRecord rec = new SimulatedRecord();
        rec.ts = eventTime(index);
        rec.deviceIndex = (int) (index % topology.deviceCount());
        rec.deviceId = SimulatedTopology.deviceId(rec.deviceIndex);
        DeviceSpec d = topology.deviceSpec(rec.deviceIndex);
        double cap = d.capacityMw;
        double lf = loadFactor(d.region, rec.ts);

        double p;
        if (d.type == DeviceType.GENERATOR) {
            double f = clamp(lf * GEN_SCALE * (1 + 0.05 * gaussian(r)), 0.05, 0.98);
            p = d.status == DeviceStatus.IN_SERVICE ? cap * f : 0.0;
        } else {
            double f = clamp(lf * d.loadMult * (1 + 0.05 * gaussian(r)), 0.02, 0.98);
            p = d.status == DeviceStatus.OUT_OF_SERVICE ? 0.0 : cap * f;
            if (d.status == DeviceStatus.MAINTENANCE) {
                p *= 0.1;
            }
            if (r.nextDouble() < OVERLOAD_SHARE && d.status != DeviceStatus.OUT_OF_SERVICE) {
                p = cap * r.nextDouble(1.02, 1.45);
            }
        }
        rec.powerMw = round(p, 3);

        if (r.nextDouble() < FREQ_EXCURSION_SHARE) {
            double delta = r.nextDouble(0.21, 0.8);
            rec.frequencyHz = 50.0 + (r.nextBoolean() ? delta : -delta);
        } else {
            double phase =
                    2
                                    * Math.PI
                                    * (Math.floorMod(rec.ts, FREQ_DRIFT_PERIOD_MS))
                                    / (double) FREQ_DRIFT_PERIOD_MS
                            + regionFreqPhase[d.region];
            double delta = 0.012 * Math.sin(phase) + 0.025 * gaussian(r);
            rec.frequencyHz = 50.0 + clamp(delta, -0.15, 0.15);
        }
        rec.frequencyHz = round(rec.frequencyHz, 3);

        double rated = d.ratedVoltageKv;
        if (r.nextDouble() < VOLTAGE_DEVIATION_SHARE) {
            double dev = r.nextDouble(0.11, 0.3);
            rec.voltageKv = rated * (1 + (r.nextBoolean() ? dev : -dev));
        } else {
            rec.voltageKv = rated * (1 + clamp(0.007 * gaussian(r), -0.02, 0.02));
        }
        rec.voltageKv = round(rec.voltageKv, 3);

        rec.reactiveMvar = round(p * r.nextDouble(0.2, 0.45), 3);
        double apparentMva = Math.sqrt(p * p + rec.reactiveMvar * rec.reactiveMvar);
        rec.currentA = round(clamp(apparentMva * 1000 / (SQRT3 * rec.voltageKv), 0, 100_000), 1);

        if (r.nextDouble() < OVER_TEMPERATURE_SHARE) {
            rec.temperatureC = r.nextDouble(91, 130);
        } else {
            double loading = cap > 0 ? Math.min(p / cap, 1.0) : 0;
            rec.temperatureC = clamp(30 + 45 * loading + 3 * gaussian(r), 30, 80);
        }
        rec.temperatureC = round(rec.temperatureC, 1);

        rec.statusCode = r.nextDouble() < FAULT_SHARE ? 100 + r.nextInt(100) : 0;

        rec.hasReactive = r.nextDouble() >= ABSENT_SHARE;
        rec.hasCurrent = r.nextDouble() >= ABSENT_SHARE;
        rec.hasTemperature = r.nextDouble() >= ABSENT_SHARE;
        rec.hasStatus = r.nextDouble() >= ABSENT_SHARE;
        rec.ts += shiftMs;
        return rec;
    }
}
