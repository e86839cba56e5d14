package dev.gridhouse.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gridhouse.contract.grid.GridTables;
import dev.gridhouse.core.config.JobSetup;
import dev.gridhouse.core.io.FlussEndpoint;
import dev.gridhouse.core.io.TableReader;
import dev.gridhouse.core.model.DeadLetter;
import dev.gridhouse.core.model.RejectReason;
import dev.gridhouse.testing.SharedFlussCluster;
import java.util.List;
import org.apache.fluss.client.admin.OffsetSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The row count of the live summary on a first_row primary-key table: a batch written a second time
 * (as after a restore) takes log offsets but adds no row, and is not counted.
 */
class TotalRowsITCase {
    @RegisterExtension static final SharedFlussCluster FLUSS = new SharedFlussCluster();

    @Test
    void aFirstRowTableCountsItsRowsNotItsOffsets() throws Exception {
        FlussEndpoint fluss = new FlussEndpoint(FLUSS.cluster().bootstrapServers(), "total_rows");
        JobSetup.ensureTables(fluss, 0, List.of(GridTables.ODS_DEAD_LETTER));
        List<DeadLetter> batch = List.of(deadLetter("a"), deadLetter("b"));
        FaultRuns.upsert(fluss, GridTables.ODS_DEAD_LETTER, batch);
        // the same batch committed again: first_row keeps the first rows
        FaultRuns.upsert(fluss, GridTables.ODS_DEAD_LETTER, batch);
        try (TableReader reader = new TableReader(fluss.toFlussConfig(), fluss.database())) {
            long offsets =
                    reader
                            .offsets(GridTables.ODS_DEAD_LETTER, new OffsetSpec.LatestSpec())
                            .values()
                            .stream()
                            .mapToLong(v -> v)
                            .sum();
            assertThat(offsets).as("log offsets taken by both writes").isGreaterThan(2);
            assertThat(LocalSummary.totalRows(reader, fluss, GridTables.ODS_DEAD_LETTER))
                    .as("dead letters")
                    .isEqualTo(2);
        }
    }

    private static DeadLetter deadLetter(String id) {
        DeadLetter d =
                new DeadLetter("telemetry", RejectReason.MALFORMED, "test", "{", null, 1_000L);
        d.deadLetterId = id;
        return d;
    }
}
