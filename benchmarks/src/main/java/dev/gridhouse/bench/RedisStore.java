package dev.gridhouse.bench;

import dev.gridhouse.contract.grid.Device;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.lettuce.core.api.sync.RedisCommands;
import java.io.File;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The baseline's dimension store: a {@code redis-server} started here on its own free port, bound
 * to 127.0.0.1, without persistence; devices as JSON values under {@code device:<id>}; lookups
 * through Lettuce's async API with a bounded number in flight (as a Flink async lookup would).
 * Installs the Debian {@code redis-server} package when it is missing (needs root).
 */
final class RedisStore implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(RedisStore.class);
    static final String PREFIX = "device:";

    private final Process process;
    private final int port;
    private final RedisClient client;
    private final StatefulRedisConnection<String, String> connection;
    private final List<Long> serverPids;

    private RedisStore(Process process, int port, List<Long> serverPids) {
        this.process = process;
        this.port = port;
        this.serverPids = serverPids;
        this.client = RedisClient.create(RedisURI.create("127.0.0.1", port));
        this.connection = client.connect();
    }

    /** Starts redis-server (installing it if needed); its pid is added to {@code serverPids}. */
    static RedisStore start(Path dir, List<Long> serverPids) throws Exception {
        String binary = findOrInstall();
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            port = s.getLocalPort();
        }
        Files.createDirectories(dir);
        Process p =
                new ProcessBuilder(
                                binary,
                                "--port",
                                Integer.toString(port),
                                "--bind",
                                "127.0.0.1",
                                "--save",
                                "",
                                "--appendonly",
                                "no",
                                "--dir",
                                dir.toString())
                        .redirectErrorStream(true)
                        .redirectOutput(dir.resolve("redis.log").toFile())
                        .start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (true) {
            try {
                RedisStore store = new RedisStore(p, port, serverPids);
                store.connection.sync().ping();
                serverPids.add(p.pid());
                LOG.info("redis-server up on 127.0.0.1:{}", port);
                return store;
            } catch (RuntimeException e) {
                if (!p.isAlive() || System.nanoTime() > deadline) {
                    p.destroyForcibly();
                    throw new IllegalStateException(
                            "redis-server did not start; see " + dir.resolve("redis.log"), e);
                }
                Thread.sleep(100);
            }
        }
    }

    private static String findOrInstall() throws IOException, InterruptedException {
        for (String c : new String[] {"/usr/bin/redis-server", "/usr/local/bin/redis-server"}) {
            if (new File(c).canExecute()) {
                return c;
            }
        }
        LOG.info("redis-server not found: installing the Debian package redis-server");
        Process p =
                new ProcessBuilder("apt-get", "install", "-y", "redis-server")
                        .redirectErrorStream(true)
                        .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                        .start();
        if (p.waitFor() != 0 || !new File("/usr/bin/redis-server").canExecute()) {
            throw new IllegalStateException(
                    "redis-server is not installed and 'apt-get install -y redis-server' failed;"
                            + " install it (as root) and run again.");
        }
        return "/usr/bin/redis-server";
    }

    int port() {
        return port;
    }

    /** Scenario 3 set-up: SET every device, pipelined in batches of 1,000. */
    Measurement loadDevices(List<Device> devices) throws Exception {
        RedisAsyncCommands<String, String> async = connection.async();
        Meter meter = Meter.start(serverPids);
        for (int i = 0; i < devices.size(); i += 1_000) {
            Map<String, String> batch = new LinkedHashMap<>();
            for (Device d : devices.subList(i, Math.min(devices.size(), i + 1_000))) {
                batch.put(PREFIX + d.deviceId, JsonCodec.string(d));
            }
            async.mset(batch).get(60, TimeUnit.SECONDS);
        }
        return meter.stop(
                "3-dimension-load",
                "Redis (MSET batches of 1,000, JSON values)",
                "kafka",
                devices.size(),
                new Latencies(1),
                "-",
                "redis-server --save '' --appendonly no");
    }

    /** Scenario 3: async GETs with {@code inFlight} outstanding, value decoded to a Device. */
    Measurement lookups(String[] keys, int inFlight, Duration maxTime) throws Exception {
        RedisAsyncCommands<String, String> async = connection.async();
        Latencies lat = new Latencies(keys.length);
        AtomicReference<Throwable> failure = new AtomicReference<>();
        AtomicLong hits = new AtomicLong();
        Semaphore permits = new Semaphore(inFlight);
        Meter meter = Meter.start(serverPids);
        long deadline = System.nanoTime() + maxTime.toNanos();
        int issued = 0;
        for (; issued < keys.length && System.nanoTime() < deadline; issued++) {
            permits.acquire();
            if (failure.get() != null) {
                break;
            }
            long sent = System.nanoTime();
            RedisFuture<String> f = async.get(PREFIX + keys[issued]);
            f.whenComplete(
                    (v, e) -> {
                        if (e != null) {
                            failure.compareAndSet(null, e);
                        } else {
                            if (v != null && JsonCodec.read(v, Device.class) != null) {
                                hits.incrementAndGet();
                            }
                            lat.add(System.nanoTime() - sent);
                        }
                        permits.release();
                    });
        }
        if (!permits.tryAcquire(inFlight, 60, TimeUnit.SECONDS)) {
            throw new IllegalStateException("Redis lookups did not complete within 60 s");
        }
        FlussBench.checkNoFailure(failure, "Redis lookup");
        FlussBench.checkCount("Redis lookup hits", hits.get(), issued);
        return meter.stop(
                "3-lookup-join",
                "Redis async GET (" + inFlight + " in flight)",
                "kafka",
                issued,
                lat,
                "GET → decoded row",
                "Lettuce async, 1 connection");
    }

    /** Scenario 5: one blocking GET at a time. */
    Measurement pointQueries(String[] keys) {
        RedisCommands<String, String> sync = connection.sync();
        Latencies lat = new Latencies(keys.length);
        Meter meter = Meter.start(serverPids);
        for (String key : keys) {
            long t0 = System.nanoTime();
            String v = sync.get(PREFIX + key);
            if (v == null || JsonCodec.read(v, Device.class) == null) {
                throw new IllegalStateException("Device " + key + " not found in Redis");
            }
            lat.add(System.nanoTime() - t0);
        }
        return meter.stop(
                "5-point-query",
                "Redis GET",
                "kafka",
                keys.length,
                lat,
                "query → row (sequential)",
                "Lettuce sync");
    }

    static List<Long> none() {
        return new ArrayList<>();
    }

    @Override
    public void close() throws Exception {
        try {
            connection.close();
            client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
        } finally {
            process.destroy();
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        }
    }
}
