package dev.gridhouse.deploy;

import dev.gridhouse.core.catalog.TableSpec;
import dev.gridhouse.core.io.TableReader;
import java.util.ArrayList;
import java.util.List;
import org.apache.fluss.client.lookup.Lookup;
import org.apache.fluss.client.lookup.LookupResult;
import org.apache.fluss.client.table.Table;
import org.apache.fluss.metadata.TablePath;
import org.apache.fluss.row.BinaryString;
import org.apache.fluss.row.InternalRow;

/**
 * Point and prefix lookups of a Fluss table through a {@link TableReader}'s connection, rows
 * converted to Java values as {@link TableReader#readAll} converts them (strings as {@link
 * String}).
 */
final class FlussLookup {
    private FlussLookup() {}

    /**
     * The rows of {@code spec} (in the reader's database) matching {@code key}: by primary key when
     * {@code lookupBy} is empty, else by those columns (a prefix lookup on the bucket key).
     */
    static List<Object[]> lookup(
            TableReader reader, TableSpec spec, InternalRow key, List<String> lookupBy)
            throws Exception {
        List<Object[]> rows = new ArrayList<>();
        try (Table table =
                reader.connection().getTable(TablePath.of(reader.database(), spec.name()))) {
            Lookup lookup = table.newLookup();
            LookupResult result =
                    (lookupBy.isEmpty() ? lookup : lookup.lookupBy(lookupBy))
                            .createLookuper()
                            .lookup(key)
                            .get();
            InternalRow.FieldGetter[] getters =
                    InternalRow.createFieldGetters(table.getTableInfo().getRowType());
            for (InternalRow row : result.getRowList()) {
                Object[] values = new Object[getters.length];
                for (int i = 0; i < getters.length; i++) {
                    Object v = getters[i].getFieldOrNull(row);
                    values[i] = v instanceof BinaryString ? v.toString() : v;
                }
                rows.add(values);
            }
        }
        return rows;
    }
}
