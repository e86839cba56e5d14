package dev.gridhouse.ads.ops;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gridhouse.contract.grid.Alarm;
import dev.gridhouse.contract.grid.DispatchDecision;
import dev.gridhouse.contract.grid.GridLine;
import dev.gridhouse.contract.grid.Substation;
import dev.gridhouse.contract.grid.SubstationLoad;
import java.time.Duration;
import java.util.List;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.operators.co.CoBroadcastWithNonKeyedOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.BroadcastOperatorTestHarness;
import org.junit.jupiter.api.Test;

/**
 * {@link DispatchDecider} in Flink's broadcast operator harness, on a fixed three-substation
 * topology: a decision waits for the load that includes its event, survives a snapshot/restore
 * while waiting, and places the excess only over CLOSED lines within their capacity.
 */
class DispatchDeciderTest {
    private static final long EVENT_TS = 1_767_225_600_000L;

    /** S1 (100 MW) — L12 CLOSED 15 MW — S2 (100 MW); S1 — L13 OPEN — S3 (100 MW). */
    private static GridTopology topology() {
        return GridTopology.fixed(
                List.of(substation("S1"), substation("S2"), substation("S3")),
                List.of(line("L12", "S1", "S2", GridLine.CLOSED), line("L13", "S1", "S3", "OPEN")));
    }

    private static Substation substation(String id) {
        Substation s = new Substation();
        s.substationId = id;
        s.region = "NORTH";
        s.capacityMw = 100;
        return s;
    }

    private static GridLine line(String id, String from, String to, String status) {
        GridLine l = new GridLine();
        l.lineId = id;
        l.fromSubstationId = from;
        l.toSubstationId = to;
        l.capacityMw = 15;
        l.status = status;
        return l;
    }

    private static SubstationLoad load(String id, double mw, long updatedAt) {
        SubstationLoad l = new SubstationLoad();
        l.substationId = id;
        l.region = "NORTH";
        l.loadMw = mw;
        l.updatedAt = updatedAt;
        return l;
    }

    private static Alarm fault() {
        Alarm a = new Alarm();
        a.alarmId = "D000001:DEVICE_FAULT:" + EVENT_TS;
        a.deviceId = "D000001";
        a.substationId = "S1";
        a.region = "NORTH";
        a.alarmType = AlarmRules.DEVICE_FAULT;
        a.severity = Alarm.CRITICAL;
        a.status = Alarm.ACTIVE;
        a.raisedAt = EVENT_TS;
        a.eventTs = EVENT_TS;
        return a;
    }

    private static BroadcastOperatorTestHarness<Alarm, SubstationLoad, DispatchDecision> harness()
            throws Exception {
        return new BroadcastOperatorTestHarness<>(
                new CoBroadcastWithNonKeyedOperator<>(
                        new DispatchDecider(topology(), Duration.ofSeconds(5)),
                        List.of(DispatchDecider.LOADS)),
                1,
                1,
                0);
    }

    @Test
    void waitsForTheLoadThatIncludesTheEventAcrossARestore() throws Exception {
        OperatorSubtaskState snapshot;
        try (BroadcastOperatorTestHarness<Alarm, SubstationLoad, DispatchDecision> h = harness()) {
            h.open();
            h.processBroadcastElement(load("S2", 50, EVENT_TS), 0);
            h.processBroadcastElement(load("S1", 90, EVENT_TS - 1_000), 0); // older than the event
            h.processElement(new StreamRecord<>(fault(), EVENT_TS));
            assertThat(h.getOutput()).as("no decision on a load older than the event").isEmpty();
            snapshot = h.snapshot(1L, 1L);
        }
        try (BroadcastOperatorTestHarness<Alarm, SubstationLoad, DispatchDecision> h = harness()) {
            h.initializeState(snapshot);
            h.open();
            h.processBroadcastElement(load("S1", 120, EVENT_TS), 0);
            List<DispatchDecision> out = decisions(h);
            assertThat(out).hasSize(1);
            DispatchDecision d = out.get(0);
            assertThat(d.decisionId).isEqualTo(fault().alarmId);
            assertThat(d.requiredMw).isEqualTo(20.0);
            // only the CLOSED line to S2 is usable, and only up to its 15 MW
            assertThat(d.transfers).contains("\"line_id\":\"L12\"").doesNotContain("L13");
            assertThat(d.transfers).contains("\"mw\":15.0");
            assertThat(d.unservedMw).isEqualTo(5.0);
            assertThat(d.decisionLatencyMs).isEqualTo(d.decidedAt - EVENT_TS);
        }
    }

    @Test
    void decidesAtOnceWhenTheLoadIsCurrentAndIgnoresNonCriticalAlarms() throws Exception {
        try (BroadcastOperatorTestHarness<Alarm, SubstationLoad, DispatchDecision> h = harness()) {
            h.open();
            h.processBroadcastElement(load("S1", 110, EVENT_TS), 0);
            h.processBroadcastElement(load("S2", 95, EVENT_TS), 0);
            Alarm major = fault();
            major.severity = Alarm.MAJOR;
            h.processElement(new StreamRecord<>(major, EVENT_TS));
            assertThat(h.getOutput()).isEmpty();
            h.processElement(new StreamRecord<>(fault(), EVENT_TS));
            List<DispatchDecision> out = decisions(h);
            assertThat(out).hasSize(1);
            // S2 has 5 MW spare: 5 transferred, 5 of the 10 excess unserved
            assertThat(out.get(0).requiredMw).isEqualTo(10.0);
            assertThat(out.get(0).unservedMw).isEqualTo(5.0);
        }
    }

    @SuppressWarnings("unchecked")
    private static List<DispatchDecision> decisions(
            BroadcastOperatorTestHarness<Alarm, SubstationLoad, DispatchDecision> h) {
        return h.extractOutputValues();
    }
}
