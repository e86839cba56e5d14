package dev.gridhouse.ods.cdc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gridhouse.contract.grid.DimensionChange;
import dev.gridhouse.core.model.TableChange.Op;
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

    private static List<DimensionChange> runRow(String table, String op, Schema row, Struct r) {
        return run(table, op, row, op.equals("d") ? r : null, op.equals("d") ? null : r);
    }

    private static List<DimensionChange> run(String table, String op, Struct before, Struct after) {
        return run(table, op, table.equals("lines") ? LINE : DEVICE, before, after);
    }

    private static List<DimensionChange> run(
            String table, String op, Schema row, Struct before, Struct after) {
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
        new PostgresCdc.Deserializer<>(DimensionRows.CDC)
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
    void otherTablesAreSkipped() {
        assertThat(run("meters", "c", null, device("FEEDER", 1.0, "N"))).isEmpty();
        assertThat(run("meters", "t", null, null)).isEmpty();
    }

    @Test
    void aTruncateBecomesTheTruncateMarkerOfItsTable() {
        assertThat(run("devices", "t", null, null))
                .singleElement()
                .satisfies(
                        c -> {
                            assertThat(DimensionRows.isTruncate(c)).isTrue();
                            assertThat(c.table).isEqualTo("devices");
                            assertThat(c.op).isEqualTo(Op.DELETE);
                        });
        // a real delete is no truncate
        assertThat(
                        DimensionRows.isTruncate(
                                run("devices", "d", device("FEEDER", 1.0, "N"), null).get(0)))
                .isFalse();
    }

    /** The row after {@code ALTER TABLE grid.devices ALTER COLUMN capacity_mw TYPE text}. */
    private static final Schema DEVICE_TEXT_CAPACITY =
            SchemaBuilder.struct()
                    .field("device_id", Schema.STRING_SCHEMA)
                    .field("device_name", Schema.OPTIONAL_STRING_SCHEMA)
                    .field("device_type", Schema.OPTIONAL_STRING_SCHEMA)
                    .field("substation_id", Schema.OPTIONAL_STRING_SCHEMA)
                    .field("region", Schema.OPTIONAL_STRING_SCHEMA)
                    .field("capacity_mw", Schema.OPTIONAL_STRING_SCHEMA)
                    .field("rated_voltage_kv", Schema.OPTIONAL_FLOAT64_SCHEMA)
                    .field("status", Schema.OPTIONAL_STRING_SCHEMA)
                    .field("updated_at", Schema.OPTIONAL_STRING_SCHEMA)
                    .optional()
                    .build();

    private static List<DimensionChange> runTextCapacity(String capacity, String updatedAt) {
        Struct row =
                new Struct(DEVICE_TEXT_CAPACITY)
                        .put("device_id", "D9")
                        .put("device_name", "Feeder 9")
                        .put("device_type", "FEEDER")
                        .put("substation_id", "S1")
                        .put("region", "NORTH")
                        .put("capacity_mw", capacity)
                        .put("rated_voltage_kv", 110.0)
                        .put("status", "IN_SERVICE")
                        .put("updated_at", updatedAt);
        return runRow("devices", "c", DEVICE_TEXT_CAPACITY, row);
    }

    @Test
    void aNumberInATextColumnAfterATypeChangeIsConverted() {
        for (String capacity : new String[] {"12.5", " 12.5 ", "1.25e1", "+12.50"}) {
            assertThat(runTextCapacity(capacity, "2026-05-01T12:00:00Z"))
                    .as(capacity)
                    .singleElement()
                    .satisfies(
                            c -> {
                                assertThat(c.rejected).isNull();
                                assertThat(c.device.capacityMw).isEqualTo(12.5);
                            });
        }
    }

    @Test
    void aValueThatCannotBeConvertedIsAnInvalidTypeDeadLetterNotAnException() {
        for (String capacity : new String[] {"abc", "", "12,5", "0x1p3", "12.5d", "1 2"}) {
            List<DimensionChange> out = runTextCapacity(capacity, "2026-05-01T12:00:00Z");
            assertReject(out, "INVALID_TYPE", "capacity_mw");
            assertThat(out.get(0).rejected.source).isEqualTo("devices");
            assertThat(out.get(0).rejected.payload)
                    .contains("\"device_id\":\"D9\"")
                    .contains("\"capacity_mw\":\"" + capacity + "\"");
        }
        // contract order: a non-finite number is INVALID_VALUE, a non-positive one OUT_OF_RANGE
        assertReject(
                runTextCapacity("NaN", "2026-05-01T12:00:00Z"), "INVALID_VALUE", "capacity_mw");
        assertReject(runTextCapacity("-1", "2026-05-01T12:00:00Z"), "OUT_OF_RANGE", "capacity_mw");
        // a timestamp that cannot be read
        assertReject(runTextCapacity("12.5", "yesterday"), "INVALID_TYPE", "updated_at");
    }

    @Test
    void otherUnconvertibleColumnTypesAreInvalidType() {
        Schema bytesName =
                SchemaBuilder.struct()
                        .field("device_id", Schema.STRING_SCHEMA)
                        .field("device_name", Schema.OPTIONAL_BYTES_SCHEMA)
                        .field("device_type", Schema.OPTIONAL_STRING_SCHEMA)
                        .field("substation_id", Schema.OPTIONAL_STRING_SCHEMA)
                        .field("region", Schema.OPTIONAL_STRING_SCHEMA)
                        .field("capacity_mw", Schema.OPTIONAL_BOOLEAN_SCHEMA)
                        .field("rated_voltage_kv", Schema.OPTIONAL_INT32_SCHEMA)
                        .field("status", Schema.OPTIONAL_STRING_SCHEMA)
                        .field("updated_at", Schema.OPTIONAL_INT64_SCHEMA)
                        .optional()
                        .build();
        assertReject(
                runRow("devices", "u", bytesName, odd(bytesName, new byte[] {1, 2}, true)),
                "INVALID_TYPE",
                "device_name");
        assertReject(
                runRow("devices", "u", bytesName, odd(bytesName, null, true)),
                "MISSING_FIELD",
                "device_name");
    }

    private static Struct odd(Schema schema, byte[] name, Boolean capacity) {
        return new Struct(schema)
                .put("device_id", "D9")
                .put("device_name", name)
                .put("device_type", "FEEDER")
                .put("substation_id", "S1")
                .put("region", "NORTH")
                .put("capacity_mw", capacity)
                .put("rated_voltage_kv", 110)
                .put("status", "IN_SERVICE")
                .put("updated_at", 1777636800123L);
    }

    @Test
    void aBooleanInANumberColumnIsInvalidType() {
        Schema s =
                SchemaBuilder.struct()
                        .field("device_id", Schema.STRING_SCHEMA)
                        .field("device_name", Schema.OPTIONAL_STRING_SCHEMA)
                        .field("device_type", Schema.OPTIONAL_STRING_SCHEMA)
                        .field("substation_id", Schema.OPTIONAL_STRING_SCHEMA)
                        .field("region", Schema.OPTIONAL_STRING_SCHEMA)
                        .field("capacity_mw", Schema.OPTIONAL_BOOLEAN_SCHEMA)
                        .field("rated_voltage_kv", Schema.OPTIONAL_INT32_SCHEMA)
                        .field("status", Schema.OPTIONAL_STRING_SCHEMA)
                        .field("updated_at", Schema.OPTIONAL_INT64_SCHEMA)
                        .optional()
                        .build();
        Struct row =
                new Struct(s)
                        .put("device_id", "D9")
                        .put("device_name", "n")
                        .put("device_type", "FEEDER")
                        .put("substation_id", "S1")
                        .put("region", "NORTH")
                        .put("capacity_mw", true)
                        .put("rated_voltage_kv", 110)
                        .put("status", "IN_SERVICE")
                        .put("updated_at", 1777636800123L);
        assertReject(runRow("devices", "u", s, row), "INVALID_TYPE", "capacity_mw");
    }

    @Test
    void anIntegerColumnConvertsToDouble() {
        Schema ints =
                SchemaBuilder.struct()
                        .field("line_id", Schema.INT64_SCHEMA)
                        .field("from_substation_id", Schema.OPTIONAL_STRING_SCHEMA)
                        .field("to_substation_id", Schema.OPTIONAL_STRING_SCHEMA)
                        .field("capacity_mw", Schema.OPTIONAL_INT32_SCHEMA)
                        .field("status", Schema.OPTIONAL_STRING_SCHEMA)
                        .optional()
                        .build();
        Struct line =
                new Struct(ints)
                        .put("line_id", 7L)
                        .put("from_substation_id", "S1")
                        .put("to_substation_id", "S2")
                        .put("capacity_mw", 40)
                        .put("status", "CLOSED");
        assertThat(runRow("lines", "c", ints, line))
                .singleElement()
                .satisfies(
                        c -> {
                            assertThat(c.line.lineId).isEqualTo("7");
                            assertThat(c.line.capacityMw).isEqualTo(40.0);
                        });
    }

    @Test
    void producedTypeIsAPojoWithoutGenericFields() {
        assertThat(new PostgresCdc.Deserializer<>(DimensionRows.CDC).getProducedType())
                .isInstanceOf(PojoTypeInfo.class);
        ExecutionConfig config = new ExecutionConfig();
        config.disableGenericTypes();
        TypeSerializer<DimensionChange> s =
                new PostgresCdc.Deserializer<>(DimensionRows.CDC)
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
