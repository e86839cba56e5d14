package dev.gridhouse.core.io;

import static dev.gridhouse.core.fixture.TestTables.DEAD_LETTERS;
import static org.assertj.core.api.Assertions.assertThat;

import dev.gridhouse.core.config.JobSetup;
import dev.gridhouse.core.model.DeadLetter;
import dev.gridhouse.core.model.RejectReason;
import dev.gridhouse.core.serde.ModelJson;
import dev.gridhouse.testing.SharedFlussCluster;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.flink.api.connector.sink2.Committer;
import org.apache.fluss.client.admin.OffsetSpec;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The write-ahead dead-letter sink: keys are unique per write, a batch is handed over once per
 * checkpoint, and committing the same batch again (a restore re-commits what its checkpoint holds)
 * leaves exactly one row per record in Fluss, in the table and in its changelog.
 */
class CommittedFlussSinkTest {
    @RegisterExtension static final SharedFlussCluster FLUSS = new SharedFlussCluster();

    private static FlussEndpoint fluss;

    @BeforeAll
    static void createTable() {
        fluss = new FlussEndpoint(FLUSS.cluster().bootstrapServers(), "committed_sink_test");
        JobSetup.ensureTables(fluss, 0, List.of(DEAD_LETTERS));
    }

    private static DeadLetter letter(int i) {
        return new DeadLetter(
                "readings", RejectReason.MALFORMED, "parser", "{bad " + i, null, 1_000L + i);
    }

    @Test
    void writerKeysEveryRecordAndHandsOverOneBatchPerCheckpoint() throws Exception {
        CommittedFlussSink.BufferingWriter<DeadLetter> a =
                new CommittedFlussSink.BufferingWriter<>((d, k) -> d.deadLetterId = k);
        CommittedFlussSink.BufferingWriter<DeadLetter> b =
                new CommittedFlussSink.BufferingWriter<>((d, k) -> d.deadLetterId = k);
        Set<String> keys = new HashSet<>();
        for (int i = 0; i < 3; i++) {
            DeadLetter d = letter(i);
            a.write(d, null);
            keys.add(d.deadLetterId);
            DeadLetter same = letter(i); // the same rejected record, written by a restarted writer
            b.write(same, null);
            keys.add(same.deadLetterId);
        }
        assertThat(keys).hasSize(6);
        Collection<List<String>> first = a.prepareCommit();
        assertThat(first).hasSize(1);
        assertThat(first.iterator().next()).hasSize(3);
        assertThat(a.prepareCommit()).as("nothing new since the last checkpoint").isEmpty();
        DeadLetter back = ModelJson.fromJson(first.iterator().next().get(2), DeadLetter.class);
        assertThat(back).isEqualTo(letter(2));
        assertThat(back.deadLetterId).isNotNull();
    }

    @Test
    void batchesSurviveTheirSerializer() throws Exception {
        CommittedFlussSink.JsonBatchSerializer s = new CommittedFlussSink.JsonBatchSerializer();
        List<String> batch = List.of("{\"a\":\"ü€\"}", "", "{}");
        assertThat(s.deserialize(s.getVersion(), s.serialize(batch))).isEqualTo(batch);
    }

    @Test
    void aBatchCommittedTwiceIsInFlussOnce() throws Exception {
        CommittedFlussSink.BufferingWriter<DeadLetter> writer =
                new CommittedFlussSink.BufferingWriter<>((d, k) -> d.deadLetterId = k);
        for (int i = 0; i < 50; i++) {
            writer.write(letter(i), null);
        }
        List<String> batch = writer.prepareCommit().iterator().next();
        try (CommittedFlussSink.UpsertCommitter<DeadLetter> committer =
                new CommittedFlussSink.UpsertCommitter<>(fluss, DEAD_LETTERS, DeadLetter.class)) {
            Request first = new Request(batch);
            committer.commit(List.of(first));
            // after a restore the checkpoint's committable is committed again
            Request again = new Request(batch);
            committer.commit(List.of(again));
            assertThat(first.failed).isNull();
            assertThat(again.failed).isNull();
        }
        try (TableReader reader = new TableReader(fluss.toFlussConfig(), fluss.database())) {
            assertThat(reader.readAll(DEAD_LETTERS, Duration.ofMinutes(1))).hasSize(50);
            List<TableReader.Change> changelog =
                    reader.readChanges(
                            DEAD_LETTERS,
                            java.util.Map.of(),
                            reader.offsets(DEAD_LETTERS, new OffsetSpec.LatestSpec()),
                            Duration.ofMinutes(1));
            assertThat(changelog).as("first_row: the second commit adds nothing").hasSize(50);
        }
    }

    /** A commit request as the CommitterOperator hands it over. */
    private static final class Request implements Committer.CommitRequest<List<String>> {
        final List<String> batch;
        final List<String> retries = new ArrayList<>();
        Throwable failed;

        Request(List<String> batch) {
            this.batch = batch;
        }

        @Override
        public List<String> getCommittable() {
            return batch;
        }

        @Override
        public int getNumberOfRetries() {
            return retries.size();
        }

        @Override
        public void signalFailedWithKnownReason(Throwable t) {
            failed = t;
        }

        @Override
        public void signalFailedWithUnknownReason(Throwable t) {
            failed = t;
        }

        @Override
        public void retryLater() {
            retries.add("retry");
            failed = new AssertionError("asked to retry");
        }

        @Override
        public void updateAndRetryLater(List<String> committable) {
            retryLater();
        }

        @Override
        public void signalAlreadyCommitted() {}
    }
}
