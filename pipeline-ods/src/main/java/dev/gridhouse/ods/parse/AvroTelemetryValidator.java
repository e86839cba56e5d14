package dev.gridhouse.ods.parse;

import dev.gridhouse.contract.grid.Telemetry;
import dev.gridhouse.core.model.DeadLetter;
import dev.gridhouse.core.model.RejectReason;
import dev.gridhouse.core.ops.DeadLetters;
import java.util.Map;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Decodes and validates Avro telemetry records ({@link AvroTelemetryDecoder}): valid records go
 * downstream as {@link Telemetry} with {@code ingest_time} set, every other record goes to {@link
 * DeadLetters#TAG} with its reason (source {@code telemetry}). The Avro classes stay inside this
 * function, so they never become Flink types. Never throws on input. Metrics as {@link
 * TelemetryValidator}: {@code accepted} and {@code deadLetters.<REASON>}.
 */
public class AvroTelemetryValidator extends ProcessFunction<byte[], Telemetry> {
    private static final long serialVersionUID = 1L;

    private final AvroTelemetryDecoder decoder = new AvroTelemetryDecoder();
    private transient Counter accepted;
    private transient Map<RejectReason, Counter> rejected;

    @Override
    public void open(Configuration parameters) {
        accepted = getRuntimeContext().getMetricGroup().counter("accepted");
        rejected = DeadLetters.counters(getRuntimeContext().getMetricGroup());
    }

    @Override
    public void processElement(byte[] record, Context ctx, Collector<Telemetry> out) {
        ParseResult result = decoder.decode(record);
        long now = ctx.timerService().currentProcessingTime();
        if (result.isAccepted()) {
            Telemetry t = result.telemetry();
            t.ingestTime = now;
            accepted.inc();
            out.collect(t);
        } else {
            rejected.get(result.reason()).inc();
            DeadLetter dl = result.toDeadLetter(TelemetryValidator.SOURCE, now);
            ctx.output(DeadLetters.TAG, dl);
        }
    }
}
