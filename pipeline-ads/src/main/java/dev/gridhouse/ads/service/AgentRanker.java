package dev.gridhouse.ads.service;

import dev.gridhouse.contract.service.Agent;
import dev.gridhouse.contract.service.AgentRanking;
import dev.gridhouse.contract.service.ServiceChange;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.streaming.api.functions.co.KeyedCoProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Ranks the current agents (service contract §4): input 1 is each agent's totals over all days
 * (agent id, tickets resolved, mean resolution minutes; a delete when it has none), input 2 the
 * changelog of {@code ods_agents}. Every agent of {@code ods_agents} is ranked (no resolved ticket:
 * 0 and null mean): most resolved first, then lower mean, then lower agent id. After each input it
 * emits only the rows that changed (a rank shift changes several) and deletes for agents that are
 * gone. Runs with one key (one global ranking); all state is keyed state.
 */
public class AgentRanker
        extends KeyedCoProcessFunction<Integer, AgentRanking, ServiceChange, AgentRanking> {
    private static final long serialVersionUID = 1L;

    static final Comparator<AgentRanking> ORDER =
            Comparator.comparingLong((AgentRanking r) -> -r.ticketsResolved)
                    .thenComparing(
                            r -> r.avgResolutionMinutes,
                            Comparator.nullsLast(Comparator.naturalOrder()))
                    .thenComparingInt(r -> r.agentId);

    private transient MapState<Integer, AgentRanking> totals;
    private transient MapState<Integer, Agent> agents;
    private transient MapState<Integer, AgentRanking> emitted;

    @Override
    public void open(Configuration parameters) {
        TypeInformation<AgentRanking> ranking = TypeInformation.of(AgentRanking.class);
        totals =
                getRuntimeContext()
                        .getMapState(new MapStateDescriptor<>("totals", Types.INT, ranking));
        agents =
                getRuntimeContext()
                        .getMapState(
                                new MapStateDescriptor<>(
                                        "agents", Types.INT, TypeInformation.of(Agent.class)));
        emitted =
                getRuntimeContext()
                        .getMapState(new MapStateDescriptor<>("emitted", Types.INT, ranking));
    }

    @Override
    public void processElement1(AgentRanking t, Context ctx, Collector<AgentRanking> out)
            throws Exception {
        if (t.isDelete()) {
            totals.remove(t.agentId);
        } else {
            totals.put(t.agentId, t);
        }
        rank(out);
    }

    @Override
    public void processElement2(ServiceChange c, Context ctx, Collector<AgentRanking> out)
            throws Exception {
        if (c.agent == null) {
            return;
        }
        if (c.isDelete()) {
            agents.remove(c.agent.agentId);
        } else {
            agents.put(c.agent.agentId, c.agent);
        }
        rank(out);
    }

    private void rank(Collector<AgentRanking> out) throws Exception {
        List<AgentRanking> rows = new ArrayList<>();
        for (Agent a : agents.values()) {
            AgentRanking r = new AgentRanking();
            r.agentId = a.agentId;
            r.agentName = a.agentName;
            r.department = a.department;
            AgentRanking t = totals.get(a.agentId);
            if (t != null) {
                r.ticketsResolved = t.ticketsResolved;
                r.avgResolutionMinutes = t.avgResolutionMinutes;
            }
            rows.add(r);
        }
        rows.sort(ORDER);
        Map<Integer, AgentRanking> current = new HashMap<>();
        for (int i = 0; i < rows.size(); i++) {
            AgentRanking r = rows.get(i);
            r.rank = i + 1;
            current.put(r.agentId, r);
            AgentRanking before = emitted.get(r.agentId);
            if (before == null || !before.sameAs(r)) {
                emitted.put(r.agentId, r);
                out.collect(r);
            }
        }
        List<Integer> gone = new ArrayList<>();
        for (Integer id : emitted.keys()) {
            if (!current.containsKey(id)) {
                gone.add(id);
            }
        }
        for (Integer id : gone) {
            AgentRanking d = emitted.get(id);
            emitted.remove(id);
            d.deleted = true;
            out.collect(d);
        }
    }
}
