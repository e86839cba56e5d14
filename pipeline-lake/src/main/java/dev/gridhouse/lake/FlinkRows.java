package dev.gridhouse.lake;

import dev.gridhouse.core.catalog.TableSpec;
import dev.gridhouse.core.serde.FlussRowConverter;
import java.io.Serializable;
import org.apache.flink.table.data.GenericRowData;
import org.apache.flink.table.data.RowData;
import org.apache.flink.table.data.StringData;
import org.apache.flink.table.data.TimestampData;
import org.apache.fluss.row.BinaryString;
import org.apache.fluss.row.GenericRow;
import org.apache.fluss.row.InternalRow;
import org.apache.fluss.row.TimestampLtz;
import org.apache.fluss.row.TimestampNtz;
import org.apache.fluss.types.DataTypeRoot;

/**
 * Contract model objects to and from Flink's {@link RowData} (what Paimon's Flink source and sink
 * speak), in contract column order, through the same {@link FlussRowConverter} the Fluss sources
 * and sinks use — so a model field maps to the same column everywhere.
 */
public final class FlinkRows<T> implements Serializable {
    private static final long serialVersionUID = 1L;

    private final TableSpec table;
    private transient FlussRowConverter<T> converter;
    private transient DataTypeRoot[] types;

    public FlinkRows(TableSpec table) {
        this.table = table;
    }

    private FlussRowConverter<T> converter() {
        if (converter == null) {
            converter = FlussRowConverter.forTable(table);
            types = new DataTypeRoot[table.columns().size()];
            for (int i = 0; i < types.length; i++) {
                types[i] = table.columns().get(i).type.getTypeRoot();
            }
        }
        return converter;
    }

    /** A row whose first fields are the table's columns in contract order → the model object. */
    public T fromRowData(RowData row) {
        FlussRowConverter<T> c = converter();
        GenericRow fluss = new GenericRow(types.length);
        for (int i = 0; i < types.length; i++) {
            if (row.isNullAt(i)) {
                continue;
            }
            switch (types[i]) {
                case STRING:
                case CHAR:
                    fluss.setField(i, BinaryString.fromString(row.getString(i).toString()));
                    break;
                case BIGINT:
                    fluss.setField(i, row.getLong(i));
                    break;
                case INTEGER:
                    fluss.setField(i, row.getInt(i));
                    break;
                case DOUBLE:
                    fluss.setField(i, row.getDouble(i));
                    break;
                case BOOLEAN:
                    fluss.setField(i, row.getBoolean(i));
                    break;
                case TIMESTAMP_WITH_LOCAL_TIME_ZONE:
                    fluss.setField(
                            i,
                            TimestampLtz.fromEpochMillis(row.getTimestamp(i, 3).getMillisecond()));
                    break;
                case TIMESTAMP_WITHOUT_TIME_ZONE:
                    fluss.setField(
                            i, TimestampNtz.fromMillis(row.getTimestamp(i, 3).getMillisecond()));
                    break;
                default:
                    throw new IllegalStateException(unsupported(i));
            }
        }
        return c.fromRow(fluss);
    }

    /** The model object → a row of the table's columns in contract order. */
    public RowData toRowData(T record) {
        InternalRow fluss = converter().toRow(record);
        GenericRowData row = new GenericRowData(types.length);
        for (int i = 0; i < types.length; i++) {
            if (fluss.isNullAt(i)) {
                continue;
            }
            switch (types[i]) {
                case STRING:
                case CHAR:
                    row.setField(i, StringData.fromString(fluss.getString(i).toString()));
                    break;
                case BIGINT:
                    row.setField(i, fluss.getLong(i));
                    break;
                case INTEGER:
                    row.setField(i, fluss.getInt(i));
                    break;
                case DOUBLE:
                    row.setField(i, fluss.getDouble(i));
                    break;
                case BOOLEAN:
                    row.setField(i, fluss.getBoolean(i));
                    break;
                case TIMESTAMP_WITH_LOCAL_TIME_ZONE:
                    row.setField(
                            i,
                            TimestampData.fromEpochMillis(
                                    fluss.getTimestampLtz(i, 3).getEpochMillisecond()));
                    break;
                case TIMESTAMP_WITHOUT_TIME_ZONE:
                    row.setField(
                            i,
                            TimestampData.fromEpochMillis(
                                    fluss.getTimestampNtz(i, 3).getMillisecond()));
                    break;
                default:
                    throw new IllegalStateException(unsupported(i));
            }
        }
        return row;
    }

    private String unsupported(int i) {
        return "No Flink row conversion for column "
                + table.columns().get(i).name
                + " of "
                + table.name()
                + " ("
                + table.columns().get(i).type
                + ")";
    }
}
