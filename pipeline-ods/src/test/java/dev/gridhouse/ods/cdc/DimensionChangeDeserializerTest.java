package dev.gridhouse.ods.cdc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gridhouse.core.model.DimensionChange;
import dev.gridhouse.core.model.DimensionChange.Op;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.ExecutionConfig;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.java.typeutils.PojoTypeInfo;
import org.apache.flink.util.Collector;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.source.SourceRecord;
import org.junit.jupiter.api.Test;

/** The typed Debezium deserializer on hand-built change envelopes, every reject reason. */
class DimensionChangeDeserializerTest {
    private static final Schema DEVICE =
            SchemaBuilder.struct()
                    .field("device_id", Schema.STRING_SCHEMA)
                    .field("device_name", Schema.OPTIONAL_STRING_SCHEMA)
                    .field("device_type", Schema.OPTIONAL_STRING_SCHEMA)
                    .field("substation_id", Schema.OPTIONAL_STRING_SCHEMA)
                    .field("region", Schema.OPTIONAL_STRING_SCHEMA)
                    .field("capacity_mw", Schema.OPTIONAL_FLOAT64_SCHEMA)
                    .field("rated_voltage_kv", Schema.OPTIONAL_FLOAT64_SCHEMA)
                    .field("status", Schema.OPTIONAL_STRING_SCHEMA)
                    .field("updated_at", Schema.OPTIONAL_STRING_SCHEMA)
                    .optional()
                    .build();
    private static final Schema LINE =
            SchemaBuilder.struct()
                    .field("line_id", Schema.STRING_SCHEMA)
                    .field("from_substation_id", Schema.OPTIONAL_STRING_SCHEMA)
                    .field("to_substation_id", Schema.OPTIONAL_STRING_SCHEMA)
                    .field("capacity_mw", Schema.OPTIONAL_FLOAT64_SCHEMA)
                    .field("status", Schema.OPTIONAL_STRING_SCHEMA)
                    .optional()
                    .build();
    private static final Schema SOURCE =
            SchemaBuilder.struct().field("table", Schema.STRING_SCHEMA).build();

    private static Struct device(String type, Double capacity, String region) {
        return new Struct(DEVICE)
                .put("device_id", "D1")
                .put("device_name", "Feeder 1")
                .put("device_type", type)
                .put("substation_id", "S1")
                .put("region", region)
                .put("capacity_mw", capacity)
                .put("rated_voltage_kv", 110.0)
                .put("status", "IN_SERVICE")
                .put("updated_at", "2026-05-01T12:00:00.123Z");
    }

    private static List<DimensionChange> run(String table, String op, Struct before, Struct after) {
        Schema row = table.equals("lines") ? LINE : DEVICE;
        Schema envelope =
                SchemaBuilder.struct()
                        .field("before", row)
                        .field("after", row)
                        .field("source", SOURCE)
                        .field("op", Schema.STRING_SCHEMA)
                        .build();
        Struct value =
                new Struct(envelope)
                        .put("before", before)
                        .put("after", after)
                        .put("source", new Struct(SOURCE).put("table", table))
                        .put("op", op);
        List<DimensionChange> out = new ArrayList<>();
        new DimensionChangeDeserializer()
                .deserialize(
                        new SourceRecord(null, null, "t", null, envelope, value),
                        new Collector<DimensionChange>() {
                            @Override
                            public void collect(DimensionChange c) {
                                out.add(c);
                            }

                            @Override
                            public void close() {}
                        });
        return out;
    }

    @Test
    void snapshotInsertAndUpdateAreTypedUpserts() {
        for (String op : new String[] {"r", "c", "u"}) {
            List<DimensionChange> out = run("devices", op, null, device("FEEDER", 12.5, "NORTH"));
            assertThat(out)
                    .singleElement()
                    .satisfies(
                            c -> {
                                assertThat(c.op).isEqualTo(Op.UPSERT);
                                assertThat(c.table).isEqualTo("devices");
                                assertThat(c.rejected).isNull();
                                assertThat(c.device.deviceId).isEqualTo("D1");
                                assertThat(c.device.capacityMw).isEqualTo(12.5);
                                assertThat(c.device.updatedAt).isEqualTo(1777636800123L);
                            });
        }
    }

    @Test
    void deleteCarriesTheBeforeImage() {
        List<DimensionChange> out = run("devices", "d", device("PUMP", null, null), null);
        assertThat(out)
                .singleElement()
                .satisfies(
                        c -> {
                            assertThat(c.op).isEqualTo(Op.DELETE);
                            assertThat(c.device.deviceId).isEqualTo("D1");
                        });
    }

    @Test
    void contractViolationsBecomeDeadLettersNamedAfterTheTable() {
        assertReject(
                run("devices", "c", null, device("FEEDER", 5.0, null)), "MISSING_FIELD", "region");
        assertReject(
                run("devices", "c", null, device("PUMP", 5.0, "N")),
                "INVALID_VALUE",
                "device_type");
        assertReject(
                run("devices", "c", null, device("FEEDER", 0.0, "N")),
                "OUT_OF_RANGE",
                "capacity_mw");
        assertReject(
                run("devices", "u", null, device("FEEDER", Double.NaN, "N")),
                "INVALID_VALUE",
                "capacity_mw");
        Struct line =
                new Struct(LINE)
                        .put("line_id", "L1")
                        .put("from_substation_id", "S1")
                        .put("to_substation_id", "S2")
                        .put("capacity_mw", 10.0)
                        .put("status", "HALF");
        List<DimensionChange> out = run("lines", "c", null, line);
        assertReject(out, "INVALID_VALUE", "status");
        assertThat(out.get(0).rejected.source).isEqualTo("lines");
        assertThat(out.get(0).rejected.payload)
                .isEqualTo(
                        "{\"line_id\":\"L1\",\"from_substation_id\":\"S1\",\"to_substation_id\":\"S2\","
                                + "\"capacity_mw\":10.0,\"status\":\"HALF\"}");
    }

    @Test
    void otherTablesAndTruncatesAreSkipped() {
        assertThat(run("meters", "c", null, device("FEEDER", 1.0, "N"))).isEmpty();
        assertThat(run("devices", "t", null, null)).isEmpty();
    }

    @Test
    void producedTypeIsAPojoWithoutGenericFields() {
        assertThat(new DimensionChangeDeserializer().getProducedType())
                .isInstanceOf(PojoTypeInfo.class);
        ExecutionConfig config = new ExecutionConfig();
        config.disableGenericTypes();
        TypeSerializer<DimensionChange> s =
                new DimensionChangeDeserializer()
                        .getProducedType()
                        .createSerializer(config.getSerializerConfig());
        assertThat(s).isNotNull();
    }

    private static void assertReject(List<DimensionChange> out, String reason, String column) {
        assertThat(out)
                .singleElement()
                .satisfies(
                        c -> {
                            assertThat(c.row()).isNull();
                            assertThat(c.rejected.reason).isEqualTo(reason);
                            assertThat(c.rejected.detail).isEqualTo(column);
                        });
    }
}
