package dev.gridhouse.ods.source;

import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Objects;
import org.apache.flink.api.common.typeinfo.PrimitiveArrayTypeInfo;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.KafkaSourceBuilder;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetResetStrategy;

/**
 * Where telemetry is read from Kafka: bootstrap servers, topic, consumer group, starting offsets
 * and whether to stop at the end offsets seen at start. Builds the {@link KafkaSource}s of raw
 * record values: {@link #jsonLines()} (UTF-8 text, for the JSON validator) and {@link
 * #avroRecords()} (bytes, for the Avro validator). Keys and headers are ignored.
 *
 * <p>A record without a value (a tombstone) is not dropped: it becomes an empty line / empty byte
 * array, which the validators reject as MALFORMED. Invalid UTF-8 decodes with replacement
 * characters (and is then classified by the JSON parser).
 */
public final class KafkaTelemetrySource implements Serializable {
    private static final long serialVersionUID = 1L;

    /** Where a new consumer starts. */
    public enum StartingOffsets {
        EARLIEST,
        LATEST,
        /** The group's committed offsets, or the earliest where the group has none. */
        COMMITTED;

        /** Parses {@code earliest|latest|committed}, ignoring case. */
        public static StartingOffsets parse(String s) {
            try {
                return valueOf(s.trim().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(
                        "starting offsets must be earliest, latest or committed, was " + s, e);
            }
        }
    }

    private final String bootstrapServers;
    private final String topic;
    private final String groupId;
    private final StartingOffsets startingOffsets;
    private final boolean bounded;

    public KafkaTelemetrySource(
            String bootstrapServers,
            String topic,
            String groupId,
            StartingOffsets startingOffsets,
            boolean bounded) {
        this.bootstrapServers = requireText(bootstrapServers, "Kafka bootstrap servers");
        this.topic = requireText(topic, "Kafka topic");
        this.groupId = requireText(groupId, "Kafka group id");
        this.startingOffsets = Objects.requireNonNull(startingOffsets, "startingOffsets");
        this.bounded = bounded;
    }

    public String topic() {
        return topic;
    }

    public boolean bounded() {
        return bounded;
    }

    /** Record values as UTF-8 strings (JSON lines). */
    public KafkaSource<String> jsonLines() {
        return builder(new Utf8Values()).build();
    }

    /** Record values as raw bytes (Avro records). */
    public KafkaSource<byte[]> avroRecords() {
        return builder(new ByteValues()).build();
    }

    private <T> KafkaSourceBuilder<T> builder(KafkaRecordDeserializationSchema<T> schema) {
        KafkaSourceBuilder<T> b =
                KafkaSource.<T>builder()
                        .setBootstrapServers(bootstrapServers)
                        .setTopics(topic)
                        .setGroupId(groupId)
                        .setClientIdPrefix(groupId + "-" + topic)
                        .setStartingOffsets(offsets())
                        .setDeserializer(schema);
        if (bounded) {
            b.setBounded(OffsetsInitializer.latest());
        }
        return b;
    }

    private OffsetsInitializer offsets() {
        switch (startingOffsets) {
            case EARLIEST:
                return OffsetsInitializer.earliest();
            case LATEST:
                return OffsetsInitializer.latest();
            default:
                return OffsetsInitializer.committedOffsets(OffsetResetStrategy.EARLIEST);
        }
    }

    private static String requireText(String s, String what) {
        if (s == null || s.trim().isEmpty()) {
            throw new IllegalArgumentException(what + " must be set");
        }
        return s.trim();
    }

    @Override
    public String toString() {
        return "kafka:" + topic + "@" + bootstrapServers + " (" + startingOffsets + ")";
    }

    /** Values as UTF-8 text; null values become empty lines. */
    static final class Utf8Values implements KafkaRecordDeserializationSchema<String> {
        private static final long serialVersionUID = 1L;

        @Override
        public void deserialize(ConsumerRecord<byte[], byte[]> record, Collector<String> out) {
            byte[] v = record.value();
            out.collect(v == null ? "" : new String(v, StandardCharsets.UTF_8));
        }

        @Override
        public TypeInformation<String> getProducedType() {
            return Types.STRING;
        }
    }

    /** Values as bytes; null values become empty arrays. */
    static final class ByteValues implements KafkaRecordDeserializationSchema<byte[]> {
        private static final long serialVersionUID = 1L;
        private static final byte[] EMPTY = new byte[0];

        @Override
        public void deserialize(ConsumerRecord<byte[], byte[]> record, Collector<byte[]> out) {
            byte[] v = record.value();
            out.collect(v == null ? EMPTY : v);
        }

        @Override
        public TypeInformation<byte[]> getProducedType() {
            return PrimitiveArrayTypeInfo.BYTE_PRIMITIVE_ARRAY_TYPE_INFO;
        }
    }
}
