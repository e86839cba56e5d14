package dev.gridhouse.core.ops;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gridhouse.contract.grid.Device;
import dev.gridhouse.contract.grid.GridTables;
import dev.gridhouse.core.catalog.FlussCatalog;
import dev.gridhouse.core.io.FlussEndpoint;
import dev.gridhouse.core.serde.FlussRowConverter;
import dev.gridhouse.testing.LocalFlussCluster;
import java.time.Duration;
import java.util.Collections;
import java.util.function.BooleanSupplier;
import org.apache.fluss.client.Connection;
import org.apache.fluss.client.ConnectionFactory;
import org.apache.fluss.client.table.Table;
import org.apache.fluss.client.table.writer.UpsertWriter;
import org.apache.fluss.metadata.TablePath;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The mirror behind lookup-mode MIRROR, against a real embedded Fluss cluster. */
class DimensionMirrorTest {
    private static LocalFlussCluster cluster;
    private static FlussEndpoint fluss;

    @BeforeAll
    static void start() throws Exception {
        cluster = LocalFlussCluster.start();
        fluss = new FlussEndpoint(cluster.bootstrapServers(), "mirror_test");
        try (FlussCatalog catalog = new FlussCatalog(fluss.toFlussConfig(), "mirror_test", 0)) {
            catalog.ensureTables(Collections.singletonList(GridTables.ODS_DEVICES));
        }
    }

    @AfterAll
    static void stop() throws Exception {
        cluster.close();
    }

    private static Device device(String id, String region) {
        return new Device(id, id, "FEEDER", "S1", region, 10, 110, "IN_SERVICE", 0L);
    }

    private static void await(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (!condition.getAsBoolean() && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
    }

    @Test
    void loadsExistingRowsThenAppliesUpdatesAndDeletes() throws Exception {
        FlussRowConverter<Device> rows = FlussRowConverter.forTable(GridTables.ODS_DEVICES);
        try (Connection conn = ConnectionFactory.createConnection(fluss.toFlussConfig());
                Table table = conn.getTable(TablePath.of("mirror_test", "ods_devices"))) {
            UpsertWriter writer = table.newUpsert().createWriter();
            for (int i = 0; i < 500; i++) {
                writer.upsert(rows.toRow(device("D" + i, "NORTH")));
            }
            writer.flush();

            try (DimensionMirror<Device> mirror =
                    new DimensionMirror<>(fluss, GridTables.ODS_DEVICES)) {
                mirror.start();
                mirror.awaitLoaded(Duration.ofSeconds(60));
                // everything written before the start is there once loaded
                assertThat(mirror.size()).isEqualTo(500);
                assertThat(mirror.get(new Object[] {"D7"}).region).isEqualTo("NORTH");
                assertThat(mirror.get(new Object[] {"nope"})).isNull();

                writer.upsert(rows.toRow(device("D7", "SOUTH")));
                writer.upsert(rows.toRow(device("D900", "EAST")));
                writer.delete(rows.toRow(device("D8", "NORTH")));
                writer.flush();
                await(
                        () ->
                                mirror.get(new Object[] {"D8"}) == null
                                        && mirror.get(new Object[] {"D900"}) != null
                                        && "SOUTH".equals(mirror.get(new Object[] {"D7"}).region));

                assertThat(mirror.get(new Object[] {"D7"}).region).isEqualTo("SOUTH");
                assertThat(mirror.get(new Object[] {"D900"}).region).isEqualTo("EAST");
                assertThat(mirror.get(new Object[] {"D8"})).isNull();
                assertThat(mirror.size()).isEqualTo(500);
            }
        }
    }
}
