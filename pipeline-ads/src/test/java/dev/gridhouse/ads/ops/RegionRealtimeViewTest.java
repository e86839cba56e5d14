package dev.gridhouse.ads.ops;

import static dev.gridhouse.contract.grid.TestRecords.MINUTE;
import static dev.gridhouse.contract.grid.TestRecords.T0;
import static org.assertj.core.api.Assertions.assertThat;

import dev.gridhouse.contract.grid.Alarm;
import dev.gridhouse.contract.grid.RegionMinute;
import dev.gridhouse.contract.grid.RegionRealtime;
import java.util.List;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.operators.co.KeyedCoProcessOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedTwoInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

class RegionRealtimeViewTest {
    private static RegionMinute minute(String region, long start, double load, double gen) {
        RegionMinute m = new RegionMinute();
        m.region = region;
        m.windowStart = start;
        m.loadMw = load;
        m.generationMw = gen;
        return m;
    }

    private static Alarm alarm(String id, String status) {
        Alarm a = new Alarm();
        a.alarmId = id;
        a.region = "N";
        a.status = status;
        return a;
    }

    private static KeyedTwoInputStreamOperatorTestHarness<
                    String, RegionMinute, Alarm, RegionRealtime>
            harness() throws Exception {
        return new KeyedTwoInputStreamOperatorTestHarness<>(
                new KeyedCoProcessOperator<>(new RegionRealtimeView()),
                m -> m.region,
                a -> a.region,
                Types.STRING);
    }

    @Test
    void newestMinuteWithBalanceAndActiveAlarmsAcrossRestore() throws Exception {
        OperatorSubtaskState snapshot;
        try (var h = harness()) {
            h.open();
            h.processElement2(new StreamRecord<>(alarm("a1", Alarm.ACTIVE))); // no minute yet
            h.processElement1(new StreamRecord<>(minute("N", T0 + MINUTE, 10, 25)));
            snapshot = h.snapshot(1, 1);
        }
        try (var h = harness()) {
            h.initializeState(snapshot);
            h.open();
            h.processElement1(new StreamRecord<>(minute("N", T0, 99, 99))); // older: ignored
            h.processElement1(new StreamRecord<>(minute("N", T0 + MINUTE, 12, 20))); // correction
            h.processElement2(new StreamRecord<>(alarm("a2", Alarm.ACTIVE)));
            h.processElement2(new StreamRecord<>(alarm("a2", Alarm.ACTIVE))); // severity change
            h.processElement2(new StreamRecord<>(alarm("a1", Alarm.CLEARED)));
            List<RegionRealtime> out = h.extractOutputValues();
            assertThat(out).extracting(r -> r.activeAlarmCount).containsExactly(1L, 2L, 1L);
            assertThat(out.get(0).loadMw).isEqualTo(12);
            assertThat(out.get(0).balanceMw).isEqualTo(8.0); // 20 - 12
            assertThat(out).allMatch(r -> r.windowStart == T0 + MINUTE);
        }
    }
}
