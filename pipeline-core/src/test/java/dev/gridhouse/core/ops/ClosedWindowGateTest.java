package dev.gridhouse.core.ops;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.apache.flink.api.java.tuple.Tuple3;
import org.junit.jupiter.api.Test;

/** The frontier a {@link ClosedWindowGate} restores from its union list state. */
class ClosedWindowGateTest {
    @Test
    void onARescaleTheHighestFrontierOfAllOldSubtasksHolds() {
        List<Tuple3<Integer, Integer, Long>> entries =
                List.of(Tuple3.of(0, 2, 100L), Tuple3.of(1, 2, 200L));
        assertThat(ClosedWindowGate.restoredFrontier(entries, 0, 2)).isEqualTo(100L);
        assertThat(ClosedWindowGate.restoredFrontier(entries, 1, 2)).isEqualTo(200L);
        assertThat(ClosedWindowGate.restoredFrontier(entries, 0, 3)).isEqualTo(200L);
        assertThat(ClosedWindowGate.restoredFrontier(List.of(), 0, 1)).isEqualTo(Long.MIN_VALUE);
    }
}
