package dev.gridhouse.ods.sim;

import dev.gridhouse.contract.grid.Device;
import dev.gridhouse.contract.grid.GridLine;
import dev.gridhouse.contract.grid.Substation;
import java.io.Serializable;
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
 * <p>The work is split by concern: {@link SimulatedTopology} (regions, substations, devices,
 * lines), {@link TelemetryValues} (the values of valid records), {@link FaultInjector} (the bad
 * records) and {@link TelemetryJsonWriter} (the JSON lines); this class ties them together per
 * record index and offers the Flink sources.
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

    private static final long SALT_RECORD = 0x6e5d_4c3b_2a19_0817L;

    private final SimulatorConfig config;
    private final SimulatedTopology topology;
    private final TelemetryValues values;
    private final FaultInjector faults;

    /** {@code SimRandom.base(SALT_RECORD)}: the per-record streams are derived from it. */
    private final long recordBase;

    /** A simulator of the grid described by {@code config}. */
    public GridSimulator(SimulatorConfig config) {
        this.config = Objects.requireNonNull(config, "config must not be null");
        SimRandom random = new SimRandom(config.seed());
        this.topology = new SimulatedTopology(config, random);
        this.values = new TelemetryValues(config, topology, random);
        this.faults = new FaultInjector(config);
        this.recordBase = random.base(SALT_RECORD);
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
        return topology.substation(index);
    }

    /** All {@link SimulatorConfig#substationCount()} substations, in id order. */
    public List<Substation> substations() {
        return topology.substations();
    }

    /**
     * Device {@code index} ({@code D%06d}) of substation {@code index / devicesPerSubstation},
     * computed without building the others. Type mix ~10 % GENERATOR, 30 % TRANSFORMER, 40 %
     * FEEDER, 20 % BREAKER; status ~2 % MAINTENANCE, ~1 % OUT_OF_SERVICE; rated voltage = the
     * substation's level; {@code updatedAt} = {@link SimulatorConfig#startTimeMs()}.
     */
    public Device device(int index) {
        return topology.device(index);
    }

    /** All {@link SimulatorConfig#deviceCount()} devices, in id order. */
    public List<Device> devices() {
        return topology.devices();
    }

    /**
     * The lines ({@code L%06d}): a ring through the substations of each region (one line for a
     * region of two, none for one), then a few random ties between each region and the next. About
     * 10 % are OPEN; capacity is 30 … 60 % of the smaller endpoint's capacity.
     */
    public List<GridLine> lines() {
        return topology.lines();
    }

    // ------------------------------------------------------------------ telemetry

    /**
     * Event time of record {@code index}: {@code startTimeMs + index × 1000 / recordsPerSecond}
     * (integer division), so event time advances at the configured rate.
     */
    public long eventTime(long index) {
        checkRecordIndex(index);
        return values.eventTime(index);
    }

    /**
     * The expected load factor (share of capacity, about 0.3 … 0.75) of load devices in region
     * {@code regionIndex} at {@code ts}: a base load plus morning, midday and evening peaks (UTC),
     * shifted by up to ±1 h and scaled by ±15 % per region.
     */
    public double loadFactor(int regionIndex, long ts) {
        return values.loadFactor(regionIndex, ts);
    }

    /** What record {@code index} is meant to be; deterministic for (seed, index). */
    public RecordKind recordKind(long index) {
        checkRecordIndex(index);
        RecordKind kind = faults.drawnKind(recordRng(index).nextDouble());
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
        RecordKind kind = faults.drawnKind(r.nextDouble());
        switch (kind) {
            case MALFORMED:
                return FaultInjector.malformed(values.validRecord(index, r, shiftMs), r);
            case OUT_OF_RANGE:
                return TelemetryJsonWriter.toJson(
                        FaultInjector.outOfRange(values.validRecord(index, r, shiftMs), r));
            case DUPLICATE:
                if (duplicatesPrevious(index)) {
                    SplittableRandom previous = recordRng(index - 1);
                    previous.nextDouble(); // its kind
                    return TelemetryJsonWriter.toJson(
                            values.validRecord(index - 1, previous, shiftMs));
                }
                return TelemetryJsonWriter.toJson(values.validRecord(index, r, shiftMs));
            case UNKNOWN_DEVICE:
                return TelemetryJsonWriter.toJson(
                        FaultInjector.unknownDevice(values.validRecord(index, r, shiftMs)));
            default:
                return TelemetryJsonWriter.toJson(values.validRecord(index, r, shiftMs));
        }
    }

    /** A duplicate repeats the previous line only if that one is valid, otherwise it is valid. */
    private boolean duplicatesPrevious(long index) {
        return index > 0 && faults.drawnKind(recordRng(index - 1).nextDouble()) == RecordKind.VALID;
    }

    /** The random stream of record {@code index}; its first draw selects the record's kind. */
    private SplittableRandom recordRng(long index) {
        return SimRandom.fromBase(recordBase, index);
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

    private static void checkRecordIndex(long index) {
        if (index < 0) {
            throw new IllegalArgumentException("record index must be >= 0, got " + index);
        }
    }
}
