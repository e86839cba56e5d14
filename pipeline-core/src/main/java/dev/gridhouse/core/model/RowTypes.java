package dev.gridhouse.core.model;

import dev.gridhouse.core.model.TableChange.Op;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import javax.annotation.Nullable;

/**
 * The tables of one {@link TableChange} record type as data: for each table, in order, its name,
 * the model class of its rows, the record's field holding the row and the row's primary key. Each
 * change record declares it once ({@link TableChange#rowTypes}); the record's factories, its {@link
 * TableChange#row()} and {@link TableChange#rowKey()} and the CDC path's routing are derived from
 * it. Serializable, so the CDC operators can hold it.
 *
 * @param <C> the change record type
 */
public final class RowTypes<C extends TableChange> implements Serializable {
    private static final long serialVersionUID = 1L;

    /** Creates an empty change record (its public no-argument constructor). */
    public interface Factory<C> extends Serializable {
        C create();
    }

    /** Reads the row field of a change record. */
    public interface Getter<C, R> extends Serializable {
        @Nullable
        R get(C change);
    }

    /** Sets the row field of a change record. */
    public interface Setter<C, R> extends Serializable {
        void set(C change, R row);
    }

    /** The primary key of a row. */
    public interface Key<R> extends Serializable {
        @Nullable
        Object of(R row);
    }

    private static final class Table<C, R> implements Serializable {
        private static final long serialVersionUID = 1L;
        final String name;
        final Class<R> rowType;
        final Getter<C, R> getter;
        final Setter<C, R> setter;
        final Key<R> key;

        Table(String name, Class<R> rowType, Getter<C, R> getter, Setter<C, R> setter, Key<R> key) {
            this.name = name;
            this.rowType = rowType;
            this.getter = getter;
            this.setter = setter;
            this.key = key;
        }
    }

    private final Class<C> type;
    private final Factory<C> factory;
    private final List<Table<C, ?>> tables = new ArrayList<>();

    private RowTypes(Class<C> type, Factory<C> factory) {
        this.type = type;
        this.factory = factory;
    }

    /** No tables yet of change records of {@code type}, created by {@code factory}. */
    public static <C extends TableChange> RowTypes<C> of(Class<C> type, Factory<C> factory) {
        return new RowTypes<>(type, factory);
    }

    /**
     * Adds {@code table}, whose rows of class {@code rowType} are held by the field {@code getter}
     * / {@code setter} access and keyed by {@code key}. For declaration only (before use).
     */
    public <R> RowTypes<C> table(
            String table, Class<R> rowType, Getter<C, R> getter, Setter<C, R> setter, Key<R> key) {
        tables.add(new Table<>(table, rowType, getter, setter, key));
        return this;
    }

    /** The change record class. */
    public Class<C> type() {
        return type;
    }

    /** The table names in declaration order. */
    public List<String> tables() {
        List<String> names = new ArrayList<>();
        for (Table<C, ?> t : tables) {
            names.add(t.name);
        }
        return Collections.unmodifiableList(names);
    }

    /** A change of the table whose rows are of {@code row}'s class, setting the row. */
    public C of(Op op, Object row) {
        for (Table<C, ?> t : tables) {
            if (t.rowType.isInstance(row)) {
                C c = base(t.name, op);
                set(t, c, row);
                return c;
            }
        }
        throw new IllegalArgumentException("No table of " + row.getClass().getName());
    }

    /** A change of {@code table} rejected with {@code deadLetter} instead of a row. */
    public C rejected(String table, Op op, @Nullable DeadLetter deadLetter) {
        C c = base(table, op);
        c.rejected = deadLetter;
        return c;
    }

    /** The row of {@code change}: the first row field set, or null for a rejected change. */
    public @Nullable Object row(TableChange change) {
        C c = type.cast(change);
        for (Table<C, ?> t : tables) {
            Object row = t.getter.get(c);
            if (row != null) {
                return row;
            }
        }
        return null;
    }

    /** The primary key of {@code change}'s row as text, or null without a row. */
    public @Nullable String key(TableChange change) {
        C c = type.cast(change);
        for (Table<C, ?> t : tables) {
            Object key = key(t, c);
            if (key != null) {
                return key.toString();
            }
        }
        return null;
    }

    @Nullable
    private static <C, R> Object key(Table<C, R> t, C c) {
        R row = t.getter.get(c);
        return row == null ? null : t.key.of(row);
    }

    private static <C, R> void set(Table<C, R> t, C c, Object row) {
        t.setter.set(c, t.rowType.cast(row));
    }

    private C base(String table, Op op) {
        C c = factory.create();
        c.table = table;
        c.op = op;
        return c;
    }
}
