package dev.gridhouse.dws.ops;

import dev.gridhouse.contract.grid.EnrichedTelemetry;
import dev.gridhouse.contract.grid.Telemetry;
import dev.gridhouse.core.model.DeadLetter;
import dev.gridhouse.core.model.RejectReason;
import dev.gridhouse.core.serde.ModelJson;
import javax.annotation.Nullable;

/** Dead letters of DWD telemetry records. */
public final class TelemetryDeadLetters {
    /** The {@code source} of telemetry dead letters (contract §2). */
    public static final String SOURCE = "telemetry";

    private TelemetryDeadLetters() {}

    /**
     * The dead letter of a DWD record rejected after the device join: its payload is the record's
     * telemetry part only (the ODS row as it came in, contract §4), source {@code telemetry}.
     */
    public static DeadLetter of(
            EnrichedTelemetry e, RejectReason reason, @Nullable String detail, long rejectedAt) {
        Telemetry plain = new Telemetry();
        plain.copyTelemetryFrom(e);
        return new DeadLetter(SOURCE, reason, detail, ModelJson.toJson(plain), e.ts, rejectedAt);
    }
}
