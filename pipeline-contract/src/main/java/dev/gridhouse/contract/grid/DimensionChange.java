package dev.gridhouse.contract.grid;

import dev.gridhouse.core.model.RowTypes;
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

    /**
     * The three tables in routing order, their rows, row fields and keys; also the factory of
     * changes ({@link RowTypes#of(Op, Object)}, {@link RowTypes#rejected}).
     */
    public static final RowTypes<DimensionChange> ROWS =
            RowTypes.of(DimensionChange.class, DimensionChange::new)
                    .table(
                            DEVICES,
                            Device.class,
                            c -> c.device,
                            (c, r) -> c.device = r,
                            r -> r.deviceId)
                    .table(
                            SUBSTATIONS,
                            Substation.class,
                            c -> c.substation,
                            (c, r) -> c.substation = r,
                            r -> r.substationId)
                    .table(LINES, GridLine.class, c -> c.line, (c, r) -> c.line = r, r -> r.lineId);

    public @Nullable Device device;
    public @Nullable Substation substation;
    public @Nullable GridLine line;

    public DimensionChange() {}

    @Override
    protected RowTypes<DimensionChange> rowTypes() {
        return ROWS;
    }
}
