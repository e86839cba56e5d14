package dev.gridhouse.core.io;

import dev.gridhouse.core.catalog.TableSpec;
import dev.gridhouse.core.model.RowChange;
import dev.gridhouse.core.serde.FlussRowConverter;
import java.io.Serializable;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.fluss.flink.source.deserializer.FlussDeserializationSchema;
import org.apache.fluss.record.ChangeType;
import org.apache.fluss.record.LogRecord;
import org.apache.fluss.types.RowType;

/**
 * Reads the changelog of a primary-key contract table as typed {@link RowChange}s: +I and +U become
 * upserts of the new row, -D a delete of the old row, -U is skipped (the following +U replaces the
 * row). Unlike {@link ModelDeserializationSchema} it keeps the deletes, so downstream operators can
 * retract. Checks in {@link #open} that the Fluss table has the contract's columns.
 */
public final class ChangelogDeserializationSchema<C extends RowChange>
        implements FlussDeserializationSchema<C> {
    private static final long serialVersionUID = 1L;

    /** Makes the typed change of a row. */
    @FunctionalInterface
    public interface ChangeFactory<C> extends Serializable {
        C make(Object row, boolean delete);
    }

    private final TableSpec table;
    private final Class<C> changeClass;
    private final ChangeFactory<C> factory;
    private transient FlussRowConverter<Object> converter;

    public ChangelogDeserializationSchema(
            TableSpec table, Class<C> changeClass, ChangeFactory<C> factory) {
        this.table = table;
        this.changeClass = changeClass;
        this.factory = factory;
    }

    @Override
    public void open(InitializationContext context) {
        table.checkColumns(context.getRowSchema().getFieldNames());
        this.converter = FlussRowConverter.forTable(table);
    }

    @Override
    public C deserialize(LogRecord record) {
        ChangeType change = record.getChangeType();
        if (change == ChangeType.UPDATE_BEFORE) {
            return null;
        }
        return factory.make(converter.fromRow(record.getRow()), change == ChangeType.DELETE);
    }

    @Override
    public TypeInformation<C> getProducedType(RowType rowSchema) {
        return TypeInformation.of(changeClass);
    }
}
