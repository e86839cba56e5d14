package dev.gridhouse.dws;

/** How DWD finds each record's device in {@code ods_devices}. */
public enum LookupMode {
    /** An async Fluss point lookup per record, many in flight. */
    ASYNC,
    /** Async lookups behind a bounded LRU cache with TTL. */
    CACHE,
    /** A full in-memory mirror of the table per subtask, kept current from its changelog. */
    MIRROR
}
