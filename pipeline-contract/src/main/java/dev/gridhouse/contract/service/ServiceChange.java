package dev.gridhouse.contract.service;

import dev.gridhouse.core.model.RowTypes;
import dev.gridhouse.core.model.TableChange;
import javax.annotation.Nullable;

/**
 * One change of {@code service.agents}, {@code service.tickets} or {@code service.ticket_logs} read
 * by CDC (service contract §1): exactly one of {@link #agent}, {@link #ticket}, {@link #ticketLog}
 * is set for a valid change, {@link #rejected} for a row that breaks the contract ({@link
 * TableChange}, shared with the grid's dimension changes). A Flink POJO.
 */
public class ServiceChange extends TableChange {
    public static final String AGENTS = "agents";
    public static final String TICKETS = "tickets";
    public static final String TICKET_LOGS = "ticket_logs";

    /**
     * The three tables in routing order, their rows, row fields and keys; also the factory of
     * changes ({@link RowTypes#of(Op, Object)}, {@link RowTypes#rejected}).
     */
    public static final RowTypes<ServiceChange> ROWS =
            RowTypes.of(ServiceChange.class, ServiceChange::new)
                    .table(AGENTS, Agent.class, c -> c.agent, (c, r) -> c.agent = r, r -> r.agentId)
                    .table(
                            TICKETS,
                            Ticket.class,
                            c -> c.ticket,
                            (c, r) -> c.ticket = r,
                            r -> r.ticketId)
                    .table(
                            TICKET_LOGS,
                            TicketLog.class,
                            c -> c.ticketLog,
                            (c, r) -> c.ticketLog = r,
                            r -> r.logId);

    public @Nullable Agent agent;
    public @Nullable Ticket ticket;
    public @Nullable TicketLog ticketLog;

    public ServiceChange() {}

    @Override
    protected RowTypes<ServiceChange> rowTypes() {
        return ROWS;
    }
}
