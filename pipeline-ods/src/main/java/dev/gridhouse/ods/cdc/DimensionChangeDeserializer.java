package dev.gridhouse.ods.cdc;

import dev.gridhouse.core.model.DimensionChange;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.cdc.debezium.DebeziumDeserializationSchema;
import org.apache.flink.util.Collector;
import org.apache.kafka.connect.source.SourceRecord;

/**
 * Reads the Debezium change envelope of {@code grid.devices}, {@code grid.substations} and {@code
 * grid.lines} straight into typed {@link DimensionChange}s (no JSON in between): {@code op} r
 * (snapshot), c, u → upsert of {@code after}; d → delete of {@code before}. Rows that break the
 * contract become rejected changes carrying their dead letter. Records of other tables, tombstones
 * and truncates are skipped.
 */
public final class DimensionChangeDeserializer
        implements DebeziumDeserializationSchema<DimensionChange> {
    private static final long serialVersionUID = 1L;

    @Override
    public void deserialize(SourceRecord record, Collector<DimensionChange> out) {
        CdcEnvelope e = CdcEnvelope.of(record);
        if (e == null) {
            return;
        }
        DimensionChange change =
                DimensionRows.toChange(e.table, e.op, e.row, System.currentTimeMillis());
        if (change != null) {
            out.collect(change);
        }
    }

    @Override
    public TypeInformation<DimensionChange> getProducedType() {
        return TypeInformation.of(DimensionChange.class);
    }
}
