package dev.gridhouse.contract.grid;

import dev.gridhouse.core.catalog.TableSpec;
import dev.gridhouse.core.model.DeadLetter;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.fluss.types.DataType;
import org.apache.fluss.types.DataTypes;

/**
 * Every table of the grid contract ({@code docs/spec/grid-contract.md}), defined once. Column order
 * is the contract's order; it is also the order of CSV dumps.
 */
public final class GridTables {
    /** Default Fluss database of the grid warehouse. */
    public static final String DEFAULT_DATABASE = "grid";

    private static final DataType STRING = DataTypes.STRING();
    private static final DataType DOUBLE = DataTypes.DOUBLE();
    private static final DataType BIGINT = DataTypes.BIGINT();
    private static final DataType TS_LTZ = DataTypes.TIMESTAMP_LTZ(3);
    private static final DataType TS = DataTypes.TIMESTAMP(3);

    private GridTables() {}

    // ---------------------------------------------------------------- ODS

    public static final TableSpec ODS_DEVICES =
            TableSpec.builder("ods_devices", Device.class)
                    .column("device_id", STRING)
                    .column("device_name", STRING)
                    .column("device_type", STRING)
                    .column("substation_id", STRING)
                    .column("region", STRING)
                    .column("capacity_mw", DOUBLE)
                    .column("rated_voltage_kv", DOUBLE)
                    .column("status", STRING)
                    .column("updated_at", TS_LTZ)
                    .primaryKey("device_id")
                    .distributedBy(2, "device_id")
                    .build();

    public static final TableSpec ODS_SUBSTATIONS =
            TableSpec.builder("ods_substations", Substation.class)
                    .column("substation_id", STRING)
                    .column("substation_name", STRING)
                    .column("region", STRING)
                    .column("voltage_level_kv", DOUBLE)
                    .column("capacity_mw", DOUBLE)
                    .primaryKey("substation_id")
                    .distributedBy(1, "substation_id")
                    .build();

    public static final TableSpec ODS_LINES =
            TableSpec.builder("ods_lines", GridLine.class)
                    .column("line_id", STRING)
                    .column("from_substation_id", STRING)
                    .column("to_substation_id", STRING)
                    .column("capacity_mw", DOUBLE)
                    .column("status", STRING)
                    .primaryKey("line_id")
                    .distributedBy(1, "line_id")
                    .build();

    /**
     * Telemetry columns of contract §1.3 in contract order (from {@link TelemetryField}), then
     * {@code ingest_time}.
     */
    private static TableSpec.Builder telemetryColumns(TableSpec.Builder b) {
        for (TelemetryField f : TelemetryField.values()) {
            b.column(f.contractName(), f.type().flussType());
        }
        return b.column("ingest_time", TS_LTZ);
    }

    public static final TableSpec ODS_GRID_TELEMETRY =
            telemetryColumns(TableSpec.builder("ods_grid_telemetry", Telemetry.class))
                    .distributedBy(2, "device_id")
                    .property("table.log.format", "ARROW")
                    .build();

    public static final TableSpec ODS_DEAD_LETTER =
            TableSpec.builder("ods_dead_letter", DeadLetter.class)
                    .column("source", STRING)
                    .column("reason", STRING)
                    .column("detail", STRING)
                    .column("payload", STRING)
                    .column("event_ts", BIGINT)
                    .column("rejected_at", TS_LTZ)
                    // the writer's key for exactly-once writes (CommittedFlussSink); first_row
                    // makes a re-committed row a no-op and the changelog insert-only
                    .column("dead_letter_id", STRING)
                    .primaryKey("dead_letter_id")
                    .distributedBy(1, "dead_letter_id")
                    .property("table.merge-engine", "first_row")
                    .build();

    // ---------------------------------------------------------------- DWD

    public static final TableSpec DWD_GRID_TELEMETRY =
            telemetryColumns(TableSpec.builder("dwd_grid_telemetry", EnrichedTelemetry.class))
                    .column("device_name", STRING)
                    .column("device_type", STRING)
                    .column("substation_id", STRING)
                    .column("region", STRING)
                    .column("capacity_mw", DOUBLE)
                    .column("rated_voltage_kv", DOUBLE)
                    .column("device_status", STRING)
                    // PK (device_id, ts) with first_row: a record rewritten after a restore is a
                    // no-op, and the changelog stays insert-only (readable as a log)
                    .primaryKey("device_id", "ts")
                    .distributedBy(2, "device_id")
                    .property("table.merge-engine", "first_row")
                    .property("table.log.format", "ARROW")
                    .build();

    // ---------------------------------------------------------------- DWS

    public static final TableSpec DWS_DEVICE_MINUTE =
            TableSpec.builder("dws_device_minute", DeviceMinute.class)
                    .column("window_start", TS)
                    .column("window_end", TS)
                    .column("device_id", STRING)
                    .column("device_type", STRING)
                    .column("region", STRING)
                    .column("substation_id", STRING)
                    .column("sample_count", BIGINT)
                    .column("avg_active_power_mw", DOUBLE)
                    .column("min_active_power_mw", DOUBLE)
                    .column("max_active_power_mw", DOUBLE)
                    .column("avg_voltage_kv", DOUBLE)
                    .column("min_voltage_kv", DOUBLE)
                    .column("max_voltage_kv", DOUBLE)
                    .column("avg_frequency_hz", DOUBLE)
                    .column("min_frequency_hz", DOUBLE)
                    .column("max_frequency_hz", DOUBLE)
                    .column("freq_in_band_count", BIGINT)
                    .column("max_temperature_c", DOUBLE)
                    .column("fault_count", BIGINT)
                    .primaryKey("device_id", "window_start")
                    .distributedBy(2, "device_id")
                    .build();

    /** Region-minute columns of contract §5.2, shared by the ADS realtime table. */
    private static TableSpec.Builder regionMinuteColumns(TableSpec.Builder b) {
        return b.column("region", STRING)
                .column("window_start", TS)
                .column("device_count", BIGINT)
                .column("sample_count", BIGINT)
                .column("load_mw", DOUBLE)
                .column("generation_mw", DOUBLE)
                .column("avg_frequency_hz", DOUBLE)
                .column("min_frequency_hz", DOUBLE)
                .column("max_frequency_hz", DOUBLE)
                .column("frequency_stability_pct", DOUBLE)
                .column("max_temperature_c", DOUBLE)
                .column("fault_count", BIGINT);
    }

    public static final TableSpec DWS_REGION_MINUTE =
            regionMinuteColumns(TableSpec.builder("dws_region_minute", RegionMinute.class))
                    .primaryKey("region", "window_start")
                    .distributedBy(1, "region")
                    .build();

    private static TableSpec.Builder regionRollupColumns(
            TableSpec.Builder b, String reportedColumn) {
        return b.column("region", STRING)
                .column("window_start", TS)
                .column(reportedColumn, BIGINT)
                .column("sample_count", BIGINT)
                .column("avg_load_mw", DOUBLE)
                .column("peak_load_mw", DOUBLE)
                .column("energy_mwh", DOUBLE)
                .column("avg_generation_mw", DOUBLE)
                .column("peak_generation_mw", DOUBLE)
                .column("avg_frequency_hz", DOUBLE)
                .column("min_frequency_hz", DOUBLE)
                .column("max_frequency_hz", DOUBLE)
                .column("frequency_stability_pct", DOUBLE)
                .column("fault_count", BIGINT)
                .primaryKey("region", "window_start")
                .distributedBy(1, "region");
    }

    public static final TableSpec DWS_REGION_HOUR =
            regionRollupColumns(
                            TableSpec.builder("dws_region_hour", RegionHour.class),
                            "minutes_reported")
                    .build();

    public static final TableSpec DWS_REGION_DAY =
            regionRollupColumns(
                            TableSpec.builder("dws_region_day", RegionDay.class), "hours_reported")
                    .build();

    // ---------------------------------------------------------------- ADS

    public static final TableSpec ADS_GRID_REALTIME =
            regionMinuteColumns(TableSpec.builder("ads_grid_realtime", RegionRealtime.class))
                    .column("balance_mw", DOUBLE)
                    .column("active_alarm_count", BIGINT)
                    .column("updated_at", TS_LTZ)
                    .primaryKey("region")
                    .distributedBy(1, "region")
                    .build();

    public static final TableSpec ADS_ALARMS =
            TableSpec.builder("ads_alarms", Alarm.class)
                    .column("alarm_id", STRING)
                    .column("device_id", STRING)
                    .column("substation_id", STRING)
                    .column("region", STRING)
                    .column("alarm_type", STRING)
                    .column("severity", STRING)
                    .column("status", STRING)
                    .column("raised_at", TS_LTZ)
                    .column("cleared_at", TS_LTZ)
                    .column("value", DOUBLE)
                    .column("threshold", DOUBLE)
                    .primaryKey("alarm_id")
                    .distributedBy(2, "alarm_id")
                    .build();

    public static final TableSpec DWS_SUBSTATION_LOAD =
            TableSpec.builder("dws_substation_load", SubstationLoad.class)
                    .column("substation_id", STRING)
                    .column("region", STRING)
                    .column("load_mw", DOUBLE)
                    .column("device_count", BIGINT)
                    .column("updated_at", TS_LTZ)
                    .primaryKey("substation_id")
                    .distributedBy(1, "substation_id")
                    .build();

    public static final TableSpec ADS_DISPATCH_DECISIONS =
            TableSpec.builder("ads_dispatch_decisions", DispatchDecision.class)
                    .column("decision_id", STRING)
                    .column("substation_id", STRING)
                    .column("region", STRING)
                    .column("alarm_type", STRING)
                    .column("event_ts", TS_LTZ)
                    .column("decided_at", TS_LTZ)
                    .column("decision_latency_ms", BIGINT)
                    .column("required_mw", DOUBLE)
                    .column("transfers", STRING)
                    .column("unserved_mw", DOUBLE)
                    .primaryKey("decision_id")
                    .distributedBy(1, "decision_id")
                    .build();

    /** All contract tables of this layers, in layer order. */
    public static final List<TableSpec> ALL =
            Collections.unmodifiableList(
                    Arrays.asList(
                            ODS_DEVICES,
                            ODS_SUBSTATIONS,
                            ODS_LINES,
                            ODS_GRID_TELEMETRY,
                            ODS_DEAD_LETTER,
                            DWD_GRID_TELEMETRY,
                            DWS_DEVICE_MINUTE,
                            DWS_REGION_MINUTE,
                            DWS_REGION_HOUR,
                            DWS_REGION_DAY,
                            DWS_SUBSTATION_LOAD,
                            ADS_GRID_REALTIME,
                            ADS_ALARMS,
                            ADS_DISPATCH_DECISIONS));

    private static final Map<String, TableSpec> BY_NAME = new LinkedHashMap<>();

    static {
        for (TableSpec t : ALL) {
            BY_NAME.put(t.name(), t);
        }
    }

    /** The table of that name; fails with the list of known tables if there is none. */
    public static TableSpec byName(String name) {
        TableSpec spec = BY_NAME.get(name);
        if (spec == null) {
            throw new IllegalArgumentException(
                    "Unknown table '" + name + "'. Known tables: " + BY_NAME.keySet());
        }
        return spec;
    }
}
