package dev.gridhouse.core.serde;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gridhouse.contract.grid.EnrichedTelemetry;
import dev.gridhouse.contract.grid.GridTables;
import dev.gridhouse.contract.grid.RegionRealtime;
import dev.gridhouse.core.catalog.TableSpec;
import org.apache.fluss.row.BinaryString;
import org.apache.fluss.row.GenericRow;
import org.apache.fluss.row.TimestampLtz;
import org.apache.fluss.row.TimestampNtz;
import org.apache.fluss.types.DataTypes;
import org.junit.jupiter.api.Test;

class FlussRowConverterTest {

    @Test
    void everyContractTableMapsToItsModel() {
        for (TableSpec t : GridTables.ALL) {
            assertThat(FlussRowConverter.forTable(t).table()).isSameAs(t);
        }
    }

    @Test
    void roundTripsInheritedNullableAndTimestampColumns() {
        FlussRowConverter<EnrichedTelemetry> c =
                FlussRowConverter.forTable(GridTables.DWD_GRID_TELEMETRY);
        EnrichedTelemetry e = new EnrichedTelemetry();
        e.deviceId = "D000001";
        e.ts = 1_767_225_600_123L;
        e.activePowerMw = -1.5;
        e.voltageKv = 110;
        e.frequencyHz = 50.01;
        e.temperatureC = null;
        e.statusCode = 3;
        e.ingestTime = 1_767_225_601_000L;
        e.region = "NORTH";
        e.deviceType = "FEEDER";

        GenericRow row = c.toRow(e);
        assertThat(row.getFieldCount()).isEqualTo(17);
        assertThat(row.getString(0)).isEqualTo(BinaryString.fromString("D000001"));
        assertThat(row.getLong(1)).isEqualTo(1_767_225_600_123L);
        assertThat(row.isNullAt(7)).isTrue(); // temperature_c
        assertThat(row.getInt(8)).isEqualTo(3);
        assertThat(row.getTimestampLtz(9, 3))
                .isEqualTo(TimestampLtz.fromEpochMillis(1_767_225_601_000L));
        assertThat(row.getString(13)).isEqualTo(BinaryString.fromString("NORTH"));

        EnrichedTelemetry back = c.fromRow(row);
        assertThat(back).usingRecursiveComparison().isEqualTo(e);
    }

    @Test
    void timestampWithoutTimeZoneIsEpochMillisUtc() {
        FlussRowConverter<RegionRealtime> c =
                FlussRowConverter.forTable(GridTables.ADS_GRID_REALTIME);
        RegionRealtime r = new RegionRealtime();
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
                TableSpec.builder("t", EnrichedTelemetry.class)
                        .column("device_id", DataTypes.STRING())
                        .column("no_such_field", DataTypes.DOUBLE())
                        .build();
        assertThatThrownBy(() -> FlussRowConverter.forTable(t))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("no_such_field")
                .hasMessageContaining("noSuchField");

        TableSpec wrongType =
                TableSpec.builder("t", EnrichedTelemetry.class)
                        .column("region", DataTypes.DOUBLE())
                        .build();
        assertThatThrownBy(() -> FlussRowConverter.forTable(wrongType))
                .hasMessageContaining("t.region");
    }
}
