package dev.gridhouse.core.ops;

import static dev.gridhouse.core.ops.TestRecords.MINUTE;
import static dev.gridhouse.core.ops.TestRecords.T0;
import static org.assertj.core.api.Assertions.assertThat;

import dev.gridhouse.core.model.RegionMinute;
import dev.gridhouse.core.model.RegionRealtime;
import java.util.List;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

class LatestRegionMinuteTest {
    private static RegionMinute minute(String region, long start, double load, double gen) {
        RegionMinute m = new RegionMinute();
        m.region = region;
        m.windowStart = start;
        m.loadMw = load;
        m.generationMw = gen;
        return m;
    }

    private static KeyedOneInputStreamOperatorTestHarness<String, RegionMinute, RegionRealtime>
            harness() throws Exception {
        return new KeyedOneInputStreamOperatorTestHarness<>(
                new KeyedProcessOperator<>(new LatestRegionMinute()), m -> m.region, Types.STRING);
    }

    @Test
    void keepsTheNewestMinutePerRegionAcrossRestore() throws Exception {
        OperatorSubtaskState snapshot;
        try (var h = harness()) {
            h.open();
            h.processElement(new StreamRecord<>(minute("N", T0 + MINUTE, 10, 25)));
            snapshot = h.snapshot(1L, 1L);
        }
        try (var h = harness()) {
            h.initializeState(snapshot);
            h.open();
            h.processElement(new StreamRecord<>(minute("N", T0, 99, 99))); // older: ignored
            h.processElement(new StreamRecord<>(minute("N", T0 + MINUTE, 12, 20))); // correction
            h.processElement(new StreamRecord<>(minute("S", T0, 5, 0)));
            List<RegionRealtime> out = h.extractOutputValues();
            assertThat(out).hasSize(2);
            assertThat(out.get(0).region).isEqualTo("N");
            assertThat(out.get(0).loadMw).isEqualTo(12);
            assertThat(out.get(0).balanceMw).isEqualTo(8.0); // 20 - 12
            assertThat(out.get(1).balanceMw).isEqualTo(-5.0);
            assertThat(h.numKeyedStateEntries()).isEqualTo(2);
        }
    }
}
