package dev.gridhouse.ods.parse;

import dev.gridhouse.contract.grid.Telemetry;
import dev.gridhouse.contract.grid.TelemetryContract;
import dev.gridhouse.contract.grid.avro.TelemetryRecord;
import dev.gridhouse.core.model.RejectReason;
import dev.gridhouse.core.model.Rejection;
import dev.gridhouse.core.serde.ModelJson;
import java.io.IOException;
import java.io.Serializable;
import java.util.Base64;
import javax.annotation.Nullable;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.specific.SpecificDatumReader;

/**
 * Decodes one Avro-encoded telemetry record ({@code telemetry.avsc}, plain binary encoding without
 * a container header or schema-registry prefix) into a {@link Telemetry} and validates it like the
 * JSON parser does. {@link #decode} never throws.
 *
 * <ul>
 *   <li>MALFORMED: null or empty input, bytes that do not decode as exactly one {@code
 *       TelemetryRecord} (truncated, an invalid union index, a negative length, trailing bytes).
 *       The detail is the decoder's message (one line); the payload is the Base64 of the raw bytes
 *       (cut at 64 KiB by {@link dev.gridhouse.core.model.DeadLetter}).
 *   <li>INVALID_VALUE / OUT_OF_RANGE: {@link TelemetryContract#check}, in contract order. The
 *       payload is the decoded record as JSON ({@link ModelJson}).
 * </ul>
 *
 * <p>Types are guaranteed by the schema, so MISSING_FIELD and INVALID_TYPE cannot occur. The Avro
 * {@code TelemetryRecord} never leaves this class: callers only see the {@link Telemetry} POJO.
 *
 * <p>Serializable for Flink functions; the reader, decoder and record are created lazily and
 * reused. Not thread-safe: use one instance per thread (per operator instance).
 */
public final class AvroTelemetryDecoder implements Serializable {
    private static final long serialVersionUID = 1L;

    private transient @Nullable SpecificDatumReader<TelemetryRecord> reader;
    private transient @Nullable BinaryDecoder decoder;
    private transient @Nullable TelemetryRecord reuse;

    /** Decodes and validates one record. Never throws. */
    public ParseResult decode(@Nullable byte[] bytes) {
        if (bytes == null) {
            return malformed(null, "null record");
        }
        if (bytes.length == 0) {
            return malformed(bytes, "empty record");
        }
        TelemetryRecord record;
        try {
            String lengthProblem = checkDeviceIdLength(bytes);
            if (lengthProblem != null) {
                return malformed(bytes, lengthProblem);
            }
            if (reader == null) {
                reader = new SpecificDatumReader<>(TelemetryRecord.class);
            }
            decoder = DecoderFactory.get().binaryDecoder(bytes, decoder);
            record = reader.read(reuse, decoder);
            reuse = record;
            if (!decoder.isEnd()) {
                return malformed(bytes, "trailing bytes after the record");
            }
        } catch (IOException | RuntimeException e) {
            // EOFException (truncated), AvroRuntimeException (bad union index, negative length),
            // ArrayIndexOutOfBoundsException, …: the bytes are not one TelemetryRecord
            return malformed(bytes, describe(e));
        }
        Telemetry t = toTelemetry(record);
        Rejection rejection = TelemetryContract.check(t);
        if (rejection != null) {
            return ParseResult.rejected(rejection, ModelJson.toJson(t), t.ts);
        }
        return ParseResult.accepted(t, null);
    }

    /** The {@link Telemetry} POJO of an Avro record ({@code ingestTime} 0). */
    public static Telemetry toTelemetry(TelemetryRecord r) {
        Telemetry t = new Telemetry();
        t.deviceId = r.getDeviceId();
        t.ts = r.getTs();
        t.activePowerMw = r.getActivePowerMw();
        t.voltageKv = r.getVoltageKv();
        t.frequencyHz = r.getFrequencyHz();
        t.reactivePowerMvar = r.getReactivePowerMvar();
        t.currentA = r.getCurrentA();
        t.temperatureC = r.getTemperatureC();
        t.statusCode = r.getStatusCode();
        return t;
    }

    /**
     * {@code device_id} is the first field: a zig-zag varint length, then that many bytes. Avro
     * allocates the length before reading, so a garbage length (up to 2 GiB) would allocate a huge
     * array; it is rejected here unless the bytes are really there.
     */
    static @Nullable String checkDeviceIdLength(byte[] bytes) {
        long raw = 0;
        int shift = 0;
        int pos = 0;
        while (true) {
            if (pos >= bytes.length) {
                return "truncated: the length of device_id is incomplete";
            }
            if (shift > 63) {
                return "invalid varint for the length of device_id";
            }
            int b = bytes[pos++] & 0xFF;
            raw |= (long) (b & 0x7F) << shift;
            shift += 7;
            if ((b & 0x80) == 0) {
                break;
            }
        }
        long length = (raw >>> 1) ^ -(raw & 1);
        if (length < 0) {
            return "negative length " + length + " of device_id";
        }
        if (length > bytes.length - pos) {
            return "device_id length "
                    + length
                    + " exceeds the remaining "
                    + (bytes.length - pos)
                    + " bytes";
        }
        return null;
    }

    private static ParseResult malformed(@Nullable byte[] bytes, String detail) {
        String payload = bytes == null ? null : Base64.getEncoder().encodeToString(bytes);
        return ParseResult.rejected(
                RejectReason.MALFORMED, TelemetryJsonParser.oneLine(detail), payload, null);
    }

    private static String describe(Throwable e) {
        String m = e.getMessage();
        return m == null || m.isEmpty() ? e.getClass().getSimpleName() : m;
    }
}
