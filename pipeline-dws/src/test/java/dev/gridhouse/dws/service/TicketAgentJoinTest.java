package dev.gridhouse.dws.service;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gridhouse.contract.service.Agent;
import dev.gridhouse.contract.service.DwdTicket;
import dev.gridhouse.contract.service.ServiceChange;
import dev.gridhouse.contract.service.Ticket;
import dev.gridhouse.core.model.TableChange.Op;
import java.util.List;
import java.util.stream.Collectors;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.api.operators.co.KeyedCoProcessOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.KeyedTwoInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

class TicketAgentJoinTest {
    private static final long T0 = 1_767_225_600_000L;

    private static Ticket ticket(long id, Integer agent, Long resolvedAt) {
        Ticket t = new Ticket();
        t.ticketId = id;
        t.customerId = 100 + id;
        t.agentId = agent;
        t.priority = "HIGH";
        t.status = resolvedAt == null ? "OPEN" : "RESOLVED";
        t.createdAt = T0;
        t.resolvedAt = resolvedAt;
        return t;
    }

    private static Agent agent(int id, String name) {
        Agent a = new Agent();
        a.agentId = id;
        a.agentName = name;
        a.department = "TECH";
        return a;
    }

    private static KeyedOneInputStreamOperatorTestHarness<Long, ServiceChange, TicketAgentJoin.Move>
            moves() throws Exception {
        return new KeyedOneInputStreamOperatorTestHarness<>(
                new KeyedProcessOperator<>(new TicketAgentJoin.Moves()),
                c -> c.ticket.ticketId,
                Types.LONG);
    }

    private static KeyedTwoInputStreamOperatorTestHarness<
                    Integer, TicketAgentJoin.Move, ServiceChange, DwdTicket>
            join() throws Exception {
        return new KeyedTwoInputStreamOperatorTestHarness<>(
                new KeyedCoProcessOperator<>(new TicketAgentJoin.Join()),
                m -> m.agentKey,
                c -> c.agent.agentId,
                Types.INT);
    }

    @Test
    void reassignmentRemovesTheTicketFromTheOldAgentAcrossRestore() throws Exception {
        OperatorSubtaskState snapshot;
        try (var h = moves()) {
            h.open();
            h.processElement(
                    new StreamRecord<>(ServiceChange.ROWS.of(Op.UPSERT, ticket(1, 7, null))));
            snapshot = h.snapshot(1, 1);
        }
        try (var h = moves()) {
            h.initializeState(snapshot);
            h.open();
            h.processElement(
                    new StreamRecord<>(ServiceChange.ROWS.of(Op.UPSERT, ticket(1, 8, null))));
            h.processElement(
                    new StreamRecord<>(ServiceChange.ROWS.of(Op.DELETE, ticket(1, 8, null))));
            List<String> out =
                    h.extractOutputValues().stream()
                            .map(m -> m.kind + "@" + m.agentKey)
                            .collect(Collectors.toList());
            assertThat(out).containsExactly("REMOVE@7", "UPSERT@8", "DELETE@8");
            assertThat(h.numKeyedStateEntries()).isZero(); // the delete cleared the ticket
        }
    }

    @Test
    void ticketsCarryTheirCurrentAgentAcrossRestore() throws Exception {
        OperatorSubtaskState snapshot;
        try (var h = join()) {
            h.open();
            h.processElement2(
                    new StreamRecord<>(ServiceChange.ROWS.of(Op.UPSERT, agent(7, "Ann"))));
            h.processElement1(
                    new StreamRecord<>(
                            new TicketAgentJoin.Move(
                                    TicketAgentJoin.Move.UPSERT, 7, ticket(1, 7, T0 + 90_000))));
            DwdTicket d = h.extractOutputValues().get(0);
            assertThat(d.agentName).isEqualTo("Ann");
            assertThat(d.resolutionMinutes).isEqualTo(1.5);
            snapshot = h.snapshot(1, 1);
        }
        try (var h = join()) {
            h.initializeState(snapshot);
            h.open();
            // a rename re-emits the agent's tickets
            h.processElement2(
                    new StreamRecord<>(ServiceChange.ROWS.of(Op.UPSERT, agent(7, "Anna"))));
            // the agent is deleted: the ticket stays, without agent columns
            h.processElement2(
                    new StreamRecord<>(ServiceChange.ROWS.of(Op.DELETE, agent(7, "Anna"))));
            // a ticket of an unknown agent
            h.processElement1(
                    new StreamRecord<>(
                            new TicketAgentJoin.Move(
                                    TicketAgentJoin.Move.UPSERT, 9, ticket(2, 9, null))));
            h.processElement1(
                    new StreamRecord<>(
                            new TicketAgentJoin.Move(
                                    TicketAgentJoin.Move.DELETE, 7, ticket(1, 7, T0 + 90_000))));
            List<String> out =
                    h.extractOutputValues().stream()
                            .map(x -> x.ticketId + ":" + x.agentName + ":" + x.deleted)
                            .collect(Collectors.toList());
            assertThat(out)
                    .containsExactly("1:Anna:false", "1:null:false", "2:null:false", "1:null:true");
        }
    }
}
