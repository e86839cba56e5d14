package dev.gridhouse.ods.cdc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gridhouse.contract.grid.Device;
import dev.gridhouse.contract.grid.DimensionChange;
import dev.gridhouse.contract.grid.GridLine;
import dev.gridhouse.core.model.DeadLetter;
import dev.gridhouse.core.model.RejectReason;
import dev.gridhouse.core.model.TableChange.Op;
import dev.gridhouse.core.ops.DeadLetters;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

/** The validation step of the PostgreSQL dimensions: routing, rejects and TRUNCATE expansion. */
class PostgresDimensionsRouteTest {

    private static KeyedOneInputStreamOperatorTestHarness<String, DimensionChange, DimensionChange>
            harness() throws Exception {
        return new KeyedOneInputStreamOperatorTestHarness<>(
                new KeyedProcessOperator<>(new PostgresCdc.Route<>(DimensionRows.CDC)),
                new PostgresCdc.RowKey<>(DimensionRows.CDC),
                Types.STRING);
    }

    private static DimensionChange device(Op op, String id) {
        return DimensionChange.ROWS.of(
                op, new Device(id, "n", "FEEDER", "S1", "NORTH", 5, 10, "IN_SERVICE", 1L));
    }

    private static DimensionChange line(Op op, String id) {
        return DimensionChange.ROWS.of(op, new GridLine(id, "S1", "S2", 10, "CLOSED"));
    }

    /** The devices the harness emitted since the last call, as "UPSERT D1" / "DELETE D1". */
    private static List<String> drainDevices(
            KeyedOneInputStreamOperatorTestHarness<String, DimensionChange, DimensionChange> h) {
        List<String> out = new ArrayList<>();
        for (Object o : h.getOutput()) {
            if (o instanceof StreamRecord) {
                DimensionChange c = (DimensionChange) ((StreamRecord<?>) o).getValue();
                out.add(c.op + " " + c.device.deviceId);
            }
        }
        h.getOutput().clear();
        return out;
    }

    @Test
    void aTruncateDeletesEveryLiveRowOfItsTableInOrder() throws Exception {
        try (KeyedOneInputStreamOperatorTestHarness<String, DimensionChange, DimensionChange> h =
                harness()) {
            h.open();
            h.processElement(device(Op.UPSERT, "D1"), 1);
            h.processElement(device(Op.UPSERT, "D2"), 2);
            h.processElement(device(Op.UPSERT, "D3"), 3);
            h.processElement(device(Op.UPSERT, "D2"), 4); // update
            h.processElement(device(Op.DELETE, "D3"), 5);
            h.processElement(line(Op.UPSERT, "L1"), 6);
            // a rejected update leaves D1 live
            h.processElement(
                    DimensionChange.ROWS.rejected(
                            "devices",
                            Op.UPSERT,
                            new DeadLetter(
                                    "devices",
                                    RejectReason.INVALID_TYPE,
                                    "capacity_mw",
                                    "{}",
                                    null,
                                    7L)),
                    7);
            assertThat(drainDevices(h))
                    .containsExactly(
                            "UPSERT D1", "UPSERT D2", "UPSERT D3", "UPSERT D2", "DELETE D3");
            assertThat(h.getSideOutput(DeadLetters.TAG)).hasSize(1);

            h.processElement(DimensionRows.truncate("devices"), 8);
            h.processElement(device(Op.UPSERT, "D4"), 9);
            List<String> out = drainDevices(h);
            assertThat(out.subList(0, 2)).containsExactlyInAnyOrder("DELETE D1", "DELETE D2");
            assertThat(out.get(2)).isEqualTo("UPSERT D4");
            assertThat(out).hasSize(3);
            // the lines were not truncated
            assertThat(h.getSideOutput(DimensionRows.CDC.tag(DimensionChange.LINES))).hasSize(1);

            // a second truncate deletes only what was written since
            h.processElement(DimensionRows.truncate("devices"), 10);
            assertThat(drainDevices(h)).containsExactly("DELETE D4");
            h.processElement(DimensionRows.truncate("devices"), 11);
            assertThat(drainDevices(h)).isEmpty();
        }
    }

    @Test
    void theLiveKeysSurviveARestore() throws Exception {
        OperatorSubtaskState snapshot;
        try (KeyedOneInputStreamOperatorTestHarness<String, DimensionChange, DimensionChange> h =
                harness()) {
            h.open();
            h.processElement(device(Op.UPSERT, "D1"), 1);
            h.processElement(line(Op.UPSERT, "L1"), 2);
            snapshot = h.snapshot(1, 3);
        }
        try (KeyedOneInputStreamOperatorTestHarness<String, DimensionChange, DimensionChange> h =
                harness()) {
            h.initializeState(snapshot);
            h.open();
            h.processElement(DimensionRows.truncate("lines"), 4);
            assertThat(h.getSideOutput(DimensionRows.CDC.tag(DimensionChange.LINES)))
                    .singleElement()
                    .satisfies(
                            r -> {
                                assertThat(r.getValue().op).isEqualTo(Op.DELETE);
                                assertThat(r.getValue().line.lineId).isEqualTo("L1");
                            });
            h.processElement(DimensionRows.truncate("devices"), 5);
            assertThat(drainDevices(h)).containsExactly("DELETE D1");
        }
    }
}
