package dev.gridhouse.ods.parse;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gridhouse.contract.grid.Telemetry;
import dev.gridhouse.contract.grid.TelemetryContract;
import dev.gridhouse.core.model.DeadLetter;
import dev.gridhouse.core.model.RejectReason;
import java.util.Arrays;
import java.util.Base64;
import java.util.Random;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class AvroTelemetryDecoderTest {
    private static final long TS = 1_767_225_600_000L; // 2026-01-01

    private final AvroTelemetryEncoder encoder = new AvroTelemetryEncoder();
    private final AvroTelemetryDecoder decoder = new AvroTelemetryDecoder();

    static Telemetry valid() {
        Telemetry t = new Telemetry();
        t.deviceId = "D000123";
        t.ts = TS;
        t.activePowerMw = 12.5;
        t.voltageKv = 110.0;
        t.frequencyHz = 50.01;
        t.reactivePowerMvar = -3.0;
        t.currentA = 65.5;
        t.temperatureC = 41.0;
        t.statusCode = 0;
        return t;
    }

    private static Telemetry with(Consumer<Telemetry> change) {
        Telemetry t = valid();
        change.accept(t);
        return t;
    }

    @Test
    void roundTripsAValidRecord() {
        ParseResult r = decoder.decode(encoder.encode(valid()));
        assertThat(r.isAccepted()).isTrue();
        assertThat(r.telemetry()).isEqualTo(valid());
        assertThat(r.eventTs()).isEqualTo(TS);
    }

    @Test
    void optionalFieldsMayBeNull() {
        Telemetry t =
                with(
                        x -> {
                            x.reactivePowerMvar = null;
                            x.currentA = null;
                            x.temperatureC = null;
                            x.statusCode = null;
                        });
        ParseResult r = decoder.decode(encoder.encode(t));
        assertThat(r.isAccepted()).isTrue();
        assertThat(r.telemetry()).isEqualTo(t);
    }

    @Test
    void reusesItsReaderAcrossRecords() {
        for (int i = 0; i < 100; i++) {
            int n = i;
            Telemetry t = with(x -> x.deviceId = "D" + n);
            assertThat(decoder.decode(encoder.encode(t)).telemetry().deviceId).isEqualTo("D" + n);
        }
        // an invalid record in between does not poison the next one
        assertThat(decoder.decode(new byte[] {1, 2, 3}).isAccepted()).isFalse();
        assertThat(decoder.decode(encoder.encode(valid())).telemetry()).isEqualTo(valid());
    }

    static Stream<Arguments> outOfRange() {
        return Stream.of(
                Arguments.of(with(t -> t.deviceId = ""), "device_id"),
                Arguments.of(with(t -> t.ts = TelemetryContract.MIN_TS - 1), "ts"),
                Arguments.of(with(t -> t.ts = TelemetryContract.MAX_TS), "ts"),
                Arguments.of(with(t -> t.activePowerMw = 5000.0001), "active_power_mw"),
                Arguments.of(with(t -> t.activePowerMw = -5000.0001), "active_power_mw"),
                Arguments.of(with(t -> t.voltageKv = -0.1), "voltage_kv"),
                Arguments.of(with(t -> t.voltageKv = 1200.1), "voltage_kv"),
                Arguments.of(with(t -> t.frequencyHz = 44.99), "frequency_hz"),
                Arguments.of(with(t -> t.frequencyHz = 55.01), "frequency_hz"),
                Arguments.of(with(t -> t.reactivePowerMvar = 5001.0), "reactive_power_mvar"),
                Arguments.of(with(t -> t.currentA = -1.0), "current_a"),
                Arguments.of(with(t -> t.currentA = 100_000.5), "current_a"),
                Arguments.of(with(t -> t.temperatureC = -60.5), "temperature_c"),
                Arguments.of(with(t -> t.temperatureC = 250.5), "temperature_c"),
                // first failing field in contract order wins
                Arguments.of(
                        with(
                                t -> {
                                    t.frequencyHz = 99;
                                    t.ts = 0;
                                }),
                        "ts"));
    }

    @ParameterizedTest
    @MethodSource("outOfRange")
    void rejectsEachOutOfRangeFieldWithTheRecordAsJson(Telemetry t, String field) {
        ParseResult r = decoder.decode(encoder.encode(t));
        assertThat(r.isAccepted()).isFalse();
        assertThat(r.reason()).isEqualTo(RejectReason.OUT_OF_RANGE);
        assertThat(r.detail()).isEqualTo(field);
        assertThat(r.eventTs()).isEqualTo(t.ts);
        assertThat(r.payload()).startsWith("{").contains("\"device_id\":\"" + t.deviceId + "\"");
        DeadLetter dl = r.toDeadLetter("telemetry", 7L);
        assertThat(dl.source).isEqualTo("telemetry");
        assertThat(dl.reason).isEqualTo("OUT_OF_RANGE");
    }

    @Test
    void boundsAreInclusive() {
        Telemetry t =
                with(
                        x -> {
                            x.ts = TelemetryContract.MIN_TS;
                            x.activePowerMw = -5000;
                            x.voltageKv = 1200;
                            x.frequencyHz = 45;
                            x.reactivePowerMvar = 5000.0;
                            x.currentA = 0.0;
                            x.temperatureC = 250.0;
                            x.statusCode = Integer.MIN_VALUE;
                        });
        assertThat(decoder.decode(encoder.encode(t)).isAccepted()).isTrue();
    }

    static Stream<Arguments> nonFinite() {
        return Stream.of(
                Arguments.of(with(t -> t.activePowerMw = Double.NaN), "active_power_mw"),
                Arguments.of(with(t -> t.voltageKv = Double.POSITIVE_INFINITY), "voltage_kv"),
                Arguments.of(with(t -> t.frequencyHz = Double.NEGATIVE_INFINITY), "frequency_hz"),
                Arguments.of(with(t -> t.reactivePowerMvar = Double.NaN), "reactive_power_mvar"),
                Arguments.of(with(t -> t.currentA = Double.POSITIVE_INFINITY), "current_a"),
                Arguments.of(with(t -> t.temperatureC = Double.NaN), "temperature_c"),
                // INVALID_VALUE comes before OUT_OF_RANGE, even for an earlier field
                Arguments.of(
                        with(
                                t -> {
                                    t.deviceId = "";
                                    t.temperatureC = Double.NaN;
                                }),
                        "temperature_c"));
    }

    @ParameterizedTest
    @MethodSource("nonFinite")
    void rejectsNonFiniteNumbersAsInvalidValue(Telemetry t, String field) {
        ParseResult r = decoder.decode(encoder.encode(t));
        assertThat(r.reason()).isEqualTo(RejectReason.INVALID_VALUE);
        assertThat(r.detail()).isEqualTo(field);
        assertThat(r.payload()).startsWith("{");
    }

    @Test
    void everyTruncationIsMalformedWithBase64Payload() {
        byte[] full = encoder.encode(valid());
        for (int n = 1; n < full.length; n++) {
            byte[] cut = Arrays.copyOf(full, n);
            ParseResult r = decoder.decode(cut);
            assertThat(r.isAccepted()).as("prefix of %d bytes", n).isFalse();
            assertThat(r.reason()).as("prefix of %d bytes", n).isEqualTo(RejectReason.MALFORMED);
            assertThat(r.detail()).isNotEmpty();
            assertThat(r.eventTs()).isNull();
            assertThat(Base64.getDecoder().decode(r.payload())).isEqualTo(cut);
        }
    }

    @Test
    void trailingBytesAreMalformed() {
        byte[] full = encoder.encode(valid());
        byte[] longer = Arrays.copyOf(full, full.length + 1);
        ParseResult r = decoder.decode(longer);
        assertThat(r.reason()).isEqualTo(RejectReason.MALFORMED);
        assertThat(r.detail()).contains("trailing");
    }

    @Test
    void emptyAndNullAreMalformed() {
        assertThat(decoder.decode(new byte[0]).reason()).isEqualTo(RejectReason.MALFORMED);
        assertThat(decoder.decode(new byte[0]).detail()).isEqualTo("empty record");
        assertThat(decoder.decode(new byte[0]).payload()).isEmpty();
        assertThat(decoder.decode(null).reason()).isEqualTo(RejectReason.MALFORMED);
        assertThat(decoder.decode(null).payload()).isNull();
    }

    @Test
    void hugeOrNegativeDeviceIdLengthIsMalformedWithoutAllocating() {
        // zig-zag varint 0xFFFFFFFF0F = length 2^31-1 ... then nothing
        byte[] huge = {(byte) 0xFE, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, 0x0F, 1, 2};
        assertThat(decoder.decode(huge).detail()).contains("exceeds the remaining");
        byte[] negative = {0x01, 'x'};
        assertThat(decoder.decode(negative).detail()).contains("negative length");
        byte[] badUnion = encoder.encode(valid());
        // the first union index (reactive_power_mvar) comes right after the 4 fixed fields
        int unionAt = 1 + "D000123".length() + 6 + 8 * 3;
        badUnion[unionAt] = 0x08; // index 4 of a two-branch union
        ParseResult r = decoder.decode(badUnion);
        assertThat(r.reason()).isEqualTo(RejectReason.MALFORMED);
    }

    @Test
    void randomBytesNeverThrowAndAreClassified() {
        Random random = new Random(42);
        int accepted = 0;
        for (int i = 0; i < 20_000; i++) {
            byte[] bytes = new byte[random.nextInt(80)];
            random.nextBytes(bytes);
            ParseResult r = decoder.decode(bytes);
            if (r.isAccepted()) {
                accepted++;
                assertThat(TelemetryContract.check(r.telemetry())).isNull();
            } else {
                assertThat(r.reason())
                        .isIn(
                                RejectReason.MALFORMED,
                                RejectReason.INVALID_VALUE,
                                RejectReason.OUT_OF_RANGE);
                assertThat(r.toDeadLetter("telemetry", 0).payload).isNotNull();
            }
        }
        assertThat(accepted).isLessThan(100);
    }

    @Test
    void largePayloadsAreCutAt64KiB() {
        byte[] big = new byte[200_000];
        new Random(1).nextBytes(big);
        big[0] = 0x01; // negative length: MALFORMED at once
        DeadLetter dl = decoder.decode(big).toDeadLetter("telemetry", 0);
        assertThat(dl.payload.length()).isLessThanOrEqualTo(DeadLetter.MAX_PAYLOAD_BYTES);
    }
}
