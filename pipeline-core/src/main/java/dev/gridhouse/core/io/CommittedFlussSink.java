package dev.gridhouse.core.io;

import dev.gridhouse.core.catalog.TableSpec;
import dev.gridhouse.core.serde.FlussRowConverter;
import dev.gridhouse.core.serde.ModelJson;
import java.io.IOException;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.UUID;
import org.apache.flink.api.connector.sink2.Committer;
import org.apache.flink.api.connector.sink2.CommitterInitContext;
import org.apache.flink.api.connector.sink2.CommittingSinkWriter;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.SupportsCommitter;
import org.apache.flink.api.connector.sink2.WriterInitContext;
import org.apache.flink.core.io.SimpleVersionedSerializer;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.apache.flink.util.Preconditions;
import org.apache.fluss.client.Connection;
import org.apache.fluss.client.ConnectionFactory;
import org.apache.fluss.client.table.Table;
import org.apache.fluss.client.table.writer.UpsertWriter;
import org.apache.fluss.metadata.TablePath;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Exactly-once writes into a Fluss primary-key table with the {@code first_row} merge engine, for
 * records that have no natural key (dead letters): a write-ahead sink in Sink V2's two phases.
 *
 * <p>The writer gives each record a key, {@code <writer-id>-<n>}, where the writer id is random per
 * writer start, and buffers it. At a checkpoint the buffer becomes a committable, which Flink keeps
 * in the checkpoint; the committer upserts it into Fluss only after the checkpoint completed. So a
 * record reprocessed after a failover was never written before (its buffer was not committed) and
 * gets a new key, while a committable restored from a checkpoint is committed again with the keys
 * it already had, which {@code first_row} ignores. Rows appear in Fluss one checkpoint interval
 * late: use it for low-volume tables, not on a latency path. Requires checkpointing in a streaming
 * job ({@link FlussIo#writeCommitted} falls back to a plain writer without it); in BATCH mode
 * everything is committed at the end.
 *
 * @param <T> the model record; {@link KeySetter} writes its key column
 */
public final class CommittedFlussSink<T> implements Sink<T>, SupportsCommitter<List<String>> {
    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(CommittedFlussSink.class);

    /** Commit attempts of one committable before the job fails (and restores it). */
    static final int MAX_COMMIT_RETRIES = 10;

    /** Writes the generated key into a record's primary-key field. */
    @FunctionalInterface
    public interface KeySetter<T> extends Serializable {
        void setKey(T record, String key);
    }

    private final FlussEndpoint fluss;
    private final TableSpec table;
    private final Class<T> type;
    private final KeySetter<T> keySetter;

    public CommittedFlussSink(
            FlussEndpoint fluss, TableSpec table, Class<T> type, KeySetter<T> keySetter) {
        Preconditions.checkArgument(
                table.primaryKey().size() == 1,
                "%s needs a single-column primary key (the generated record key), has %s",
                table.name(),
                table.primaryKey());
        this.fluss = fluss;
        this.table = table;
        this.type = type;
        this.keySetter = keySetter;
    }

    @Override
    @SuppressWarnings("deprecation")
    public SinkWriter<T> createWriter(InitContext context) {
        return new BufferingWriter<>(keySetter);
    }

    @Override
    public SinkWriter<T> createWriter(WriterInitContext context) {
        return new BufferingWriter<>(keySetter);
    }

    @Override
    public Committer<List<String>> createCommitter(CommitterInitContext context) {
        return new UpsertCommitter<>(fluss, table, type);
    }

    @Override
    public SimpleVersionedSerializer<List<String>> getCommittableSerializer() {
        return new JsonBatchSerializer();
    }

    /** Buffers keyed records until the next checkpoint. */
    static final class BufferingWriter<T> implements CommittingSinkWriter<T, List<String>> {
        private final KeySetter<T> keySetter;
        private final String writerId = UUID.randomUUID().toString();
        private long next;
        private List<String> buffer = new ArrayList<>();

        BufferingWriter(KeySetter<T> keySetter) {
            this.keySetter = keySetter;
        }

        @Override
        public void write(T record, Context context) {
            keySetter.setKey(record, writerId + "-" + next++);
            buffer.add(ModelJson.toJson(record));
        }

        @Override
        public void flush(boolean endOfInput) {}

        @Override
        public Collection<List<String>> prepareCommit() {
            if (buffer.isEmpty()) {
                return Collections.emptyList();
            }
            List<String> batch = buffer;
            buffer = new ArrayList<>();
            return Collections.singletonList(batch);
        }

        @Override
        public void close() {}
    }

    /** Upserts committed batches; a failed batch is retried, then fails the job. */
    static final class UpsertCommitter<T> implements Committer<List<String>> {
        private final FlussEndpoint fluss;
        private final TableSpec table;
        private final Class<T> type;
        private transient Connection connection;
        private transient Table flussTable;
        private transient UpsertWriter writer;
        private transient FlussRowConverter<T> converter;

        UpsertCommitter(FlussEndpoint fluss, TableSpec table, Class<T> type) {
            this.fluss = fluss;
            this.table = table;
            this.type = type;
        }

        private void ensureOpen() {
            if (writer == null) {
                connection = ConnectionFactory.createConnection(fluss.toFlussConfig());
                flussTable = connection.getTable(TablePath.of(fluss.database(), table.name()));
                writer = flussTable.newUpsert().createWriter();
                converter = FlussRowConverter.forTable(table, type);
            }
        }

        @Override
        public void commit(Collection<CommitRequest<List<String>>> requests) {
            for (CommitRequest<List<String>> request : requests) {
                try {
                    ensureOpen();
                    for (String json : request.getCommittable()) {
                        writer.upsert(converter.toRow(ModelJson.fromJson(json, type)));
                    }
                    writer.flush();
                } catch (Exception e) {
                    if (request.getNumberOfRetries() < MAX_COMMIT_RETRIES) {
                        LOG.warn(
                                "Commit of {} rows into {} failed (attempt {}), retrying",
                                request.getCommittable().size(),
                                table.name(),
                                request.getNumberOfRetries() + 1,
                                e);
                        closeQuietly();
                        request.retryLater();
                    } else {
                        request.signalFailedWithUnknownReason(e);
                    }
                }
            }
        }

        private void closeQuietly() {
            try {
                close();
            } catch (Exception ignored) {
                // reopened on the next attempt
            }
        }

        @Override
        public void close() throws Exception {
            writer = null;
            if (flussTable != null) {
                flussTable.close();
                flussTable = null;
            }
            if (connection != null) {
                connection.close();
                connection = null;
            }
        }
    }

    /** A batch as JSON records, length-prefixed UTF-8. */
    static final class JsonBatchSerializer implements SimpleVersionedSerializer<List<String>> {
        @Override
        public int getVersion() {
            return 1;
        }

        @Override
        public byte[] serialize(List<String> batch) throws IOException {
            DataOutputSerializer out = new DataOutputSerializer(256 * batch.size() + 4);
            out.writeInt(batch.size());
            for (String json : batch) {
                byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
                out.writeInt(bytes.length);
                out.write(bytes);
            }
            return out.getCopyOfBuffer();
        }

        @Override
        public List<String> deserialize(int version, byte[] serialized) throws IOException {
            Preconditions.checkState(version == 1, "unknown committable version %s", version);
            DataInputDeserializer in = new DataInputDeserializer(serialized);
            int n = in.readInt();
            List<String> batch = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                byte[] bytes = new byte[in.readInt()];
                in.readFully(bytes);
                batch.add(new String(bytes, StandardCharsets.UTF_8));
            }
            return batch;
        }
    }
}
