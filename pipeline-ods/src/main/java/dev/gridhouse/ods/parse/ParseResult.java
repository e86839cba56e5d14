package dev.gridhouse.ods.parse;

import dev.gridhouse.contract.grid.Telemetry;
import dev.gridhouse.core.model.DeadLetter;
import dev.gridhouse.core.model.RejectReason;
import dev.gridhouse.core.model.Rejection;
import java.util.Objects;
import javax.annotation.Nullable;

/**
 * The outcome of parsing one telemetry line: either an accepted {@link Telemetry} or a {@link
 * Rejection} (reason and detail of contract §2). Both keep the raw line as {@link #payload()}.
 */
public final class ParseResult {
    private final @Nullable Telemetry telemetry;
    private final @Nullable Rejection rejection;
    private final @Nullable String payload;
    private final @Nullable Long eventTs;

    private ParseResult(
            @Nullable Telemetry telemetry,
            @Nullable Rejection rejection,
            @Nullable String payload,
            @Nullable Long eventTs) {
        this.telemetry = telemetry;
        this.rejection = rejection;
        this.payload = payload;
        this.eventTs = eventTs;
    }

    /** An accepted record parsed from {@code payload}. */
    public static ParseResult accepted(Telemetry telemetry, @Nullable String payload) {
        Objects.requireNonNull(telemetry, "telemetry");
        return new ParseResult(telemetry, null, payload, telemetry.ts);
    }

    /**
     * A rejected line.
     *
     * @param eventTs the record's {@code ts} if it could be read as a {@code long}, else null
     */
    public static ParseResult rejected(
            Rejection rejection, @Nullable String payload, @Nullable Long eventTs) {
        Objects.requireNonNull(rejection, "rejection");
        return new ParseResult(null, rejection, payload, eventTs);
    }

    /** A rejected line. */
    public static ParseResult rejected(
            RejectReason reason, String detail, @Nullable String payload, @Nullable Long eventTs) {
        return rejected(Rejection.of(reason, detail), payload, eventTs);
    }

    /** True if the line is a valid record; then {@link #telemetry()} is available. */
    public boolean isAccepted() {
        return telemetry != null;
    }

    /**
     * The parsed record ({@code ingestTime} is 0; the caller sets it).
     *
     * @throws IllegalStateException if the line was rejected
     */
    public Telemetry telemetry() {
        if (telemetry == null) {
            throw new IllegalStateException("rejected: " + rejection);
        }
        return telemetry;
    }

    /** The rejection, or null if the line was accepted. */
    public @Nullable Rejection rejection() {
        return rejection;
    }

    /**
     * Why the line was rejected.
     *
     * @throws IllegalStateException if the line was accepted
     */
    public RejectReason reason() {
        return requireRejection().reason();
    }

    /**
     * The rejection detail: the field name, or for {@link RejectReason#MALFORMED} the parser's
     * message.
     *
     * @throws IllegalStateException if the line was accepted
     */
    public String detail() {
        return requireRejection().detail();
    }

    /** The raw input line, unchanged (null only if the input was null). */
    public @Nullable String payload() {
        return payload;
    }

    /** The record's {@code ts} if it could be read as a {@code long} (valid or not), else null. */
    public @Nullable Long eventTs() {
        return eventTs;
    }

    /**
     * The dead-letter row of this rejected line; its payload is cut to {@link
     * DeadLetter#MAX_PAYLOAD_BYTES}.
     *
     * @throws IllegalStateException if the line was accepted
     */
    public DeadLetter toDeadLetter(String source, long rejectedAt) {
        Rejection r = requireRejection();
        return new DeadLetter(source, r.reason(), r.detail(), payload, eventTs, rejectedAt);
    }

    private Rejection requireRejection() {
        if (rejection == null) {
            throw new IllegalStateException("the line was accepted");
        }
        return rejection;
    }

    @Override
    public String toString() {
        return isAccepted()
                ? "ParseResult{accepted " + telemetry + '}'
                : "ParseResult{" + rejection + ", eventTs=" + eventTs + '}';
    }
}
