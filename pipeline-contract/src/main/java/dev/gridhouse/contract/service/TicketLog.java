package dev.gridhouse.contract.service;

import javax.annotation.Nullable;

/** A row of {@code ods_ticket_logs} (service contract §1, append only). */
public class TicketLog {
    public long logId;
    public @Nullable Long ticketId;
    public @Nullable Integer agentId;
    public @Nullable String action;
    public @Nullable String note;

    /** Epoch milliseconds, null if unknown. */
    public @Nullable Long createdAt;

    public TicketLog() {}

    public TicketLog(
            long logId,
            @Nullable Long ticketId,
            @Nullable Integer agentId,
            @Nullable String action,
            @Nullable String note,
            @Nullable Long createdAt) {
        this.logId = logId;
        this.ticketId = ticketId;
        this.agentId = agentId;
        this.action = action;
        this.note = note;
        this.createdAt = createdAt;
    }

    @Override
    public String toString() {
        return "TicketLog{" + logId + ", ticket=" + ticketId + ", agent=" + agentId + '}';
    }
}
