package dev.gridhouse.core.catalog;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.fluss.client.Connection;
import org.apache.fluss.client.ConnectionFactory;
import org.apache.fluss.client.admin.Admin;
import org.apache.fluss.client.admin.OffsetSpec;
import org.apache.fluss.config.Configuration;
import org.apache.fluss.exception.StaleMetadataException;
import org.apache.fluss.metadata.DatabaseDescriptor;
import org.apache.fluss.metadata.TablePath;
import org.apache.fluss.types.DataField;
import org.apache.fluss.types.RowType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates the contract tables in a Fluss cluster, idempotently: a table that exists with the same
 * columns is left alone, one that exists with other columns fails with a message naming the
 * difference.
 */
public final class FlussCatalog implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(FlussCatalog.class);

    private static final int RECREATE_ROUNDS = 3;

    private final Connection connection;
    private final Admin admin;
    private final String database;
    private final int bucketCountOverride;

    /**
     * @param flussConfig client configuration, at least {@code bootstrap.servers}
     * @param database the Fluss database of the warehouse
     * @param bucketCountOverride bucket count for every table created, or 0 for each table's own
     */
    public FlussCatalog(Configuration flussConfig, String database, int bucketCountOverride) {
        this.connection = ConnectionFactory.createConnection(flussConfig);
        this.admin = connection.getAdmin();
        this.database = database;
        this.bucketCountOverride = bucketCountOverride;
    }

    public String database() {
        return database;
    }

    public TablePath pathOf(TableSpec table) {
        return TablePath.of(database, table.name());
    }

    /** Creates the database and these tables where missing, and checks the ones that exist. */
    public void ensureTables(Collection<TableSpec> tables) {
        try {
            admin.createDatabase(database, DatabaseDescriptor.EMPTY, true).get();
            List<TableSpec> created = new ArrayList<>();
            for (TableSpec table : tables) {
                TablePath path = pathOf(table);
                if (admin.tableExists(path).get()) {
                    checkSameColumns(table, admin.getTableInfo(path).get().getRowType());
                } else {
                    createWithRetry(path, table);
                    created.add(table);
                    LOG.info("Created Fluss table {}: {}", path, table);
                }
            }
            for (TableSpec table : tables) {
                TablePath path = pathOf(table);
                if (!created.contains(table)) {
                    awaitBucketLeaders(path, Duration.ofSeconds(90), true);
                    continue;
                }
                // A bucket of a table just created was seen (rarely, on a loaded machine) to get
                // no leader at all, for minutes. The table is new and empty: drop and create it
                // again rather than wait on it.
                for (int round = 1; ; round++) {
                    boolean last = round == RECREATE_ROUNDS;
                    if (awaitBucketLeaders(path, Duration.ofSeconds(last ? 90 : 20), last)) {
                        break;
                    }
                    LOG.warn(
                            "Buckets of new table {} got no leader in 20 s; dropping and creating"
                                    + " it again (round {})",
                            path,
                            round);
                    admin.dropTable(path, true).get();
                    createWithRetry(path, table);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while creating tables", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException(
                    "Could not create the tables of database '"
                            + database
                            + "': "
                            + e.getCause().getMessage(),
                    e.getCause());
        }
    }

    /**
     * Creates a table, retrying while a just-started cluster does not list its tablet servers as
     * alive yet (Fluss answers StaleMetadataException then).
     */
    private void createWithRetry(TablePath path, TableSpec table)
            throws InterruptedException, ExecutionException {
        for (int attempt = 1; ; attempt++) {
            try {
                admin.createTable(path, table.toDescriptor(bucketCountOverride), true).get();
                return;
            } catch (ExecutionException e) {
                if (attempt >= 50 || !isStaleMetadata(e)) {
                    throw e;
                }
                LOG.info("Cluster metadata not ready for {} (attempt {}), retrying", path, attempt);
                Thread.sleep(200);
            }
        }
    }

    /**
     * Waits until every bucket of the table has a leader that answers, so writers and readers
     * started next do not wait on a bucket without one. (On a cluster that has just started, a
     * Fluss client writer was seen waiting forever on such a bucket of a freshly created table.)
     *
     * @return whether every bucket has a leader; false after the timeout unless {@code
     *     failOnTimeout}, which throws instead
     */
    private boolean awaitBucketLeaders(TablePath path, Duration timeout, boolean failOnTimeout)
            throws InterruptedException, ExecutionException {
        int buckets = admin.getTableInfo(path).get().getNumBuckets();
        List<Integer> ids = new ArrayList<>();
        for (int b = 0; b < buckets; b++) {
            ids.add(b);
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        for (int attempt = 1; ; attempt++) {
            try {
                admin.listOffsets(path, ids, new OffsetSpec.LatestSpec())
                        .all()
                        .get(10, TimeUnit.SECONDS);
                return true;
            } catch (ExecutionException | TimeoutException | RuntimeException e) {
                // the client's leader lookup may also throw right away (FlussRuntimeException
                // "Leader not found after retry 3 times")
                if (System.nanoTime() > deadline && !failOnTimeout) {
                    return false;
                }
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException(
                            "Buckets of "
                                    + path
                                    + " have no leader after "
                                    + timeout.getSeconds()
                                    + " s: "
                                    + e,
                            e);
                }
                LOG.info(
                        "Buckets of {} not all led yet (attempt {}): {}",
                        path,
                        attempt,
                        e.toString());
                Thread.sleep(Math.min(2000, 100L * attempt));
            }
        }
    }

    private static boolean isStaleMetadata(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof StaleMetadataException) {
                return true;
            }
        }
        return false;
    }

    private void checkSameColumns(TableSpec table, RowType existing) {
        List<String> want = new ArrayList<>();
        for (TableSpec.Column c : table.columns()) {
            want.add(c.name + " " + c.type.getTypeRoot());
        }
        List<String> have = new ArrayList<>();
        for (DataField f : existing.getFields()) {
            have.add(f.getName() + " " + f.getType().getTypeRoot());
        }
        if (!want.equals(have)) {
            throw new IllegalStateException(
                    "Table "
                            + database
                            + "."
                            + table.name()
                            + " exists with other columns than the contract defines.\n  exists:   "
                            + have
                            + "\n  contract: "
                            + want
                            + "\nDrop the table or use another --database.");
        }
    }

    public Admin admin() {
        return admin;
    }

    public Connection connection() {
        return connection;
    }

    @Override
    public void close() throws Exception {
        try {
            admin.close();
        } finally {
            connection.close();
        }
    }
}
