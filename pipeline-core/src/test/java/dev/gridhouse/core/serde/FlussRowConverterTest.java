package dev.gridhouse.core.serde;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gridhouse.core.catalog.TableSpec;
import dev.gridhouse.core.fixture.TestTables;
import dev.gridhouse.core.fixture.TestTables.LabelledReading;
import dev.gridhouse.core.fixture.TestTables.Meter;
import dev.gridhouse.core.fixture.TestTables.RegionLoad;
import org.apache.fluss.row.BinaryString;
import org.apache.fluss.row.GenericRow;
import org.apache.fluss.row.TimestampLtz;
import org.apache.fluss.row.TimestampNtz;
import org.apache.fluss.types.DataTypes;
import org.junit.jupiter.api.Test;

class FlussRowConverterTest {

    @Test
    void everyTestTableMapsToItsModel() {
        for (TableSpec t :
                new TableSpec[] {
                    TestTables.METERS,
                    TestTables.READINGS,
                    TestTables.LABELLED_READINGS,
                    TestTables.REGION_LOAD,
                    TestTables.DEAD_LETTERS
                }) {
            assertThat(FlussRowConverter.forTable(t).table()).isSameAs(t);
        }
    }

    @Test
    void roundTripsInheritedNullableAndTimestampColumns() {
        FlussRowConverter<LabelledReading> c =
                FlussRowConverter.forTable(TestTables.LABELLED_READINGS);
        LabelledReading r = new LabelledReading();
        r.meterId = "M000001";
        r.ts = 1_767_225_600_123L;
        r.powerKw = -1.5;
        r.voltageV = null;
        r.statusCode = 3;
        r.readAt = 1_767_225_601_000L;
        r.meterName = "meter 1";
        r.region = "NORTH";
        r.online = true;

        GenericRow row = c.toRow(r);
        assertThat(row.getFieldCount()).isEqualTo(9);
        assertThat(row.getString(0)).isEqualTo(BinaryString.fromString("M000001"));
        assertThat(row.getLong(1)).isEqualTo(1_767_225_600_123L);
        assertThat(row.getDouble(2)).isEqualTo(-1.5);
        assertThat(row.isNullAt(3)).isTrue(); // voltage_v
        assertThat(row.getInt(4)).isEqualTo(3);
        assertThat(row.getTimestampLtz(5, 3))
                .isEqualTo(TimestampLtz.fromEpochMillis(1_767_225_601_000L));
        assertThat(row.getString(7)).isEqualTo(BinaryString.fromString("NORTH"));
        assertThat(row.getBoolean(8)).isTrue();

        LabelledReading back = c.fromRow(row);
        assertThat(back).usingRecursiveComparison().isEqualTo(r);
    }

    @Test
    void roundTripsPrimitiveIntAndBooleanFields() {
        FlussRowConverter<Meter> c = FlussRowConverter.forTable(TestTables.METERS);
        Meter m = new Meter("M1", "WEST");
        m.active = false;
        m.installedAt = 1_767_225_600_000L;
        GenericRow row = c.toRow(m);
        assertThat(row.getInt(4)).isEqualTo(3);
        assertThat(row.getBoolean(5)).isFalse();
        assertThat(c.fromRow(row)).usingRecursiveComparison().isEqualTo(m);
    }

    @Test
    void aNullColumnIntoAPrimitiveFieldFailsNamingBoth() {
        FlussRowConverter<Meter> c = FlussRowConverter.forTable(TestTables.METERS);
        GenericRow row = c.toRow(new Meter("M1", "WEST"));
        row.setField(3, null);
        assertThatThrownBy(() -> c.fromRow(row))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("capacity_kw")
                .hasMessageContaining("capacityKw");
    }

    @Test
    void timestampWithoutTimeZoneIsEpochMillisUtc() {
        FlussRowConverter<RegionLoad> c = FlussRowConverter.forTable(TestTables.REGION_LOAD);
        RegionLoad r = new RegionLoad();
        r.region = "EAST";
        r.windowStart = 1_767_225_600_000L;
        r.updatedAt = 5L;
        GenericRow row = c.toRow(r);
        assertThat(row.getTimestampNtz(1, 3).toLocalDateTime().toString())
                .isEqualTo("2026-01-01T00:00");
        assertThat(c.fromRow(row).windowStart).isEqualTo(1_767_225_600_000L);
        assertThat(TimestampNtz.fromMillis(r.windowStart)).isEqualTo(row.getTimestampNtz(1, 3));
    }

    @Test
    void aMismatchedModelFailsNamingTheColumn() {
        TableSpec t =
                TableSpec.builder("t", LabelledReading.class)
                        .column("meter_id", DataTypes.STRING())
                        .column("no_such_field", DataTypes.DOUBLE())
                        .build();
        assertThatThrownBy(() -> FlussRowConverter.forTable(t))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("no_such_field")
                .hasMessageContaining("noSuchField");

        TableSpec wrongType =
                TableSpec.builder("t", LabelledReading.class)
                        .column("region", DataTypes.DOUBLE())
                        .build();
        assertThatThrownBy(() -> FlussRowConverter.forTable(wrongType))
                .hasMessageContaining("t.region");
    }
}
