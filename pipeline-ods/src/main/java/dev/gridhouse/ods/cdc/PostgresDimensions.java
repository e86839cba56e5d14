package dev.gridhouse.ods.cdc;

import dev.gridhouse.contract.grid.DimensionChange;
import dev.gridhouse.contract.grid.GridTables;
import dev.gridhouse.core.ops.DeadLetters;
import java.util.Arrays;
import org.apache.flink.cdc.connectors.postgres.source.PostgresSourceBuilder.PostgresIncrementalSource;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;

/**
 * The device dimension and the topology from PostgreSQL (contract §1.1/§1.2): a Flink CDC
 * incremental source over {@code grid.devices}, {@code grid.substations} and {@code grid.lines}
 * (snapshot, then the WAL through {@code pgoutput}; the slot's LSN is committed on checkpoints),
 * typed {@link DimensionChange}s, contract checks ({@link DimensionRows#CDC} through the shared
 * {@link PostgresCdc}), then upserts and deletes into {@code ods_devices}, {@code ods_substations}
 * and {@code ods_lines}; rejected rows go to the dead letter with {@code source} = the table name.
 * A rejected update leaves the last valid row in Fluss.
 *
 * <p><b>TRUNCATE.</b> The source asks Debezium for truncate events ({@code
 * truncate.handling.mode=include}; Debezium 1.9's default {@code skip} drops them, which left every
 * truncated row in Fluss). A {@code TRUNCATE} of one of the three tables deletes from its ODS table
 * every row this pipeline had written and not deleted since — exactly the rows a {@code DELETE
 * FROM} without a condition would have deleted one by one — so the ODS table equals the PostgreSQL
 * table again, and rows inserted after the truncate arrive after those deletes. The validation step
 * is keyed by table and keeps the keys of the live rows of its table in keyed state ({@code
 * live-keys}), so the deletes are emitted in WAL order with every other change of the table. Rows
 * written to the ODS table by anything else (a CSV load) are not known and stay. A truncate is not
 * a rejected record: it writes no dead letter (contract §2 has no reason for it); it is logged
 * (WARN, with the number of rows deleted) and counted in the metric {@code truncates}. Limits: the
 * live-key state starts with this version of the job, so after restoring a savepoint of an older
 * version a truncate deletes only the rows written since; {@code TRUNCATE ... CASCADE} of another
 * table that cascades here is one event per table and handled the same way.
 */
public final class PostgresDimensions {
    /** Value of {@code --devices-source} that selects this source. */
    public static final String SOURCE = "postgres";

    public static final String SCHEMA = "grid";

    /**
     * The grid's part of the shared CDC path: {@link DimensionRows#CDC}, and the changes written
     * into {@code ods_devices}, {@code ods_substations} and {@code ods_lines}.
     */
    public static final PostgresCdc.Ods<DimensionChange> ODS =
            new PostgresCdc.Ods<>(
                            DimensionRows.CDC,
                            Arrays.asList(
                                    GridTables.ODS_DEVICES,
                                    GridTables.ODS_SUBSTATIONS,
                                    GridTables.ODS_LINES))
                    .changelog(DimensionChange.DEVICES, GridTables.ODS_DEVICES)
                    .changelog(DimensionChange.SUBSTATIONS, GridTables.ODS_SUBSTATIONS)
                    .changelog(DimensionChange.LINES, GridTables.ODS_LINES);

    private PostgresDimensions() {}

    /** The CDC source of the three tables, deserializing to typed changes. */
    public static PostgresIncrementalSource<DimensionChange> source(PostgresSettings pg) {
        return PostgresCdc.source(pg, DimensionRows.CDC);
    }

    /**
     * Keys the changes by table (so that every change of a row, and a truncate of its table,
     * reaches the same writer in WAL order) and splits them: devices in the main output,
     * substations and lines in their {@link CdcTables#tag}s, rejects in {@link DeadLetters#TAG}; a
     * truncate becomes one delete per live row of its table (see the class comment).
     */
    public static SingleOutputStreamOperator<DimensionChange> route(
            DataStream<DimensionChange> changes, String uid) {
        return PostgresCdc.route(changes, DimensionRows.CDC, uid);
    }
}
