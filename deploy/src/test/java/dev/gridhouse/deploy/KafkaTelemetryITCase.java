package dev.gridhouse.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gridhouse.core.catalog.GridTables;
import dev.gridhouse.core.catalog.TableSpec;
import dev.gridhouse.core.cluster.LocalFlussCluster;
import dev.gridhouse.core.io.TableReader;
import dev.gridhouse.core.model.Telemetry;
import dev.gridhouse.core.serde.AvroTelemetryEncoder;
import dev.gridhouse.ods.OdsJob;
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
import java.util.stream.Collectors;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The ODS job over a real Kafka broker (own JVM) and an embedded Fluss cluster: JSON and Avro
 * telemetry topics with valid and invalid records, read bounded to the end offsets at start. Every
 * produced record must end up in exactly one of ods_grid_telemetry or ods_dead_letter, with the
 * expected reason.
 */
class KafkaTelemetryITCase {
    private static final long T0 = Instant.parse("2026-05-01T12:00:00Z").toEpochMilli();
    private static final int N = 300;
    private static final String ACCEPTED = "ACCEPTED";

    private static LocalKafkaBroker kafka;
    private static LocalFlussCluster fluss;

    @BeforeAll
    static void start() throws Exception {
        kafka = LocalKafkaBroker.start();
        fluss = LocalFlussCluster.start();
    }

    @AfterAll
    static void stop() throws Exception {
        try {
            if (kafka != null) {
                kafka.close();
            }
        } finally {
            if (fluss != null) {
                fluss.close();
            }
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
        c.setString("kafka.bounded", "true");
        StreamExecutionEnvironment env =
                StreamExecutionEnvironment.createLocalEnvironment(2, LocalRunner.flinkConfig(2));
        OdsJob.build(env, c);
        env.execute("ods-" + database); // bounded: returns at the end offsets
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
