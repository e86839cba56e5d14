package dev.gridhouse.ods.sim;

import dev.gridhouse.contract.grid.TelemetryContract;
import java.io.Serializable;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Settings of the {@link GridSimulator}: size of the grid, telemetry rate, seed, event time origin
 * and the shares of deliberately bad records. Immutable; build one with {@link #builder()}.
 *
 * <pre>{@code
 * SimulatorConfig config = SimulatorConfig.builder()
 *         .deviceCount(500_000)
 *         .regionCount(3)
 *         .recordsPerSecond(20_000)
 *         .startTimeMs(System.currentTimeMillis())
 *         .build();
 * }</pre>
 */
public final class SimulatorConfig implements Serializable {
    private static final long serialVersionUID = 1L;

    /** The regions used by default, in order; {@link Builder#regionCount(int)} takes a prefix. */
    public static final List<String> DEFAULT_REGIONS =
            List.of("NORTH", "EAST", "SOUTH", "CENTRAL", "NORTHWEST", "NORTHEAST", "SOUTHWEST");

    /** Largest device count: device ids are {@code D%06d}. */
    public static final int MAX_DEVICES = 999_999;

    /** Largest substation count: substation ids are {@code S%05d}. */
    public static final int MAX_SUBSTATIONS = 99_999;

    /** 2026-01-01T00:00:00Z, the builder's default {@link #startTimeMs()}. */
    public static final long DEFAULT_START_TIME_MS =
            Instant.parse("2026-01-01T00:00:00Z").toEpochMilli();

    /** Smallest valid telemetry {@code ts} (2000-01-01, inclusive), contract §1.3. */
    static final long MIN_TS = TelemetryContract.MIN_TS;

    /** Upper bound of valid telemetry {@code ts} (2100-01-01, exclusive), contract §1.3. */
    static final long MAX_TS_EXCLUSIVE = TelemetryContract.MAX_TS;

    private final int deviceCount;
    private final List<String> regions;
    private final long recordsPerSecond;
    private final long seed;
    private final long startTimeMs;
    private final long recordCount;
    private final double malformedShare;
    private final double outOfRangeShare;
    private final double duplicateShare;
    private final double unknownDeviceShare;
    private final int devicesPerSubstation;

    private SimulatorConfig(Builder b) {
        this.deviceCount = b.deviceCount;
        this.regions = List.copyOf(b.regions);
        this.recordsPerSecond = b.recordsPerSecond;
        this.seed = b.seed;
        this.startTimeMs = b.startTimeMs;
        this.recordCount = b.recordCount;
        this.malformedShare = b.malformedShare;
        this.outOfRangeShare = b.outOfRangeShare;
        this.duplicateShare = b.duplicateShare;
        this.unknownDeviceShare = b.unknownDeviceShare;
        this.devicesPerSubstation = b.devicesPerSubstation;
    }

    /** A builder holding the defaults. */
    public static Builder builder() {
        return new Builder();
    }

    /** The default configuration (10,000 devices, 7 regions, 2,000 records/s, seed 42). */
    public static SimulatorConfig defaults() {
        return builder().build();
    }

    /** A builder initialised with this configuration's values. */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.deviceCount = deviceCount;
        b.regions = new ArrayList<>(regions);
        b.recordsPerSecond = recordsPerSecond;
        b.seed = seed;
        b.startTimeMs = startTimeMs;
        b.recordCount = recordCount;
        b.malformedShare = malformedShare;
        b.outOfRangeShare = outOfRangeShare;
        b.duplicateShare = duplicateShare;
        b.unknownDeviceShare = unknownDeviceShare;
        b.devicesPerSubstation = devicesPerSubstation;
        return b;
    }

    /** Number of devices in the dimension, ids {@code D000000 … D(n-1)}. */
    public int deviceCount() {
        return deviceCount;
    }

    /** Region names, in order; substations are assigned to them round-robin. */
    public List<String> regions() {
        return regions;
    }

    /** Telemetry records per second, both the source's rate limit and the event-time spacing. */
    public long recordsPerSecond() {
        return recordsPerSecond;
    }

    /** Seed of every random choice; the same seed gives the same grid and telemetry. */
    public long seed() {
        return seed;
    }

    /** Event time ({@code ts}, epoch ms) of record 0. */
    public long startTimeMs() {
        return startTimeMs;
    }

    /** Number of telemetry records the source emits; {@link Long#MAX_VALUE} means unbounded. */
    public long recordCount() {
        return recordCount;
    }

    /** True unless {@link #recordCount()} is {@link Long#MAX_VALUE}. */
    public boolean isBounded() {
        return recordCount != Long.MAX_VALUE;
    }

    /** Share of records that are malformed (not JSON, truncated, wrong type, missing field). */
    public double malformedShare() {
        return malformedShare;
    }

    /** Share of records with a value outside the contract's ranges. */
    public double outOfRangeShare() {
        return outOfRangeShare;
    }

    /** Share of records that repeat the previous record's line exactly. */
    public double duplicateShare() {
        return duplicateShare;
    }

    /** Share of records whose {@code device_id} ({@code X%06d}) is not in the dimension. */
    public double unknownDeviceShare() {
        return unknownDeviceShare;
    }

    /** Devices per substation; device {@code i} belongs to substation {@code i / n}. */
    public int devicesPerSubstation() {
        return devicesPerSubstation;
    }

    /** Number of substations: {@code ceil(deviceCount / devicesPerSubstation)}. */
    public int substationCount() {
        return (int) ((deviceCount + (long) devicesPerSubstation - 1) / devicesPerSubstation);
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof SimulatorConfig)) {
            return false;
        }
        SimulatorConfig c = (SimulatorConfig) o;
        return deviceCount == c.deviceCount
                && recordsPerSecond == c.recordsPerSecond
                && seed == c.seed
                && startTimeMs == c.startTimeMs
                && recordCount == c.recordCount
                && Double.compare(malformedShare, c.malformedShare) == 0
                && Double.compare(outOfRangeShare, c.outOfRangeShare) == 0
                && Double.compare(duplicateShare, c.duplicateShare) == 0
                && Double.compare(unknownDeviceShare, c.unknownDeviceShare) == 0
                && devicesPerSubstation == c.devicesPerSubstation
                && regions.equals(c.regions);
    }

    @Override
    public int hashCode() {
        return Objects.hash(deviceCount, regions, recordsPerSecond, seed, startTimeMs, recordCount);
    }

    @Override
    public String toString() {
        return "SimulatorConfig{deviceCount="
                + deviceCount
                + ", regions="
                + regions
                + ", recordsPerSecond="
                + recordsPerSecond
                + ", seed="
                + seed
                + ", startTimeMs="
                + startTimeMs
                + ", recordCount="
                + (isBounded() ? String.valueOf(recordCount) : "unbounded")
                + ", malformedShare="
                + malformedShare
                + ", outOfRangeShare="
                + outOfRangeShare
                + ", duplicateShare="
                + duplicateShare
                + ", unknownDeviceShare="
                + unknownDeviceShare
                + ", devicesPerSubstation="
                + devicesPerSubstation
                + '}';
    }

    /** Builder of {@link SimulatorConfig}; {@link #build()} checks every setting. */
    public static final class Builder {
        private int deviceCount = 10_000;
        private List<String> regions = new ArrayList<>(DEFAULT_REGIONS);
        private long recordsPerSecond = 2_000;
        private long seed = 42;
        private long startTimeMs = DEFAULT_START_TIME_MS;
        private long recordCount = Long.MAX_VALUE;
        private double malformedShare = 0.001;
        private double outOfRangeShare = 0.001;
        private double duplicateShare = 0.001;
        private double unknownDeviceShare = 0.0005;
        private int devicesPerSubstation = 40;

        private Builder() {}

        /** Number of devices, 1 … 999,999 (default 10,000). */
        public Builder deviceCount(int deviceCount) {
            this.deviceCount = deviceCount;
            return this;
        }

        /** Region names: non-blank, distinct (default the seven {@link #DEFAULT_REGIONS}). */
        public Builder regions(List<String> regions) {
            Objects.requireNonNull(regions, "regions must not be null");
            this.regions = new ArrayList<>(regions);
            return this;
        }

        /** Region names: non-blank, distinct. */
        public Builder regions(String... regions) {
            Objects.requireNonNull(regions, "regions must not be null");
            return regions(Arrays.asList(regions));
        }

        /** Uses the first {@code count} (1 … 7) of {@link #DEFAULT_REGIONS}. */
        public Builder regionCount(int count) {
            if (count < 1 || count > DEFAULT_REGIONS.size()) {
                throw new IllegalArgumentException(
                        "regionCount must be between 1 and "
                                + DEFAULT_REGIONS.size()
                                + " (it takes the first N of "
                                + DEFAULT_REGIONS
                                + "), got "
                                + count
                                + "; pass regions(...) for other names");
            }
            this.regions = new ArrayList<>(DEFAULT_REGIONS.subList(0, count));
            return this;
        }

        /** Records per second, > 0 (default 2,000). */
        public Builder recordsPerSecond(long recordsPerSecond) {
            this.recordsPerSecond = recordsPerSecond;
            return this;
        }

        /** Random seed (default 42). */
        public Builder seed(long seed) {
            this.seed = seed;
            return this;
        }

        /**
         * Event time of record 0, epoch ms (default 2026-01-01T00:00:00Z). A live run should pass
         * the current time.
         */
        public Builder startTimeMs(long startTimeMs) {
            this.startTimeMs = startTimeMs;
            return this;
        }

        /** Number of records, > 0; {@link Long#MAX_VALUE} (the default) means unbounded. */
        public Builder recordCount(long recordCount) {
            this.recordCount = recordCount;
            return this;
        }

        /** Share of malformed records, 0 … 1 (default 0.001). */
        public Builder malformedShare(double share) {
            this.malformedShare = share;
            return this;
        }

        /** Share of out-of-range records, 0 … 1 (default 0.001). */
        public Builder outOfRangeShare(double share) {
            this.outOfRangeShare = share;
            return this;
        }

        /** Share of duplicated records, 0 … 1 (default 0.001). */
        public Builder duplicateShare(double share) {
            this.duplicateShare = share;
            return this;
        }

        /** Share of records from unknown devices, 0 … 1 (default 0.0005). */
        public Builder unknownDeviceShare(double share) {
            this.unknownDeviceShare = share;
            return this;
        }

        /** Sets all four bad-record shares to 0: every record is valid. */
        public Builder noBadRecords() {
            this.malformedShare = 0;
            this.outOfRangeShare = 0;
            this.duplicateShare = 0;
            this.unknownDeviceShare = 0;
            return this;
        }

        /** Devices per substation, ≥ 1 (default 40). */
        public Builder devicesPerSubstation(int devicesPerSubstation) {
            this.devicesPerSubstation = devicesPerSubstation;
            return this;
        }

        /**
         * Checks every setting and builds the configuration.
         *
         * @throws IllegalArgumentException naming the setting to fix
         */
        public SimulatorConfig build() {
            validate();
            return new SimulatorConfig(this);
        }

        private void validate() {
            if (deviceCount < 1 || deviceCount > MAX_DEVICES) {
                throw new IllegalArgumentException(
                        "deviceCount must be between 1 and "
                                + MAX_DEVICES
                                + " (device ids are D%06d), got "
                                + deviceCount);
            }
            if (devicesPerSubstation < 1) {
                throw new IllegalArgumentException(
                        "devicesPerSubstation must be at least 1, got " + devicesPerSubstation);
            }
            long substations =
                    (deviceCount + (long) devicesPerSubstation - 1) / devicesPerSubstation;
            if (substations > MAX_SUBSTATIONS) {
                throw new IllegalArgumentException(
                        "deviceCount "
                                + deviceCount
                                + " with devicesPerSubstation "
                                + devicesPerSubstation
                                + " needs "
                                + substations
                                + " substations, more than "
                                + MAX_SUBSTATIONS
                                + " (ids are S%05d); raise devicesPerSubstation");
            }
            if (regions.isEmpty()) {
                throw new IllegalArgumentException(
                        "regions must name at least one region, e.g. " + DEFAULT_REGIONS);
            }
            Set<String> seen = new HashSet<>();
            for (String region : regions) {
                if (region == null || region.isBlank()) {
                    throw new IllegalArgumentException(
                            "regions must not contain null or blank names, got " + regions);
                }
                if (!seen.add(region)) {
                    throw new IllegalArgumentException(
                            "regions must be distinct, '"
                                    + region
                                    + "' appears twice in "
                                    + regions);
                }
            }
            if (recordsPerSecond <= 0) {
                throw new IllegalArgumentException(
                        "recordsPerSecond must be > 0, got " + recordsPerSecond);
            }
            if (recordsPerSecond > deviceCount * 1000L) {
                throw new IllegalArgumentException(
                        "recordsPerSecond ("
                                + recordsPerSecond
                                + ") must be at most deviceCount × 1000 ("
                                + deviceCount * 1000L
                                + "), otherwise a device gets two records in the same millisecond"
                                + " (same device_id and ts, i.e. a duplicate); raise deviceCount or"
                                + " lower recordsPerSecond");
            }
            if (recordCount < 1) {
                throw new IllegalArgumentException(
                        "recordCount must be > 0 (Long.MAX_VALUE for unbounded), got "
                                + recordCount);
            }
            if (startTimeMs < MIN_TS || startTimeMs >= MAX_TS_EXCLUSIVE) {
                throw new IllegalArgumentException(
                        "startTimeMs must be an epoch-ms instant in [2000-01-01, 2100-01-01)"
                                + " (the valid range of telemetry ts), got "
                                + startTimeMs);
            }
            if (recordCount != Long.MAX_VALUE) {
                double lastTs = startTimeMs + (recordCount - 1) * 1000.0 / recordsPerSecond;
                if (lastTs >= MAX_TS_EXCLUSIVE) {
                    throw new IllegalArgumentException(
                            "the last record's ts would reach 2100-01-01 (recordCount "
                                    + recordCount
                                    + " at "
                                    + recordsPerSecond
                                    + " records/s from startTimeMs "
                                    + startTimeMs
                                    + "); lower recordCount or startTimeMs, or raise"
                                    + " recordsPerSecond");
                }
            }
            checkShare("malformedShare", malformedShare);
            checkShare("outOfRangeShare", outOfRangeShare);
            checkShare("duplicateShare", duplicateShare);
            checkShare("unknownDeviceShare", unknownDeviceShare);
            double sum = malformedShare + outOfRangeShare + duplicateShare + unknownDeviceShare;
            if (sum > 1.0) {
                throw new IllegalArgumentException(
                        "malformedShare + outOfRangeShare + duplicateShare + unknownDeviceShare"
                                + " must be at most 1, got "
                                + sum);
            }
        }

        private static void checkShare(String name, double share) {
            if (!(share >= 0.0 && share <= 1.0)) {
                throw new IllegalArgumentException(
                        name + " must be a fraction between 0 and 1, got " + share);
            }
        }
    }
}
