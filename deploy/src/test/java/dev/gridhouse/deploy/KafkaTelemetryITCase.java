package dev.gridhouse.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gridhouse.contract.grid.GridTables;
import dev.gridhouse.contract.grid.Telemetry;
import dev.gridhouse.core.catalog.TableSpec;
import dev.gridhouse.core.io.TableReader;
import dev.gridhouse.ods.OdsJob;
import dev.gridhouse.ods.parse.AvroTelemetryEncoder;
import dev.gridhouse.testing.LocalFlussCluster;
import dev.gridhouse.testing.SharedFlussCluster;
import dev.gridhouse.testkafka.LocalKafkaBroker;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.fluss.client.admin.OffsetSpec;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The ODS job over a real Kafka broker (own JVM) and an embedded Fluss cluster: JSON and Avro
 * telemetry topics with valid and invalid records, read bounded to the end offsets at start. Every
 * produced record must end up in exactly one of ods_grid_telemetry or ods_dead_letter, with the
 * expected reason. Last, the broker is killed under a running unbounded ODS job and restarted: no
 * produced record may be lost.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class KafkaTelemetryITCase {
    private static final long T0 = Instant.parse("2026-05-01T12:00:00Z").toEpochMilli();
    private static final int N = 300;
    private static final String ACCEPTED = "ACCEPTED";

    private static LocalKafkaBroker kafka;

    /** One Fluss cluster for every test class of this JVM; this class writes its own databases. */
    @RegisterExtension static final SharedFlussCluster FLUSS = new SharedFlussCluster();

    private static LocalFlussCluster fluss;

    @BeforeAll
    static void start() throws Exception {
        kafka = LocalKafkaBroker.start();
        fluss = FLUSS.cluster();
    }

    @AfterAll
    static void stop() throws Exception {
        if (kafka != null) {
            kafka.close();
        }
    }

    /** One produced record and where it must end up. */
    private static final class Expected {
        final String key; // device_id if accepted, else the dead-letter payload
        final String reason;
        final String detail;

        Expected(String key, String reason, String detail) {
            this.key = key;
            this.reason = reason;
            this.detail = detail;
        }
    }

    private static String json(String device, long ts, String freq, String extra) {
        return "{\"device_id\":\""
                + device
                + "\",\"ts\":"
                + ts
                + ",\"active_power_mw\":12.5,\"voltage_kv\":110,\"frequency_hz\":"
                + freq
                + extra
                + "}";
    }

    @Test
    void jsonTopicEndsInOdsTablesWithReasons() throws Exception {
        String topic = "telemetry-json";
        kafka.createTopic(topic, 2);
        List<Expected> expected = new ArrayList<>();
        List<byte[]> values = new ArrayList<>();
        for (int i = 0; i < N; i++) {
            String d = "J" + i;
            long ts = T0 + i * 1000L;
            String line;
            Expected e;
            switch (i % 7) {
                case 0:
                    line = json(d, ts, "50.01", "");
                    e = new Expected(d, ACCEPTED, null);
                    break;
                case 1:
                    line = json(d, ts, "61.5", "");
                    e = new Expected(line, "OUT_OF_RANGE", "frequency_hz");
                    break;
                case 2:
                    line = "{\"device_id\":\"" + d + "\",\"ts\":";
                    e = new Expected(line, "MALFORMED", null);
                    break;
                case 3:
                    line = "{\"device_id\":\"" + d + "\",\"active_power_mw\":1}";
                    e = new Expected(line, "MISSING_FIELD", "ts");
                    break;
                case 4:
                    line = json(d, ts, "\"50\"", "");
                    e = new Expected(line, "INVALID_TYPE", "frequency_hz");
                    break;
                case 5:
                    line = json(d, ts, "49.9", ",\"current_a\":1e400");
                    e = new Expected(line, "INVALID_VALUE", "current_a");
                    break;
                default:
                    line = json(d, ts, "50", ",\"temperature_c\":40.5,\"status_code\":3,\"x\":[1]");
                    e = new Expected(d, ACCEPTED, null);
            }
            values.add(line.getBytes(StandardCharsets.UTF_8));
            expected.add(e);
        }
        values.add(null); // a tombstone is not dropped silently
        expected.add(new Expected("", "MALFORMED", "empty line"));
        produce(topic, values);

        run("kafka_json", "kafka:" + topic, "json");
        assertEveryRecordClassified("kafka_json", expected);
    }

    @Test
    void avroTopicEndsInOdsTablesWithReasons() throws Exception {
        String topic = "telemetry-avro";
        kafka.createTopic(topic, 2);
        AvroTelemetryEncoder encoder = new AvroTelemetryEncoder();
        Random random = new Random(7);
        List<Expected> expected = new ArrayList<>();
        List<byte[]> values = new ArrayList<>();
        for (int i = 0; i < N; i++) {
            Telemetry t = new Telemetry();
            t.deviceId = "A" + i;
            t.ts = T0 + i * 1000L;
            t.activePowerMw = i;
            t.voltageKv = 110;
            t.frequencyHz = 50;
            byte[] bytes;
            Expected e;
            switch (i % 5) {
                case 0:
                    t.temperatureC = 30.0;
                    t.statusCode = 0;
                    bytes = encoder.encode(t);
                    e = new Expected(t.deviceId, ACCEPTED, null);
                    break;
                case 1:
                    t.voltageKv = 1300;
                    bytes = encoder.encode(t);
                    e = new Expected(t.deviceId, "OUT_OF_RANGE", "voltage_kv");
                    break;
                case 2:
                    t.temperatureC = Double.NaN;
                    bytes = encoder.encode(t);
                    e = new Expected(t.deviceId, "INVALID_VALUE", "temperature_c");
                    break;
                case 3:
                    bytes = new byte[1 + random.nextInt(60)];
                    random.nextBytes(bytes);
                    bytes[0] = 0x01; // a negative device_id length: never decodable
                    e = new Expected(Base64.getEncoder().encodeToString(bytes), "MALFORMED", null);
                    break;
                default:
                    bytes = encoder.encode(t);
                    e = new Expected(t.deviceId, ACCEPTED, null);
            }
            values.add(bytes);
            expected.add(e);
        }
        byte[] valid = encoder.encode(telemetry("A-trailing"));
        byte[] truncated = java.util.Arrays.copyOf(valid, valid.length - 3);
        values.add(truncated);
        expected.add(
                new Expected(Base64.getEncoder().encodeToString(truncated), "MALFORMED", null));
        values.add(new byte[0]);
        expected.add(new Expected("", "MALFORMED", "empty record"));
        values.add(null);
        expected.add(new Expected("", "MALFORMED", "empty record"));
        produce(topic, values);

        run("kafka_avro", "kafka:" + topic, "avro");
        assertEveryRecordClassified("kafka_avro", expected);
    }

    /** The broker-restart test's producer sends one record every 5 ms (200/s). */
    private static final long RESTART_SEND_INTERVAL_NANOS = TimeUnit.MILLISECONDS.toNanos(5);

    /** Records in the ODS tables before the broker is killed: the job is mid-stream. */
    private static final int RESTART_ROWS_BEFORE_KILL = 300;

    /** How long the broker stays down before {@link LocalKafkaBroker#restart()}. */
    private static final Duration RESTART_DOWNTIME = Duration.ofSeconds(5);

    /** How long the producer goes on once the job writes again after the restart. */
    private static final Duration RESTART_PRODUCE_AFTER = Duration.ofSeconds(3);

    /** The {@code i}-th record of the broker-restart test; every tenth is a dead letter. */
    private static String restartLine(int i) {
        boolean bad = i % 10 == 9;
        return json("K" + i, T0 + i * 100L, bad ? "61.5" : "50.02", "");
    }

    /**
     * Fault injection: the broker JVM is killed (SIGKILL) while an unbounded ODS job reads the
     * topic and a producer (acks=all, idempotent, retrying for up to 2 minutes) keeps sending; the
     * broker is restarted on the same port and data after {@link #RESTART_DOWNTIME}, and the
     * producer goes on for {@link #RESTART_PRODUCE_AFTER} after the job writes again. Every record
     * the producer sent (all acknowledged) must be in ods_grid_telemetry or ods_dead_letter. The
     * Fluss log sink is at-least-once across a job failover, so duplicates are counted and printed,
     * not asserted. Runs last: it restarts the broker the other tests share.
     */
    @Test
    @Order(Integer.MAX_VALUE)
    void brokerKilledMidStreamLosesNoRecord() throws Exception {
        String topic = "telemetry-restart";
        String database = "kafka_restart";
        kafka.createTopic(topic, 2);

        Configuration flink = LocalCluster.flinkConfig(2);
        StreamExecutionEnvironment env =
                StreamExecutionEnvironment.createLocalEnvironment(2, flink);
        Configuration conf = jobConf(database, "kafka:" + topic, "json", false);
        conf.setString("restart.attempts", "10");
        conf.setString("restart.max-delay", "2s");
        OdsJob.build(env, conf);
        JobClient job = env.executeAsync("ods-kafka-restart");
        JobWatch watch = new JobWatch("ods-kafka-restart", job, JobWatch.restPort(flink));

        AtomicBoolean stop = new AtomicBoolean();
        AtomicInteger sent = new AtomicInteger();
        AtomicInteger acked = new AtomicInteger();
        ConcurrentLinkedQueue<String> failedSends = new ConcurrentLinkedQueue<>();
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(retryingProducer());
                TableReader reader = new TableReader(fluss.clientConfig(), database)) {
            Thread sender =
                    new Thread(
                            () -> {
                                long next = System.nanoTime();
                                for (int i = 0; !stop.get(); i++) {
                                    long wait = next - System.nanoTime();
                                    if (wait > 0) {
                                        try {
                                            TimeUnit.NANOSECONDS.sleep(wait);
                                        } catch (InterruptedException e) {
                                            Thread.currentThread().interrupt();
                                            return;
                                        }
                                    }
                                    next += RESTART_SEND_INTERVAL_NANOS;
                                    String line = restartLine(i);
                                    producer.send(
                                            new ProducerRecord<>(
                                                    topic,
                                                    ("K" + i).getBytes(StandardCharsets.UTF_8),
                                                    line.getBytes(StandardCharsets.UTF_8)),
                                            (meta, e) -> {
                                                if (e == null) {
                                                    acked.incrementAndGet();
                                                } else {
                                                    failedSends.add(line + ": " + e);
                                                }
                                            });
                                    sent.incrementAndGet();
                                }
                            },
                            "restart-test-producer");
            sender.setDaemon(true);
            sender.start();

            // mid-stream: the job has written the first records and the producer goes on
            awaitCondition(
                    () -> rows(reader) >= RESTART_ROWS_BEFORE_KILL,
                    Duration.ofSeconds(90),
                    "the job writing the first records");
            int sentAtKill = sent.get();
            long rowsAtKill = rows(reader);
            long killedAt = System.nanoTime();
            kafka.kill();
            watch.restarts(); // the first metrics request only starts Flink's metric fetcher
            Thread.sleep(RESTART_DOWNTIME.toMillis());
            long restartAt = System.nanoTime();
            kafka.restart();
            long upAt = System.nanoTime();
            long rowsAtUp = rows(reader);
            int sentAtUp = sent.get();

            awaitCondition(
                    () -> rows(reader) > rowsAtUp,
                    Duration.ofSeconds(60),
                    "the job writing again after the broker restart");
            long writingAgainAt = System.nanoTime();

            Thread.sleep(RESTART_PRODUCE_AFTER.toMillis());
            stop.set(true);
            sender.join(TimeUnit.SECONDS.toMillis(30));
            assertThat(sender.isAlive()).as("producer thread finished").isFalse();
            producer.flush(); // waits for the retries of everything sent
            int total = sent.get();
            assertThat(failedSends).as("sends the producer gave up on").isEmpty();
            assertThat(acked.get()).isEqualTo(total);

            awaitCondition(
                    () -> rows(reader) >= total,
                    Duration.ofSeconds(60),
                    "all " + total + " records in the ODS tables");
            long allInAt = System.nanoTime();
            Thread.sleep(3000); // a few more checkpoints: late duplicates would show now
            assertThat(watch.status()).isEqualTo(JobStatus.RUNNING);
            long restarts = restarts(watch);

            Map<String, Long> expectedAccepted = new TreeMap<>();
            Map<String, Long> expectedDead = new TreeMap<>();
            for (int i = 0; i < total; i++) {
                if (i % 10 == 9) {
                    expectedDead.put(restartLine(i), 1L);
                } else {
                    expectedAccepted.put("K" + i, 1L);
                }
            }
            Map<String, Long> actualAccepted = new TreeMap<>();
            for (Object[] r :
                    reader.readAll(GridTables.ODS_GRID_TELEMETRY, Duration.ofMinutes(1))) {
                actualAccepted.merge((String) r[0], 1L, Long::sum);
            }
            Map<String, Long> actualDead = new TreeMap<>();
            for (Object[] r : reader.readAll(GridTables.ODS_DEAD_LETTER, Duration.ofMinutes(1))) {
                assertThat(r[1]).isEqualTo("OUT_OF_RANGE");
                actualDead.merge((String) r[3], 1L, Long::sum);
            }
            long lost =
                    expectedAccepted.keySet().stream()
                                    .filter(k -> !actualAccepted.containsKey(k))
                                    .count()
                            + expectedDead.keySet().stream()
                                    .filter(k -> !actualDead.containsKey(k))
                                    .count();
            long duplicates =
                    actualAccepted.values().stream().mapToLong(n -> n - 1).sum()
                            + actualDead.values().stream().mapToLong(n -> n - 1).sum();
            System.out.printf(
                    "RECOVERY kafka-broker-restart: broker killed (SIGKILL) after %d records sent"
                            + " (%d in the ODS tables), down %d ms, restart() took %d ms; job"
                            + " writing again %d ms after the broker was back, all %d records in"
                            + " the ODS tables %d ms after it was back (%d ms after the kill);"
                            + " sent %d before the kill, %d while down or starting, %d after;"
                            + " lost %d, duplicates %d, job restarts %d%n",
                    sentAtKill,
                    rowsAtKill,
                    millis(restartAt - killedAt),
                    millis(upAt - restartAt),
                    millis(writingAgainAt - upAt),
                    total,
                    millis(allInAt - upAt),
                    millis(allInAt - killedAt),
                    sentAtKill,
                    sentAtUp - sentAtKill,
                    total - sentAtUp,
                    lost,
                    duplicates,
                    restarts);

            // no record lost: every key is there (duplicates aside) and nothing unexpected
            assertThat(total - sentAtUp).as("records sent after the restart").isPositive();
            assertThat(actualAccepted.keySet()).isEqualTo(expectedAccepted.keySet());
            assertThat(actualDead.keySet()).isEqualTo(expectedDead.keySet());
        } finally {
            stop.set(true);
            try {
                job.cancel().get(1, TimeUnit.MINUTES);
                job.getJobExecutionResult().get(1, TimeUnit.MINUTES);
            } catch (Exception e) {
                // cancelled, or ended already (then the assertions above say why)
            }
            if (!kafka.isRunning()) {
                kafka.restart(); // leave the shared broker up
            }
        }
    }

    /** A producer that rides out a broker restart: acks=all, idempotent, retrying for 2 minutes. */
    private static Properties retryingProducer() {
        Properties p = kafka.clientProperties();
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        p.put(ProducerConfig.RETRIES_CONFIG, String.valueOf(Integer.MAX_VALUE));
        p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, "120000");
        p.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, "5000");
        p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, "60000");
        p.put(ProducerConfig.RETRY_BACKOFF_MS_CONFIG, "100");
        p.put(ProducerConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, "500");
        p.put(ProducerConfig.LINGER_MS_CONFIG, "5");
        return p;
    }

    /** Rows in ods_grid_telemetry plus ods_dead_letter (their log end offsets). */
    private static long rows(TableReader reader) {
        try {
            long n = 0;
            for (TableSpec t :
                    java.util.Arrays.asList(
                            GridTables.ODS_GRID_TELEMETRY, GridTables.ODS_DEAD_LETTER)) {
                for (long end : reader.offsets(t, new OffsetSpec.LatestSpec()).values()) {
                    n += end;
                }
            }
            return n;
        } catch (Exception e) {
            return -1; // the tables may not exist yet
        }
    }

    private static void awaitCondition(BooleanSupplier done, Duration timeout, String what)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!done.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out after " + timeout + " waiting for " + what);
            }
            Thread.sleep(50);
        }
    }

    /**
     * Flink's numRestarts of the job, from the MiniCluster's REST API; -1 if it cannot be read. The
     * REST handler answers from a metric store it refreshes asynchronously, so the first requests
     * may come back empty.
     */
    private static long restarts(JobWatch watch) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        long restarts = watch.restarts();
        while (restarts < 0 && System.nanoTime() < deadline) {
            Thread.sleep(200);
            restarts = watch.restarts();
        }
        return restarts;
    }

    private static long millis(long nanos) {
        return TimeUnit.NANOSECONDS.toMillis(nanos);
    }

    private static Telemetry telemetry(String device) {
        Telemetry t = new Telemetry();
        t.deviceId = device;
        t.ts = T0;
        t.activePowerMw = 1;
        t.voltageKv = 110;
        t.frequencyHz = 50;
        return t;
    }

    private static void produce(String topic, List<byte[]> values) throws Exception {
        Properties p = kafka.clientProperties();
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(p)) {
            int i = 0;
            for (byte[] v : values) {
                byte[] key = ("k" + i++).getBytes(StandardCharsets.UTF_8);
                producer.send(new ProducerRecord<>(topic, key, v)).get();
            }
        }
    }

    private static void run(String database, String source, String format) throws Exception {
        StreamExecutionEnvironment env =
                StreamExecutionEnvironment.createLocalEnvironment(2, LocalCluster.flinkConfig(2));
        OdsJob.build(env, jobConf(database, source, format, true));
        env.execute("ods-" + database); // bounded: returns at the end offsets
    }

    private static Configuration jobConf(
            String database, String source, String format, boolean bounded) {
        Configuration c = new Configuration();
        c.setString("fluss.bootstrap-servers", fluss.bootstrapServers());
        c.setString("fluss.database", database);
        c.setString("checkpoint.interval", "1s");
        c.setString("parallelism", "2");
        c.setString("telemetry-source", source);
        c.setString("telemetry-format", format);
        c.setString("devices-source", "none");
        c.setString("kafka.bootstrap-servers", kafka.bootstrapServers());
        c.setString("kafka.group-id", "it-" + database);
        c.setString("kafka.starting-offsets", "earliest");
        c.setString("kafka.bounded", String.valueOf(bounded));
        return c;
    }

    private static List<Object[]> read(String database, TableSpec table) throws Exception {
        try (TableReader reader = new TableReader(fluss.clientConfig(), database)) {
            return reader.readAll(table, Duration.ofMinutes(1));
        }
    }

    private static void assertEveryRecordClassified(String database, List<Expected> expected)
            throws Exception {
        List<Object[]> accepted = read(database, GridTables.ODS_GRID_TELEMETRY);
        List<Object[]> dead = read(database, GridTables.ODS_DEAD_LETTER);
        assertThat(accepted.size() + dead.size()).isEqualTo(expected.size());

        Map<String, Long> expectedAccepted =
                expected.stream()
                        .filter(e -> e.reason.equals(ACCEPTED))
                        .collect(
                                Collectors.groupingBy(
                                        e -> e.key, TreeMap::new, Collectors.counting()));
        Map<String, Long> actualAccepted =
                accepted.stream()
                        .collect(
                                Collectors.groupingBy(
                                        r -> (String) r[0], TreeMap::new, Collectors.counting()));
        assertThat(actualAccepted).isEqualTo(expectedAccepted);

        // dead letters: reason, and the payload (raw JSON line / Base64 bytes) or the device id
        // inside a decoded Avro record's JSON payload; the detail where it is a field name
        Map<String, Long> expectedDead = new TreeMap<>();
        for (Expected e : expected) {
            if (!e.reason.equals(ACCEPTED)) {
                expectedDead.merge(e.reason + "|" + e.key + "|" + e.detail, 1L, Long::sum);
            }
        }
        Map<String, Long> actualDead = new TreeMap<>();
        Map<String, String> detailOf = new HashMap<>();
        for (Expected e : expected) {
            detailOf.put(e.reason + "|" + e.key, e.detail);
        }
        for (Object[] r : dead) {
            assertThat(r[0]).isEqualTo("telemetry");
            String reason = (String) r[1];
            String detail = (String) r[2];
            String payload = (String) r[3];
            String key = payload;
            if (payload.startsWith("{\"device_id\":\"A")) { // an Avro record rendered as JSON
                key = payload.substring(14, payload.indexOf('"', 14));
            }
            String wantDetail = detailOf.get(reason + "|" + key);
            String shownDetail = wantDetail == null && "MALFORMED".equals(reason) ? null : detail;
            actualDead.merge(reason + "|" + key + "|" + shownDetail, 1L, Long::sum);
        }
        assertThat(actualDead).isEqualTo(expectedDead);
    }
}
