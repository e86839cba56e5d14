package dev.gridhouse.ads.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.gridhouse.contract.grid.GridLine;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The greedy transfer of contract §6 on small topologies. */
class LoadTransferPlannerTest {
    private final Map<String, Double> capacity = new HashMap<>();
    private final Map<String, Double> load = new HashMap<>();

    private void substation(String id, double capacityMw, double loadMw) {
        capacity.put(id, capacityMw);
        load.put(id, loadMw);
    }

    private static GridLine line(String id, String a, String b, double mw, String status) {
        return new GridLine(id, a, b, mw, status);
    }

    private LoadTransferPlanner.Plan plan(String at, GridLine... lines) {
        return LoadTransferPlanner.plan(
                at, capacity, id -> load.getOrDefault(id, 0.0), Arrays.asList(lines));
    }

    private static List<String> transfers(LoadTransferPlanner.Plan p) {
        return p.transfers.stream()
                .map(Object::toString)
                .collect(java.util.stream.Collectors.toList());
    }

    @Test
    void radialFeederMovesTheExcessToItsOnlyNeighbour() {
        substation("A", 100, 130); // 30 over
        substation("B", 100, 40); // 60 spare
        LoadTransferPlanner.Plan p = plan("A", line("L1", "B", "A", 50, "CLOSED"));
        assertThat(p.requiredMw).isEqualTo(30.0);
        assertThat(transfers(p)).containsExactly("L1->B:30.0");
        assertThat(p.unservedMw).isZero();
    }

    @Test
    void meshedNeighboursAreFilledByMostSpareFirstWithinLineCapacity() {
        substation("A", 100, 190); // 90 over
        substation("B", 100, 90); // 10 spare
        substation("C", 100, 20); // 80 spare
        substation("D", 100, 50); // 50 spare
        LoadTransferPlanner.Plan p =
                plan(
                        "A",
                        line("L1", "A", "B", 100, "CLOSED"),
                        line("L2", "A", "C", 35, "CLOSED"), // line limits C to 35
                        line("L3", "D", "A", 100, "CLOSED"),
                        line("L4", "B", "C", 100, "CLOSED")); // not adjacent to A
        assertThat(p.requiredMw).isEqualTo(90.0);
        // C (80 spare) first but its line carries 35; then D (50 spare) takes 50; then B 5
        assertThat(transfers(p)).containsExactly("L2->C:35.0", "L3->D:50.0", "L1->B:5.0");
        assertThat(p.unservedMw).isZero();
    }

    @Test
    void whatNoNeighbourCanTakeIsUnserved() {
        substation("A", 100, 150);
        substation("B", 100, 100); // full
        substation("C", 100, 110); // over itself
        substation("D", 100, 90); // 10 spare
        LoadTransferPlanner.Plan p =
                plan(
                        "A",
                        line("L1", "A", "B", 100, "CLOSED"),
                        line("L2", "A", "C", 100, "CLOSED"),
                        line("L3", "A", "D", 100, "CLOSED"));
        assertThat(transfers(p)).containsExactly("L3->D:10.0");
        assertThat(p.unservedMw).isCloseTo(40.0, within(1e-12));
    }

    @Test
    void openLinesCarryNothing() {
        substation("A", 100, 120);
        substation("B", 100, 0);
        LoadTransferPlanner.Plan p = plan("A", line("L1", "A", "B", 100, "OPEN"));
        assertThat(p.transfers).isEmpty();
        assertThat(p.unservedMw).isEqualTo(20.0);
    }

    @Test
    void twoLinesToOneNeighbourShareItsSpareCapacity() {
        substation("A", 100, 200);
        substation("B", 100, 40); // 60 spare in all
        LoadTransferPlanner.Plan p =
                plan("A", line("L1", "A", "B", 50, "CLOSED"), line("L2", "B", "A", 50, "CLOSED"));
        assertThat(transfers(p)).containsExactly("L1->B:50.0", "L2->B:10.0");
        assertThat(p.unservedMw).isEqualTo(40.0);
    }

    @Test
    void noExcessNeedsNoTransfer() {
        substation("A", 100, 80);
        substation("B", 100, 0);
        LoadTransferPlanner.Plan p = plan("A", line("L1", "A", "B", 50, "CLOSED"));
        assertThat(p.requiredMw).isZero();
        assertThat(p.transfers).isEmpty();
        assertThat(p.unservedMw).isZero();
    }
}
