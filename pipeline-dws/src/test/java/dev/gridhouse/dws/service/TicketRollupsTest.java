package dev.gridhouse.dws.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.gridhouse.contract.service.AgentDaily;
import dev.gridhouse.contract.service.DailyTicketStats;
import dev.gridhouse.contract.service.ServiceChange;
import dev.gridhouse.contract.service.Ticket;
import dev.gridhouse.contract.service.TicketStatusCount;
import dev.gridhouse.core.model.TableChange.Op;
import dev.gridhouse.core.ops.ChangelogRollup;
import dev.gridhouse.core.ops.Contribution;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

/**
 * The two stages of {@link ChangelogRollup} with the ticket contributions, in operator harnesses
 * with snapshot and restore between changes: status changes, reassignment and deletes retract the
 * ticket's old contribution.
 */
class TicketRollupsTest {
    private static final long D1 = Instant.parse("2026-05-01T08:00:00Z").toEpochMilli();
    private static final long D2 = Instant.parse("2026-05-02T23:59:00Z").toEpochMilli();

    private static KeyedOneInputStreamOperatorTestHarness<Long, ServiceChange, Contribution>
            retract() throws Exception {
        return new KeyedOneInputStreamOperatorTestHarness<>(
                new KeyedProcessOperator<>(
                        new ChangelogRollup.Retract<Long, ServiceChange, Ticket>(
                                Ticket.class, TicketRollups::ofTicket)),
                c -> c.ticket.ticketId,
                Types.LONG);
    }

    private static <OUT extends dev.gridhouse.core.model.RowChange>
            KeyedOneInputStreamOperatorTestHarness<String, Contribution, OUT> sum(
                    ChangelogRollup.Finisher<OUT> finisher) throws Exception {
        return new KeyedOneInputStreamOperatorTestHarness<>(
                new KeyedProcessOperator<>(new ChangelogRollup.Sum<>(finisher)),
                c -> c.group,
                Types.STRING);
    }

    private static Ticket ticket(long id, Integer agent, String status, Long resolved) {
        return new Ticket(id, 7, agent, "billing", "URGENT", status, D1, D1, resolved);
    }

    private static ServiceChange upsert(Ticket t) {
        return ServiceChange.ROWS.of(Op.UPSERT, t);
    }

    @Test
    void changesRetractTheOldContributionAcrossSnapshotAndRestore() throws Exception {
        List<ServiceChange> changes = new ArrayList<>();
        changes.add(upsert(ticket(1, 3, "OPEN", null)));
        changes.add(upsert(ticket(2, 3, "OPEN", null)));
        // resolve 1 after 90 minutes
        changes.add(upsert(ticket(1, 3, "RESOLVED", D1 + 90 * 60_000L)));
        // reassign 2 to agent 4
        changes.add(upsert(ticket(2, 4, "IN_PROGRESS", null)));
        Ticket late = ticket(3, 4, "OPEN", null);
        late.createdAt = D2;
        changes.add(upsert(late));
        changes.add(ServiceChange.ROWS.of(Op.DELETE, late));

        List<Contribution> contributions = new ArrayList<>();
        OperatorSubtaskState snapshot;
        try (KeyedOneInputStreamOperatorTestHarness<Long, ServiceChange, Contribution> h =
                retract()) {
            h.open();
            for (ServiceChange c : changes.subList(0, 3)) {
                h.processElement(new StreamRecord<>(c));
            }
            snapshot = h.snapshot(1L, 1L);
            contributions.addAll(h.extractOutputValues());
        }
        try (KeyedOneInputStreamOperatorTestHarness<Long, ServiceChange, Contribution> h =
                retract()) {
            h.setup();
            h.initializeState(snapshot);
            h.open();
            for (ServiceChange c : changes.subList(3, changes.size())) {
                h.processElement(new StreamRecord<>(c));
            }
            contributions.addAll(h.extractOutputValues());
        }

        Map<String, TicketStatusCount> status = new HashMap<>();
        Map<String, AgentDaily> agents = new HashMap<>();
        Map<String, DailyTicketStats> days = new HashMap<>();
        OperatorSubtaskState sumSnapshot;
        int half = contributions.size() / 2;
        try (KeyedOneInputStreamOperatorTestHarness<String, Contribution, AgentDaily> h =
                sum(TicketRollups::agentDaily)) {
            h.open();
            for (Contribution c : contributions.subList(0, half)) {
                if (c.group.startsWith(TicketRollups.AGENT)) {
                    h.processElement(new StreamRecord<>(c));
                }
            }
            sumSnapshot = h.snapshot(2L, 2L);
            h.extractOutputValues().forEach(a -> agents.put(a.agentId + "|" + a.day, a));
        }
        try (KeyedOneInputStreamOperatorTestHarness<String, Contribution, AgentDaily> h =
                sum(TicketRollups::agentDaily)) {
            h.setup();
            h.initializeState(sumSnapshot);
            h.open();
            for (Contribution c : contributions.subList(half, contributions.size())) {
                if (c.group.startsWith(TicketRollups.AGENT)) {
                    h.processElement(new StreamRecord<>(c));
                }
            }
            h.extractOutputValues().forEach(a -> agents.put(a.agentId + "|" + a.day, a));
        }
        try (KeyedOneInputStreamOperatorTestHarness<String, Contribution, TicketStatusCount> h =
                sum(TicketRollups::status)) {
            h.open();
            for (Contribution c : contributions) {
                if (c.group.startsWith(TicketRollups.STATUS)) {
                    h.processElement(new StreamRecord<>(c));
                }
            }
            h.extractOutputValues().forEach(s -> status.put(s.status, s));
        }
        try (KeyedOneInputStreamOperatorTestHarness<String, Contribution, DailyTicketStats> h =
                sum(TicketRollups::daily)) {
            h.open();
            for (Contribution c : contributions) {
                if (c.group.startsWith(TicketRollups.DAY)) {
                    h.processElement(new StreamRecord<>(c));
                }
            }
            h.extractOutputValues().forEach(d -> days.put(d.day, d));
        }

        // the last emitted row per group is the current aggregate
        assertThat(status.get("OPEN").isDelete()).isTrue();
        assertThat(status.get("RESOLVED").ticketCount).isEqualTo(1);
        assertThat(status.get("IN_PROGRESS").ticketCount).isEqualTo(1);

        AgentDaily a3 = agents.get("3|2026-05-01");
        assertThat(a3.ticketsAssigned).isEqualTo(1);
        assertThat(a3.ticketsResolved).isEqualTo(1);
        assertThat(a3.avgResolutionMinutes).isCloseTo(90.0, within(1e-9));
        AgentDaily a4 = agents.get("4|2026-05-01");
        assertThat(a4.ticketsAssigned).isEqualTo(1);
        assertThat(a4.avgResolutionMinutes).isNull();
        assertThat(agents.get("4|2026-05-02").isDelete()).isTrue();

        DailyTicketStats d1 = days.get("2026-05-01");
        assertThat(d1.createdCount).isEqualTo(2);
        assertThat(d1.resolvedCount).isEqualTo(1);
        assertThat(d1.urgentCount).isEqualTo(2);
        assertThat(d1.avgResolutionMinutes).isCloseTo(90.0, within(1e-9));
        assertThat(days.get("2026-05-02").isDelete()).isTrue();
    }

    @Test
    void dayIsTheUtcCalendarDate() {
        assertThat(TicketRollups.day(D2)).isEqualTo("2026-05-02");
        assertThat(TicketRollups.day(D2 + 60_000L)).isEqualTo("2026-05-03");
        assertThat(TicketRollups.day(-1L)).isEqualTo("1969-12-31");
    }
}
