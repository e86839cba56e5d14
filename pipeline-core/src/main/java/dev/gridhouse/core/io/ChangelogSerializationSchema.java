package dev.gridhouse.core.io;

import dev.gridhouse.core.catalog.TableSpec;
import dev.gridhouse.core.model.RowChange;
import dev.gridhouse.core.serde.FlussRowConverter;
import org.apache.fluss.flink.row.OperationType;
import org.apache.fluss.flink.row.RowWithOp;
import org.apache.fluss.flink.sink.serializer.FlussSerializationSchema;

/**
 * The changelog-aware variant of {@link ModelSerializationSchema} for row changes read by CDC:
 * writes the row of a {@link RowChange} to a primary-key contract table as an upsert, or as a
 * delete when {@link RowChange#isDelete()}. Rejected changes must be routed away before the sink.
 * Checks in {@link #open} that the table has the contract's columns.
 */
public final class ChangelogSerializationSchema<C extends RowChange>
        implements FlussSerializationSchema<C> {
    private static final long serialVersionUID = 1L;

    private final TableSpec table;
    private transient FlussRowConverter<Object> converter;

    public ChangelogSerializationSchema(TableSpec table) {
        if (!table.hasPrimaryKey()) {
            throw new IllegalArgumentException(
                    "A changelog needs a primary-key table, " + table.name() + " is a log table.");
        }
        this.table = table;
    }

    @Override
    public void open(InitializationContext context) {
        table.checkColumns(context.getRowSchema().getFieldNames());
        this.converter = FlussRowConverter.forTable(table);
    }

    @Override
    public RowWithOp serialize(C change) {
        Object row = change.row();
        if (row == null || !table.modelClass().isInstance(row)) {
            throw new IllegalArgumentException(
                    "Change " + change + " carries no row for table " + table.name());
        }
        return new RowWithOp(
                converter.toRow(row),
                change.isDelete() ? OperationType.DELETE : OperationType.UPSERT);
    }
}
