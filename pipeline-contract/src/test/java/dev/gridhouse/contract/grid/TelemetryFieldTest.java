package dev.gridhouse.contract.grid;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gridhouse.contract.grid.avro.TelemetryRecord;
import dev.gridhouse.core.catalog.TableSpec;
import dev.gridhouse.core.serde.FlussRowConverter;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.ObjDoubleConsumer;
import java.util.stream.Collectors;
import org.apache.avro.Schema;
import org.apache.fluss.types.DataTypes;
import org.junit.jupiter.api.Test;

/**
 * {@link TelemetryField} is the one declaration of the telemetry schema: everything that repeats it
 * — the {@link Telemetry} POJO, {@code telemetry.avsc}, the Fluss telemetry tables and the range
 * checks of {@link TelemetryContract} — must agree with it. A drift in any of them fails here.
 */
class TelemetryFieldTest {
    private static final TelemetryField[] FIELDS = TelemetryField.values();

    @Test
    void contractNamesAndOrderAreThoseOfTheContractTable() {
        assertThat(Arrays.stream(FIELDS).map(TelemetryField::contractName))
                .containsExactly(
                        "device_id",
                        "ts",
                        "active_power_mw",
                        "voltage_kv",
                        "frequency_hz",
                        "reactive_power_mvar",
                        "current_a",
                        "temperature_c",
                        "status_code");
        assertThat(TelemetryContract.FIELDS)
                .containsExactlyElementsOf(
                        Arrays.stream(FIELDS)
                                .map(TelemetryField::contractName)
                                .collect(Collectors.toList()));
        assertThat(TelemetryContract.REQUIRED_FIELDS)
                .containsExactlyElementsOf(
                        Arrays.stream(FIELDS)
                                .filter(TelemetryField::required)
                                .map(TelemetryField::contractName)
                                .collect(Collectors.toList()));
        for (TelemetryField f : FIELDS) {
            assertThat(TelemetryField.byName(f.contractName())).isSameAs(f);
        }
        assertThat(TelemetryField.byName("ingest_time")).isNull();
    }

    @Test
    void pojoHasExactlyTheSchemaFieldsPlusIngestTime() {
        List<String> expected = new ArrayList<>();
        for (TelemetryField f : FIELDS) {
            Field field = FlussRowConverter.findField(Telemetry.class, f.javaName());
            assertThat(field).as("Telemetry.%s", f.javaName()).isNotNull();
            Class<?> type = f.type().javaType();
            assertThat(field.getType())
                    .as("type of Telemetry.%s", f.javaName())
                    .isEqualTo(f.required() || type == String.class ? type : boxed(type));
            expected.add(f.javaName());
        }
        expected.add("ingestTime");
        List<String> actual = new ArrayList<>();
        for (Field field : Telemetry.class.getDeclaredFields()) {
            if (!Modifier.isStatic(field.getModifiers())) {
                actual.add(field.getName());
            }
        }
        assertThat(actual).containsExactlyElementsOf(expected);
    }

    @Test
    void avroSchemaHasTheSchemaFieldsInOrder() {
        List<Schema.Field> avro = TelemetryRecord.getClassSchema().getFields();
        assertThat(avro).hasSize(FIELDS.length);
        for (TelemetryField f : FIELDS) {
            Schema.Field a = avro.get(f.ordinal());
            assertThat(a.name()).isEqualTo(f.contractName());
            Schema s = a.schema();
            if (f.required()) {
                assertThat(s.getType().getName()).as(a.name()).isEqualTo(f.type().avroType());
            } else {
                assertThat(s.getType()).as(a.name()).isEqualTo(Schema.Type.UNION);
                assertThat(s.getTypes()).as(a.name()).hasSize(2);
                assertThat(s.getTypes().get(0).getType()).isEqualTo(Schema.Type.NULL);
                assertThat(s.getTypes().get(1).getType().getName())
                        .as(a.name())
                        .isEqualTo(f.type().avroType());
                assertThat(a.hasDefaultValue()).as(a.name()).isTrue();
            }
        }
    }

    @Test
    void flussTelemetryTablesStartWithTheSchemaFields() {
        for (TableSpec table :
                List.of(GridTables.ODS_GRID_TELEMETRY, GridTables.DWD_GRID_TELEMETRY)) {
            List<TableSpec.Column> columns = table.columns();
            for (TelemetryField f : FIELDS) {
                TableSpec.Column c = columns.get(f.ordinal());
                assertThat(c.name).as(table.name()).isEqualTo(f.contractName());
                assertThat(c.type).as(table.name() + "." + c.name).isEqualTo(f.type().flussType());
            }
            TableSpec.Column ingest = columns.get(FIELDS.length);
            assertThat(ingest.name).isEqualTo("ingest_time");
            assertThat(ingest.type).isEqualTo(DataTypes.TIMESTAMP_LTZ(3));
        }
        assertThat(GridTables.ODS_GRID_TELEMETRY.columns()).hasSize(FIELDS.length + 1);
    }

    @Test
    void rangeChecksAreTheSchemaRanges() {
        for (TelemetryField f : FIELDS) {
            if (!f.hasRange()) {
                continue;
            }
            if (f == TelemetryField.TS) {
                Telemetry t = valid();
                t.ts = (long) f.min();
                assertThat(TelemetryContract.firstOutOfRangeField(t)).isNull();
                t.ts = (long) f.min() - 1;
                assertThat(TelemetryContract.firstOutOfRangeField(t)).isEqualTo("ts");
                t.ts = (long) f.max() - 1;
                assertThat(TelemetryContract.firstOutOfRangeField(t)).isNull();
                t.ts = (long) f.max();
                assertThat(f.maxExclusive()).isTrue();
                assertThat(TelemetryContract.firstOutOfRangeField(t)).isEqualTo("ts");
                continue;
            }
            assertThat(f.type()).isEqualTo(TelemetryField.Type.DOUBLE);
            assertThat(f.maxExclusive()).isFalse();
            ObjDoubleConsumer<Telemetry> set = setter(f);
            double[] inside = {f.min(), f.max()};
            double[] outside = {Math.nextDown(f.min()), Math.nextUp(f.max())};
            for (double v : inside) {
                Telemetry t = valid();
                set.accept(t, v);
                assertThat(TelemetryContract.firstOutOfRangeField(t)).as("%s = %s", f, v).isNull();
            }
            for (double v : outside) {
                Telemetry t = valid();
                set.accept(t, v);
                assertThat(TelemetryContract.firstOutOfRangeField(t))
                        .as("%s = %s", f, v)
                        .isEqualTo(f.contractName());
            }
        }
    }

    /** Sets a DOUBLE field through the one reflective lookup, as the schema names it. */
    private static ObjDoubleConsumer<Telemetry> setter(TelemetryField f) {
        Field field = FlussRowConverter.findField(Telemetry.class, f.javaName());
        return (t, v) -> {
            try {
                field.set(t, v); // a Double, unboxed for a double field
            } catch (IllegalAccessException e) {
                throw new AssertionError(e);
            }
        };
    }

    private static Telemetry valid() {
        Telemetry t = new Telemetry();
        t.deviceId = "D000001";
        t.ts = 1_700_000_000_000L;
        t.activePowerMw = 10;
        t.voltageKv = 110;
        t.frequencyHz = 50;
        t.reactivePowerMvar = 1.0;
        t.currentA = 10.0;
        t.temperatureC = 40.0;
        t.statusCode = 0;
        return t;
    }

    private static Class<?> boxed(Class<?> primitive) {
        if (primitive == long.class) {
            return Long.class;
        }
        if (primitive == double.class) {
            return Double.class;
        }
        if (primitive == int.class) {
            return Integer.class;
        }
        throw new IllegalArgumentException(primitive.getName());
    }
}
