package dev.gridhouse.bench.jmh;

import dev.gridhouse.bench.BenchData;
import dev.gridhouse.contract.grid.Telemetry;
import dev.gridhouse.ods.parse.AvroTelemetryDecoder;
import dev.gridhouse.ods.parse.AvroTelemetryEncoder;
import dev.gridhouse.ods.parse.TelemetryJsonParser;
import java.util.List;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Parse + validate of one telemetry record, as {@code TelemetryValidator} (JSON) and {@code
 * AvroTelemetryValidator} (Avro) do it, plus the producer-side encodings. One operation = one
 * record.
 */
public class ParseBenchmarks extends BenchmarkBase {
    static final int RECORDS = 10_000;

    private final TelemetryJsonParser parser = new TelemetryJsonParser();
    private final AvroTelemetryDecoder avroDecoder = new AvroTelemetryDecoder();
    private final AvroTelemetryEncoder avroEncoder = new AvroTelemetryEncoder();
    private String[] lines;
    private byte[][] avro;
    private Telemetry[] records;

    @Setup
    public void setUp() {
        BenchData data = BenchData.generate(1_000, RECORDS, 1_000);
        lines = data.json().toArray(new String[0]);
        List<Telemetry> t = data.telemetry();
        records = t.toArray(new Telemetry[0]);
        avro = new byte[RECORDS][];
        for (int i = 0; i < RECORDS; i++) {
            avro[i] = avroEncoder.encode(records[i]);
        }
    }

    /** JSON line → validated Telemetry (TelemetryJsonParser, what TelemetryValidator runs). */
    @Benchmark
    @OperationsPerInvocation(RECORDS)
    public void jsonParseValidate(Blackhole bh) {
        for (String line : lines) {
            bh.consume(parser.parse(line));
        }
    }

    /** Avro bytes → validated Telemetry (AvroTelemetryDecoder). */
    @Benchmark
    @OperationsPerInvocation(RECORDS)
    public void avroDecodeValidate(Blackhole bh) {
        for (byte[] b : avro) {
            bh.consume(avroDecoder.decode(b));
        }
    }

    /** Telemetry → Avro bytes (the Kafka baseline's producer side). */
    @Benchmark
    @OperationsPerInvocation(RECORDS)
    public void avroEncode(Blackhole bh) {
        for (Telemetry t : records) {
            bh.consume(avroEncoder.encode(t));
        }
    }
}
