package dev.gridhouse.ods.cdc;

import dev.gridhouse.contract.grid.DimensionChange;
import dev.gridhouse.core.model.DeadLetter;
import dev.gridhouse.core.model.RejectReason;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.cdc.debezium.DebeziumDeserializationSchema;
import org.apache.flink.util.Collector;
import org.apache.kafka.connect.source.SourceRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the Debezium change envelope of {@code grid.devices}, {@code grid.substations} and {@code
 * grid.lines} straight into typed {@link DimensionChange}s (no JSON in between): {@code op} r
 * (snapshot), c, u → upsert of {@code after}; d → delete of {@code before}; t (TRUNCATE) → {@link
 * DimensionRows#truncate}, which {@link PostgresDimensions} turns into deletes of every row the
 * pipeline had written. Rows that break the contract — also rows whose values cannot be converted
 * to the contract types after a column type change in PostgreSQL — become rejected changes carrying
 * their dead letter: this method never throws for a row, so one bad WAL event cannot fail the job
 * and make it restart forever on the same event. Records of other tables, tombstones and messages
 * are skipped.
 */
public final class DimensionChangeDeserializer
        implements DebeziumDeserializationSchema<DimensionChange> {
    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(DimensionChangeDeserializer.class);

    @Override
    public void deserialize(SourceRecord record, Collector<DimensionChange> out) {
        String truncated = CdcEnvelope.truncatedTable(record);
        if (truncated != null) {
            DimensionChange truncate = DimensionRows.truncate(truncated);
            if (truncate != null) {
                out.collect(truncate);
            }
            return;
        }
        CdcEnvelope e = CdcEnvelope.of(record);
        if (e == null) {
            return;
        }
        long now = System.currentTimeMillis();
        DimensionChange change;
        try {
            change = DimensionRows.toChange(e.table, e.op, e.row, now);
        } catch (RuntimeException ex) {
            // a conversion the checks did not foresee: dead-letter the row, keep the job running
            LOG.warn("Cannot convert a row of {}: {}", e.table, ex.toString());
            change =
                    DimensionRows.isRead(e.table)
                            ? DimensionChange.rejected(
                                    e.table,
                                    e.op,
                                    new DeadLetter(
                                            e.table,
                                            RejectReason.INVALID_TYPE,
                                            String.valueOf(ex.getMessage()),
                                            DimensionRows.toJson(e.row),
                                            null,
                                            now))
                            : null;
        }
        if (change != null) {
            out.collect(change);
        }
    }

    @Override
    public TypeInformation<DimensionChange> getProducedType() {
        return TypeInformation.of(DimensionChange.class);
    }
}
