package dev.gridhouse.contract.service;

import dev.gridhouse.core.model.DeadLetter;
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

    public @Nullable Agent agent;
    public @Nullable Ticket ticket;
    public @Nullable TicketLog ticketLog;

    public ServiceChange() {}

    public static ServiceChange of(Op op, Agent agent) {
        ServiceChange c = base(AGENTS, op);
        c.agent = agent;
        return c;
    }

    public static ServiceChange of(Op op, Ticket ticket) {
        ServiceChange c = base(TICKETS, op);
        c.ticket = ticket;
        return c;
    }

    public static ServiceChange of(Op op, TicketLog log) {
        ServiceChange c = base(TICKET_LOGS, op);
        c.ticketLog = log;
        return c;
    }

    public static ServiceChange rejected(String table, Op op, DeadLetter deadLetter) {
        ServiceChange c = base(table, op);
        c.rejected = deadLetter;
        return c;
    }

    private static ServiceChange base(String table, Op op) {
        ServiceChange c = new ServiceChange();
        c.table = table;
        c.op = op;
        return c;
    }

    @Override
    public @Nullable Object row() {
        if (agent != null) {
            return agent;
        }
        if (ticket != null) {
            return ticket;
        }
        return ticketLog;
    }
}
