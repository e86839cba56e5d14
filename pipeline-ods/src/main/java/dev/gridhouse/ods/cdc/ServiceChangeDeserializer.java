package dev.gridhouse.ods.cdc;

import dev.gridhouse.contract.service.ServiceChange;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.cdc.debezium.DebeziumDeserializationSchema;
import org.apache.flink.util.Collector;
import org.apache.kafka.connect.source.SourceRecord;

/**
 * Reads the Debezium change envelope of {@code service.agents}, {@code service.tickets} and {@code
 * service.ticket_logs} straight into typed {@link ServiceChange}s ({@link ServiceRows}); records of
 * other tables, tombstones and truncates are skipped.
 */
public final class ServiceChangeDeserializer
        implements DebeziumDeserializationSchema<ServiceChange> {
    private static final long serialVersionUID = 1L;

    @Override
    public void deserialize(SourceRecord record, Collector<ServiceChange> out) {
        CdcEnvelope e = CdcEnvelope.of(record);
        if (e == null) {
            return;
        }
        ServiceChange change =
                ServiceRows.toChange(e.table, e.op, e.row, System.currentTimeMillis());
        if (change != null) {
            out.collect(change);
        }
    }

    @Override
    public TypeInformation<ServiceChange> getProducedType() {
        return TypeInformation.of(ServiceChange.class);
    }
}
