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
 * Parses and validates raw telemetry JSON lines (contract §1.3, §2): valid records go downstream
 * with {@code ingest_time} set, every other line goes to {@link DeadLetters#TAG} with its reason.
 * Never throws on input. Metrics: {@code accepted} and {@code deadLetters.<REASON>}.
 */
public class TelemetryValidator extends ProcessFunction<String, Telemetry> {
    private static final long serialVersionUID = 1L;

    /** Dead-letter {@code source} of telemetry records. */
    public static final String SOURCE = "telemetry";

    private final TelemetryJsonParser parser = new TelemetryJsonParser();
    private transient Counter accepted;
    private transient Map<RejectReason, Counter> rejected;

    @Override
    public void open(Configuration parameters) {
        accepted = getRuntimeContext().getMetricGroup().counter("accepted");
        rejected = DeadLetters.counters(getRuntimeContext().getMetricGroup());
    }

    @Override
    public void processElement(String line, Context ctx, Collector<Telemetry> out) {
        ParseResult result = parser.parse(line);
        long now = ctx.timerService().currentProcessingTime();
        if (result.isAccepted()) {
            Telemetry t = result.telemetry();
            t.ingestTime = now;
            accepted.inc();
            out.collect(t);
        } else {
            rejected.get(result.reason()).inc();
            DeadLetter dl = result.toDeadLetter(SOURCE, now);
            ctx.output(DeadLetters.TAG, dl);
        }
    }
}
