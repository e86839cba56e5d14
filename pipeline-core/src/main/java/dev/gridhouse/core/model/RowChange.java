package dev.gridhouse.core.model;

import javax.annotation.Nullable;

/**
 * A change of one row of a primary-key table read from a source of truth (CDC): its row as a model
 * record and whether it is a delete. Implemented by the typed change records of each pipeline (the
 * contract's dimension and ticket changes) so that one changelog writer serves them all.
 */
public interface RowChange {
    /** The row as its model record, or null for a rejected change. */
    @Nullable
    Object row();

    /** True for a delete of the row's key, false for an upsert. */
    boolean isDelete();
}
