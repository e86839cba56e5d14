package dev.gridhouse.dws.service;

import dev.gridhouse.contract.service.Agent;
import dev.gridhouse.contract.service.DwdTicket;
import dev.gridhouse.contract.service.ServiceChange;
import dev.gridhouse.contract.service.Ticket;
import java.util.Map;
import java.util.Objects;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.streaming.api.functions.co.KeyedCoProcessFunction;
import org.apache.flink.util.Collector;

/**
 * {@code dwd_tickets} (service contract §2): the current tickets joined with their current agents,
 * both sides changelogs (upserts and deletes). Two keyed steps:
 *
 * <ol>
 *   <li>{@link Moves}, keyed by ticket id, remembers each ticket's previous version and turns a
 *       reassignment into a removal under the old agent plus an upsert under the new one;
 *   <li>{@link Join}, keyed by agent id ({@link #UNASSIGNED} for none), keeps the agent and the
 *       agent's tickets: a ticket change emits the ticket with the agent's name and department, an
 *       agent change (rename, delete) re-emits every ticket of the agent.
 * </ol>
 *
 * Run the join at parallelism 1 (as the pipeline does): a ticket's rows can then come from two
 * agent keys only in the order its changes arrived.
 */
public final class TicketAgentJoin {
    /** Agent key of tickets with no agent. */
    public static final int UNASSIGNED = Integer.MIN_VALUE;

    private TicketAgentJoin() {}

    /** The agent key of a ticket. */
    public static int agentKey(Ticket t) {
        return t.agentId == null ? UNASSIGNED : t.agentId;
    }

    /** A ticket change routed to an agent key. A Flink POJO. */
    public static class Move {
        /** The ticket is now under this agent key (emit it). */
        public static final String UPSERT = "UPSERT";

        /** The ticket left this agent key (forget it there, emit nothing). */
        public static final String REMOVE = "REMOVE";

        /** The ticket was deleted (forget it and emit its delete). */
        public static final String DELETE = "DELETE";

        public String kind;
        public int agentKey;
        public Ticket ticket;

        public Move() {}

        Move(String kind, int agentKey, Ticket ticket) {
            this.kind = kind;
            this.agentKey = agentKey;
            this.ticket = ticket;
        }
    }

    /** Step 1, keyed by ticket id: a ticket change → the moves between agent keys. */
    public static class Moves extends KeyedProcessFunction<Long, ServiceChange, Move> {
        private static final long serialVersionUID = 1L;
        private transient ValueState<Ticket> previous;

        @Override
        public void open(Configuration parameters) {
            previous =
                    getRuntimeContext()
                            .getState(
                                    new ValueStateDescriptor<>(
                                            "previous-ticket", TypeInformation.of(Ticket.class)));
        }

        @Override
        public void processElement(ServiceChange c, Context ctx, Collector<Move> out)
                throws Exception {
            Ticket before = previous.value();
            if (c.isDelete()) {
                Ticket gone = before != null ? before : c.ticket;
                out.collect(new Move(Move.DELETE, agentKey(gone), gone));
                previous.clear();
                return;
            }
            Ticket now = c.ticket;
            if (before != null && agentKey(before) != agentKey(now)) {
                out.collect(new Move(Move.REMOVE, agentKey(before), before));
            }
            out.collect(new Move(Move.UPSERT, agentKey(now), now));
            previous.update(now);
        }
    }

    /** Step 2, keyed by agent key: moves × agent changes → {@code dwd_tickets} changes. */
    public static class Join
            extends KeyedCoProcessFunction<Integer, Move, ServiceChange, DwdTicket> {
        private static final long serialVersionUID = 1L;
        private transient ValueState<Agent> agent;
        private transient MapState<Long, Ticket> tickets;

        @Override
        public void open(Configuration parameters) {
            agent =
                    getRuntimeContext()
                            .getState(
                                    new ValueStateDescriptor<>(
                                            "agent", TypeInformation.of(Agent.class)));
            tickets =
                    getRuntimeContext()
                            .getMapState(
                                    new MapStateDescriptor<>(
                                            "agent-tickets",
                                            Types.LONG,
                                            TypeInformation.of(Ticket.class)));
        }

        @Override
        public void processElement1(Move m, Context ctx, Collector<DwdTicket> out)
                throws Exception {
            switch (m.kind) {
                case Move.UPSERT:
                    tickets.put(m.ticket.ticketId, m.ticket);
                    out.collect(DwdTicket.of(m.ticket, agent.value()));
                    break;
                case Move.REMOVE:
                    tickets.remove(m.ticket.ticketId);
                    break;
                default: // DELETE
                    tickets.remove(m.ticket.ticketId);
                    out.collect(DwdTicket.delete(m.ticket));
                    break;
            }
        }

        @Override
        public void processElement2(ServiceChange c, Context ctx, Collector<DwdTicket> out)
                throws Exception {
            Agent before = agent.value();
            Agent now = c.isDelete() ? null : c.agent;
            if (now == null) {
                agent.clear();
            } else {
                agent.update(now);
            }
            if (sameJoinColumns(before, now)) {
                return;
            }
            for (Map.Entry<Long, Ticket> e : tickets.entries()) {
                out.collect(DwdTicket.of(e.getValue(), now));
            }
        }

        private static boolean sameJoinColumns(Agent a, Agent b) {
            if (a == null || b == null) {
                return a == b;
            }
            return Objects.equals(a.agentName, b.agentName)
                    && Objects.equals(a.department, b.department);
        }
    }
}
