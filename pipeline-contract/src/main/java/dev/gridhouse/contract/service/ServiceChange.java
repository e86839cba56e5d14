package dev.gridhouse.contract.service;

import dev.gridhouse.contract.grid.DimensionChange.Op;
import dev.gridhouse.core.model.DeadLetter;
import dev.gridhouse.core.model.RowChange;
import javax.annotation.Nullable;

/**
 * One change of {@code service.agents}, {@code service.tickets} or {@code service.ticket_logs} read
 * by CDC (service contract §1): exactly one of {@link #agent}, {@link #ticket}, {@link #ticketLog}
 * is set for a valid change, {@link #rejected} for a row that breaks the contract. A Flink POJO.
 */
public class ServiceChange implements RowChange {
    public static final String AGENTS = "agents";
    public static final String TICKETS = "tickets";
    public static final String TICKET_LOGS = "ticket_logs";

    /** Source table without schema. */
    public String table;

    public Op op;
    public @Nullable Agent agent;
    public @Nullable Ticket ticket;
    public @Nullable TicketLog ticketLog;
    public @Nullable DeadLetter rejected;

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
    public boolean isDelete() {
        return op == Op.DELETE;
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

    @Override
    public String toString() {
        return "ServiceChange{"
                + table
                + ", "
                + op
                + ", "
                + (rejected != null ? rejected : row())
                + '}';
    }
}
