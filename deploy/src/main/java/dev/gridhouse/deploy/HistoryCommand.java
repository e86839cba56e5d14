package dev.gridhouse.deploy;

import dev.gridhouse.contract.grid.GridTables;
import dev.gridhouse.core.catalog.TableSpec;
import dev.gridhouse.core.config.CommonOptions;
import dev.gridhouse.core.config.JobOptions;
import dev.gridhouse.lake.HistoryQuery;
import dev.gridhouse.lake.LakeHistory;
import dev.gridhouse.lake.LakeOptions;
import java.io.PrintStream;
import java.util.Arrays;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;
import org.apache.flink.configuration.Configuration;

/**
 * {@code gridhouse history}: a tiered table's history from the Paimon lake plus its fresh tail from
 * the Fluss log as one result (a union read), or as of a Paimon snapshot or a point in time (time
 * travel), for one device or region and an event-time range.
 *
 * <pre>
 * gridhouse history --fluss.bootstrap-servers 127.0.0.1:9123 --lake.warehouse /data/lake \
 *     --device DEV-000042 --from 2026-01-01T09:00:00Z --to 2026-01-01T10:00:00Z
 * gridhouse history --table dws_device_minute --device DEV-000042 --as-of-snapshot 3
 * </pre>
 */
public final class HistoryCommand {
    private HistoryCommand() {}

    static final ConfigOption<String> TABLE =
            ConfigOptions.key("table")
                    .stringType()
                    .defaultValue(GridTables.ODS_GRID_TELEMETRY.name())
                    .withDescription("The tiered table to read.");

    static final ConfigOption<String> DEVICE =
            ConfigOptions.key("device")
                    .stringType()
                    .noDefaultValue()
                    .withDescription("Only this device_id.");

    static final ConfigOption<String> REGION =
            ConfigOptions.key("region")
                    .stringType()
                    .noDefaultValue()
                    .withDescription("Only this region (tables with a region column).");

    static final ConfigOption<String> FROM =
            ConfigOptions.key("from")
                    .stringType()
                    .noDefaultValue()
                    .withDescription(
                            "Event time from (ISO-8601 or epoch ms), inclusive: ts for"
                                    + " telemetry, window_start for rollups.");

    static final ConfigOption<String> TO =
            ConfigOptions.key("to")
                    .stringType()
                    .noDefaultValue()
                    .withDescription("Event time to, exclusive.");

    static final ConfigOption<Long> AS_OF_SNAPSHOT =
            ConfigOptions.key("as-of-snapshot")
                    .longType()
                    .noDefaultValue()
                    .withDescription("Read the table as Paimon snapshot N holds it.");

    static final ConfigOption<String> AS_OF =
            ConfigOptions.key("as-of")
                    .stringType()
                    .noDefaultValue()
                    .withDescription(
                            "Read the table as it was at this instant: the last lake snapshot"
                                    + " before it plus the Fluss log up to it.");

    static final ConfigOption<String> FORMAT =
            ConfigOptions.key("format")
                    .stringType()
                    .defaultValue("table")
                    .withDescription("table, csv or json (one object per line).");

    static final JobOptions OPTIONS =
            JobOptions.of(
                    "gridhouse history",
                    "A table's history from the Paimon lake plus the Fluss tail, without gap or"
                            + " overlap; or as of a lake snapshot or an instant.",
                    Arrays.<ConfigOption<?>>asList(
                            CommonOptions.FLUSS_BOOTSTRAP_SERVERS,
                            CommonOptions.FLUSS_DATABASE,
                            LakeOptions.WAREHOUSE,
                            TABLE,
                            DEVICE,
                            REGION,
                            FROM,
                            TO,
                            AS_OF_SNAPSHOT,
                            AS_OF,
                            FORMAT));

    public static int run(String[] args, PrintStream out) throws Exception {
        Configuration conf = OPTIONS.parse(args);
        if (conf == null) {
            return 0;
        }
        HistoryQuery query = query(conf);
        try (LakeHistory history =
                new LakeHistory(LakeOptions.lakehouse(conf), CommonOptions.endpoint(conf))) {
            LakeHistory.Result result = history.read(query);
            TableFormat.print(query.table(), result.rows, conf.get(FORMAT), out);
            if (conf.get(FORMAT).equals("table")) {
                out.println("(" + query + "; from " + result.source + ")");
            } else {
                System.err.println("gridhouse history: " + query + "; from " + result.source);
            }
        }
        return 0;
    }

    static HistoryQuery query(Configuration conf) {
        TableSpec table = GridTables.byName(conf.get(TABLE));
        HistoryQuery.Builder q = HistoryQuery.of(table);
        String device = conf.get(DEVICE);
        String region = conf.get(REGION);
        if (device != null && region != null) {
            throw new IllegalArgumentException("Give --device or --region, not both.");
        }
        if (device != null) {
            q.where("device_id", device);
        } else if (region != null) {
            q.where("region", region);
        }
        Long from = LakeOptions.instant(conf, FROM);
        Long to = LakeOptions.instant(conf, TO);
        if (from != null || to != null) {
            q.between(from, to);
        }
        if (conf.get(AS_OF_SNAPSHOT) != null) {
            q.asOfSnapshot(conf.get(AS_OF_SNAPSHOT));
        }
        Long asOf = LakeOptions.instant(conf, AS_OF);
        if (asOf != null) {
            q.asOfTimestamp(asOf);
        }
        return q.build();
    }
}
