package dev.gridhouse.lake;

import dev.gridhouse.core.catalog.TableSpec;
import dev.gridhouse.core.io.FlussEndpoint;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.ExecutionException;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.fluss.client.Connection;
import org.apache.fluss.client.ConnectionFactory;
import org.apache.fluss.client.admin.Admin;
import org.apache.fluss.client.admin.OffsetSpec;
import org.apache.fluss.client.metadata.LakeSnapshot;
import org.apache.fluss.config.Configuration;
import org.apache.fluss.flink.tiering.LakeTieringJobBuilder;
import org.apache.fluss.metadata.TableBucket;
import org.apache.fluss.metadata.TableChange;
import org.apache.fluss.metadata.TablePath;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tiering of warehouse tables from Fluss into Paimon with Fluss's own tiering service: {@link
 * #enable} turns tiering on for tables ({@code table.datalake.enabled}, {@code
 * table.datalake.freshness}; Fluss creates the Paimon tables), {@link #start} runs {@link
 * LakeTieringJobBuilder} — the job {@code fluss-flink-tiering}'s entry point runs — in an
 * environment.
 */
public final class LakeTiering {
    private static final Logger LOG = LoggerFactory.getLogger(LakeTiering.class);

    /** Fluss's option for how often the tiering job asks the coordinator for tables to tier. */
    public static final String POLL_INTERVAL_KEY = "tiering.poll.table.interval";

    private LakeTiering() {}

    /**
     * Turns tiering on for these tables with the given freshness (how stale the lake may be). The
     * Fluss servers must run with the warehouse's {@link PaimonLakehouse#serverConfig()}.
     */
    public static void enable(
            FlussEndpoint fluss, Collection<TableSpec> tables, Duration freshness) {
        if (freshness.isNegative() || freshness.isZero()) {
            throw new IllegalArgumentException(
                    "The lake freshness must be positive, e.g. 30s or 3min; got " + freshness);
        }
        try (Connection conn = ConnectionFactory.createConnection(fluss.toFlussConfig());
                Admin admin = conn.getAdmin()) {
            for (TableSpec table : tables) {
                TablePath path = TablePath.of(fluss.database(), table.name());
                admin.alterTable(
                                path,
                                List.of(
                                        TableChange.set("table.datalake.enabled", "true"),
                                        TableChange.set(
                                                "table.datalake.freshness",
                                                freshness.toMillis() + "ms")),
                                false)
                        .get();
                LOG.info("Tiering {} into the lake, freshness {}", path, freshness);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while enabling tiering", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException(
                    "Could not enable tiering on "
                            + fluss
                            + " (are the Fluss servers configured with datalake.format=paimon"
                            + " and a warehouse?): "
                            + e.getCause().getMessage(),
                    e.getCause());
        } catch (Exception e) {
            throw new IllegalStateException("Could not enable tiering on " + fluss, e);
        }
    }

    /**
     * Submits the tiering job into {@code env} (asynchronously, like Fluss's entry point) and
     * returns its client. The tiering committer keeps no state, so the job must restart as a whole
     * on failure: create {@code env} with {@link #flinkConfig()}.
     *
     * @param pollInterval how often the job asks the coordinator for tables due for tiering
     */
    public static JobClient start(
            StreamExecutionEnvironment env,
            FlussEndpoint fluss,
            PaimonLakehouse lake,
            Duration pollInterval)
            throws Exception {
        Configuration flussConfig = fluss.toFlussConfig();
        flussConfig.setString(POLL_INTERVAL_KEY, pollInterval.toMillis() + "ms");
        return LakeTieringJobBuilder.newBuilder(
                        env,
                        flussConfig,
                        lake.tieringLakeConfig(),
                        new Configuration(),
                        PaimonLakehouse.FORMAT)
                .build();
    }

    /** Flink settings the tiering job needs: full restarts (Fluss's entry point sets the same). */
    public static org.apache.flink.configuration.Configuration flinkConfig() {
        org.apache.flink.configuration.Configuration conf =
                new org.apache.flink.configuration.Configuration();
        conf.set(
                org.apache.flink.configuration.JobManagerOptions.EXECUTION_FAILOVER_STRATEGY,
                "full");
        return conf;
    }

    /**
     * Whether the lake holds every record the table's buckets hold in Fluss now: the latest lake
     * snapshot's log end offset of every bucket is at the bucket's current end offset.
     */
    public static boolean caughtUp(Admin admin, TablePath path) throws Exception {
        LakeSnapshot snapshot;
        try {
            snapshot = admin.getLatestLakeSnapshot(path).get();
        } catch (ExecutionException e) {
            return false; // no lake snapshot yet
        }
        long tableId = admin.getTableInfo(path).get().getTableId();
        int buckets = admin.getTableInfo(path).get().getNumBuckets();
        List<Integer> all = new java.util.ArrayList<>();
        for (int b = 0; b < buckets; b++) {
            all.add(b);
        }
        var ends = admin.listOffsets(path, all, new OffsetSpec.LatestSpec()).all().get();
        for (int b = 0; b < buckets; b++) {
            long end = ends.get(b);
            Long tiered = snapshot.getTableBucketsOffset().get(new TableBucket(tableId, b));
            if (end > 0 && (tiered == null || tiered < end)) {
                return false;
            }
        }
        return true;
    }
}
