package dev.gridhouse.ods.cdc;

import dev.gridhouse.core.model.TableChange.Op;
import javax.annotation.Nullable;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.source.SourceRecord;

/**
 * The parts of a Debezium change envelope every CDC deserializer needs: source table, kind of
 * change and the row ({@code after} for r/c/u, {@code before} for d). Shared by the grid and the
 * ticket pipelines.
 */
final class CdcEnvelope {
    final String table;
    final Op op;
    final Struct row;

    private CdcEnvelope(String table, Op op, Struct row) {
        this.table = table;
        this.op = op;
        this.row = row;
    }

    /**
     * The table of a {@code TRUNCATE} event (Debezium {@code op} "t", sent only with {@code
     * truncate.handling.mode=include}, no before or after image), or null for any other record.
     */
    static @Nullable String truncatedTable(SourceRecord record) {
        if (!(record.value() instanceof Struct)) {
            return null;
        }
        Struct envelope = (Struct) record.value();
        if (envelope.schema().field("op") == null
                || envelope.schema().field("source") == null
                || !"t".equals(envelope.getString("op"))) {
            return null;
        }
        Struct source = envelope.getStruct("source");
        return source == null ? null : source.getString("table");
    }

    /** The envelope of {@code record}, or null for a tombstone, truncate, message or no row. */
    static @Nullable CdcEnvelope of(SourceRecord record) {
        if (!(record.value() instanceof Struct)) {
            return null; // tombstone
        }
        Struct envelope = (Struct) record.value();
        if (envelope.schema().field("op") == null || envelope.schema().field("source") == null) {
            return null; // not a row change
        }
        String op = envelope.getString("op");
        String table = envelope.getStruct("source").getString("table");
        Struct row;
        Op kind;
        switch (op) {
            case "r":
            case "c":
            case "u":
                row = envelope.getStruct("after");
                kind = Op.UPSERT;
                break;
            case "d":
                row = envelope.getStruct("before");
                kind = Op.DELETE;
                break;
            default:
                return null; // truncate, message
        }
        return row == null ? null : new CdcEnvelope(table, kind, row);
    }
}
