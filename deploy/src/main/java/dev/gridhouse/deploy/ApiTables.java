package dev.gridhouse.deploy;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gridhouse.core.catalog.TableSpec;
import dev.gridhouse.core.io.TableReader;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.apache.fluss.row.BinaryString;
import org.apache.fluss.row.GenericRow;

/**
 * The warehouse tables as the API answers them: rows read from Fluss as JSON objects ({@link
 * TableFormat#jsonRow}), by a whole-table read or a lookup by device id.
 */
final class ApiTables {
    private static final Duration READ_TIMEOUT = Duration.ofSeconds(20);

    private final TableReader reader;

    ApiTables(TableReader reader) {
        this.reader = reader;
    }

    /** Rows of a table as JSON objects, filtered on the raw column values by name. */
    List<ObjectNode> rows(TableSpec spec, Predicate<Map<String, Object>> filter) throws Exception {
        List<String> names = spec.columnNames();
        List<ObjectNode> out = new ArrayList<>();
        for (Object[] row : reader.readAll(spec, READ_TIMEOUT)) {
            Map<String, Object> byName = new HashMap<>();
            for (int i = 0; i < row.length; i++) {
                byName.put(names.get(i), row[i]);
            }
            if (filter.test(byName)) {
                out.add(TableFormat.jsonRow(names, row));
            }
        }
        return out;
    }

    /**
     * A primary-key lookup of a table keyed by device id, or ({@code prefix}) a prefix lookup of a
     * table whose bucket key is {@code device_id}.
     */
    List<ObjectNode> byDevice(TableSpec spec, String deviceId, boolean prefix) throws Exception {
        List<ObjectNode> out = new ArrayList<>();
        for (Object[] row :
                FlussLookup.lookup(
                        reader,
                        spec,
                        GenericRow.of(BinaryString.fromString(deviceId)),
                        prefix ? List.of("device_id") : List.of())) {
            out.add(TableFormat.jsonRow(spec.columnNames(), row));
        }
        return out;
    }

    /** A JSON object to fill. */
    static ObjectNode object() {
        return JsonNodeFactory.instance.objectNode();
    }

    /** The first {@code limit} rows as a JSON array. */
    static ArrayNode array(List<ObjectNode> rows, int limit) {
        ArrayNode a = JsonNodeFactory.instance.arrayNode();
        for (int i = 0; i < rows.size() && i < limit; i++) {
            a.add(rows.get(i));
        }
        return a;
    }
}
