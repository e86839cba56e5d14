package dev.gridhouse.ods.parse;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gridhouse.contract.grid.Telemetry;
import dev.gridhouse.contract.grid.TelemetryContract;
import dev.gridhouse.core.model.RejectReason;
import dev.gridhouse.core.model.Rejection;
import java.time.Instant;
import java.util.function.BiConsumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Contract §1.3 ranges and the §2 value checks on typed records. */
class TelemetryContractTest {

    /** A record inside every range, with every optional field set. */
    private static Telemetry valid() {
        Telemetry t = new Telemetry();
        t.deviceId = "D000123";
        t.ts = 1_700_000_000_000L;
        t.activePowerMw = 120.5;
        t.voltageKv = 110.2;
        t.frequencyHz = 49.98;
        t.reactivePowerMvar = -15.25;
        t.currentA = 630.0;
        t.temperatureC = 65.5;
        t.statusCode = 0;
        return t;
    }

    /** Setters of the numeric fields, by contract name. */
    private static BiConsumer<Telemetry, Double> setter(String field) {
        switch (field) {
            case "active_power_mw":
                return (t, v) -> t.activePowerMw = v;
            case "voltage_kv":
                return (t, v) -> t.voltageKv = v;
            case "frequency_hz":
                return (t, v) -> t.frequencyHz = v;
            case "reactive_power_mvar":
                return (t, v) -> t.reactivePowerMvar = v;
            case "current_a":
                return (t, v) -> t.currentA = v;
            case "temperature_c":
                return (t, v) -> t.temperatureC = v;
            default:
                throw new IllegalArgumentException(field);
        }
    }

    @Test
    void constantsAreTheContractBounds() {
        assertThat(TelemetryContract.MIN_TS)
                .isEqualTo(946_684_800_000L)
                .isEqualTo(Instant.parse("2000-01-01T00:00:00Z").toEpochMilli());
        assertThat(TelemetryContract.MAX_TS)
                .isEqualTo(4_102_444_800_000L)
                .isEqualTo(Instant.parse("2100-01-01T00:00:00Z").toEpochMilli());
        assertThat(TelemetryContract.MIN_ACTIVE_POWER_MW).isEqualTo(-5000.0);
        assertThat(TelemetryContract.MAX_ACTIVE_POWER_MW).isEqualTo(5000.0);
        assertThat(TelemetryContract.MIN_VOLTAGE_KV).isEqualTo(0.0);
        assertThat(TelemetryContract.MAX_VOLTAGE_KV).isEqualTo(1200.0);
        assertThat(TelemetryContract.MIN_FREQUENCY_HZ).isEqualTo(45.0);
        assertThat(TelemetryContract.MAX_FREQUENCY_HZ).isEqualTo(55.0);
        assertThat(TelemetryContract.MIN_REACTIVE_POWER_MVAR).isEqualTo(-5000.0);
        assertThat(TelemetryContract.MAX_REACTIVE_POWER_MVAR).isEqualTo(5000.0);
        assertThat(TelemetryContract.MIN_CURRENT_A).isEqualTo(0.0);
        assertThat(TelemetryContract.MAX_CURRENT_A).isEqualTo(100_000.0);
        assertThat(TelemetryContract.MIN_TEMPERATURE_C).isEqualTo(-60.0);
        assertThat(TelemetryContract.MAX_TEMPERATURE_C).isEqualTo(250.0);
    }

    @Test
    void fieldsAreInContractTableOrder() {
        assertThat(TelemetryContract.FIELDS)
                .containsExactly(
                        "device_id",
                        "ts",
                        "active_power_mw",
                        "voltage_kv",
                        "frequency_hz",
                        "reactive_power_mvar",
                        "current_a",
                        "temperature_c",
                        "status_code");
        assertThat(TelemetryContract.REQUIRED_FIELDS)
                .containsExactly(
                        "device_id", "ts", "active_power_mw", "voltage_kv", "frequency_hz");
    }

    @Test
    void validRecordPassesEveryCheck() {
        Telemetry t = valid();
        assertThat(TelemetryContract.firstNonFiniteField(t)).isNull();
        assertThat(TelemetryContract.firstOutOfRangeField(t)).isNull();
        assertThat(TelemetryContract.check(t)).isNull();
    }

    @Test
    void absentOptionalFieldsAreValid() {
        Telemetry t = valid();
        t.reactivePowerMvar = null;
        t.currentA = null;
        t.temperatureC = null;
        t.statusCode = null;
        assertThat(TelemetryContract.check(t)).isNull();
    }

    @Test
    void anyStatusCodeIsValid() {
        for (int code : new int[] {0, 1, -1, Integer.MAX_VALUE, Integer.MIN_VALUE}) {
            Telemetry t = valid();
            t.statusCode = code;
            assertThat(TelemetryContract.check(t)).as("status_code %d", code).isNull();
        }
    }

    static Stream<Arguments> numericFields() {
        return Stream.of(
                Arguments.of("active_power_mw"),
                Arguments.of("voltage_kv"),
                Arguments.of("frequency_hz"),
                Arguments.of("reactive_power_mvar"),
                Arguments.of("current_a"),
                Arguments.of("temperature_c"));
    }

    @ParameterizedTest
    @MethodSource("numericFields")
    void nonFiniteNumberIsInvalidValue(String field) {
        for (double bad :
                new double[] {Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY}) {
            Telemetry t = valid();
            setter(field).accept(t, bad);
            assertThat(TelemetryContract.firstNonFiniteField(t)).as("%s", bad).isEqualTo(field);
            assertThat(TelemetryContract.check(t))
                    .as("%s", bad)
                    .isEqualTo(Rejection.of(RejectReason.INVALID_VALUE, field));
        }
    }

    @Test
    void firstNonFiniteFieldFollowsContractOrder() {
        Telemetry t = valid();
        t.temperatureC = Double.NaN;
        t.currentA = Double.POSITIVE_INFINITY;
        assertThat(TelemetryContract.firstNonFiniteField(t)).isEqualTo("current_a");
        t.frequencyHz = Double.NEGATIVE_INFINITY;
        assertThat(TelemetryContract.firstNonFiniteField(t)).isEqualTo("frequency_hz");
        t.activePowerMw = Double.NaN;
        assertThat(TelemetryContract.firstNonFiniteField(t)).isEqualTo("active_power_mw");
    }

    /** field, value, valid? — the bounds of contract §1.3 and the values just beyond them. */
    static Stream<Arguments> numericBoundaries() {
        return Stream.of(
                Arguments.of("active_power_mw", -5000.0, true),
                Arguments.of("active_power_mw", 5000.0, true),
                Arguments.of("active_power_mw", -5000.000001, false),
                Arguments.of("active_power_mw", 5000.000001, false),
                Arguments.of("voltage_kv", 0.0, true),
                Arguments.of("voltage_kv", -0.0, true),
                Arguments.of("voltage_kv", 1200.0, true),
                Arguments.of("voltage_kv", -0.000001, false),
                Arguments.of("voltage_kv", 1200.000001, false),
                Arguments.of("frequency_hz", 45.0, true),
                Arguments.of("frequency_hz", 55.0, true),
                Arguments.of("frequency_hz", 44.999999, false),
                Arguments.of("frequency_hz", 55.000001, false),
                Arguments.of("reactive_power_mvar", -5000.0, true),
                Arguments.of("reactive_power_mvar", 5000.0, true),
                Arguments.of("reactive_power_mvar", -5000.000001, false),
                Arguments.of("reactive_power_mvar", 5000.000001, false),
                Arguments.of("current_a", 0.0, true),
                Arguments.of("current_a", 100_000.0, true),
                Arguments.of("current_a", -0.000001, false),
                Arguments.of("current_a", 100_000.000001, false),
                Arguments.of("temperature_c", -60.0, true),
                Arguments.of("temperature_c", 250.0, true),
                Arguments.of("temperature_c", -60.000001, false),
                Arguments.of("temperature_c", 250.000001, false));
    }

    @ParameterizedTest(name = "{0} = {1} valid: {2}")
    @MethodSource("numericBoundaries")
    void numericRangesAreInclusive(String field, double value, boolean valid) {
        Telemetry t = valid();
        setter(field).accept(t, value);
        if (valid) {
            assertThat(TelemetryContract.firstOutOfRangeField(t)).isNull();
            assertThat(TelemetryContract.check(t)).isNull();
        } else {
            assertThat(TelemetryContract.firstOutOfRangeField(t)).isEqualTo(field);
            assertThat(TelemetryContract.check(t))
                    .isEqualTo(Rejection.of(RejectReason.OUT_OF_RANGE, field));
        }
    }

    @ParameterizedTest(name = "ts = {0} valid: {1}")
    @MethodSource("tsBoundaries")
    void tsRangeIsHalfOpen(long ts, boolean valid) {
        Telemetry t = valid();
        t.ts = ts;
        assertThat(TelemetryContract.isValidTs(ts)).isEqualTo(valid);
        assertThat(TelemetryContract.check(t))
                .isEqualTo(valid ? null : Rejection.of(RejectReason.OUT_OF_RANGE, "ts"));
    }

    static Stream<Arguments> tsBoundaries() {
        return Stream.of(
                Arguments.of(946_684_800_000L, true),
                Arguments.of(946_684_799_999L, false),
                Arguments.of(4_102_444_799_999L, true),
                Arguments.of(4_102_444_800_000L, false),
                Arguments.of(0L, false),
                Arguments.of(-1L, false),
                Arguments.of(Long.MIN_VALUE, false),
                Arguments.of(Long.MAX_VALUE, false));
    }

    @Test
    void emptyDeviceIdIsOutOfRange() {
        Telemetry t = valid();
        t.deviceId = "";
        assertThat(TelemetryContract.firstOutOfRangeField(t)).isEqualTo("device_id");
        assertThat(TelemetryContract.check(t))
                .isEqualTo(Rejection.of(RejectReason.OUT_OF_RANGE, "device_id"));
        t.deviceId = " ";
        assertThat(TelemetryContract.check(t)).as("non-empty is the only rule").isNull();
    }

    @Test
    void nullDeviceIdIsMissing() {
        Telemetry t = valid();
        t.deviceId = null;
        t.frequencyHz = Double.NaN;
        assertThat(TelemetryContract.check(t))
                .isEqualTo(Rejection.of(RejectReason.MISSING_FIELD, "device_id"));
        assertThat(TelemetryContract.firstOutOfRangeField(t)).isEqualTo("device_id");
    }

    @Test
    void firstOutOfRangeFieldFollowsContractOrder() {
        Telemetry t = valid();
        t.temperatureC = 251.0;
        t.currentA = -1.0;
        assertThat(TelemetryContract.firstOutOfRangeField(t)).isEqualTo("current_a");
        t.reactivePowerMvar = 6000.0;
        assertThat(TelemetryContract.firstOutOfRangeField(t)).isEqualTo("reactive_power_mvar");
        t.frequencyHz = 60.0;
        assertThat(TelemetryContract.firstOutOfRangeField(t)).isEqualTo("frequency_hz");
        t.voltageKv = -1.0;
        assertThat(TelemetryContract.firstOutOfRangeField(t)).isEqualTo("voltage_kv");
        t.activePowerMw = 9999.0;
        assertThat(TelemetryContract.firstOutOfRangeField(t)).isEqualTo("active_power_mw");
        t.ts = 0L;
        assertThat(TelemetryContract.firstOutOfRangeField(t)).isEqualTo("ts");
        t.deviceId = "";
        assertThat(TelemetryContract.firstOutOfRangeField(t)).isEqualTo("device_id");
    }

    @Test
    void nonFiniteValueComesBeforeOutOfRange() {
        Telemetry t = valid();
        t.deviceId = "";
        t.ts = 0L;
        t.voltageKv = 5000.0;
        t.temperatureC = Double.NaN;
        assertThat(TelemetryContract.check(t))
                .isEqualTo(Rejection.of(RejectReason.INVALID_VALUE, "temperature_c"));
    }

    @Test
    void nanFailsRangeCheckWhenCalledAlone() {
        Telemetry t = valid();
        t.frequencyHz = Double.NaN;
        assertThat(TelemetryContract.firstOutOfRangeField(t)).isEqualTo("frequency_hz");
    }

    @Test
    void rejectionIsAValue() {
        assertThat(Rejection.of(RejectReason.OUT_OF_RANGE, "ts"))
                .isEqualTo(Rejection.of(RejectReason.OUT_OF_RANGE, "ts"))
                .hasSameHashCodeAs(Rejection.of(RejectReason.OUT_OF_RANGE, "ts"))
                .isNotEqualTo(Rejection.of(RejectReason.INVALID_TYPE, "ts"))
                .isNotEqualTo(Rejection.of(RejectReason.OUT_OF_RANGE, "device_id"));
        Rejection r = Rejection.of(RejectReason.MISSING_FIELD, "voltage_kv");
        assertThat(r.reason()).isEqualTo(RejectReason.MISSING_FIELD);
        assertThat(r.detail()).isEqualTo("voltage_kv");
    }
}
