package dev.gridhouse.ods.parse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gridhouse.contract.grid.Telemetry;
import dev.gridhouse.contract.grid.TelemetryContract;
import dev.gridhouse.core.model.DeadLetter;
import dev.gridhouse.core.model.RejectReason;
import dev.gridhouse.core.model.Rejection;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Contract §1.3 (telemetry JSON lines) and §2 (reasons, their order and details). Expected values
 * come from the contract.
 */
class TelemetryJsonParserTest {
    private static final TelemetryJsonParser PARSER = new TelemetryJsonParser();

    private static final int TEN_MB = 10 * 1024 * 1024;
    private static final String DIGITS_400 = "1" + "0".repeat(399);

    // ---------------------------------------------------------------- helpers

    /** Raw JSON values of a valid record with every field, in contract order. */
    private static LinkedHashMap<String, String> validFields() {
        LinkedHashMap<String, String> m = new LinkedHashMap<>();
        m.put("device_id", "\"D000123\"");
        m.put("ts", "1700000000000");
        m.put("active_power_mw", "120.5");
        m.put("voltage_kv", "110.2");
        m.put("frequency_hz", "49.98");
        m.put("reactive_power_mvar", "-15.25");
        m.put("current_a", "630.0");
        m.put("temperature_c", "65.5");
        m.put("status_code", "0");
        return m;
    }

    /**
     * The valid record with changes: pairs of field name and raw JSON value; a null value removes
     * the field, a new name is appended.
     */
    private static String line(String... changes) {
        LinkedHashMap<String, String> m = validFields();
        for (int i = 0; i < changes.length; i += 2) {
            if (changes[i + 1] == null) {
                m.remove(changes[i]);
            } else {
                m.put(changes[i], changes[i + 1]);
            }
        }
        return json(m);
    }

    private static String json(Map<String, String> fields) {
        return fields.entrySet().stream()
                .map(e -> "\"" + e.getKey() + "\":" + e.getValue())
                .collect(Collectors.joining(",", "{", "}"));
    }

    private static String minimalLine() {
        return "{\"device_id\":\"D1\",\"ts\":946684800000,\"active_power_mw\":0,"
                + "\"voltage_kv\":0,\"frequency_hz\":50}";
    }

    private static String abbreviate(String s) {
        return s.length() <= 200 ? s : s.substring(0, 200) + "…(" + s.length() + " chars)";
    }

    private static Telemetry assertAccepted(String line) {
        ParseResult r = PARSER.parse(line);
        assertThat(r.isAccepted()).as("accepted: %s -> %s", abbreviate(line), r).isTrue();
        assertThat(r.rejection()).isNull();
        assertThat(r.payload()).isSameAs(line);
        assertThat(r.eventTs()).isEqualTo(r.telemetry().ts);
        return r.telemetry();
    }

    private static ParseResult assertRejected(String line, RejectReason reason, String detail) {
        ParseResult r = PARSER.parse(line);
        assertThat(r.isAccepted()).as("rejected: %s", abbreviate(line)).isFalse();
        assertThat(r.reason()).as("reason of %s (%s)", abbreviate(line), r).isEqualTo(reason);
        assertThat(r.detail()).as("detail of %s", abbreviate(line)).isEqualTo(detail);
        assertThat(r.payload()).isSameAs(line);
        return r;
    }

    private static ParseResult assertMalformed(String line) {
        ParseResult r = PARSER.parse(line);
        String what = line == null ? "null" : abbreviate(line);
        assertThat(r.isAccepted()).as("rejected: %s", what).isFalse();
        assertThat(r.reason()).as("reason of %s (%s)", what, r).isEqualTo(RejectReason.MALFORMED);
        assertThat(r.detail())
                .as("detail of %s", what)
                .isNotBlank()
                .hasSizeLessThanOrEqualTo(TelemetryJsonParser.MAX_DETAIL_LENGTH)
                .doesNotContain("\n", "\r", "\t", "\u0000");
        assertThat(r.payload()).isSameAs(line);
        assertThat(r.eventTs()).isNull();
        return r;
    }

    // ---------------------------------------------------------------- accepted records

    @Test
    void fullRecordIsAccepted() {
        String line = line();
        Telemetry t = assertAccepted(line);
        assertThat(t.deviceId).isEqualTo("D000123");
        assertThat(t.ts).isEqualTo(1_700_000_000_000L);
        assertThat(t.activePowerMw).isEqualTo(120.5);
        assertThat(t.voltageKv).isEqualTo(110.2);
        assertThat(t.frequencyHz).isEqualTo(49.98);
        assertThat(t.reactivePowerMvar).isEqualTo(-15.25);
        assertThat(t.currentA).isEqualTo(630.0);
        assertThat(t.temperatureC).isEqualTo(65.5);
        assertThat(t.statusCode).isEqualTo(0);
        assertThat(t.ingestTime).as("set by the caller").isZero();
        assertThat(PARSER.parse(line).eventTs()).isEqualTo(1_700_000_000_000L);
    }

    @Test
    void minimalRecordIsAccepted() {
        Telemetry t = assertAccepted(minimalLine());
        assertThat(t.deviceId).isEqualTo("D1");
        assertThat(t.ts).isEqualTo(946_684_800_000L);
        assertThat(t.activePowerMw).isEqualTo(0.0);
        assertThat(t.voltageKv).isEqualTo(0.0);
        assertThat(t.frequencyHz).isEqualTo(50.0);
        assertThat(t.reactivePowerMvar).isNull();
        assertThat(t.currentA).isNull();
        assertThat(t.temperatureC).isNull();
        assertThat(t.statusCode).isNull();
    }

    @Test
    void nullOptionalFieldsAreAbsent() {
        Telemetry t =
                assertAccepted(
                        line(
                                "reactive_power_mvar", "null",
                                "current_a", "null",
                                "temperature_c", "null",
                                "status_code", "null"));
        assertThat(t.reactivePowerMvar).isNull();
        assertThat(t.currentA).isNull();
        assertThat(t.temperatureC).isNull();
        assertThat(t.statusCode).isNull();
    }

    @Test
    void fieldOrderAndWhitespaceDoNotMatter() {
        String line =
                " \t{ \"status_code\" : 7 ,\n \"frequency_hz\":50.01, \"voltage_kv\" :230,"
                        + "\"ts\":1700000000001,\"active_power_mw\":-3.5,\"device_id\":\"X\" }\r\n";
        Telemetry t = assertAccepted(line);
        assertThat(t.deviceId).isEqualTo("X");
        assertThat(t.ts).isEqualTo(1_700_000_000_001L);
        assertThat(t.activePowerMw).isEqualTo(-3.5);
        assertThat(t.voltageKv).isEqualTo(230.0);
        assertThat(t.frequencyHz).isEqualTo(50.01);
        assertThat(t.statusCode).isEqualTo(7);
        assertThat(t.isFault()).isTrue();
    }

    @Test
    void unknownFieldsAreIgnored() {
        Telemetry t =
                assertAccepted(
                        line(
                                "firmware", "\"1.2.3\"",
                                "meta",
                                        "{\"ts\":\"not a number\",\"device_id\":5,"
                                                + "\"deep\":[{\"frequency_hz\":[]}]}",
                                "tags", "[1,\"two\",{\"voltage_kv\":-1},[null,true]]",
                                "flag", "true",
                                "nothing", "null",
                                "big", DIGITS_400,
                                "Device_Id", "42"));
        assertThat(t.deviceId).as("nested known names are not the fields").isEqualTo("D000123");
        assertThat(t.ts).isEqualTo(1_700_000_000_000L);
        assertThat(t.voltageKv).isEqualTo(110.2);
        assertThat(t.frequencyHz).isEqualTo(49.98);
    }

    @Test
    void lastDuplicateKeyWins() {
        String line =
                "{\"device_id\":\"A\",\"ts\":\"x\",\"device_id\":\"B\",\"ts\":1700000000000,"
                        + "\"active_power_mw\":1,\"voltage_kv\":1,\"frequency_hz\":44,"
                        + "\"frequency_hz\":50}";
        Telemetry t = assertAccepted(line);
        assertThat(t.deviceId).isEqualTo("B");
        assertThat(t.frequencyHz).isEqualTo(50.0);
        String laterNull =
                "{\"device_id\":\"A\",\"ts\":1700000000000,\"active_power_mw\":1,"
                        + "\"voltage_kv\":1,\"frequency_hz\":50,\"voltage_kv\":null}";
        assertRejected(laterNull, RejectReason.MISSING_FIELD, "voltage_kv");
    }

    @ParameterizedTest
    @ValueSource(strings = {"1.7e12", "1.7E12", "1.7e+12", "1700000000000.0", "17000000000000e-1"})
    void integralFloatTsIsAnInteger(String ts) {
        assertThat(assertAccepted(line("ts", ts)).ts).isEqualTo(1_700_000_000_000L);
    }

    @Test
    void integralFloatStatusCodeIsAnInteger() {
        assertThat(assertAccepted(line("status_code", "1.0")).statusCode).isEqualTo(1);
        assertThat(assertAccepted(line("status_code", "2e0")).statusCode).isEqualTo(2);
        assertThat(assertAccepted(line("status_code", "-0.0")).statusCode).isEqualTo(0);
    }

    @Test
    void numbersMayBeIntegersOrExponents() {
        Telemetry t =
                assertAccepted(
                        line(
                                "active_power_mw", "-5e3",
                                "voltage_kv", "1.2E3",
                                "frequency_hz", "50",
                                "current_a", "1e5"));
        assertThat(t.activePowerMw).isEqualTo(-5000.0);
        assertThat(t.voltageKv).isEqualTo(1200.0);
        assertThat(t.frequencyHz).isEqualTo(50.0);
        assertThat(t.currentA).isEqualTo(100_000.0);
    }

    /**
     * Regression guard: in jackson-core 2.17/2.18 a number left half-read by {@code
     * getNumberType()} leaks into the next integer token's {@code getDoubleValue()}
     * (jackson-databind#4917). Integer fields read as float tokens or long integers must not change
     * the integer-valued numbers after them.
     */
    @Test
    void numberValuesDoNotLeakIntoLaterFields() {
        for (String ts : new String[] {"1.7e12", "1700000000000.0", "17e11"}) {
            Telemetry t =
                    assertAccepted(line("ts", ts, "active_power_mw", "6", "voltage_kv", "230"));
            assertThat(t.activePowerMw).isEqualTo(6.0);
            assertThat(t.voltageKv).isEqualTo(230.0);
        }
        String statusFirst =
                "{\"status_code\":2.0,\"ts\":1.7e12,\"device_id\":\"D\",\"active_power_mw\":6,"
                        + "\"voltage_kv\":230,\"frequency_hz\":50,\"current_a\":100}";
        Telemetry t = assertAccepted(statusFirst);
        assertThat(t.statusCode).isEqualTo(2);
        assertThat(t.activePowerMw).isEqualTo(6.0);
        assertThat(t.voltageKv).isEqualTo(230.0);
        assertThat(t.frequencyHz).isEqualTo(50.0);
        assertThat(t.currentA).isEqualTo(100.0);
        String bigFirst =
                "{\"status_code\":"
                        + DIGITS_400
                        + ",\"ts\":"
                        + DIGITS_400
                        + ",\"device_id\":\"D\",\"active_power_mw\":6,"
                        + "\"voltage_kv\":230,\"frequency_hz\":50}";
        assertRejected(bigFirst, RejectReason.OUT_OF_RANGE, "ts");
        String bigStatusFirst =
                "{\"status_code\":9223372036854775808,\"ts\":1700000000000,\"device_id\":\"D\","
                        + "\"active_power_mw\":6,\"voltage_kv\":230,\"frequency_hz\":50}";
        assertRejected(bigStatusFirst, RejectReason.OUT_OF_RANGE, "status_code");
    }

    @Test
    void deviceIdIsTakenAsIs() {
        assertThat(assertAccepted(line("device_id", "\" \"")).deviceId).isEqualTo(" ");
        assertThat(assertAccepted(line("device_id", "\"D\\u00e9\\\"1\"")).deviceId)
                .isEqualTo("Dé\"1");
        assertThat(assertAccepted(line("device_id", "\"設備-1\"")).deviceId).isEqualTo("設備-1");
    }

    // ---------------------------------------------------------------- MISSING_FIELD

    static Stream<String> requiredFields() {
        return TelemetryContract.REQUIRED_FIELDS.stream();
    }

    static Stream<String> optionalFields() {
        return Stream.of("reactive_power_mvar", "current_a", "temperature_c", "status_code");
    }

    @ParameterizedTest
    @MethodSource("requiredFields")
    void absentRequiredFieldIsMissing(String field) {
        assertRejected(line(field, null), RejectReason.MISSING_FIELD, field);
    }

    @ParameterizedTest
    @MethodSource("requiredFields")
    void nullRequiredFieldIsMissing(String field) {
        assertRejected(line(field, "null"), RejectReason.MISSING_FIELD, field);
    }

    @ParameterizedTest
    @MethodSource("optionalFields")
    void absentOptionalFieldIsValid(String field) {
        assertAccepted(line(field, null));
    }

    @Test
    void emptyObjectMissesDeviceId() {
        assertRejected("{}", RejectReason.MISSING_FIELD, "device_id");
    }

    @Test
    void missingFieldsAreReportedInContractOrder() {
        assertRejected(
                line("frequency_hz", null, "voltage_kv", null),
                RejectReason.MISSING_FIELD,
                "voltage_kv");
        assertRejected(line("frequency_hz", null, "ts", null), RejectReason.MISSING_FIELD, "ts");
    }

    // ---------------------------------------------------------------- INVALID_TYPE

    /** field, raw JSON value of the wrong type. */
    static Stream<Arguments> wrongTypes() {
        List<Arguments> args = new ArrayList<>();
        for (String bad : new String[] {"123", "1.5", "true", "false", "{}", "[]", "[\"D1\"]"}) {
            args.add(Arguments.of("device_id", bad));
        }
        for (String field : TelemetryContract.FIELDS) {
            if (field.equals("device_id")) {
                continue;
            }
            for (String bad :
                    new String[] {
                        "\"1\"", "\"\"", "\"NaN\"", "true", "false", "{}", "{\"v\":1}", "[]", "[1]"
                    }) {
                args.add(Arguments.of(field, bad));
            }
        }
        for (String fractional : new String[] {"1.5", "1700000000000.5", "1.7000000000001e12"}) {
            args.add(Arguments.of("ts", fractional));
        }
        for (String fractional : new String[] {"0.5", "-1.25", "1e-1"}) {
            args.add(Arguments.of("status_code", fractional));
        }
        return args.stream();
    }

    @ParameterizedTest(name = "{0} = {1}")
    @MethodSource("wrongTypes")
    void wrongJsonTypeIsInvalidType(String field, String raw) {
        ParseResult r = assertRejected(line(field, raw), RejectReason.INVALID_TYPE, field);
        assertThat(r.eventTs()).isEqualTo(field.equals("ts") ? null : 1_700_000_000_000L);
    }

    @Test
    void invalidTypesAreReportedInContractOrder() {
        assertRejected(
                line("status_code", "\"0\"", "device_id", "7"),
                RejectReason.INVALID_TYPE,
                "device_id");
        assertRejected(
                line("temperature_c", "true", "current_a", "[]"),
                RejectReason.INVALID_TYPE,
                "current_a");
    }

    // ---------------------------------------------------------------- INVALID_VALUE

    static Stream<Arguments> nonFiniteNumbers() {
        List<Arguments> args = new ArrayList<>();
        for (String field :
                new String[] {
                    "active_power_mw",
                    "voltage_kv",
                    "frequency_hz",
                    "reactive_power_mvar",
                    "current_a",
                    "temperature_c"
                }) {
            for (String raw :
                    new String[] {"1e400", "-1e400", "1.5E+309", DIGITS_400, "-" + DIGITS_400}) {
                args.add(Arguments.of(field, raw));
            }
        }
        return args.stream();
    }

    @ParameterizedTest(name = "{0} = {1}")
    @MethodSource("nonFiniteNumbers")
    void numberBeyondDoubleIsInvalidValue(String field, String raw) {
        ParseResult r = assertRejected(line(field, raw), RejectReason.INVALID_VALUE, field);
        assertThat(r.eventTs()).isEqualTo(1_700_000_000_000L);
    }

    @Test
    void numberWith400DigitsIsInvalidValue() {
        assertRejected(
                line("active_power_mw", DIGITS_400), RejectReason.INVALID_VALUE, "active_power_mw");
    }

    @Test
    void tinyNumberUnderflowsToZeroAndIsValid() {
        assertThat(assertAccepted(line("active_power_mw", "1e-400")).activePowerMw).isZero();
    }

    @ParameterizedTest
    @ValueSource(strings = {"NaN", "-NaN", "Infinity", "-Infinity", "+Infinity", "inf"})
    void nonStandardNumberTokensAreNotJson(String token) {
        assertMalformed(line("active_power_mw", token));
    }

    // ---------------------------------------------------------------- OUT_OF_RANGE

    /** field, raw JSON value, valid? — the bounds of contract §1.3 and values just beyond. */
    static Stream<Arguments> boundaries() {
        return Stream.of(
                Arguments.of("ts", "946684800000", true),
                Arguments.of("ts", "946684799999", false),
                Arguments.of("ts", "4102444799999", true),
                Arguments.of("ts", "4102444800000", false),
                Arguments.of("ts", "0", false),
                Arguments.of("ts", "-1", false),
                Arguments.of("ts", "9223372036854775807", false),
                Arguments.of("ts", "-9223372036854775808", false),
                Arguments.of("active_power_mw", "-5000", true),
                Arguments.of("active_power_mw", "5000", true),
                Arguments.of("active_power_mw", "-5000.0", true),
                Arguments.of("active_power_mw", "5000.0", true),
                Arguments.of("active_power_mw", "-5000.000001", false),
                Arguments.of("active_power_mw", "5000.000001", false),
                Arguments.of("voltage_kv", "0", true),
                Arguments.of("voltage_kv", "-0.0", true),
                Arguments.of("voltage_kv", "1200", true),
                Arguments.of("voltage_kv", "-0.000001", false),
                Arguments.of("voltage_kv", "1200.000001", false),
                Arguments.of("frequency_hz", "45.0", true),
                Arguments.of("frequency_hz", "55.0", true),
                Arguments.of("frequency_hz", "44.999999", false),
                Arguments.of("frequency_hz", "55.000001", false),
                Arguments.of("reactive_power_mvar", "-5000", true),
                Arguments.of("reactive_power_mvar", "5000", true),
                Arguments.of("reactive_power_mvar", "-5000.000001", false),
                Arguments.of("reactive_power_mvar", "5000.000001", false),
                Arguments.of("current_a", "0", true),
                Arguments.of("current_a", "100000", true),
                Arguments.of("current_a", "-0.000001", false),
                Arguments.of("current_a", "100000.000001", false),
                Arguments.of("temperature_c", "-60", true),
                Arguments.of("temperature_c", "250", true),
                Arguments.of("temperature_c", "-60.000001", false),
                Arguments.of("temperature_c", "250.000001", false),
                Arguments.of("status_code", "0", true),
                Arguments.of("status_code", "-1", true),
                Arguments.of("status_code", "2147483647", true),
                Arguments.of("status_code", "-2147483648", true),
                Arguments.of("status_code", "2147483648", false),
                Arguments.of("status_code", "-2147483649", false),
                Arguments.of("status_code", "9223372036854775808", false),
                Arguments.of("status_code", DIGITS_400, false),
                Arguments.of("status_code", "1e10", false),
                Arguments.of("device_id", "\"\"", false));
    }

    @ParameterizedTest(name = "{0} = {1} valid: {2}")
    @MethodSource("boundaries")
    void rangesAreChecked(String field, String raw, boolean valid) {
        String line = line(field, raw);
        if (valid) {
            assertAccepted(line);
        } else {
            assertRejected(line, RejectReason.OUT_OF_RANGE, field);
        }
    }

    @Test
    void tsBoundsAreExact() {
        assertThat(assertAccepted(line("ts", "946684800000")).ts).isEqualTo(946_684_800_000L);
        assertThat(assertAccepted(line("ts", "4102444799999")).ts).isEqualTo(4_102_444_799_999L);
    }

    @Test
    void statusCodeBoundsAreExact() {
        assertThat(assertAccepted(line("status_code", "2147483647")).statusCode)
                .isEqualTo(Integer.MAX_VALUE);
        assertThat(assertAccepted(line("status_code", "-2147483648")).statusCode)
                .isEqualTo(Integer.MIN_VALUE);
    }

    static Stream<String> tsBeyondLong() {
        return Stream.of(
                "9223372036854775808",
                "-9223372036854775809",
                DIGITS_400,
                "-" + DIGITS_400,
                "1e30",
                "-1.5e30",
                "1e400",
                "1e9999999999",
                "1.5e2147483647",
                "100e2147483647",
                "0.1e2147483647000");
    }

    @ParameterizedTest
    @MethodSource("tsBeyondLong")
    void tsBeyondLongIsOutOfRange(String ts) {
        ParseResult r = assertRejected(line("ts", ts), RejectReason.OUT_OF_RANGE, "ts");
        assertThat(r.eventTs()).as("not readable as a long").isNull();
    }

    @Test
    void tsWithHugeExponentIsClassifiedExactly() {
        assertRejected(line("ts", "1e-9999999999"), RejectReason.INVALID_TYPE, "ts");
        assertRejected(line("ts", "5e-2147483647"), RejectReason.INVALID_TYPE, "ts");
        assertRejected(line("ts", "0.1e-2147483647000"), RejectReason.INVALID_TYPE, "ts");
        // zero is an integer, just below the range
        assertRejected(line("ts", "0e9999999999"), RejectReason.OUT_OF_RANGE, "ts");
        assertRejected(line("ts", "0.0e-9999999999"), RejectReason.OUT_OF_RANGE, "ts");
        assertRejected(
                line("status_code", "1e-9999999999"), RejectReason.INVALID_TYPE, "status_code");
        assertThat(assertAccepted(line("status_code", "0e-9999999999")).statusCode).isZero();
    }

    @Test
    void outOfRangeFieldsAreReportedInContractOrder() {
        assertRejected(
                line("temperature_c", "300", "frequency_hz", "60"),
                RejectReason.OUT_OF_RANGE,
                "frequency_hz");
        assertRejected(line("frequency_hz", "60", "ts", "0"), RejectReason.OUT_OF_RANGE, "ts");
        assertRejected(
                line("ts", "0", "device_id", "\"\""), RejectReason.OUT_OF_RANGE, "device_id");
        assertRejected(
                line("ts", DIGITS_400, "device_id", "\"\""),
                RejectReason.OUT_OF_RANGE,
                "device_id");
        assertRejected(
                line("ts", DIGITS_400, "active_power_mw", "6000"), RejectReason.OUT_OF_RANGE, "ts");
        assertRejected(
                line("status_code", "2147483648", "temperature_c", "-61"),
                RejectReason.OUT_OF_RANGE,
                "temperature_c");
    }

    // ---------------------------------------------------------------- check order across reasons

    @Test
    void missingFieldComesBeforeInvalidType() {
        assertRejected(
                line("device_id", null, "ts", "\"1700000000000\""),
                RejectReason.MISSING_FIELD,
                "device_id");
        assertRejected(
                line("device_id", "1", "frequency_hz", null),
                RejectReason.MISSING_FIELD,
                "frequency_hz");
    }

    @Test
    void invalidTypeComesBeforeInvalidValueAndOutOfRange() {
        assertRejected(
                line("ts", "\"1700000000000\"", "frequency_hz", "60"),
                RejectReason.INVALID_TYPE,
                "ts");
        assertRejected(
                line("active_power_mw", "1e400", "status_code", "true"),
                RejectReason.INVALID_TYPE,
                "status_code");
        assertRejected(line("device_id", "\"\"", "ts", "1.5"), RejectReason.INVALID_TYPE, "ts");
    }

    @Test
    void invalidValueComesBeforeOutOfRange() {
        assertRejected(
                line("active_power_mw", "1e400", "voltage_kv", "5000"),
                RejectReason.INVALID_VALUE,
                "active_power_mw");
        assertRejected(
                line("voltage_kv", "5000", "temperature_c", "-1e400"),
                RejectReason.INVALID_VALUE,
                "temperature_c");
        assertRejected(
                line("device_id", "\"\"", "ts", "0", "current_a", DIGITS_400),
                RejectReason.INVALID_VALUE,
                "current_a");
    }

    @Test
    void malformedComesBeforeEverything() {
        assertMalformed("{\"device_id\":7,\"ts\":\"x\",\"active_power_mw\":1e400,} ");
        assertMalformed(line("frequency_hz", null) + " x");
        assertMalformed(line() + line());
    }

    // ---------------------------------------------------------------- MALFORMED / hostile input

    @Test
    void nullEmptyAndBlankLinesAreMalformed() {
        assertMalformed(null);
        assertMalformed("");
        assertMalformed(" ");
        assertMalformed(" \t \r\n ");
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "[]",
                "[{}]",
                "\"x\"",
                "123",
                "-1.5",
                "true",
                "null",
                "{",
                "}",
                "{\"device_id\"",
                "{\"device_id\":",
                "{\"device_id\":\"D1",
                "{} {}",
                "{}{}",
                "{}]",
                "{} x",
                "{},",
                "{\"a\":1,}",
                "{,}",
                "{'device_id':'D1'}",
                "{device_id:\"D1\"}",
                "{\"a\":01}",
                "{\"a\":1.}",
                "{\"a\":.5}",
                "{\"a\":+1}",
                "{\"a\":0x10}",
                "{\"a\":\"\t\"}",
                "{\"a\":\"\\x\"}",
                "{\"a\":1 /* comment */}",
                "// comment",
                "{\"a\":[1,2}",
                "{\"a\":{]}",
                "not json",
                "\u0000",
                "\uFFFF{}",
                "\uFEFF{}",
                "\uD800{}"
            })
    void notExactlyOneJsonObjectIsMalformed(String line) {
        assertMalformed(line);
    }

    @Test
    void malformedDetailIsTheParserMessage() {
        assertThat(assertMalformed("[]").detail()).contains("JSON object");
        assertThat(assertMalformed("{} {}").detail()).contains("trailing");
        assertThat(assertMalformed("{\"a\":NaN}").detail()).contains("NaN");
        assertThat(assertMalformed("{").detail()).contains("end-of-input");
        assertThat(assertMalformed("{\"a\":1} x").detail()).doesNotContain("Source:");
    }

    @Test
    void numberLongerThanTheLimitIsMalformed() {
        String digits = "1" + "0".repeat(TelemetryJsonParser.MAX_NUMBER_LENGTH);
        assertMalformed(line("active_power_mw", digits));
        assertMalformed(line("unknown", digits));
        assertMalformed(line("ts", digits));
    }

    @Test
    void deepNestingIsMalformed() {
        assertMalformed("[".repeat(100_000));
        assertMalformed("{\"x\":" + "[".repeat(100_000));
        String nested = "[".repeat(100_000) + "]".repeat(100_000);
        assertMalformed(line("extra", nested));
        String objects = "{\"a\":".repeat(100_000) + "1" + "}".repeat(100_000);
        assertMalformed(objects);
        assertMalformed(line("extra", objects));
    }

    @Test
    void nestingWithinTheLimitIsSkipped() {
        String nested = "[".repeat(500) + "]".repeat(500);
        assertAccepted(line("extra", nested));
    }

    @Test
    void tenMegabyteStringInAnUnknownFieldIsAccepted() {
        String huge = "x".repeat(TEN_MB);
        Telemetry t = assertAccepted(line("comment", "\"" + huge + "\""));
        assertThat(t.deviceId).isEqualTo("D000123");
    }

    @Test
    void tenMegabyteDeviceIdIsReadWithoutCrash() {
        String huge = "D".repeat(TEN_MB);
        Telemetry t = assertAccepted(line("device_id", "\"" + huge + "\""));
        assertThat(t.deviceId).hasSize(TEN_MB);
    }

    @Test
    void tenMegabytesOfGarbageAreMalformed() {
        assertMalformed("x".repeat(TEN_MB));
        assertMalformed("{" + "x".repeat(TEN_MB));
        assertMalformed("{\"a\":\"" + "x".repeat(TEN_MB));
        assertMalformed(" ".repeat(TEN_MB) + "]");
        assertMalformed("1".repeat(TEN_MB));
        Random random = new Random(42);
        char[] chars = new char[TEN_MB];
        for (int i = 0; i < chars.length; i++) {
            chars[i] = (char) (0x20 + random.nextInt(0x5F));
        }
        chars[0] = '{';
        assertMalformed(new String(chars));
    }

    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10})
    void randomBinaryBytesAreMalformed(long seed) {
        Random random = new Random(seed);
        byte[] bytes = new byte[1 + random.nextInt(4096)];
        random.nextBytes(bytes);
        assertMalformed(new String(bytes, StandardCharsets.ISO_8859_1));
        bytes[0] = '{';
        assertMalformed(new String(bytes, StandardCharsets.ISO_8859_1));
    }

    @Test
    void loneSurrogatesDoNotBreakTheParser() {
        // outside a string: not a JSON token
        assertMalformed("\uDC00");
        assertMalformed("{\"ts\":\uD800}");
        assertMalformed(line() + "\uD800");
        // inside strings the parser takes the characters as they are
        assertAccepted(line("note", "\"\uD800\""));
        assertAccepted(line("note", "\"\\ud800\\udc00\\udc00\""));
        assertThat(assertAccepted(line("device_id", "\"D\uDC00\uD800\"")).deviceId)
                .isEqualTo("D\uDC00\uD800");
        // and a dead letter of such a line does not fail
        String bad = line("device_id", "\"D\uD800\"", "ts", "0");
        DeadLetter dl = PARSER.parse(bad).toDeadLetter("telemetry", 1L);
        assertThat(dl.reason).isEqualTo("OUT_OF_RANGE");
        assertThat(dl.payload).isNotNull();
    }

    @Test
    void parseNeverThrowsOnMutatedRecords() {
        Random random = new Random(7);
        String base = line("meta", "{\"a\":[1,2,{\"b\":null}],\"c\":\"\\u00e9\"}");
        String alphabet = "{}[]:,\"\\0123456789.eE+-tfnul xD\u00e9\uD800\u0000";
        int accepted = 0;
        for (int i = 0; i < 20_000; i++) {
            StringBuilder b = new StringBuilder(base);
            int edits = 1 + random.nextInt(4);
            for (int e = 0; e < edits; e++) {
                int pos = random.nextInt(b.length() + 1);
                char c = alphabet.charAt(random.nextInt(alphabet.length()));
                switch (random.nextInt(3)) {
                    case 0:
                        b.insert(pos, c);
                        break;
                    case 1:
                        if (pos < b.length()) {
                            b.deleteCharAt(pos);
                        }
                        break;
                    default:
                        if (pos < b.length()) {
                            b.setCharAt(pos, c);
                        }
                }
            }
            String mutated = b.toString();
            ParseResult r = PARSER.parse(mutated);
            assertThat(r.payload()).isSameAs(mutated);
            if (r.isAccepted()) {
                accepted++;
                assertThat(TelemetryContract.check(r.telemetry())).isNull();
            } else {
                assertThat(r.reason()).isNotNull();
                assertThat(r.detail())
                        .isNotEmpty()
                        .hasSizeLessThanOrEqualTo(TelemetryJsonParser.MAX_DETAIL_LENGTH);
            }
        }
        assertThat(accepted).as("some mutations keep the record valid").isPositive();
    }

    // ---------------------------------------------------------------- eventTs, payload, dead
    // letter

    @Test
    void eventTsIsTheTsWhenItIsALong() {
        assertThat(PARSER.parse(line("device_id", null, "ts", "1700000000123")).eventTs())
                .isEqualTo(1_700_000_000_123L);
        assertThat(PARSER.parse(line("frequency_hz", "60")).eventTs())
                .isEqualTo(1_700_000_000_000L);
        assertThat(PARSER.parse(line("ts", "5")).eventTs())
                .as("readable, though out of range")
                .isEqualTo(5L);
        assertThat(PARSER.parse(line("ts", "1.7e12", "voltage_kv", "-1")).eventTs())
                .isEqualTo(1_700_000_000_000L);
        assertThat(PARSER.parse(line("ts", null)).eventTs()).isNull();
        assertThat(PARSER.parse(line("ts", "null")).eventTs()).isNull();
        assertThat(PARSER.parse(line("ts", "\"1700000000000\"")).eventTs()).isNull();
        assertThat(PARSER.parse(line("ts", "1.5")).eventTs()).isNull();
        assertThat(PARSER.parse(line("ts", DIGITS_400)).eventTs()).isNull();
        assertThat(PARSER.parse("{\"ts\":1700000000000").eventTs()).isNull();
    }

    @Test
    void payloadIsTheRawLine() {
        String line = "  " + line("frequency_hz", "44") + "\t ";
        ParseResult r = assertRejected(line, RejectReason.OUT_OF_RANGE, "frequency_hz");
        assertThat(r.payload()).isEqualTo(line);
        assertThat(PARSER.parse(null).payload()).isNull();
    }

    @Test
    void toDeadLetterCarriesTheRejection() {
        String line = line("frequency_hz", "44");
        DeadLetter dl = PARSER.parse(line).toDeadLetter("telemetry", 1_700_000_000_999L);
        assertThat(dl.source).isEqualTo("telemetry");
        assertThat(dl.reason).isEqualTo("OUT_OF_RANGE");
        assertThat(dl.detail).isEqualTo("frequency_hz");
        assertThat(dl.payload).isEqualTo(line);
        assertThat(dl.eventTs).isEqualTo(1_700_000_000_000L);
        assertThat(dl.rejectedAt).isEqualTo(1_700_000_000_999L);

        DeadLetter malformed = PARSER.parse("{").toDeadLetter("telemetry", 5L);
        assertThat(malformed.reason).isEqualTo("MALFORMED");
        assertThat(malformed.payload).isEqualTo("{");
        assertThat(malformed.eventTs).isNull();
    }

    @Test
    void deadLetterPayloadIsCutAt64KiB() {
        int limit = 64 * 1024;
        String ascii = line("frequency_hz", "44", "pad", "\"" + "a".repeat(100 * 1024) + "\"");
        DeadLetter dl = PARSER.parse(ascii).toDeadLetter("telemetry", 0L);
        assertThat(dl.payload.getBytes(StandardCharsets.UTF_8)).hasSize(limit);
        assertThat(ascii).startsWith(dl.payload);

        String twoByte = line("ts", "0", "pad", "\"" + "é".repeat(100 * 1024) + "\"");
        DeadLetter dl2 = PARSER.parse(twoByte).toDeadLetter("telemetry", 0L);
        assertThat(dl2.payload.getBytes(StandardCharsets.UTF_8).length)
                .isLessThanOrEqualTo(limit)
                .isGreaterThan(limit - 4);
        assertThat(twoByte).startsWith(dl2.payload);

        String garbage = "x".repeat(TEN_MB);
        DeadLetter dl3 = PARSER.parse(garbage).toDeadLetter("telemetry", 0L);
        assertThat(dl3.reason).isEqualTo("MALFORMED");
        assertThat(dl3.payload).hasSize(limit);
    }

    @Test
    void acceptedResultHasNoRejection() {
        ParseResult r = PARSER.parse(line());
        assertThatThrownBy(r::reason).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(r::detail).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> r.toDeadLetter("telemetry", 0L))
                .isInstanceOf(IllegalStateException.class);
    }

    @Test
    void rejectedResultHasNoTelemetry() {
        ParseResult r = PARSER.parse("[]");
        assertThat(r.rejection()).isEqualTo(Rejection.of(RejectReason.MALFORMED, r.detail()));
        assertThatThrownBy(r::telemetry).isInstanceOf(IllegalStateException.class);
    }

    // ---------------------------------------------------------------- Flink readiness

    @Test
    void parserIsSerializable() throws Exception {
        TelemetryJsonParser used = new TelemetryJsonParser();
        assertThat(used.parse(line()).isAccepted()).isTrue();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(used);
        }
        TelemetryJsonParser copy;
        try (ObjectInputStream in =
                new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            copy = (TelemetryJsonParser) in.readObject();
        }
        assertThat(copy.parse(line()).telemetry()).isEqualTo(used.parse(line()).telemetry());
        assertThat(copy.parse("[]").reason()).isEqualTo(RejectReason.MALFORMED);
    }

    @Test
    void oneParserServesManyThreads() throws Exception {
        TelemetryJsonParser shared = new TelemetryJsonParser();
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<Boolean>> results = new ArrayList<>();
            for (int task = 0; task < 8; task++) {
                long ts = 1_700_000_000_000L + task;
                results.add(
                        pool.submit(
                                () -> {
                                    for (int i = 0; i < 2_000; i++) {
                                        ParseResult ok =
                                                shared.parse(line("ts", Long.toString(ts)));
                                        ParseResult bad = shared.parse(line("ts", "true"));
                                        if (!ok.isAccepted()
                                                || ok.telemetry().ts != ts
                                                || bad.reason() != RejectReason.INVALID_TYPE) {
                                            return false;
                                        }
                                    }
                                    return true;
                                }));
            }
            for (Future<Boolean> f : results) {
                assertThat(f.get()).isTrue();
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
