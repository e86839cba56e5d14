package dev.gridhouse.core.io;

import static dev.gridhouse.core.fixture.TestTables.METERS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gridhouse.core.fixture.TestTables;
import dev.gridhouse.core.fixture.TestTables.Meter;
import dev.gridhouse.core.fixture.TestTables.Reading;
import dev.gridhouse.core.fixture.TestTables.RegionLoad;
import org.junit.jupiter.api.Test;

class JdbcUpsertSinkTest {
    private static final String URL = "jdbc:postgresql://127.0.0.1:55432/gridhouse";

    private static JdbcUpsertSink.Builder<Meter> meters() {
        return JdbcUpsertSink.<Meter>builder(METERS)
                .setTarget("ads", "meters")
                .setUrl(URL)
                .setUser("gridhouse")
                .setPassword("secret");
    }

    @Test
    void upsertsOnThePrimaryKeyWithEveryColumnQuoted() {
        String sql = meters().build().upsertStatement();
        assertThat(sql)
                .startsWith(
                        "INSERT INTO \"ads\".\"meters\" AS t (\"meter_id\", \"meter_name\","
                                + " \"region\", \"capacity_kw\", \"phases\", \"active\","
                                + " \"installed_at\") VALUES (?, ?, ?, ?, ?, ?, ?)")
                .contains(
                        "ON CONFLICT (\"meter_id\") DO UPDATE SET \"meter_name\" ="
                                + " EXCLUDED.\"meter_name\"")
                .doesNotContain("\"meter_id\" = EXCLUDED")
                .doesNotContain("WHERE");
    }

    @Test
    void wallClockColumnsAloneAreNotAChange() {
        String sql =
                JdbcUpsertSink.<RegionLoad>builder(TestTables.REGION_LOAD)
                        .setTarget("ads", "region_load")
                        .setUrl(URL)
                        .setUser("gridhouse")
                        .setPassword("secret")
                        .setNotChangeColumns("updated_at")
                        .build()
                        .upsertStatement();
        assertThat(sql).contains("\"updated_at\" = EXCLUDED.\"updated_at\"");
        String where = sql.substring(sql.indexOf(" WHERE "));
        assertThat(where)
                .contains("t.\"load_kw\"")
                .contains("EXCLUDED.\"peak_kw\"")
                .contains("IS DISTINCT FROM")
                .doesNotContain("updated_at")
                .doesNotContain("\"region\""); // the key is not compared
    }

    @Test
    void ddlMapsTableTypes() {
        String ddl = meters().build().createTableStatements();
        assertThat(ddl)
                .contains("CREATE SCHEMA IF NOT EXISTS \"ads\";")
                .contains("CREATE TABLE IF NOT EXISTS \"ads\".\"meters\" (")
                .contains("\"meter_id\" TEXT NOT NULL,")
                .contains("\"installed_at\" TIMESTAMPTZ(3),")
                .contains("\"capacity_kw\" DOUBLE PRECISION,")
                .contains("\"phases\" INTEGER,")
                .contains("\"active\" BOOLEAN,")
                .contains("PRIMARY KEY (\"meter_id\")");
        String regionLoad =
                JdbcUpsertSink.<RegionLoad>builder(TestTables.REGION_LOAD)
                        .setTarget("ads", "region_load")
                        .setUrl(URL)
                        .setUser("gridhouse")
                        .build()
                        .createTableStatements();
        assertThat(regionLoad)
                .contains("\"window_start\" TIMESTAMP(3),")
                .contains("\"meter_count\" BIGINT,");
    }

    @Test
    void rejectsNamesThatAreNotPlainIdentifiers() {
        assertThatThrownBy(() -> meters().setTarget("ads\"; DROP TABLE x; --", "meters").build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("Invalid PostgreSQL schema name")
                .hasMessageContaining(JdbcUpsertSink.IDENTIFIER);
        assertThatThrownBy(() -> meters().setTarget("ads", "Meters").build())
                .hasMessageContaining("Invalid PostgreSQL table name 'Meters'");
        assertThatThrownBy(() -> meters().setTarget(null, null).build())
                .hasMessageContaining("setTarget(schema, table)");
    }

    @Test
    void rejectsIncompleteSettingsWithWhatToFix() {
        assertThatThrownBy(() -> meters().setUrl("jdbc:mysql://h/db").build())
                .hasMessageContaining("setUrl(\"jdbc:postgresql://host:port/db\")");
        assertThatThrownBy(
                        () ->
                                meters().setUrl("jdbc:postgresql://h/db?reWriteBatchedInserts=true")
                                        .build())
                .hasMessageContaining("cannot affect row a second time")
                .hasMessageContaining("Remove it");
        assertThatThrownBy(() -> meters().setUser("").build()).hasMessageContaining("setUser");
        assertThatThrownBy(() -> meters().setBatchSize(0).build())
                .hasMessageContaining("Batch size must be at least 1");
        assertThatThrownBy(() -> meters().setNotChangeColumns("meter_id").build())
                .hasMessageContaining("'meter_id' is not a non-key column of meters");
        assertThatThrownBy(
                        () ->
                                JdbcUpsertSink.<Reading>builder(TestTables.READINGS)
                                        .setTarget("ods", "readings")
                                        .setUrl(URL)
                                        .setUser("u")
                                        .build())
                .hasMessageContaining("has no primary key");
    }

    @Test
    void toStringHidesThePassword() {
        assertThat(meters().build().toString())
                .contains("ads.meters")
                .contains("gridhouse")
                .doesNotContain("secret");
    }
}
