package dev.gridhouse.contract.service;

import dev.gridhouse.core.model.RowChange;

/** A row of {@code dws_ticket_status} (service contract §3); a delete once no ticket has it. */
public class TicketStatusCount implements RowChange {
    public String status;
    public long ticketCount;

    /** Not a column: true when the row is to be deleted. */
    public boolean deleted;

    public TicketStatusCount() {}

    public TicketStatusCount(String status, long ticketCount) {
        this.status = status;
        this.ticketCount = ticketCount;
        this.deleted = ticketCount == 0;
    }

    @Override
    public Object row() {
        return this;
    }

    @Override
    public boolean isDelete() {
        return deleted;
    }

    @Override
    public String toString() {
        return "TicketStatusCount{"
                + status
                + "="
                + ticketCount
                + (deleted ? ", deleted" : "")
                + '}';
    }
}
