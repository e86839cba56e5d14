package dev.gridhouse.ods.cdc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gridhouse.contract.service.Agent;
import dev.gridhouse.contract.service.ServiceChange;
import dev.gridhouse.contract.service.Ticket;
import dev.gridhouse.contract.service.TicketLog;
import dev.gridhouse.core.model.DeadLetter;
import dev.gridhouse.core.model.RejectReason;
import dev.gridhouse.core.model.TableChange.Op;
import dev.gridhouse.core.ops.DeadLetters;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

/**
 * The ticket tables through the shared CDC route ({@link PostgresCdc}, {@link ServiceRows#CDC}).
 */
class ServiceRoutingTest {

    @Test
    void routesByTableKeysByRowAndIgnoresTruncates() throws Exception {
        ServiceChange agent = ServiceChange.ROWS.of(Op.UPSERT, new Agent(7, "A", "D", 3, true, 1L));
        ServiceChange ticket =
                ServiceChange.ROWS.of(
                        Op.DELETE, new Ticket(42L, 1L, 7, "c", "LOW", "OPEN", 1L, null, null));
        ServiceChange log =
                ServiceChange.ROWS.of(Op.UPSERT, new TicketLog(9L, 42L, 7, "NOTE", "n", 1L));
        ServiceChange reject =
                ServiceRows.CDC.rejected(
                        ServiceChange.TICKETS,
                        Op.UPSERT,
                        new DeadLetter(
                                "tickets", RejectReason.INVALID_VALUE, "priority", "{}", null, 1L));

        assertThat(ServiceRows.CDC.routeKey(agent)).isEqualTo("agents|7");
        assertThat(ServiceRows.CDC.routeKey(ticket)).isEqualTo("tickets|42");
        assertThat(ServiceRows.CDC.routeKey(log)).isEqualTo("ticket_logs|9");
        assertThat(ServiceRows.CDC.routeKey(reject)).isEqualTo("tickets|");
        assertThat(ServiceRows.CDC.truncate(ServiceChange.TICKETS)).isNull();
        assertThat(DimensionRows.CDC.routeKey(DimensionRows.truncate("devices")))
                .isEqualTo("devices");

        try (KeyedOneInputStreamOperatorTestHarness<String, ServiceChange, ServiceChange> h =
                new KeyedOneInputStreamOperatorTestHarness<>(
                        new KeyedProcessOperator<>(new PostgresCdc.Route<>(ServiceRows.CDC)),
                        new PostgresCdc.RowKey<>(ServiceRows.CDC),
                        Types.STRING)) {
            h.open();
            h.processElement(agent, 1);
            h.processElement(ticket, 2);
            h.processElement(log, 3);
            h.processElement(reject, 4);
            assertThat(h.extractOutputValues())
                    .singleElement()
                    .satisfies(c -> assertThat(c.agent.agentId).isEqualTo(7));
            assertThat(h.getSideOutput(ServiceRows.CDC.tag(ServiceChange.TICKETS)))
                    .singleElement()
                    .satisfies(
                            r -> {
                                assertThat(r.getValue().ticket.ticketId).isEqualTo(42L);
                                assertThat(r.getValue().isDelete()).isTrue();
                            });
            assertThat(h.getSideOutput(ServiceRows.CDC.tag(ServiceChange.TICKET_LOGS)))
                    .singleElement()
                    .satisfies(r -> assertThat(r.getValue().ticketLog.logId).isEqualTo(9L));
            assertThat(h.getSideOutput(DeadLetters.TAG))
                    .singleElement()
                    .satisfies(r -> assertThat(r.getValue().detail).isEqualTo("priority"));
        }
    }
}
