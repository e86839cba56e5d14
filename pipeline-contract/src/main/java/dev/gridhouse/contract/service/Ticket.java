package dev.gridhouse.contract.service;

import javax.annotation.Nullable;

/** A row of {@code ods_tickets} (service contract §1); times are epoch milliseconds. */
public class Ticket {
    public static final String URGENT = "URGENT";

    public long ticketId;
    public long customerId;
    public @Nullable Integer agentId;
    public @Nullable String category;
    public String priority;
    public String status;
    public long createdAt;
    public @Nullable Long updatedAt;
    public @Nullable Long resolvedAt;

    public Ticket() {}

    public Ticket(
            long ticketId,
            long customerId,
            @Nullable Integer agentId,
            @Nullable String category,
            String priority,
            String status,
            long createdAt,
            @Nullable Long updatedAt,
            @Nullable Long resolvedAt) {
        this.ticketId = ticketId;
        this.customerId = customerId;
        this.agentId = agentId;
        this.category = category;
        this.priority = priority;
        this.status = status;
        this.createdAt = createdAt;
        this.updatedAt = updatedAt;
        this.resolvedAt = resolvedAt;
    }

    @Override
    public String toString() {
        return "Ticket{"
                + ticketId
                + ", agent="
                + agentId
                + ", "
                + priority
                + ", "
                + status
                + ", created="
                + createdAt
                + ", resolved="
                + resolvedAt
                + '}';
    }
}
