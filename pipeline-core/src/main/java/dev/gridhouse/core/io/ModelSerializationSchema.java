package dev.gridhouse.core.io;

import dev.gridhouse.core.catalog.TableSpec;
import dev.gridhouse.core.serde.FlussRowConverter;
import org.apache.fluss.flink.row.OperationType;
import org.apache.fluss.flink.row.RowWithOp;
import org.apache.fluss.flink.sink.serializer.FlussSerializationSchema;

/**
 * Writes model records to their contract table: upserts into primary-key tables, appends to log
 * tables. Checks in {@link #open} that the table in Fluss has the contract's columns.
 */
public final class ModelSerializationSchema<T> implements FlussSerializationSchema<T> {
    private static final long serialVersionUID = 1L;

    private final TableSpec table;
    private transient FlussRowConverter<T> converter;
    private transient OperationType operation;

    public ModelSerializationSchema(TableSpec table) {
        this.table = table;
    }

    @Override
    public void open(InitializationContext context) {
        table.checkColumns(context.getRowSchema().getFieldNames());
        this.converter = FlussRowConverter.forTable(table);
        this.operation = table.hasPrimaryKey() ? OperationType.UPSERT : OperationType.APPEND;
    }

    @Override
    public RowWithOp serialize(T value) {
        return new RowWithOp(converter.toRow(value), operation);
    }
}
