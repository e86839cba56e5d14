package dev.gridhouse.contract.service;

import dev.gridhouse.core.model.RowChange;
import javax.annotation.Nullable;

/**
 * A row of {@code dwd_tickets} (service contract §2): the current ticket joined with its agent
 * ({@code agentName}, {@code department}; null when unassigned or unknown) and {@code
 * resolutionMinutes} = (resolved_at − created_at) in minutes, null if not resolved. A change of the
 * PK table: {@link #deleted} marks the delete of the ticket. A Flink POJO.
 */
public class DwdTicket extends Ticket implements RowChange {
    public @Nullable String agentName;
    public @Nullable String department;
    public @Nullable Double resolutionMinutes;
    public boolean deleted;

    public DwdTicket() {}

    /** The enriched row of a ticket with its agent (null if none). */
    public static DwdTicket of(Ticket t, @Nullable Agent agent) {
        DwdTicket d = new DwdTicket();
        d.ticketId = t.ticketId;
        d.customerId = t.customerId;
        d.agentId = t.agentId;
        d.category = t.category;
        d.priority = t.priority;
        d.status = t.status;
        d.createdAt = t.createdAt;
        d.updatedAt = t.updatedAt;
        d.resolvedAt = t.resolvedAt;
        d.agentName = agent == null ? null : agent.agentName;
        d.department = agent == null ? null : agent.department;
        d.resolutionMinutes = t.resolvedAt == null ? null : (t.resolvedAt - t.createdAt) / 60_000.0;
        return d;
    }

    /** The delete of a ticket's row. */
    public static DwdTicket delete(Ticket t) {
        DwdTicket d = of(t, null);
        d.deleted = true;
        return d;
    }

    @Override
    public Object row() {
        return this;
    }

    @Override
    public boolean isDelete() {
        return deleted;
    }
}
