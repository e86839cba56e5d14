package dev.gridhouse.core.model;

import java.util.Objects;

/**
 * Why a record is rejected: a reason of contract §2 and its detail (for the field checks, the
 * contract name of the first failing field, e.g. {@code frequency_hz}). Immutable.
 */
public final class Rejection {
    private final RejectReason reason;
    private final String detail;

    private Rejection(RejectReason reason, String detail) {
        this.reason = Objects.requireNonNull(reason, "reason");
        this.detail = Objects.requireNonNull(detail, "detail");
    }

    /** A rejection with the given reason and detail. */
    public static Rejection of(RejectReason reason, String detail) {
        return new Rejection(reason, detail);
    }

    public RejectReason reason() {
        return reason;
    }

    public String detail() {
        return detail;
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof Rejection)) {
            return false;
        }
        Rejection r = (Rejection) o;
        return reason == r.reason && detail.equals(r.detail);
    }

    @Override
    public int hashCode() {
        return 31 * reason.hashCode() + detail.hashCode();
    }

    @Override
    public String toString() {
        return reason + "(" + detail + ")";
    }
}
