package dev.gridhouse.core.ops;

import static dev.gridhouse.core.fixture.TestTables.METERS;
import static org.assertj.core.api.Assertions.assertThat;

import dev.gridhouse.core.catalog.FlussCatalog;
import dev.gridhouse.core.fixture.TestTables.Meter;
import dev.gridhouse.core.io.FlussEndpoint;
import dev.gridhouse.core.serde.FlussRowConverter;
import dev.gridhouse.testing.SharedFlussCluster;
import java.time.Duration;
import java.util.Collections;
import java.util.function.BooleanSupplier;
import org.apache.fluss.client.Connection;
import org.apache.fluss.client.ConnectionFactory;
import org.apache.fluss.client.table.Table;
import org.apache.fluss.client.table.writer.UpsertWriter;
import org.apache.fluss.metadata.TablePath;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The mirror behind lookup-mode MIRROR, against a real embedded Fluss cluster. */
class DimensionMirrorTest {
    @RegisterExtension static final SharedFlussCluster FLUSS = new SharedFlussCluster();

    private static final String DATABASE = "mirror_test";
    private static FlussEndpoint fluss;

    @BeforeAll
    static void createTable() throws Exception {
        fluss = new FlussEndpoint(FLUSS.cluster().bootstrapServers(), DATABASE);
        try (FlussCatalog catalog = new FlussCatalog(fluss.toFlussConfig(), DATABASE, 0)) {
            catalog.ensureTables(Collections.singletonList(METERS));
        }
    }

    private static void await(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (!condition.getAsBoolean() && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
    }

    @Test
    void loadsExistingRowsThenAppliesUpdatesAndDeletes() throws Exception {
        FlussRowConverter<Meter> rows = FlussRowConverter.forTable(METERS);
        try (Connection conn = ConnectionFactory.createConnection(fluss.toFlussConfig());
                Table table = conn.getTable(TablePath.of(DATABASE, METERS.name()))) {
            UpsertWriter writer = table.newUpsert().createWriter();
            for (int i = 0; i < 500; i++) {
                writer.upsert(rows.toRow(new Meter("M" + i, "NORTH")));
            }
            writer.flush();

            try (DimensionMirror<Meter> mirror = new DimensionMirror<>(fluss, METERS)) {
                mirror.start();
                mirror.awaitLoaded(Duration.ofSeconds(60));
                // everything written before the start is there once loaded
                assertThat(mirror.size()).isEqualTo(500);
                assertThat(mirror.get(new Object[] {"M7"}).region).isEqualTo("NORTH");
                assertThat(mirror.get(new Object[] {"nope"})).isNull();

                writer.upsert(rows.toRow(new Meter("M7", "SOUTH")));
                writer.upsert(rows.toRow(new Meter("M900", "EAST")));
                writer.delete(rows.toRow(new Meter("M8", "NORTH")));
                writer.flush();
                await(
                        () ->
                                mirror.get(new Object[] {"M8"}) == null
                                        && mirror.get(new Object[] {"M900"}) != null
                                        && "SOUTH".equals(mirror.get(new Object[] {"M7"}).region));

                assertThat(mirror.get(new Object[] {"M7"}).region).isEqualTo("SOUTH");
                assertThat(mirror.get(new Object[] {"M900"}).region).isEqualTo("EAST");
                assertThat(mirror.get(new Object[] {"M8"})).isNull();
                assertThat(mirror.size()).isEqualTo(500);
            }
        }
    }
}
