package dev.gridhouse.testing;

import java.io.File;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.fluss.client.Connection;
import org.apache.fluss.client.ConnectionFactory;
import org.apache.fluss.client.admin.Admin;
import org.apache.fluss.cluster.Endpoint;
import org.apache.fluss.cluster.ServerNode;
import org.apache.fluss.cluster.ServerType;
import org.apache.fluss.config.Configuration;
import org.apache.fluss.server.coordinator.CoordinatorServer;
import org.apache.fluss.server.tablet.TabletServer;
import org.apache.fluss.shaded.zookeeper3.org.apache.zookeeper.server.ServerCnxnFactory;
import org.apache.fluss.shaded.zookeeper3.org.apache.zookeeper.server.ZooKeeperServer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real Fluss cluster inside this JVM: ZooKeeper, one coordinator and one tablet server, all bound
 * to 127.0.0.1 on free ports, data under one directory. Used by {@code gridhouse local} and the
 * integration tests; needs {@code fluss-server} on the classpath.
 *
 * <pre>{@code
 * try (LocalFlussCluster fluss = LocalFlussCluster.start(dir)) {
 *     String bootstrap = fluss.bootstrapServers();
 * }
 * }</pre>
 */
public final class LocalFlussCluster implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(LocalFlussCluster.class);
    private static final String LOOPBACK = "127.0.0.1";

    private final Path dataDir;
    private final boolean deleteOnClose;
    private final Map<String, String> serverConfig;
    private ServerCnxnFactory zkFactory;
    private ZooKeeperServer zk;
    private CoordinatorServer coordinator;
    private TabletServer tabletServer;
    private Configuration tabletConf;
    private String bootstrapServers;

    private LocalFlussCluster(
            Path dataDir, boolean deleteOnClose, Map<String, String> serverConfig) {
        this.dataDir = dataDir;
        this.deleteOnClose = deleteOnClose;
        this.serverConfig = new LinkedHashMap<>(serverConfig);
    }

    /** Starts a cluster with data in a new temporary directory, deleted on close. */
    public static LocalFlussCluster start() throws Exception {
        return start(Files.createTempDirectory("gridhouse-fluss-"), true);
    }

    /**
     * Starts a cluster with data under {@code dataDir}.
     *
     * @param deleteOnClose whether {@link #close()} deletes the data directory
     */
    public static LocalFlussCluster start(Path dataDir, boolean deleteOnClose) throws Exception {
        return start(dataDir, deleteOnClose, Map.of());
    }

    /**
     * Starts a cluster with data under {@code dataDir} and extra {@code server.yaml} settings for
     * the coordinator and the tablet server, e.g. the {@code datalake.*} settings of a lakehouse.
     *
     * @param deleteOnClose whether {@link #close()} deletes the data directory
     */
    public static LocalFlussCluster start(
            Path dataDir, boolean deleteOnClose, Map<String, String> serverConfig)
            throws Exception {
        LocalFlussCluster cluster = new LocalFlussCluster(dataDir, deleteOnClose, serverConfig);
        try {
            cluster.doStart();
        } catch (Exception e) {
            cluster.close();
            throw e;
        }
        return cluster;
    }

    private void doStart() throws Exception {
        Files.createDirectories(dataDir);
        long started = System.nanoTime();

        File zkDir = dataDir.resolve("zookeeper").toFile();
        zk = new ZooKeeperServer(zkDir, zkDir, 500);
        zkFactory =
                ServerCnxnFactory.createFactory(
                        new InetSocketAddress(InetAddress.getByName(LOOPBACK), 0), 256);
        zkFactory.startup(zk);
        String zkAddress = LOOPBACK + ":" + zkFactory.getLocalPort();

        Configuration base = new Configuration();
        base.setString("zookeeper.address", zkAddress);
        base.setString("bind.listeners", "FLUSS://" + LOOPBACK + ":0");
        base.setString("remote.data.dir", dataDir.resolve("remote").toUri().toString());
        base.setString("default.replication.factor", "1");
        base.setString("default.bucket.number", "1");
        base.setString("netty.server.num-network-threads", "1");
        base.setString("netty.server.num-worker-threads", "3");
        serverConfig.forEach(base::setString);

        Configuration coordinatorConf = new Configuration(base);
        coordinator = new CoordinatorServer(coordinatorConf);
        coordinator.start();
        Endpoint endpoint = coordinator.getRpcServer().getBindEndpoints().get(0);
        bootstrapServers = endpoint.getHost() + ":" + endpoint.getPort();

        tabletConf = new Configuration(base);
        tabletConf.setString("tablet-server.id", "0");
        tabletConf.setString("data.dir", dataDir.resolve("tablet-server-0").toString());
        // the only tablet server has nobody to hand its bucket leaders to: shut down at once
        // instead of retrying the transfer (3 × 1 s by default)
        tabletConf.setString("tablet-server.controlled-shutdown.max-retries", "0");
        tabletConf.setString("tablet-server.controlled-shutdown.retry-interval", "10ms");
        tabletServer = new TabletServer(tabletConf);
        tabletServer.start();
        // a restart binds the same port again, as a real server would
        int port = tabletServer.getRpcServer().getBindEndpoints().get(0).getPort();
        tabletConf.setString("bind.listeners", "FLUSS://" + LOOPBACK + ":" + port);

        awaitTabletServerRegistered(Duration.ofSeconds(60));
        LOG.info(
                "Local Fluss cluster up at {} (ZooKeeper {}, data {}) in {} ms",
                bootstrapServers,
                zkAddress,
                dataDir,
                (System.nanoTime() - started) / 1_000_000);
    }

    private void awaitTabletServerRegistered(Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        try (Connection conn = ConnectionFactory.createConnection(clientConfig());
                Admin admin = conn.getAdmin()) {
            while (true) {
                try {
                    List<ServerNode> nodes = admin.getServerNodes().get();
                    if (nodes.stream().anyMatch(n -> n.serverType() == ServerType.TABLET_SERVER)) {
                        return;
                    }
                } catch (java.util.concurrent.ExecutionException e) {
                    // "Alive tablet server is empty" until the tablet server has registered
                    if (System.nanoTime() > deadline) {
                        throw e;
                    }
                }
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException(
                            "The tablet server did not register within " + timeout);
                }
                Thread.sleep(50);
            }
        }
    }

    /**
     * Stops the tablet server (fault injection): its buckets have no leader until {@link
     * #startTabletServer()} brings it back; ZooKeeper and the coordinator keep running.
     */
    public synchronized void stopTabletServer() throws Exception {
        if (tabletServer == null) {
            throw new IllegalStateException("The tablet server is not running");
        }
        TabletServer stopping = tabletServer;
        tabletServer = null;
        stopping.close();
        LOG.info("Tablet server stopped");
    }

    /**
     * Starts the tablet server again after {@link #stopTabletServer()}: same id, data directory and
     * port; returns once it has registered with the coordinator.
     */
    public synchronized void startTabletServer() throws Exception {
        if (tabletServer != null) {
            throw new IllegalStateException("The tablet server is running");
        }
        long started = System.nanoTime();
        TabletServer server = new TabletServer(new Configuration(tabletConf));
        server.start();
        tabletServer = server;
        awaitTabletServerRegistered(Duration.ofSeconds(60));
        LOG.info("Tablet server restarted in {} ms", (System.nanoTime() - started) / 1_000_000);
    }

    /** {@code host:port} of the coordinator, for {@code bootstrap.servers}. */
    public String bootstrapServers() {
        return bootstrapServers;
    }

    /** A client configuration for this cluster with the client's default buffer sizes. */
    public Configuration clientConfig() {
        Configuration conf = new Configuration();
        conf.setString("bootstrap.servers", bootstrapServers);
        return conf;
    }

    public Path dataDir() {
        return dataDir;
    }

    @Override
    public void close() throws Exception {
        Exception failure = null;
        if (tabletServer != null) {
            try {
                tabletServer.close();
            } catch (Exception e) {
                failure = e;
            }
            tabletServer = null;
        }
        if (coordinator != null) {
            try {
                coordinator.close();
            } catch (Exception e) {
                failure = failure == null ? e : failure;
            }
            coordinator = null;
        }
        if (zkFactory != null) {
            zkFactory.shutdown();
            zkFactory = null;
        }
        if (zk != null) {
            zk.shutdown();
            zk = null;
        }
        if (deleteOnClose) {
            deleteRecursively(dataDir);
        }
        if (failure != null) {
            throw failure;
        }
    }

    private static void deleteRecursively(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).map(Path::toFile).forEach(File::delete);
        } catch (IOException e) {
            LOG.warn("Could not delete {}", dir, e);
        }
    }
}
