package dev.gridhouse.ads.ops;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gridhouse.contract.grid.GridLine;
import dev.gridhouse.contract.grid.Substation;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class GridTopologyTest {

    private static GridLine line(String id, String from, String to) {
        GridLine l = new GridLine();
        l.lineId = id;
        l.fromSubstationId = from;
        l.toSubstationId = to;
        l.capacityMw = 10;
        l.status = GridLine.CLOSED;
        return l;
    }

    /** The scanning default of the interface, to compare the index with. */
    private static GridTopology scanning(List<GridLine> lines) {
        return new GridTopology() {
            @Override
            public void open() {}

            @Override
            public void awaitLoaded(Duration timeout) {}

            @Override
            public Collection<Substation> substations() {
                return List.of();
            }

            @Override
            public Substation substation(String substationId) {
                return null;
            }

            @Override
            public Collection<GridLine> lines() {
                return lines;
            }

            @Override
            public void close() {}
        };
    }

    @Test
    void fixedTopologyIndexesLinesByBothEnds() {
        GridTopology t =
                GridTopology.fixed(
                        List.of(),
                        List.of(
                                line("L12", "S1", "S2"),
                                line("L31", "S3", "S1"),
                                line("L23", "S2", "S3")));
        assertThat(t.linesOf("S1")).extracting(l -> l.lineId).containsExactly("L12", "L31");
        assertThat(t.linesOf("S2")).extracting(l -> l.lineId).containsExactly("L12", "L23");
        assertThat(t.linesOf("S9")).isEmpty();
    }

    @Test
    void indexAgreesWithAScanOnARandomGrid() {
        SplittableRandom r = new SplittableRandom(7);
        List<GridLine> lines = new ArrayList<>();
        for (int i = 0; i < 2_000; i++) {
            lines.add(line("L" + i, "S" + r.nextInt(300), "S" + r.nextInt(300)));
        }
        GridTopology indexed = GridTopology.fixed(List.of(), lines);
        GridTopology scan = scanning(lines);
        for (int s = 0; s < 300; s++) {
            assertThat(indexed.linesOf("S" + s)).isEqualTo(scan.linesOf("S" + s));
        }
    }
}
