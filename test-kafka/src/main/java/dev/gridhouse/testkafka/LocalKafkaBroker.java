package dev.gridhouse.testkafka;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.AdminClient;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.Uuid;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real Kafka 3.4 broker for tests and benchmarks, run as its own JVM so that Scala, the broker's
 * old Jackson and reload4j never reach the caller's classpath. KRaft combined mode (one node is
 * broker and controller), bound to 127.0.0.1 on free ports, data and logs in a temporary directory
 * that {@link #close()} deletes.
 *
 * <pre>{@code
 * try (LocalKafkaBroker kafka = LocalKafkaBroker.start()) {
 *     kafka.createTopic("telemetry", 2);
 *     String bootstrap = kafka.bootstrapServers();
 * }
 * }</pre>
 *
 * <p>For fault injection, {@link #kill()} ends the broker JVM at once (SIGKILL, no controlled
 * shutdown) and {@link #restart()} starts it again on the same ports with the same data directory,
 * so topics, records and committed offsets survive.
 *
 * <p>The broker's classpath is written into this module's jar at build time ({@value
 * #CLASSPATH_RESOURCE}, from {@code org.apache.kafka:kafka_2.13}). The child process is killed with
 * its descendants by {@link #close()} and by a JVM shutdown hook.
 */
public final class LocalKafkaBroker implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(LocalKafkaBroker.class);
    private static final String LOOPBACK = "127.0.0.1";
    static final String CLASSPATH_RESOURCE = "kafka-broker.classpath";

    private static final Duration FORMAT_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration START_TIMEOUT = Duration.ofSeconds(90);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(15);

    private final Path dir;
    private final int brokerPort;
    private final int controllerPort;
    private Path config;
    private Path log4j;
    private String classpath;
    private volatile Process process;
    private Thread shutdownHook;

    private LocalKafkaBroker(Path dir, int brokerPort, int controllerPort) {
        this.dir = dir;
        this.brokerPort = brokerPort;
        this.controllerPort = controllerPort;
    }

    /** Starts a broker and waits until a client can reach it. */
    public static LocalKafkaBroker start() throws Exception {
        Path dir = Files.createTempDirectory("gridhouse-kafka-");
        int[] ports = freePorts(2);
        LocalKafkaBroker broker = new LocalKafkaBroker(dir, ports[0], ports[1]);
        try {
            broker.doStart();
        } catch (Exception | Error e) {
            broker.close();
            throw e;
        }
        return broker;
    }

    /** {@code 127.0.0.1:<port>} of the broker listener. */
    public String bootstrapServers() {
        return LOOPBACK + ":" + brokerPort;
    }

    /** Client properties that reach this broker. */
    public Properties clientProperties() {
        Properties p = new Properties();
        p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
        return p;
    }

    /** The broker's log file (stdout, stderr and log4j output of the child JVM). */
    public Path logFile() {
        return dir.resolve("broker.log");
    }

    /** Creates a topic with replication factor 1 and waits until it exists. */
    public void createTopic(String name, int partitions) throws Exception {
        try (AdminClient admin = AdminClient.create(clientProperties())) {
            admin.createTopics(Collections.singletonList(new NewTopic(name, partitions, (short) 1)))
                    .all()
                    .get(60, TimeUnit.SECONDS);
        }
    }

    /**
     * Kills the broker JVM at once (SIGKILL: no controlled shutdown, no final flush) and waits
     * until it has exited. Ports and data stay for {@link #restart()}. Does nothing if it is not
     * running.
     */
    public void kill() {
        Process p = process;
        process = null;
        if (p == null) {
            return;
        }
        List<ProcessHandle> descendants = new ArrayList<>();
        p.descendants().forEach(descendants::add);
        p.destroyForcibly();
        try {
            if (!p.waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new IllegalStateException("Kafka broker did not exit after SIGKILL");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        for (ProcessHandle h : descendants) {
            h.destroyForcibly();
        }
        LOG.info("Kafka broker on {} killed", bootstrapServers());
    }

    /**
     * Starts the broker again on the same ports with the same data directory (killing it first if
     * it is running) and waits until a client can reach it.
     */
    public void restart() throws Exception {
        if (classpath == null) {
            throw new IllegalStateException("Kafka broker was never started or is closed");
        }
        kill();
        long started = System.nanoTime();
        launchBroker();
        LOG.info(
                "Kafka broker on {} restarted in {} ms",
                bootstrapServers(),
                (System.nanoTime() - started) / 1_000_000);
    }

    /** Whether the broker JVM is running. */
    public boolean isRunning() {
        Process p = process;
        return p != null && p.isAlive();
    }

    private void doStart() throws Exception {
        long started = System.nanoTime();
        config = writeServerProperties();
        log4j = dir.resolve("log4j.properties");
        Files.writeString(
                log4j,
                "log4j.rootLogger=INFO, file\n"
                        + "log4j.appender.file=org.apache.log4j.FileAppender\n"
                        + "log4j.appender.file.File="
                        + dir.resolve("server.log")
                        + "\n"
                        + "log4j.appender.file.layout=org.apache.log4j.PatternLayout\n"
                        + "log4j.appender.file.layout.ConversionPattern=[%d] %p %m (%c)%n\n");
        classpath = brokerClasspath();

        // 1. format the storage directory (KRaft needs a cluster id in meta.properties)
        Process format =
                launch(
                        classpath,
                        log4j,
                        "kafka.tools.StorageTool",
                        "format",
                        "-t",
                        Uuid.randomUuid().toString(),
                        "-c",
                        config.toString());
        try {
            if (!format.waitFor(FORMAT_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new IllegalStateException(
                        "Kafka storage format did not finish in "
                                + FORMAT_TIMEOUT
                                + "; see "
                                + logFile());
            }
            if (format.exitValue() != 0) {
                throw new IllegalStateException(
                        "Kafka storage format failed (exit "
                                + format.exitValue()
                                + "): "
                                + tail(logFile()));
            }
        } finally {
            terminate(format);
        }

        // 2. the broker itself
        shutdownHook = new Thread(() -> terminate(process), "local-kafka-broker-shutdown");
        Runtime.getRuntime().addShutdownHook(shutdownHook);
        launchBroker();
        LOG.info(
                "Kafka broker on {} ready in {} ms (data in {})",
                bootstrapServers(),
                (System.nanoTime() - started) / 1_000_000,
                dir);
    }

    private void launchBroker() throws Exception {
        process = launch(classpath, log4j, "kafka.Kafka", config.toString());
        awaitReady();
    }

    private Path writeServerProperties() throws IOException {
        Path data = dir.resolve("data");
        Files.createDirectories(data);
        String props =
                String.join(
                                "\n",
                                "process.roles=broker,controller",
                                "node.id=1",
                                "controller.quorum.voters=1@" + LOOPBACK + ":" + controllerPort,
                                "listeners=PLAINTEXT://"
                                        + LOOPBACK
                                        + ":"
                                        + brokerPort
                                        + ",CONTROLLER://"
                                        + LOOPBACK
                                        + ":"
                                        + controllerPort,
                                "advertised.listeners=PLAINTEXT://" + LOOPBACK + ":" + brokerPort,
                                "controller.listener.names=CONTROLLER",
                                "inter.broker.listener.name=PLAINTEXT",
                                "listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT",
                                "log.dirs=" + data,
                                "num.partitions=1",
                                "auto.create.topics.enable=false",
                                "offsets.topic.replication.factor=1",
                                "offsets.topic.num.partitions=1",
                                "transaction.state.log.replication.factor=1",
                                "transaction.state.log.min.isr=1",
                                "group.initial.rebalance.delay.ms=0",
                                "log.flush.interval.messages=9223372036854775807",
                                "")
                        + "\n";
        Path file = dir.resolve("server.properties");
        Files.writeString(file, props);
        return file;
    }

    private Process launch(String classpath, Path log4j, String mainClass, String... args)
            throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add(javaBinary());
        cmd.add("-Xmx512m");
        cmd.add("-XX:+UseSerialGC");
        cmd.add("-Djava.awt.headless=true");
        cmd.add("-Dlog4j.configuration=" + log4j.toUri());
        cmd.add("-cp");
        cmd.add(classpath);
        cmd.add(mainClass);
        Collections.addAll(cmd, args);
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.directory(dir.toFile());
        pb.redirectErrorStream(true);
        pb.redirectOutput(ProcessBuilder.Redirect.appendTo(logFile().toFile()));
        pb.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        return pb.start();
    }

    private void awaitReady() throws Exception {
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        Properties p = clientProperties();
        p.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, "2000");
        p.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "3000");
        Exception last = null;
        Process broker = process;
        try (AdminClient admin = AdminClient.create(p)) {
            while (System.nanoTime() < deadline) {
                if (!broker.isAlive()) {
                    throw new IllegalStateException(
                            "Kafka broker exited with "
                                    + broker.exitValue()
                                    + " while starting: "
                                    + tail(logFile()));
                }
                try {
                    if (!admin.describeCluster().nodes().get(3, TimeUnit.SECONDS).isEmpty()) {
                        return;
                    }
                } catch (ExecutionException | java.util.concurrent.TimeoutException e) {
                    last = e;
                }
                Thread.sleep(200);
            }
        }
        throw new IllegalStateException(
                "Kafka broker not reachable on "
                        + bootstrapServers()
                        + " within "
                        + START_TIMEOUT
                        + "; log: "
                        + tail(logFile()),
                last);
    }

    /** Kills the broker (and its descendants) and deletes its data. Idempotent. */
    @Override
    public void close() {
        terminate(process);
        process = null;
        classpath = null;
        if (shutdownHook != null) {
            try {
                Runtime.getRuntime().removeShutdownHook(shutdownHook);
            } catch (IllegalStateException e) {
                // the JVM is already shutting down; the hook runs anyway
            }
            shutdownHook = null;
        }
        deleteRecursively(dir);
    }

    private static void terminate(Process p) {
        if (p == null) {
            return;
        }
        List<ProcessHandle> descendants = new ArrayList<>();
        p.descendants().forEach(descendants::add);
        p.destroy();
        try {
            if (!p.waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly().waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            }
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
        }
        for (ProcessHandle h : descendants) {
            h.destroyForcibly();
        }
    }

    private static String javaBinary() {
        Path java = Paths.get(System.getProperty("java.home"), "bin", "java");
        if (Files.isExecutable(java)) {
            return java.toString();
        }
        return ProcessHandle.current().info().command().orElse("java");
    }

    /** The broker's runtime classpath, written into this jar at build time. */
    static String brokerClasspath() throws IOException {
        try (InputStream in = LocalKafkaBroker.class.getResourceAsStream(CLASSPATH_RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(
                        CLASSPATH_RESOURCE
                                + " not found next to LocalKafkaBroker: build the test-kafka module"
                                + " with Maven");
            }
            String cp = new String(in.readAllBytes(), StandardCharsets.UTF_8).trim();
            for (String entry : cp.split(File.pathSeparator)) {
                if (!Files.exists(Paths.get(entry))) {
                    throw new IllegalStateException(
                            "Kafka broker classpath entry missing: "
                                    + entry
                                    + " (rebuild test-kafka on this machine)");
                }
            }
            return cp;
        }
    }

    private static int[] freePorts(int n) throws IOException {
        InetAddress loopback = InetAddress.getByName(LOOPBACK);
        ServerSocket[] sockets = new ServerSocket[n];
        int[] ports = new int[n];
        try {
            for (int i = 0; i < n; i++) {
                sockets[i] = new ServerSocket(0, 50, loopback);
                sockets[i].setReuseAddress(true);
                ports[i] = sockets[i].getLocalPort();
            }
        } finally {
            for (ServerSocket s : sockets) {
                if (s != null) {
                    s.close();
                }
            }
        }
        return ports;
    }

    private static String tail(Path file) {
        try {
            if (!Files.exists(file)) {
                return "(no log)";
            }
            List<String> lines = Files.readAllLines(file, StandardCharsets.ISO_8859_1);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
        } catch (IOException e) {
            return "(log unreadable: " + e + ")";
        }
    }

    private static void deleteRecursively(Path root) {
        if (root == null || !Files.exists(root)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(root)) {
            walk.sorted(Comparator.reverseOrder()).map(Path::toFile).forEach(File::delete);
        } catch (IOException | UncheckedIOException e) {
            LOG.warn("Could not delete {}: {}", root, e.toString());
        }
    }
}
