package dev.gridhouse.ods.parse;

import dev.gridhouse.contract.grid.Telemetry;
import dev.gridhouse.contract.grid.avro.TelemetryRecord;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import javax.annotation.Nullable;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumWriter;

/**
 * Encodes a {@link Telemetry} as one Avro {@code TelemetryRecord} in plain binary encoding (what
 * {@link AvroTelemetryDecoder} reads), for producers, tests and benchmarks. {@code ingestTime} is
 * not part of the record. Values are written as they are (no validation), so invalid records can be
 * produced on purpose.
 *
 * <p>Reuses its writer, encoder and buffer; not thread-safe.
 */
public final class AvroTelemetryEncoder implements Serializable {
    private static final long serialVersionUID = 1L;

    private transient @Nullable SpecificDatumWriter<TelemetryRecord> writer;
    private transient @Nullable BinaryEncoder encoder;
    private transient @Nullable ByteArrayOutputStream buffer;

    /** The Avro bytes of {@code t}. */
    public byte[] encode(Telemetry t) {
        if (writer == null) {
            writer = new SpecificDatumWriter<>(TelemetryRecord.class);
            buffer = new ByteArrayOutputStream(128);
        }
        buffer.reset();
        encoder = EncoderFactory.get().directBinaryEncoder(buffer, encoder);
        try {
            writer.write(toRecord(t), encoder);
            encoder.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e); // not expected for an in-memory buffer
        }
        return buffer.toByteArray();
    }

    /** The Avro record of {@code t}. */
    public static TelemetryRecord toRecord(Telemetry t) {
        return TelemetryRecord.newBuilder()
                .setDeviceId(t.deviceId)
                .setTs(t.ts)
                .setActivePowerMw(t.activePowerMw)
                .setVoltageKv(t.voltageKv)
                .setFrequencyHz(t.frequencyHz)
                .setReactivePowerMvar(t.reactivePowerMvar)
                .setCurrentA(t.currentA)
                .setTemperatureC(t.temperatureC)
                .setStatusCode(t.statusCode)
                .build();
    }
}
