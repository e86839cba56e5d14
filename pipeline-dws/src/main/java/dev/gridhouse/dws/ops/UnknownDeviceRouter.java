package dev.gridhouse.dws.ops;

import dev.gridhouse.contract.grid.Device;
import dev.gridhouse.contract.grid.EnrichedTelemetry;
import dev.gridhouse.contract.grid.Telemetry;
import dev.gridhouse.core.model.RejectReason;
import dev.gridhouse.core.ops.DeadLetters;
import javax.annotation.Nullable;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;

/**
 * After the device lookup: telemetry whose device was found goes on, telemetry of an unknown device
 * goes to the dead letter as UNKNOWN_DEVICE with the record as JSON (contract §2).
 */
public class UnknownDeviceRouter extends ProcessFunction<EnrichedTelemetry, EnrichedTelemetry> {
    private static final long serialVersionUID = 1L;

    private transient Counter unknown;

    /** The lookup joiner: enriched telemetry, or telemetry without device fields if unknown. */
    public static EnrichedTelemetry join(Telemetry telemetry, @Nullable Device device) {
        if (device != null) {
            return EnrichedTelemetry.of(telemetry, device);
        }
        EnrichedTelemetry e = new EnrichedTelemetry();
        e.copyTelemetryFrom(telemetry);
        return e;
    }

    @Override
    public void open(Configuration parameters) {
        unknown =
                getRuntimeContext()
                        .getMetricGroup()
                        .addGroup(DeadLetters.METRIC_GROUP)
                        .counter(RejectReason.UNKNOWN_DEVICE.name());
    }

    @Override
    public void processElement(EnrichedTelemetry e, Context ctx, Collector<EnrichedTelemetry> out) {
        if (e.deviceType != null) {
            out.collect(e);
            return;
        }
        unknown.inc();
        ctx.output(
                DeadLetters.TAG,
                TelemetryDeadLetters.of(
                        e,
                        RejectReason.UNKNOWN_DEVICE,
                        e.deviceId,
                        ctx.timerService().currentProcessingTime()));
    }
}
