package dev.gridhouse.core.model;

import javax.annotation.Nullable;

/**
 * One change of a source table read by CDC: the table, whether it is an upsert or a delete, and
 * either the row (held by the subclass as one typed field per table, declared once as data in its
 * {@link #rowTypes}) or, for a row that breaks the contract, the {@link #rejected} dead letter. The
 * common base of each pipeline's typed change record, so that one CDC source, router and changelog
 * writer serve them all.
 *
 * <p>A Flink POJO base: public fields, subclasses need a public no-argument constructor.
 */
public abstract class TableChange implements RowChange {
    /** Source table without schema. */
    public String table;

    /** Upsert (snapshot read, insert, update) or delete. */
    public Op op;

    /** Set instead of the row when the row breaks the contract. */
    public @Nullable DeadLetter rejected;

    /** Kind of change. */
    public enum Op {
        UPSERT,
        DELETE
    }

    /** The tables of this record type, their row classes, row fields and keys. */
    protected abstract RowTypes<?> rowTypes();

    /** The row as its model record (the row field that is set), or null for a rejected change. */
    @Override
    public @Nullable Object row() {
        return rowTypes().row(this);
    }

    /** The primary key of the row as text, or null for a rejected change or a truncate. */
    public @Nullable String rowKey() {
        return rowTypes().key(this);
    }

    @Override
    public boolean isDelete() {
        return op == Op.DELETE;
    }

    @Override
    public String toString() {
        return getClass().getSimpleName()
                + "{"
                + table
                + ", "
                + op
                + ", "
                + (rejected != null ? rejected : row())
                + '}';
    }
}
