package dev.gridhouse.testkafka;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

/**
 * The broker starts in its own JVM, serves a produce/consume round trip, and cleans up; killed and
 * restarted, it keeps its port, topics and records.
 */
class LocalKafkaBrokerTest {

    @Test
    void producesAndConsumesThenCleansUp() throws Exception {
        Path log;
        ProcessHandle child;
        try (LocalKafkaBroker kafka = LocalKafkaBroker.start()) {
            log = kafka.logFile();
            assertThat(kafka.bootstrapServers()).startsWith("127.0.0.1:");
            kafka.createTopic("t", 2);

            Properties p = kafka.clientProperties();
            p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
            p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
            try (KafkaProducer<String, String> producer = new KafkaProducer<>(p)) {
                for (int i = 0; i < 10; i++) {
                    producer.send(new ProducerRecord<>("t", "k" + i, "v" + i));
                }
                producer.flush();
            }

            Properties c = kafka.clientProperties();
            c.put(ConsumerConfig.GROUP_ID_CONFIG, "g");
            c.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
            c.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
            c.put(
                    ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG,
                    StringDeserializer.class.getName());
            List<String> values = new ArrayList<>();
            try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(c)) {
                consumer.subscribe(Collections.singletonList("t"));
                long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
                while (values.size() < 10 && System.nanoTime() < deadline) {
                    for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(500))) {
                        values.add(r.value());
                    }
                }
            }
            assertThat(values).hasSize(10).contains("v0", "v9");
            child =
                    ProcessHandle.current()
                            .children()
                            .filter(h -> h.info().commandLine().orElse("").contains("kafka.Kafka"))
                            .findFirst()
                            .orElseThrow();
        }
        assertThat(child.isAlive()).isFalse();
        assertThat(Files.exists(log)).isFalse();
    }

    @Test
    void killAndRestartKeepPortTopicAndRecords() throws Exception {
        try (LocalKafkaBroker kafka = LocalKafkaBroker.start()) {
            String bootstrap = kafka.bootstrapServers();
            kafka.createTopic("r", 1);
            produce(kafka, "before", 5);

            kafka.kill();
            assertThat(kafka.isRunning()).isFalse();
            kafka.kill(); // idempotent

            kafka.restart();
            assertThat(kafka.isRunning()).isTrue();
            assertThat(kafka.bootstrapServers()).isEqualTo(bootstrap);
            produce(kafka, "after", 5);

            assertThat(consume(kafka, "r", 10))
                    .containsExactly(
                            "before0", "before1", "before2", "before3", "before4", "after0",
                            "after1", "after2", "after3", "after4");
        }
    }

    private static void produce(LocalKafkaBroker kafka, String prefix, int n) throws Exception {
        Properties p = kafka.clientProperties();
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(p)) {
            for (int i = 0; i < n; i++) {
                producer.send(new ProducerRecord<>("r", "k" + i, prefix + i)).get();
            }
        }
    }

    private static List<String> consume(LocalKafkaBroker kafka, String topic, int n) {
        Properties c = kafka.clientProperties();
        c.put(ConsumerConfig.GROUP_ID_CONFIG, "g-" + topic);
        c.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        c.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        c.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        List<String> values = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(c)) {
            consumer.subscribe(Collections.singletonList(topic));
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (values.size() < n && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(500))) {
                    values.add(r.value());
                }
            }
        }
        return values;
    }
}
