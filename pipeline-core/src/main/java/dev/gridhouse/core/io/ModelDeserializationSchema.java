package dev.gridhouse.core.io;

import dev.gridhouse.core.catalog.TableSpec;
import dev.gridhouse.core.serde.FlussRowConverter;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.fluss.flink.source.deserializer.FlussDeserializationSchema;
import org.apache.fluss.record.ChangeType;
import org.apache.fluss.record.LogRecord;
import org.apache.fluss.types.RowType;

/**
 * Reads the rows of a contract table as model records. For a primary-key table it emits the current
 * value of each change (+I, +U) and skips -U and -D: a stream of upserts. Checks in {@link #open}
 * that the Fluss table has the contract's columns.
 */
public final class ModelDeserializationSchema<T> implements FlussDeserializationSchema<T> {
    private static final long serialVersionUID = 1L;

    private final TableSpec table;
    private final Class<T> modelClass;
    private transient FlussRowConverter<T> converter;

    public ModelDeserializationSchema(TableSpec table, Class<T> modelClass) {
        this.table = table;
        this.modelClass = modelClass;
    }

    @Override
    public void open(InitializationContext context) {
        table.checkColumns(context.getRowSchema().getFieldNames());
        this.converter = FlussRowConverter.forTable(table, modelClass);
    }

    @Override
    public T deserialize(LogRecord record) {
        ChangeType change = record.getChangeType();
        if (change == ChangeType.UPDATE_BEFORE || change == ChangeType.DELETE) {
            return null;
        }
        return converter.fromRow(record.getRow());
    }

    @Override
    public TypeInformation<T> getProducedType(RowType rowSchema) {
        return TypeInformation.of(modelClass);
    }
}
