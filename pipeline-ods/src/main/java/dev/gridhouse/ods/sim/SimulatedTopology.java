package dev.gridhouse.ods.sim;

import static dev.gridhouse.ods.sim.SimRandom.checkIndex;
import static dev.gridhouse.ods.sim.SimRandom.pad;
import static dev.gridhouse.ods.sim.SimRandom.round;

import dev.gridhouse.contract.grid.Device;
import dev.gridhouse.contract.grid.GridLine;
import dev.gridhouse.contract.grid.Substation;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The simulated grid's dimension and topology (contract §1.1, §1.2): regions, substations, devices
 * and lines, each a pure function of the seed and its index.
 */
final class SimulatedTopology implements Serializable {
    private static final long serialVersionUID = 1L;

    /** Device types, their share of devices and capacity range (MW) at a 35 kV substation. */
    enum DeviceType {
        GENERATOR(0.10, 0.10, 40, 120),
        TRANSFORMER(0.30, 0.40, 5, 20),
        FEEDER(0.40, 0.80, 2, 8),
        BREAKER(0.20, 1.0, 3, 12);

        private static final DeviceType[] VALUES = values();

        /** Share of devices of this type. */
        final double share;

        /** Upper bound of this type's uniform draw (the last type takes the rest). */
        final double cumulative;

        final double capMin;
        final double capMax;

        DeviceType(double share, double cumulative, double capMin, double capMax) {
            this.share = share;
            this.cumulative = cumulative;
            this.capMin = capMin;
            this.capMax = capMax;
        }

        /** The type of a uniform draw {@code u} in [0, 1). */
        static DeviceType draw(double u) {
            int type = 0;
            while (type < VALUES.length - 1 && u >= VALUES[type].cumulative) {
                type++;
            }
            return VALUES[type];
        }
    }

    /** Operating status of a device; the names are the contract's {@code status} values. */
    enum DeviceStatus {
        IN_SERVICE,
        MAINTENANCE,
        OUT_OF_SERVICE
    }

    /** Substation voltage levels, their cumulative draw bound and capacity scale. */
    enum VoltageLevel {
        KV_10(10, 0.40, 0.2),
        KV_35(35, 0.70, 1),
        KV_110(110, 0.90, 4),
        KV_220(220, 1.0, 10);

        private static final VoltageLevel[] VALUES = values();

        final double kv;

        /** Upper bound of this level's uniform draw (the last level takes the rest). */
        final double cumulative;

        /** Capacity multiplier relative to 35 kV. */
        final double scale;

        VoltageLevel(double kv, double cumulative, double scale) {
            this.kv = kv;
            this.cumulative = cumulative;
            this.scale = scale;
        }

        static VoltageLevel draw(double u) {
            int level = 0;
            while (level < VALUES.length - 1 && u >= VALUES[level].cumulative) {
                level++;
            }
            return VALUES[level];
        }
    }

    /** The attributes of a device that telemetry needs, without building strings. */
    static final class DeviceSpec {
        int substation;
        int region;
        DeviceType type;
        DeviceStatus status;
        double capacityMw;
        double ratedVoltageKv;

        /** Per-device load multiplier, {@value #LOAD_MULT_MIN} … {@value #LOAD_MULT_MAX}. */
        double loadMult;
    }

    private static final double MAINTENANCE_SHARE = 0.02;
    private static final double OUT_OF_SERVICE_SHARE = 0.01;
    private static final double OPEN_LINE_SHARE = 0.10;

    /** Per-device load multiplier range; mean {@value #MEAN_LOAD_MULT}. */
    static final double LOAD_MULT_MIN = 0.7;

    static final double LOAD_MULT_MAX = 1.1;
    static final double MEAN_LOAD_MULT = 0.9;

    private static final long SALT_SUBSTATION = 0x5b5c_1e0f_a3d2_4b71L;
    private static final long SALT_DEVICE = 0x2f6a_9c3e_81d4_57b9L;
    private static final long SALT_LINES = 0x7c1d_3e5f_9a2b_4c6dL;

    private final SimRandom random;
    private final String[] regions;
    private final int deviceCount;
    private final int devicesPerSubstation;
    private final int substationCount;
    private final long updatedAt;

    SimulatedTopology(SimulatorConfig config, SimRandom random) {
        this.random = random;
        this.regions = config.regions().toArray(new String[0]);
        this.deviceCount = config.deviceCount();
        this.devicesPerSubstation = config.devicesPerSubstation();
        this.substationCount = config.substationCount();
        this.updatedAt = config.startTimeMs();
    }

    int regionCount() {
        return regions.length;
    }

    int deviceCount() {
        return deviceCount;
    }

    /** The id of device {@code index}: {@code D%06d}. */
    static String deviceId(int index) {
        return pad('D', index, 6);
    }

    /** See {@link GridSimulator#substation(int)}. */
    Substation substation(int index) {
        checkIndex(index, substationCount, "substation");
        VoltageLevel level = substationLevel(index);
        String region = regions[index % regions.length];
        String id = substationId(index);
        return new Substation(
                id,
                region + " " + (int) level.kv + "kV " + id,
                region,
                level.kv,
                substationCapacity(index, level));
    }

    List<Substation> substations() {
        List<Substation> out = new ArrayList<>(substationCount);
        for (int s = 0; s < substationCount; s++) {
            out.add(substation(s));
        }
        return out;
    }

    /** See {@link GridSimulator#device(int)}. */
    Device device(int index) {
        checkIndex(index, deviceCount, "device");
        DeviceSpec d = deviceSpec(index);
        String substationId = substationId(d.substation);
        return new Device(
                deviceId(index),
                substationId
                        + "/"
                        + d.type.name()
                        + "-"
                        + (index - d.substation * devicesPerSubstation),
                d.type.name(),
                substationId,
                regions[d.region],
                d.capacityMw,
                d.ratedVoltageKv,
                d.status.name(),
                updatedAt);
    }

    List<Device> devices() {
        List<Device> out = new ArrayList<>(deviceCount);
        for (int i = 0; i < deviceCount; i++) {
            out.add(device(i));
        }
        return out;
    }

    /** See {@link GridSimulator#lines()}. */
    List<GridLine> lines() {
        double[] capacity = new double[substationCount];
        for (int s = 0; s < substationCount; s++) {
            capacity[s] = substationCapacity(s, substationLevel(s));
        }
        SplittableRandom r = random.rng(SALT_LINES, 0);
        List<GridLine> out = new ArrayList<>();
        int regionCount = regions.length;
        for (int g = 0; g < regionCount; g++) {
            int n = regionSize(g);
            if (n < 2) {
                continue;
            }
            int ringLines = n == 2 ? 1 : n;
            for (int k = 0; k < ringLines; k++) {
                int a = g + k * regionCount;
                int b = g + ((k + 1) % n) * regionCount;
                out.add(line(out.size(), a, b, capacity, r));
            }
        }
        int pairs = regionCount < 2 ? 0 : regionCount == 2 ? 1 : regionCount;
        for (int g = 0; g < pairs; g++) {
            int h = (g + 1) % regionCount;
            int na = regionSize(g);
            int nb = regionSize(h);
            if (na == 0 || nb == 0) {
                continue;
            }
            int ties = 1 + Math.min(na, nb) / 100;
            for (int t = 0; t < ties; t++) {
                int a = g + r.nextInt(na) * regionCount;
                int b = h + r.nextInt(nb) * regionCount;
                out.add(line(out.size(), a, b, capacity, r));
            }
        }
        return out;
    }

    private GridLine line(int number, int a, int b, double[] capacity, SplittableRandom r) {
        double cap =
                Math.max(
                        1.0, round(Math.min(capacity[a], capacity[b]) * r.nextDouble(0.3, 0.6), 1));
        String status = r.nextDouble() < OPEN_LINE_SHARE ? GridLine.OPEN : GridLine.CLOSED;
        return new GridLine(pad('L', number, 6), substationId(a), substationId(b), cap, status);
    }

    private int regionSize(int g) {
        return g >= substationCount
                ? 0
                : (substationCount - g + regions.length - 1) / regions.length;
    }

    private VoltageLevel substationLevel(int s) {
        return VoltageLevel.draw(random.rng(SALT_SUBSTATION, s).nextDouble());
    }

    /** The nameplate sum of the substation's load devices, at least 10 MW × the level's scale. */
    private double substationCapacity(int s, VoltageLevel level) {
        int from = s * devicesPerSubstation;
        int to = (int) Math.min(deviceCount, (long) from + devicesPerSubstation);
        double sum = 0;
        for (int i = from; i < to; i++) {
            DeviceSpec d = deviceSpec(i);
            if (d.type != DeviceType.GENERATOR) {
                sum += d.capacityMw;
            }
        }
        return round(Math.max(sum, 10 * level.scale), 1);
    }

    /** The telemetry-relevant attributes of device {@code i}. */
    DeviceSpec deviceSpec(int i) {
        DeviceSpec d = new DeviceSpec();
        d.substation = i / devicesPerSubstation;
        d.region = d.substation % regions.length;
        VoltageLevel level = substationLevel(d.substation);
        d.ratedVoltageKv = level.kv;
        SplittableRandom r = random.rng(SALT_DEVICE, i);
        DeviceType type = DeviceType.draw(r.nextDouble());
        d.type = type;
        d.capacityMw =
                Math.max(0.1, round(r.nextDouble(type.capMin, type.capMax) * level.scale, 2));
        double s = r.nextDouble();
        d.status =
                s < OUT_OF_SERVICE_SHARE
                        ? DeviceStatus.OUT_OF_SERVICE
                        : s < OUT_OF_SERVICE_SHARE + MAINTENANCE_SHARE
                                ? DeviceStatus.MAINTENANCE
                                : DeviceStatus.IN_SERVICE;
        d.loadMult = r.nextDouble(LOAD_MULT_MIN, LOAD_MULT_MAX);
        return d;
    }

    private static String substationId(int s) {
        return pad('S', s, 5);
    }
}
