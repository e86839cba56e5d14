package dev.gridhouse.core.model;

import java.nio.charset.StandardCharsets;
import java.util.Objects;
import javax.annotation.Nullable;

/** A rejected record with its reason: a row of {@code ods_dead_letter} (contract §2). */
public class DeadLetter {
    /** Payloads are cut to this many bytes of UTF-8 (contract §2). */
    public static final int MAX_PAYLOAD_BYTES = 64 * 1024;

    /** Where the record came from: {@code telemetry}, {@code devices}, … */
    public String source;

    public String reason;
    public @Nullable String detail;
    public @Nullable String payload;

    /** The record's event time in epoch milliseconds, null if unknown. */
    public @Nullable Long eventTs;

    /** Epoch milliseconds. */
    public long rejectedAt;

    public DeadLetter() {}

    public DeadLetter(
            String source,
            RejectReason reason,
            @Nullable String detail,
            @Nullable String payload,
            @Nullable Long eventTs,
            long rejectedAt) {
        this.source = source;
        this.reason = reason.name();
        this.detail = detail;
        this.payload = truncatePayload(payload);
        this.eventTs = eventTs;
        this.rejectedAt = rejectedAt;
    }

    /**
     * Cuts a payload to at most {@link #MAX_PAYLOAD_BYTES} bytes of UTF-8 without splitting a
     * character.
     */
    public static @Nullable String truncatePayload(@Nullable String payload) {
        if (payload == null || payload.length() <= MAX_PAYLOAD_BYTES / 4) {
            return payload;
        }
        byte[] bytes = payload.getBytes(StandardCharsets.UTF_8);
        if (bytes.length <= MAX_PAYLOAD_BYTES) {
            return payload;
        }
        int end = MAX_PAYLOAD_BYTES;
        // step back over UTF-8 continuation bytes so that no character is split
        while (end > 0 && (bytes[end] & 0xC0) == 0x80) {
            end--;
        }
        return new String(bytes, 0, end, StandardCharsets.UTF_8);
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (o == null || getClass() != o.getClass()) {
            return false;
        }
        DeadLetter d = (DeadLetter) o;
        return rejectedAt == d.rejectedAt
                && Objects.equals(source, d.source)
                && Objects.equals(reason, d.reason)
                && Objects.equals(detail, d.detail)
                && Objects.equals(payload, d.payload)
                && Objects.equals(eventTs, d.eventTs);
    }

    @Override
    public int hashCode() {
        return Objects.hash(source, reason, detail, eventTs);
    }

    @Override
    public String toString() {
        return "DeadLetter{"
                + source
                + ", "
                + reason
                + ", detail="
                + detail
                + ", eventTs="
                + eventTs
                + '}';
    }
}
