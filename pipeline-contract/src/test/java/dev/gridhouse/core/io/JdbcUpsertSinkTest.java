package dev.gridhouse.core.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gridhouse.contract.grid.Alarm;
import dev.gridhouse.contract.grid.GridTables;
import dev.gridhouse.contract.grid.RegionRealtime;
import dev.gridhouse.contract.grid.Telemetry;
import org.junit.jupiter.api.Test;

class JdbcUpsertSinkTest {
    private static final String URL = "jdbc:postgresql://127.0.0.1:55432/gridhouse";

    private static JdbcUpsertSink.Builder<Alarm> alarms() {
        return JdbcUpsertSink.<Alarm>builder(GridTables.ADS_ALARMS)
                .setTarget("ads", "alarms")
                .setUrl(URL)
                .setUser("gridhouse")
                .setPassword("secret");
    }

    @Test
    void upsertsOnThePrimaryKeyWithEveryColumnQuoted() {
        String sql = alarms().build().upsertStatement();
        assertThat(sql)
                .startsWith(
                        "INSERT INTO \"ads\".\"alarms\" AS t (\"alarm_id\", \"device_id\","
                                + " \"substation_id\", \"region\", \"alarm_type\", \"severity\","
                                + " \"status\", \"raised_at\", \"cleared_at\", \"value\","
                                + " \"threshold\") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
                .contains(
                        "ON CONFLICT (\"alarm_id\") DO UPDATE SET \"device_id\" ="
                                + " EXCLUDED.\"device_id\"")
                .doesNotContain("\"alarm_id\" = EXCLUDED")
                .doesNotContain("WHERE");
    }

    @Test
    void wallClockColumnsAloneAreNotAChange() {
        String sql =
                JdbcUpsertSink.<RegionRealtime>builder(GridTables.ADS_GRID_REALTIME)
                        .setTarget("ads", "grid_realtime")
                        .setUrl(URL)
                        .setUser("gridhouse")
                        .setPassword("secret")
                        .setNotChangeColumns("updated_at")
                        .build()
                        .upsertStatement();
        assertThat(sql).contains("\"updated_at\" = EXCLUDED.\"updated_at\"");
        String where = sql.substring(sql.indexOf(" WHERE "));
        assertThat(where)
                .contains("t.\"load_mw\"")
                .contains("EXCLUDED.\"balance_mw\"")
                .contains("IS DISTINCT FROM")
                .doesNotContain("updated_at")
                .doesNotContain("\"region\""); // the key is not compared
    }

    @Test
    void ddlMapsContractTypes() {
        String ddl = alarms().build().createTableStatements();
        assertThat(ddl)
                .contains("CREATE SCHEMA IF NOT EXISTS \"ads\";")
                .contains("CREATE TABLE IF NOT EXISTS \"ads\".\"alarms\" (")
                .contains("\"alarm_id\" TEXT NOT NULL,")
                .contains("\"raised_at\" TIMESTAMPTZ(3),")
                .contains("\"value\" DOUBLE PRECISION,")
                .contains("PRIMARY KEY (\"alarm_id\")");
    }

    @Test
    void rejectsNamesThatAreNotPlainIdentifiers() {
        assertThatThrownBy(() -> alarms().setTarget("ads\"; DROP TABLE x; --", "alarms").build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("Invalid PostgreSQL schema name")
                .hasMessageContaining(JdbcUpsertSink.IDENTIFIER);
        assertThatThrownBy(() -> alarms().setTarget("ads", "Alarms").build())
                .hasMessageContaining("Invalid PostgreSQL table name 'Alarms'");
        assertThatThrownBy(() -> alarms().setTarget(null, null).build())
                .hasMessageContaining("setTarget(schema, table)");
    }

    @Test
    void rejectsIncompleteSettingsWithWhatToFix() {
        assertThatThrownBy(() -> alarms().setUrl("jdbc:mysql://h/db").build())
                .hasMessageContaining("setUrl(\"jdbc:postgresql://host:port/db\")");
        assertThatThrownBy(
                        () ->
                                alarms().setUrl("jdbc:postgresql://h/db?reWriteBatchedInserts=true")
                                        .build())
                .hasMessageContaining("cannot affect row a second time")
                .hasMessageContaining("Remove it");
        assertThatThrownBy(() -> alarms().setUser("").build()).hasMessageContaining("setUser");
        assertThatThrownBy(() -> alarms().setBatchSize(0).build())
                .hasMessageContaining("Batch size must be at least 1");
        assertThatThrownBy(() -> alarms().setNotChangeColumns("alarm_id").build())
                .hasMessageContaining("'alarm_id' is not a non-key column of ads_alarms");
        assertThatThrownBy(
                        () ->
                                JdbcUpsertSink.<Telemetry>builder(GridTables.ODS_GRID_TELEMETRY)
                                        .setTarget("ods", "telemetry")
                                        .setUrl(URL)
                                        .setUser("u")
                                        .build())
                .hasMessageContaining("has no primary key");
    }

    @Test
    void toStringHidesThePassword() {
        assertThat(alarms().build().toString())
                .contains("ads.alarms")
                .contains("gridhouse")
                .doesNotContain("secret");
    }
}
