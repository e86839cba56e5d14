package dev.gridhouse.bench;

import dev.gridhouse.contract.grid.Telemetry;
import dev.gridhouse.contract.grid.avro.TelemetryRecord;
import dev.gridhouse.ods.parse.AvroTelemetryDecoder;
import dev.gridhouse.ods.parse.AvroTelemetryEncoder;
import dev.gridhouse.testkafka.LocalKafkaBroker;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Kafka baseline's log: a real Kafka 3.4 broker in its own JVM ({@link LocalKafkaBroker}),
 * telemetry topics in Avro (plain binary, the project's schema) and JSON, keyed by device id, with
 * the producer tuned for throughput as the Kafka docs advise (batching, linger, compression).
 */
final class KafkaBench implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(KafkaBench.class);

    /** Value encodings of the telemetry topic. */
    enum Format {
        AVRO,
        JSON
    }

    static final Map<String, Object> PRODUCER_OPTIONS =
            Map.of(
                    ProducerConfig.ACKS_CONFIG,
                    "all",
                    ProducerConfig.LINGER_MS_CONFIG,
                    10,
                    ProducerConfig.BATCH_SIZE_CONFIG,
                    512 * 1024,
                    ProducerConfig.BUFFER_MEMORY_CONFIG,
                    64L * 1024 * 1024,
                    ProducerConfig.COMPRESSION_TYPE_CONFIG,
                    "zstd");
    static final Map<String, Object> CONSUMER_OPTIONS =
            Map.of(
                    ConsumerConfig.MAX_POLL_RECORDS_CONFIG,
                    4096,
                    ConsumerConfig.FETCH_MIN_BYTES_CONFIG,
                    1,
                    ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG,
                    8 * 1024 * 1024,
                    ConsumerConfig.FETCH_MAX_BYTES_CONFIG,
                    64 * 1024 * 1024);

    private final LocalKafkaBroker broker;
    private final List<Long> serverPids;
    private final int partitions;

    KafkaBench(LocalKafkaBroker broker, List<Long> serverPids, int partitions) throws Exception {
        this.broker = broker;
        this.serverPids = serverPids;
        this.partitions = partitions;
        for (Format f : Format.values()) {
            broker.createTopic(topic(f), partitions);
        }
    }

    LocalKafkaBroker broker() {
        return broker;
    }

    /** The broker JVM's pid: the child process of this JVM that runs {@code kafka.Kafka}. */
    static long brokerPid() {
        return ProcessHandle.current()
                .descendants()
                .filter(p -> cmdline(p.pid()).contains("\0kafka.Kafka\0"))
                .findFirst()
                .orElseThrow(() -> new IllegalStateException("Kafka broker process not found"))
                .pid();
    }

    private static String cmdline(long pid) {
        try {
            return new String(
                    java.nio.file.Files.readAllBytes(
                            java.nio.file.Paths.get("/proc", Long.toString(pid), "cmdline")),
                    java.nio.charset.StandardCharsets.UTF_8);
        } catch (java.io.IOException e) {
            return "";
        }
    }

    static String topic(Format f) {
        return "telemetry-" + f.name().toLowerCase();
    }

    /** Scenario 1: produce {@code n} records. */
    Measurement ingest(Workload w, long n, Format format, int latencyEvery) throws Exception {
        Properties p = broker.clientProperties();
        p.putAll(PRODUCER_OPTIONS);
        Latencies lat = new Latencies(2_000_000);
        AtomicReference<Throwable> failure = new AtomicReference<>();
        AvroTelemetryEncoder avro = new AvroTelemetryEncoder();
        String topic = topic(format);
        try (KafkaProducer<String, byte[]> producer =
                new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer())) {
            producer.partitionsFor(topic); // metadata before the clock starts
            Telemetry t = new Telemetry();
            Meter meter = Meter.start(serverPids);
            for (long i = 0; i < n; i++) {
                w.record(i, t);
                byte[] value = format == Format.AVRO ? avro.encode(t) : JsonCodec.bytes(t);
                ProducerRecord<String, byte[]> rec = new ProducerRecord<>(topic, t.deviceId, value);
                if (i % latencyEvery == 0) {
                    long sent = System.nanoTime();
                    producer.send(
                            rec,
                            (md, e) -> {
                                if (e != null) {
                                    failure.compareAndSet(null, e);
                                } else {
                                    lat.add(System.nanoTime() - sent);
                                }
                            });
                } else {
                    producer.send(
                            rec,
                            (md, e) -> {
                                if (e != null) {
                                    failure.compareAndSet(null, e);
                                }
                            });
                }
                if (failure.get() != null) {
                    break;
                }
            }
            producer.flush();
            FlussBench.checkNoFailure(failure, "Kafka produce");
            return meter.stop(
                    "1-ingest",
                    "Kafka topic, " + format.name().toLowerCase(),
                    "kafka",
                    n,
                    lat,
                    "send → ack (1 in " + latencyEvery + " records)",
                    PRODUCER_OPTIONS.toString());
        }
    }

    /**
     * Scenario 2: read the topic from the beginning and deserialize every record (Kafka has no
     * projection: picking 3 columns still fetches and decodes whole records).
     */
    Measurement read(long expected, Format format, boolean threeColumns, Duration timeout) {
        Properties p = broker.clientProperties();
        p.putAll(CONSUMER_OPTIONS);
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        Latencies lat = new Latencies(1_000_000);
        SpecificDatumReader<TelemetryRecord> reader =
                new SpecificDatumReader<>(TelemetryRecord.class);
        BinaryDecoder decoder = null;
        TelemetryRecord reuse = null;
        long count = 0;
        double checksum = 0;
        try (KafkaConsumer<byte[], byte[]> consumer =
                new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> tps = new ArrayList<>();
            for (int i = 0; i < partitions; i++) {
                tps.add(new TopicPartition(topic(format), i));
            }
            consumer.assign(tps);
            consumer.seekToBeginning(tps);
            Meter meter = Meter.start(serverPids);
            long deadline = System.nanoTime() + timeout.toNanos();
            while (count < expected && System.nanoTime() < deadline) {
                long polled = System.nanoTime();
                ConsumerRecords<byte[], byte[]> records = consumer.poll(Duration.ofMillis(500));
                lat.add(System.nanoTime() - polled);
                for (ConsumerRecord<byte[], byte[]> r : records) {
                    Telemetry t;
                    if (format == Format.AVRO) {
                        decoder = DecoderFactory.get().binaryDecoder(r.value(), decoder);
                        try {
                            reuse = reader.read(null, decoder);
                        } catch (java.io.IOException e) {
                            throw new java.io.UncheckedIOException(e);
                        }
                        t = AvroTelemetryDecoder.toTelemetry(reuse);
                    } else {
                        t = JsonCodec.read(r.value(), Telemetry.class);
                    }
                    checksum +=
                            threeColumns
                                    ? t.deviceId.length() + t.ts + t.activePowerMw
                                    : t.deviceId.length() + t.ts + t.activePowerMw + t.voltageKv;
                    count++;
                }
            }
            LOG.debug("checksum {}", checksum);
            FlussBench.checkAtLeast("Kafka read", count, expected);
            String f = format.name().toLowerCase();
            return meter.stop(
                    threeColumns ? "2-read-3-columns" : "2-read-all-columns",
                    threeColumns
                            ? "Kafka " + f + ", full read + decode, keep 3 columns"
                            : "Kafka " + f + ", full read + decode",
                    "kafka",
                    count,
                    lat,
                    "one poll() call",
                    CONSUMER_OPTIONS.toString());
        }
    }

    @Override
    public void close() {
        broker.close();
    }
}
