package dev.gridhouse.ads.service;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gridhouse.contract.service.Agent;
import dev.gridhouse.contract.service.AgentRanking;
import dev.gridhouse.contract.service.ServiceChange;
import dev.gridhouse.core.model.TableChange.Op;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.operators.co.KeyedCoProcessOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedTwoInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

/**
 * {@link AgentRanker} in an operator harness with snapshot and restore: order by resolved, then
 * mean, then agent id; only changed rows are emitted; a deleted agent's row is deleted.
 */
class AgentRankerTest {
    private static KeyedTwoInputStreamOperatorTestHarness<
                    Integer, AgentRanking, ServiceChange, AgentRanking>
            harness() throws Exception {
        return new KeyedTwoInputStreamOperatorTestHarness<>(
                new KeyedCoProcessOperator<>(new AgentRanker()), r -> 0, c -> 0, Types.INT);
    }

    private static ServiceChange agent(int id, Op op) {
        return ServiceChange.ROWS.of(op, new Agent(id, "A" + id, "TECH", 3, true, 0L));
    }

    private static AgentRanking totals(int id, long resolved, Double avg) {
        AgentRanking r = new AgentRanking();
        r.agentId = id;
        r.ticketsResolved = resolved;
        r.avgResolutionMinutes = avg;
        r.deleted = resolved == 0;
        return r;
    }

    /** The last emitted row per agent. */
    private static Map<Integer, AgentRanking> latest(List<AgentRanking> out) {
        Map<Integer, AgentRanking> m = new LinkedHashMap<>();
        for (AgentRanking r : out) {
            m.put(r.agentId, r);
        }
        return m;
    }

    @Test
    void ranksByResolvedThenMeanThenIdAcrossSnapshotAndRestore() throws Exception {
        OperatorSubtaskState snapshot;
        try (KeyedTwoInputStreamOperatorTestHarness<
                        Integer, AgentRanking, ServiceChange, AgentRanking>
                h = harness()) {
            h.open();
            for (int id = 1; id <= 4; id++) {
                h.processElement2(new StreamRecord<>(agent(id, Op.UPSERT)));
            }
            h.processElement1(new StreamRecord<>(totals(2, 5, 30.0)));
            h.processElement1(new StreamRecord<>(totals(3, 5, 20.0)));
            h.processElement1(new StreamRecord<>(totals(4, 1, 10.0)));
            Map<Integer, AgentRanking> m = latest(h.extractOutputValues());
            assertThat(m.get(3).rank).isEqualTo(1);
            assertThat(m.get(2).rank).isEqualTo(2);
            assertThat(m.get(4).rank).isEqualTo(3);
            assertThat(m.get(1).rank).isEqualTo(4);
            assertThat(m.get(1).avgResolutionMinutes).isNull();
            snapshot = h.snapshot(1L, 1L);
        }
        try (KeyedTwoInputStreamOperatorTestHarness<
                        Integer, AgentRanking, ServiceChange, AgentRanking>
                h = harness()) {
            h.setup();
            h.initializeState(snapshot);
            h.open();
            // agent 4 overtakes nobody: only its own row changes
            h.processElement1(new StreamRecord<>(totals(4, 2, 10.0)));
            List<AgentRanking> out = h.extractOutputValues();
            assertThat(out).hasSize(1);
            assertThat(out.get(0).agentId).isEqualTo(4);
            assertThat(out.get(0).ticketsResolved).isEqualTo(2);
            // deleting agent 3 deletes its row and moves everybody below it up
            h.processElement2(new StreamRecord<>(agent(3, Op.DELETE)));
            Map<Integer, AgentRanking> m = latest(h.extractOutputValues());
            assertThat(m.get(3).isDelete()).isTrue();
            assertThat(m.get(2).rank).isEqualTo(1);
            assertThat(m.get(4).rank).isEqualTo(2);
            assertThat(m.get(1).rank).isEqualTo(3);
        }
    }
}
