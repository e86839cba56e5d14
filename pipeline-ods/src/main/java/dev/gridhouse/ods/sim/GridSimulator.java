package dev.gridhouse.ods.sim;

import dev.gridhouse.contract.grid.Device;
import dev.gridhouse.contract.grid.GridLine;
import dev.gridhouse.contract.grid.Substation;
import java.io.Serializable;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.SplittableRandom;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.connector.source.util.ratelimit.RateLimiterStrategy;
import org.apache.flink.connector.datagen.source.DataGeneratorSource;
import org.apache.flink.connector.datagen.source.GeneratorFunction;

/**
 * A deterministic simulated power grid: the device dimension and topology (contract §1.1, §1.2) and
 * an endless stream of telemetry JSON lines (contract §1.3), including a configurable share of bad
 * records.
 *
 * <p>Everything is a pure function of the {@link SimulatorConfig}: the same seed gives the same
 * devices, substations, lines and telemetry. Telemetry record {@code i} depends only on (seed,
 * {@code i}) — each record draws from its own {@link SplittableRandom} — so any index can be
 * generated independently, in any order and in parallel.
 *
 * <p>Telemetry shape: record {@code i} belongs to device {@code i % deviceCount} and has event time
 * {@link #eventTime(long)}. Load devices (all but generators) draw {@code capacity × loadFactor ×
 * (1 + noise)}, where the load factor follows a daily curve (UTC) with a morning and an evening
 * peak, phase and amplitude varying by region; generators produce a comparable total. Voltage stays
 * within ±2 % of the rated voltage and frequency near 50 Hz (σ ≈ 0.03 Hz, never beyond ±0.15 Hz),
 * except for rare frequency excursions (0.5 % of records, |Δf| 0.21 … 0.8 Hz), overloads (0.3 % of
 * load-device records, 1.02 … 1.45 × capacity), voltage deviations (0.2 %, 11 … 30 %),
 * over-temperatures (0.2 %, 91 … 130 °C) and fault codes (0.1 %, 100 … 199). Each optional field is
 * absent from 5 % of records.
 *
 * <p>Injected bad records (shares from the config, see {@link #recordKind(long)}): malformed lines
 * (truncated JSON, garbage, a string where a number belongs, a fractional {@code ts}, a missing or
 * null required field), out-of-range values (e.g. frequency 70 Hz, negative voltage, {@code ts} in
 * 1990), exact repeats of the previous line and telemetry from unknown devices ({@code X%06d}).
 *
 * <pre>{@code
 * GridSimulator sim = new GridSimulator(SimulatorConfig.builder()
 *         .startTimeMs(System.currentTimeMillis())
 *         .build());
 * List<Device> devices = sim.devices();
 * DataStream<String> telemetry = env
 *         .fromSource(sim.telemetrySource(), WatermarkStrategy.noWatermarks(), "Simulator")
 *         .setParallelism(1);
 * }</pre>
 */
public final class GridSimulator implements Serializable {
    private static final long serialVersionUID = 1L;

    /** What a telemetry record is meant to be. */
    public enum RecordKind {
        /** Valid per contract §1.3, from a known device. */
        VALID,
        /**
         * Not a valid record: not JSON or not an object (MALFORMED), a missing or null required
         * field (MISSING_FIELD), or a wrong JSON type (INVALID_TYPE).
         */
        MALFORMED,
        /** Well-formed, but one value is outside the contract's range. */
        OUT_OF_RANGE,
        /** Exactly the previous record's line (same device_id and ts); that one is valid. */
        DUPLICATE,
        /** Otherwise valid, but the device_id ({@code X%06d}) is not in the dimension. */
        UNKNOWN_DEVICE
    }

    // ------------------------------------------------------------------ grid constants

    private static final String[] TYPES = {"GENERATOR", "TRANSFORMER", "FEEDER", "BREAKER"};
    private static final int GENERATOR = 0;

    /** Cumulative probabilities of GENERATOR, TRANSFORMER, FEEDER (BREAKER takes the rest). */
    private static final double[] TYPE_CUMULATIVE = {0.10, 0.40, 0.80};

    /** Capacity range (MW) per type at a 35 kV substation; scaled by {@link #LEVEL_SCALE}. */
    private static final double[] CAP_MIN = {40, 5, 2, 3};

    private static final double[] CAP_MAX = {120, 20, 8, 12};
    private static final double[] TYPE_SHARE = {0.10, 0.30, 0.40, 0.20};

    private static final double[] VOLTAGE_LEVELS_KV = {10, 35, 110, 220};
    private static final double[] LEVEL_CUMULATIVE = {0.40, 0.70, 0.90};
    private static final double[] LEVEL_SCALE = {0.2, 1, 4, 10};

    private static final String IN_SERVICE = "IN_SERVICE";
    private static final String MAINTENANCE = "MAINTENANCE";
    private static final String OUT_OF_SERVICE = "OUT_OF_SERVICE";
    private static final int ST_IN_SERVICE = 0;
    private static final int ST_MAINTENANCE = 1;
    private static final int ST_OUT_OF_SERVICE = 2;

    private static final double MAINTENANCE_SHARE = 0.02;
    private static final double OUT_OF_SERVICE_SHARE = 0.01;
    private static final double OPEN_LINE_SHARE = 0.10;

    /** Per-device load multiplier range; mean {@value #MEAN_LOAD_MULT}. */
    private static final double LOAD_MULT_MIN = 0.7;

    private static final double LOAD_MULT_MAX = 1.1;
    private static final double MEAN_LOAD_MULT = 0.9;

    /**
     * Generators run at {@code loadFactor × GEN_SCALE} of capacity, so the expected regional
     * generation equals the expected regional load given the type mix and capacity ranges.
     */
    private static final double GEN_SCALE;

    static {
        double load = 0;
        for (int t = 1; t < TYPES.length; t++) {
            load += TYPE_SHARE[t] * (CAP_MIN[t] + CAP_MAX[t]) / 2;
        }
        double gen = TYPE_SHARE[GENERATOR] * (CAP_MIN[GENERATOR] + CAP_MAX[GENERATOR]) / 2;
        GEN_SCALE = MEAN_LOAD_MULT * load / gen;
    }

    // ------------------------------------------------------------------ telemetry constants

    static final double FREQ_EXCURSION_SHARE = 0.005;
    static final double OVERLOAD_SHARE = 0.003;
    static final double VOLTAGE_DEVIATION_SHARE = 0.002;
    static final double OVER_TEMPERATURE_SHARE = 0.002;
    static final double FAULT_SHARE = 0.001;
    static final double ABSENT_SHARE = 0.05;

    private static final long DAY_MS = 86_400_000L;
    private static final long YEAR_MS = 365 * DAY_MS;
    private static final long TS_1990 = 631_152_000_000L;
    private static final long FREQ_DRIFT_PERIOD_MS = 780_000L;
    private static final double SQRT3 = Math.sqrt(3);

    private static final long SALT_SUBSTATION = 0x5b5c_1e0f_a3d2_4b71L;
    private static final long SALT_DEVICE = 0x2f6a_9c3e_81d4_57b9L;
    private static final long SALT_LINES = 0x7c1d_3e5f_9a2b_4c6dL;
    private static final long SALT_REGION = 0x1a3b_5c7d_9e0f_2143L;
    private static final long SALT_RECORD = 0x6e5d_4c3b_2a19_0817L;

    private static final String[] GARBAGE = {
        "not json at all",
        "<telemetry device=\"D000001\"/>",
        "[1,2,3]",
        "null",
        "{\"device_id\" \"D000001\"}",
        "#!@%^&*()",
        "device_id=D000001;ts=now"
    };

    // Field numbers of a telemetry record, in output order.
    private static final int F_DEVICE_ID = 0;
    private static final int F_TS = 1;
    private static final int F_POWER = 2;
    private static final int F_VOLTAGE = 3;
    private static final int F_FREQUENCY = 4;
    private static final int F_REACTIVE = 5;
    private static final int F_CURRENT = 6;
    private static final int F_TEMPERATURE = 7;
    private static final int F_STATUS = 8;
    private static final int FIELD_COUNT = 9;
    private static final int REQUIRED_FIELDS = 5;
    private static final String[] KEYS = {
        "\"device_id\":",
        "\"ts\":",
        "\"active_power_mw\":",
        "\"voltage_kv\":",
        "\"frequency_hz\":",
        "\"reactive_power_mvar\":",
        "\"current_a\":",
        "\"temperature_c\":",
        "\"status_code\":"
    };

    private static final int ALTER_NONE = 0;
    private static final int ALTER_OMIT = 1;
    private static final int ALTER_NULL = 2;
    private static final int ALTER_STRING = 3;
    private static final int ALTER_FRACTIONAL = 4;

    // ------------------------------------------------------------------ state

    private final SimulatorConfig config;
    private final String[] regions;
    private final int deviceCount;
    private final int devicesPerSubstation;
    private final int substationCount;
    private final long seed;
    private final long recordSeed;
    private final double malformedEnd;
    private final double outOfRangeEnd;
    private final double duplicateEnd;
    private final double unknownEnd;
    private final double[] regionPhaseH;
    private final double[] regionAmplitude;
    private final double[] regionFreqPhase;

    /** A simulator of the grid described by {@code config}. */
    public GridSimulator(SimulatorConfig config) {
        this.config = Objects.requireNonNull(config, "config must not be null");
        this.regions = config.regions().toArray(new String[0]);
        this.deviceCount = config.deviceCount();
        this.devicesPerSubstation = config.devicesPerSubstation();
        this.substationCount = config.substationCount();
        this.seed = config.seed();
        this.recordSeed = mix64(seed ^ SALT_RECORD);
        this.malformedEnd = config.malformedShare();
        this.outOfRangeEnd = malformedEnd + config.outOfRangeShare();
        this.duplicateEnd = outOfRangeEnd + config.duplicateShare();
        this.unknownEnd = duplicateEnd + config.unknownDeviceShare();
        this.regionPhaseH = new double[regions.length];
        this.regionAmplitude = new double[regions.length];
        this.regionFreqPhase = new double[regions.length];
        for (int g = 0; g < regions.length; g++) {
            SplittableRandom r = rng(SALT_REGION, g);
            regionPhaseH[g] = r.nextDouble(-1.0, 1.0);
            regionAmplitude[g] = r.nextDouble(0.85, 1.15);
            regionFreqPhase[g] = r.nextDouble(0, 2 * Math.PI);
        }
    }

    /** The configuration this simulator was built from. */
    public SimulatorConfig config() {
        return config;
    }

    // ------------------------------------------------------------------ dimension and topology

    /**
     * Substation {@code index} ({@code S%05d}): region {@code regions[index % regionCount]},
     * voltage level 10/35/110/220 kV, capacity = the nameplate sum of its load devices (about 1.8 ×
     * their typical load).
     */
    public Substation substation(int index) {
        checkIndex(index, substationCount, "substation");
        int level = substationLevel(index);
        String region = regions[index % regions.length];
        String id = substationId(index);
        return new Substation(
                id,
                region + " " + (int) VOLTAGE_LEVELS_KV[level] + "kV " + id,
                region,
                VOLTAGE_LEVELS_KV[level],
                substationCapacity(index, level));
    }

    /** All {@link SimulatorConfig#substationCount()} substations, in id order. */
    public List<Substation> substations() {
        List<Substation> out = new ArrayList<>(substationCount);
        for (int s = 0; s < substationCount; s++) {
            out.add(substation(s));
        }
        return out;
    }

    /**
     * Device {@code index} ({@code D%06d}) of substation {@code index / devicesPerSubstation},
     * computed without building the others. Type mix ~10 % GENERATOR, 30 % TRANSFORMER, 40 %
     * FEEDER, 20 % BREAKER; status ~2 % MAINTENANCE, ~1 % OUT_OF_SERVICE; rated voltage = the
     * substation's level; {@code updatedAt} = {@link SimulatorConfig#startTimeMs()}.
     */
    public Device device(int index) {
        checkIndex(index, deviceCount, "device");
        DeviceSpec d = deviceSpec(index);
        String substationId = substationId(d.substation);
        return new Device(
                pad('D', index, 6),
                substationId
                        + "/"
                        + TYPES[d.type]
                        + "-"
                        + (index - d.substation * devicesPerSubstation),
                TYPES[d.type],
                substationId,
                regions[d.region],
                d.capacityMw,
                d.ratedVoltageKv,
                d.status == ST_IN_SERVICE
                        ? IN_SERVICE
                        : d.status == ST_MAINTENANCE ? MAINTENANCE : OUT_OF_SERVICE,
                config.startTimeMs());
    }

    /** All {@link SimulatorConfig#deviceCount()} devices, in id order. */
    public List<Device> devices() {
        List<Device> out = new ArrayList<>(deviceCount);
        for (int i = 0; i < deviceCount; i++) {
            out.add(device(i));
        }
        return out;
    }

    /**
     * The lines ({@code L%06d}): a ring through the substations of each region (one line for a
     * region of two, none for one), then a few random ties between each region and the next. About
     * 10 % are OPEN; capacity is 30 … 60 % of the smaller endpoint's capacity.
     */
    public List<GridLine> lines() {
        double[] capacity = new double[substationCount];
        for (int s = 0; s < substationCount; s++) {
            capacity[s] = substationCapacity(s, substationLevel(s));
        }
        SplittableRandom r = rng(SALT_LINES, 0);
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

    private int substationLevel(int s) {
        double u = rng(SALT_SUBSTATION, s).nextDouble();
        int level = 0;
        while (level < LEVEL_CUMULATIVE.length && u >= LEVEL_CUMULATIVE[level]) {
            level++;
        }
        return level;
    }

    private double substationCapacity(int s, int level) {
        int from = s * devicesPerSubstation;
        int to = (int) Math.min(deviceCount, (long) from + devicesPerSubstation);
        double sum = 0;
        for (int i = from; i < to; i++) {
            DeviceSpec d = deviceSpec(i);
            if (d.type != GENERATOR) {
                sum += d.capacityMw;
            }
        }
        return round(Math.max(sum, 10 * LEVEL_SCALE[level]), 1);
    }

    /** The attributes of a device that telemetry needs, without building strings. */
    private static final class DeviceSpec {
        int substation;
        int region;
        int type;
        int status;
        double capacityMw;
        double ratedVoltageKv;
        double loadMult;
    }

    private DeviceSpec deviceSpec(int i) {
        DeviceSpec d = new DeviceSpec();
        d.substation = i / devicesPerSubstation;
        d.region = d.substation % regions.length;
        int level = substationLevel(d.substation);
        d.ratedVoltageKv = VOLTAGE_LEVELS_KV[level];
        SplittableRandom r = rng(SALT_DEVICE, i);
        double u = r.nextDouble();
        int type = 0;
        while (type < TYPE_CUMULATIVE.length && u >= TYPE_CUMULATIVE[type]) {
            type++;
        }
        d.type = type;
        d.capacityMw =
                Math.max(
                        0.1,
                        round(r.nextDouble(CAP_MIN[type], CAP_MAX[type]) * LEVEL_SCALE[level], 2));
        double s = r.nextDouble();
        d.status =
                s < OUT_OF_SERVICE_SHARE
                        ? ST_OUT_OF_SERVICE
                        : s < OUT_OF_SERVICE_SHARE + MAINTENANCE_SHARE
                                ? ST_MAINTENANCE
                                : ST_IN_SERVICE;
        d.loadMult = r.nextDouble(LOAD_MULT_MIN, LOAD_MULT_MAX);
        return d;
    }

    // ------------------------------------------------------------------ telemetry

    /**
     * Event time of record {@code index}: {@code startTimeMs + index × 1000 / recordsPerSecond}
     * (integer division), so event time advances at the configured rate.
     */
    public long eventTime(long index) {
        checkRecordIndex(index);
        return eventTime(config.startTimeMs(), config.recordsPerSecond(), index);
    }

    static long eventTime(long startTimeMs, long recordsPerSecond, long index) {
        // Split to avoid overflowing index * 1000.
        return startTimeMs
                + (index / recordsPerSecond) * 1000
                + (index % recordsPerSecond) * 1000 / recordsPerSecond;
    }

    /**
     * The expected load factor (share of capacity, about 0.3 … 0.75) of load devices in region
     * {@code regionIndex} at {@code ts}: a base load plus morning, midday and evening peaks (UTC),
     * shifted by up to ±1 h and scaled by ±15 % per region.
     */
    public double loadFactor(int regionIndex, long ts) {
        checkIndex(regionIndex, regions.length, "region");
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

    /** What record {@code index} is meant to be; deterministic for (seed, index). */
    public RecordKind recordKind(long index) {
        checkRecordIndex(index);
        RecordKind kind = drawnKind(recordRng(index).nextDouble());
        if (kind == RecordKind.DUPLICATE && !duplicatesPrevious(index)) {
            return RecordKind.VALID;
        }
        return kind;
    }

    /**
     * The JSON line of telemetry record {@code index} (no line terminator); deterministic for
     * (seed, index), independent of every other record.
     */
    public String telemetryJson(long index) {
        return telemetryJson(index, 0L);
    }

    /**
     * As {@link #telemetryJson(long)} with the event time moved by {@code shiftMs} (the values are
     * those of the unshifted record's time of day).
     */
    public String telemetryJson(long index, long shiftMs) {
        checkRecordIndex(index);
        SplittableRandom r = recordRng(index);
        RecordKind kind = drawnKind(r.nextDouble());
        switch (kind) {
            case MALFORMED:
                return malformed(validRecord(index, r, shiftMs), r);
            case OUT_OF_RANGE:
                return toJson(outOfRange(validRecord(index, r, shiftMs), r), -1, ALTER_NONE);
            case DUPLICATE:
                if (duplicatesPrevious(index)) {
                    SplittableRandom previous = recordRng(index - 1);
                    previous.nextDouble(); // its kind
                    return toJson(validRecord(index - 1, previous, shiftMs), -1, ALTER_NONE);
                }
                return toJson(validRecord(index, r, shiftMs), -1, ALTER_NONE);
            case UNKNOWN_DEVICE:
                {
                    Rec rec = validRecord(index, r, shiftMs);
                    rec.deviceId = pad('X', rec.deviceIndex, 6);
                    return toJson(rec, -1, ALTER_NONE);
                }
            default:
                return toJson(validRecord(index, r, shiftMs), -1, ALTER_NONE);
        }
    }

    /** A duplicate repeats the previous line only if that one is valid, otherwise it is valid. */
    private boolean duplicatesPrevious(long index) {
        return index > 0 && drawnKind(recordRng(index - 1).nextDouble()) == RecordKind.VALID;
    }

    private RecordKind drawnKind(double u) {
        if (u < malformedEnd) {
            return RecordKind.MALFORMED;
        }
        if (u < outOfRangeEnd) {
            return RecordKind.OUT_OF_RANGE;
        }
        if (u < duplicateEnd) {
            return RecordKind.DUPLICATE;
        }
        if (u < unknownEnd) {
            return RecordKind.UNKNOWN_DEVICE;
        }
        return RecordKind.VALID;
    }

    /**
     * A FLIP-27 source of {@link #telemetryJson(long)} for indexes {@code 0 … recordCount - 1},
     * rate-limited to {@link SimulatorConfig#recordsPerSecond()} in total.
     *
     * <p>Run it with parallelism 1 when unbounded: {@link DataGeneratorSource} splits the index
     * range evenly across subtasks, and event time is derived from the index, so a second subtask
     * would start about {@code Long.MAX_VALUE / 2} records — far beyond the year 2100 — in the
     * future. When bounded, any parallelism works (each subtask emits its slice of the range in
     * index order). The source always reports itself as bounded, so an unbounded one must run in
     * STREAMING mode (the default), not BATCH or AUTOMATIC. After a restore from a checkpoint, it
     * continues from the checkpointed index and regenerates identical lines.
     */
    public DataGeneratorSource<String> telemetrySource() {
        return new DataGeneratorSource<>(
                new TelemetryGenerator(this),
                config.recordCount(),
                RateLimiterStrategy.perSecond(config.recordsPerSecond()),
                Types.STRING);
    }

    private static final class TelemetryGenerator implements GeneratorFunction<Long, String> {
        private static final long serialVersionUID = 1L;
        private final GridSimulator simulator;

        TelemetryGenerator(GridSimulator simulator) {
            this.simulator = simulator;
        }

        @Override
        public String map(Long index) {
            return simulator.telemetryJson(index);
        }
    }

    /**
     * Like {@link #telemetrySource()}, but event times follow the wall clock of the running job:
     * the first record a reader emits (also after a restore) is stamped with the current time and
     * the following ones advance at the configured rate, as a device stamping its readings would,
     * never later than the wall clock when they are generated (a duplicate keeps its original's
     * time). Measured latencies (event → alarm → decision) then exclude the job's start-up time,
     * which {@code startTimeMs} taken at job construction would count.
     */
    public DataGeneratorSource<String> liveTelemetrySource() {
        return new DataGeneratorSource<>(
                new LiveTelemetryGenerator(this),
                config.recordCount(),
                RateLimiterStrategy.perSecond(config.recordsPerSecond()),
                Types.STRING);
    }

    private static final class LiveTelemetryGenerator implements GeneratorFunction<Long, String> {
        private static final long serialVersionUID = 1L;
        private final GridSimulator simulator;
        private transient Long shiftMs;

        LiveTelemetryGenerator(GridSimulator simulator) {
            this.simulator = simulator;
        }

        @Override
        public String map(Long index) {
            // never stamp a record later than the wall clock: the rate limiter lets the source
            // run ahead of its nominal pace in bursts, so the shift only ever decreases
            long behind = System.currentTimeMillis() - simulator.eventTime(index);
            if (shiftMs == null || behind < shiftMs) {
                shiftMs = behind;
            }
            return simulator.telemetryJson(index, shiftMs);
        }
    }

    /** One telemetry record's values before formatting. */
    private static final class Rec {
        int deviceIndex;
        String deviceId;
        long ts;
        double powerMw;
        double voltageKv;
        double frequencyHz;
        double reactiveMvar;
        double currentA;
        double temperatureC;
        int statusCode;
        boolean hasReactive;
        boolean hasCurrent;
        boolean hasTemperature;
        boolean hasStatus;
    }

    private Rec validRecord(long index, SplittableRandom r, long shiftMs) {
        Rec rec = new Rec();
        rec.ts = eventTime(config.startTimeMs(), config.recordsPerSecond(), index);
        rec.deviceIndex = (int) (index % deviceCount);
        rec.deviceId = pad('D', rec.deviceIndex, 6);
        DeviceSpec d = deviceSpec(rec.deviceIndex);
        double cap = d.capacityMw;
        double lf = loadFactor(d.region, rec.ts);

        double p;
        if (d.type == GENERATOR) {
            double f = clamp(lf * GEN_SCALE * (1 + 0.05 * gaussian(r)), 0.05, 0.98);
            p = d.status == ST_IN_SERVICE ? cap * f : 0.0;
        } else {
            double f = clamp(lf * d.loadMult * (1 + 0.05 * gaussian(r)), 0.02, 0.98);
            p = d.status == ST_OUT_OF_SERVICE ? 0.0 : cap * f;
            if (d.status == ST_MAINTENANCE) {
                p *= 0.1;
            }
            if (r.nextDouble() < OVERLOAD_SHARE && d.status != ST_OUT_OF_SERVICE) {
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

    private static Rec outOfRange(Rec rec, SplittableRandom r) {
        switch (r.nextInt(8)) {
            case 0:
                rec.frequencyHz = r.nextBoolean() ? 70.0 : 0.0;
                break;
            case 1:
                rec.voltageKv = round(-rec.voltageKv * r.nextDouble(0.5, 1.0) - 0.1, 3);
                break;
            case 2:
                rec.ts = TS_1990 + Math.floorMod(rec.ts, YEAR_MS);
                break;
            case 3:
                rec.ts = SimulatorConfig.MAX_TS_EXCLUSIVE + Math.floorMod(rec.ts, YEAR_MS);
                break;
            case 4:
                rec.powerMw = round((r.nextBoolean() ? 1 : -1) * r.nextDouble(5_001, 20_000), 3);
                break;
            case 5:
                rec.temperatureC = round(r.nextDouble(260, 500), 1);
                rec.hasTemperature = true;
                break;
            case 6:
                rec.currentA = round(-r.nextDouble(1, 100), 1);
                rec.hasCurrent = true;
                break;
            default:
                rec.reactiveMvar = round(r.nextDouble(5_001, 9_000), 3);
                rec.hasReactive = true;
                break;
        }
        return rec;
    }

    private static String malformed(Rec rec, SplittableRandom r) {
        switch (r.nextInt(6)) {
            case 0:
                {
                    String json = toJson(rec, -1, ALTER_NONE);
                    return json.substring(0, 1 + r.nextInt(json.length() - 2));
                }
            case 1:
                return GARBAGE[r.nextInt(GARBAGE.length)];
            case 2:
                return toJson(rec, r.nextInt(1, REQUIRED_FIELDS), ALTER_STRING);
            case 3:
                return toJson(rec, r.nextInt(REQUIRED_FIELDS), ALTER_OMIT);
            case 4:
                return toJson(rec, r.nextInt(REQUIRED_FIELDS), ALTER_NULL);
            default:
                return toJson(rec, F_TS, ALTER_FRACTIONAL);
        }
    }

    private static String toJson(Rec rec, int alteredField, int alteration) {
        StringBuilder sb = new StringBuilder(224);
        sb.append('{');
        boolean first = true;
        for (int f = 0; f < FIELD_COUNT; f++) {
            if (!present(rec, f) || (f == alteredField && alteration == ALTER_OMIT)) {
                continue;
            }
            if (!first) {
                sb.append(',');
            }
            first = false;
            sb.append(KEYS[f]);
            if (f != alteredField) {
                appendValue(sb, rec, f);
            } else if (alteration == ALTER_NULL) {
                sb.append("null");
            } else if (alteration == ALTER_FRACTIONAL) {
                sb.append(rec.ts).append(".5");
            } else {
                appendString(sb, rec, f);
            }
        }
        return sb.append('}').toString();
    }

    private static boolean present(Rec rec, int f) {
        switch (f) {
            case F_REACTIVE:
                return rec.hasReactive;
            case F_CURRENT:
                return rec.hasCurrent;
            case F_TEMPERATURE:
                return rec.hasTemperature;
            case F_STATUS:
                return rec.hasStatus;
            default:
                return true;
        }
    }

    private static void appendValue(StringBuilder sb, Rec rec, int f) {
        switch (f) {
            case F_DEVICE_ID:
                sb.append('"').append(rec.deviceId).append('"');
                break;
            case F_TS:
                sb.append(rec.ts);
                break;
            case F_POWER:
                appendDecimal(sb, rec.powerMw, 3);
                break;
            case F_VOLTAGE:
                appendDecimal(sb, rec.voltageKv, 3);
                break;
            case F_FREQUENCY:
                appendDecimal(sb, rec.frequencyHz, 3);
                break;
            case F_REACTIVE:
                appendDecimal(sb, rec.reactiveMvar, 3);
                break;
            case F_CURRENT:
                appendDecimal(sb, rec.currentA, 1);
                break;
            case F_TEMPERATURE:
                appendDecimal(sb, rec.temperatureC, 1);
                break;
            default:
                sb.append(rec.statusCode);
                break;
        }
    }

    /** A required number written as a JSON string that no lenient parser reads as a number. */
    private static void appendString(StringBuilder sb, Rec rec, int f) {
        sb.append('"');
        switch (f) {
            case F_TS:
                sb.append(Instant.ofEpochMilli(rec.ts));
                break;
            case F_POWER:
                appendDecimal(sb, rec.powerMw, 3);
                sb.append(" MW");
                break;
            case F_VOLTAGE:
                appendDecimal(sb, rec.voltageKv, 3);
                sb.append(" kV");
                break;
            default:
                appendDecimal(sb, rec.frequencyHz, 3);
                sb.append(" Hz");
                break;
        }
        sb.append('"');
    }

    /** Appends {@code value} rounded to {@code decimals} (1 … 3) places, e.g. {@code 50.01}. */
    private static void appendDecimal(StringBuilder sb, double value, int decimals) {
        long scale = decimals == 1 ? 10 : decimals == 2 ? 100 : 1000;
        long m = Math.round(value * scale);
        if (m < 0) {
            sb.append('-');
            m = -m;
        }
        sb.append(m / scale).append('.');
        long frac = m % scale;
        if (frac == 0) {
            sb.append('0');
            return;
        }
        int digits = decimals;
        while (frac % 10 == 0) {
            frac /= 10;
            digits--;
        }
        for (long p = pow10(digits - 1); p > frac; p /= 10) {
            sb.append('0');
        }
        sb.append(frac);
    }

    private static long pow10(int n) {
        long p = 1;
        for (int i = 0; i < n; i++) {
            p *= 10;
        }
        return p;
    }

    // ------------------------------------------------------------------ helpers

    private SplittableRandom rng(long salt, long index) {
        return new SplittableRandom(mix64(mix64(seed ^ salt) + index * 0x9E37_79B9_7F4A_7C15L));
    }

    private SplittableRandom recordRng(long index) {
        return new SplittableRandom(mix64(recordSeed + index * 0x9E37_79B9_7F4A_7C15L));
    }

    /** Stafford's mix13 finaliser, as in {@link SplittableRandom}. */
    private static long mix64(long z) {
        z = (z ^ (z >>> 30)) * 0xbf58_476d_1ce4_e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d0_49bb_1331_11ebL;
        return z ^ (z >>> 31);
    }

    private static double gaussian(SplittableRandom r) {
        double u1 = 1.0 - r.nextDouble();
        double u2 = r.nextDouble();
        return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
    }

    private static double clamp(double v, double min, double max) {
        return v < min ? min : v > max ? max : v;
    }

    private static double round(double v, int decimals) {
        double scale = decimals == 1 ? 10 : decimals == 2 ? 100 : 1000;
        return Math.round(v * scale) / scale;
    }

    private static String substationId(int s) {
        return pad('S', s, 5);
    }

    private static String pad(char prefix, int n, int width) {
        String digits = Integer.toString(n);
        StringBuilder sb = new StringBuilder(width + 1).append(prefix);
        for (int i = digits.length(); i < width; i++) {
            sb.append('0');
        }
        return sb.append(digits).toString();
    }

    private static void checkIndex(int index, int size, String what) {
        if (index < 0 || index >= size) {
            throw new IndexOutOfBoundsException(
                    what + " index must be in [0, " + size + "), got " + index);
        }
    }

    private static void checkRecordIndex(long index) {
        if (index < 0) {
            throw new IllegalArgumentException("record index must be >= 0, got " + index);
        }
    }
}
