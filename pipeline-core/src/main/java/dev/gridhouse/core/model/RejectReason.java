package dev.gridhouse.core.model;

/** Why a record went to the dead letter, in the order the checks run (contract §2). */
public enum RejectReason {
    MALFORMED,
    MISSING_FIELD,
    INVALID_TYPE,
    INVALID_VALUE,
    OUT_OF_RANGE,
    UNKNOWN_DEVICE,
    DUPLICATE,
    LATE
}
