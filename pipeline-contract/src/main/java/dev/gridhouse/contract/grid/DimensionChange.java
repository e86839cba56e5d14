package dev.gridhouse.contract.grid;

import dev.gridhouse.core.model.DeadLetter;
import dev.gridhouse.core.model.TableChange;
import javax.annotation.Nullable;

/**
 * One change of a dimension or topology table read from the source of truth (PostgreSQL CDC,
 * contract §1.1/§1.2): the table, whether it is an upsert or a delete, and the row as a typed model
 * record — exactly one of {@link #device}, {@link #substation}, {@link #line} is set for a valid
 * change — or, for a row that breaks the contract, the {@link #rejected} dead letter instead
 * ({@link TableChange}, shared with the ticket warehouse's changes).
 *
 * <p>A Flink POJO (no generic types): public no-argument constructor, public fields.
 */
public class DimensionChange extends TableChange {
    public static final String DEVICES = "devices";
    public static final String SUBSTATIONS = "substations";
    public static final String LINES = "lines";

    public @Nullable Device device;
    public @Nullable Substation substation;
    public @Nullable GridLine line;

    public DimensionChange() {}

    public static DimensionChange of(Op op, Device device) {
        DimensionChange c = new DimensionChange();
        c.table = DEVICES;
        c.op = op;
        c.device = device;
        return c;
    }

    public static DimensionChange of(Op op, Substation substation) {
        DimensionChange c = new DimensionChange();
        c.table = SUBSTATIONS;
        c.op = op;
        c.substation = substation;
        return c;
    }

    public static DimensionChange of(Op op, GridLine line) {
        DimensionChange c = new DimensionChange();
        c.table = LINES;
        c.op = op;
        c.line = line;
        return c;
    }

    public static DimensionChange rejected(String table, Op op, DeadLetter deadLetter) {
        DimensionChange c = new DimensionChange();
        c.table = table;
        c.op = op;
        c.rejected = deadLetter;
        return c;
    }

    /** The row as its model record, or null for a rejected change. */
    @Override
    public @Nullable Object row() {
        if (device != null) {
            return device;
        }
        if (substation != null) {
            return substation;
        }
        return line;
    }
}
