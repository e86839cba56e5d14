package dev.gridhouse.lake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gridhouse.contract.grid.DeviceMinute;
import dev.gridhouse.contract.grid.EnrichedTelemetry;
import dev.gridhouse.contract.grid.GridTables;
import java.nio.file.Paths;
import java.util.List;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.table.data.RowData;
import org.apache.fluss.row.TimestampLtz;
import org.apache.fluss.row.TimestampNtz;
import org.apache.paimon.schema.Schema;
import org.apache.paimon.types.DataTypeRoot;
import org.junit.jupiter.api.Test;

/** The lake layer's settings, queries and conversions, without a cluster. */
class LakeUnitTest {
    private static final long T0 = 1_767_261_600_000L; // 2026-01-01T10:00:00Z

    @Test
    void warehouseIsALocalDirectoryOrAUri() {
        assertThat(PaimonLakehouse.at("target/lake").warehouse())
                .isEqualTo("file://" + Paths.get("target/lake").toAbsolutePath());
        assertThat(PaimonLakehouse.at("s3://bucket/lake").warehouse())
                .isEqualTo("s3://bucket/lake");
        assertThat(PaimonLakehouse.at("/data/lake").serverConfig())
                .containsEntry("datalake.format", "paimon")
                .containsEntry("datalake.paimon.metastore", "filesystem")
                .containsEntry("datalake.paimon.warehouse", "file:///data/lake");
        assertThat(PaimonLakehouse.at("s3://b/it's").createCatalogSql("my`lake"))
                .isEqualTo(
                        "CREATE CATALOG `my``lake` WITH ('type' = 'paimon', 'warehouse' ="
                                + " 's3://b/it''s')");
        assertThatThrownBy(() -> PaimonLakehouse.at(" "))
                .hasMessageContaining("file:///var/lib/gridhouse/lake");
    }

    @Test
    void historyQueryFiltersByKeyAndTimeRange() {
        HistoryQuery q =
                HistoryQuery.of(GridTables.ODS_GRID_TELEMETRY)
                        .where("device_id", "D1")
                        .between(T0, T0 + 60_000)
                        .build();
        assertThat(q.timeColumn()).isEqualTo("ts");
        assertThat(q.timeIsEpochMillis()).isTrue();
        assertThat(q.matches(telemetryRow("D1", T0))).isTrue();
        assertThat(q.matches(telemetryRow("D1", T0 + 60_000))).isFalse(); // to is exclusive
        assertThat(q.matches(telemetryRow("D1", T0 - 1))).isFalse();
        assertThat(q.matches(telemetryRow("D2", T0))).isFalse();

        HistoryQuery minutes =
                HistoryQuery.of(GridTables.DWS_REGION_MINUTE)
                        .where("region", "NORTH")
                        .between(T0, null)
                        .build();
        assertThat(minutes.timeColumn()).isEqualTo("window_start");
        assertThat(minutes.timeIsEpochMillis()).isFalse();
        Object[] row = new Object[GridTables.DWS_REGION_MINUTE.columns().size()];
        row[GridTables.DWS_REGION_MINUTE.columnNames().indexOf("region")] = "NORTH";
        row[GridTables.DWS_REGION_MINUTE.columnNames().indexOf("window_start")] =
                TimestampNtz.fromMillis(T0);
        assertThat(minutes.matches(row)).isTrue();
        row[GridTables.DWS_REGION_MINUTE.columnNames().indexOf("window_start")] =
                TimestampNtz.fromMillis(T0 - 60_000);
        assertThat(minutes.matches(row)).isFalse();
        assertThat(HistoryQuery.millisOf(TimestampLtz.fromEpochMillis(T0))).isEqualTo(T0);
    }

    @Test
    void historyQuerySaysWhatToFix() {
        assertThatThrownBy(
                        () ->
                                HistoryQuery.of(GridTables.ODS_GRID_TELEMETRY)
                                        .where("station", "x")
                                        .build())
                .hasMessageContaining("has no column 'station'")
                .hasMessageContaining("device_id");
        assertThatThrownBy(
                        () ->
                                HistoryQuery.of(GridTables.ODS_GRID_TELEMETRY)
                                        .where("ts", "1")
                                        .build())
                .hasMessageContaining("string column");
        assertThatThrownBy(
                        () -> HistoryQuery.of(GridTables.ODS_DEVICES).between(T0, T0 + 1).build())
                .hasMessageContaining("no time column");
        assertThatThrownBy(
                        () ->
                                HistoryQuery.of(GridTables.ODS_GRID_TELEMETRY)
                                        .between(T0, T0)
                                        .build())
                .hasMessageContaining("The time range is empty");
        assertThatThrownBy(
                        () ->
                                HistoryQuery.of(GridTables.ODS_GRID_TELEMETRY)
                                        .asOfSnapshot(2)
                                        .asOfTimestamp(T0)
                                        .build())
                .hasMessageContaining("not both");
        assertThatThrownBy(
                        () ->
                                HistoryQuery.of(GridTables.ODS_GRID_TELEMETRY)
                                        .asOfSnapshot(0)
                                        .build())
                .hasMessageContaining("start at 1");
    }

    @Test
    void optionsParseInstantsAndTables() {
        assertThat(LakeOptions.parseInstant("x", "2026-01-01T10:00:00Z")).isEqualTo(T0);
        assertThat(LakeOptions.parseInstant("x", String.valueOf(T0))).isEqualTo(T0);
        assertThatThrownBy(() -> LakeOptions.parseInstant("--recompute.from", "yesterday"))
                .hasMessageContaining("--recompute.from")
                .hasMessageContaining("ISO-8601");
        Configuration conf = new Configuration();
        assertThat(LakeOptions.tables(conf)).hasSize(6).contains(GridTables.DWD_GRID_TELEMETRY);
        conf.set(LakeOptions.TABLES, List.of("dws_region_day"));
        assertThat(LakeOptions.tables(conf)).containsExactly(GridTables.DWS_REGION_DAY);
        conf.set(LakeOptions.TABLES, List.of("nope"));
        assertThatThrownBy(() -> LakeOptions.tables(conf)).hasMessageContaining("Unknown table");
    }

    @Test
    void modelsRoundTripThroughFlinkRows() {
        DeviceMinute m = new DeviceMinute();
        m.windowStart = T0;
        m.windowEnd = T0 + 60_000;
        m.deviceId = "D1";
        m.deviceType = "FEEDER";
        m.region = "NORTH";
        m.substationId = "S1";
        m.sampleCount = 6;
        m.avgActivePowerMw = 1.25;
        m.maxTemperatureC = null;
        m.faultCount = 1;
        FlinkRows<DeviceMinute> rows = new FlinkRows<>(GridTables.DWS_DEVICE_MINUTE);
        RowData row = rows.toRowData(m);
        assertThat(row.getArity()).isEqualTo(GridTables.DWS_DEVICE_MINUTE.columns().size());
        assertThat(row.getTimestamp(0, 3).getMillisecond()).isEqualTo(T0);
        assertThat(rows.fromRowData(row).toString()).isEqualTo(m.toString());

        EnrichedTelemetry e = new EnrichedTelemetry();
        e.deviceId = "D1";
        e.ts = T0 + 5;
        e.activePowerMw = 3.5;
        e.temperatureC = 41.0;
        e.statusCode = null;
        e.ingestTime = T0 + 9;
        e.region = "NORTH";
        e.deviceStatus = "IN_SERVICE";
        FlinkRows<EnrichedTelemetry> dwd = new FlinkRows<>(GridTables.DWD_GRID_TELEMETRY);
        EnrichedTelemetry back = dwd.fromRowData(dwd.toRowData(e));
        assertThat(back).usingRecursiveComparison().isEqualTo(e);
    }

    @Test
    void recomputedTablesHaveTheContractSchema() {
        Schema schema = HistoryRollups.paimonSchema(GridTables.DWS_REGION_HOUR);
        assertThat(schema.primaryKeys()).containsExactly("region", "window_start");
        assertThat(schema.fields())
                .extracting(f -> f.name())
                .containsExactlyElementsOf(GridTables.DWS_REGION_HOUR.columnNames());
        assertThat(schema.fields().get(1).type().getTypeRoot())
                .isEqualTo(DataTypeRoot.TIMESTAMP_WITHOUT_TIME_ZONE);
    }

    private static Object[] telemetryRow(String device, long ts) {
        Object[] r = new Object[GridTables.ODS_GRID_TELEMETRY.columns().size()];
        r[0] = device;
        r[1] = ts;
        return r;
    }
}
