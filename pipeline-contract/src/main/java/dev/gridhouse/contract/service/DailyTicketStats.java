package dev.gridhouse.contract.service;

import dev.gridhouse.core.model.RowChange;
import javax.annotation.Nullable;

/**
 * A row of {@code dws_daily_ticket_stats} (service contract §3): the tickets created on {@code day}
 * (UTC, yyyy-MM-dd); a delete once none is left.
 */
public class DailyTicketStats implements RowChange {
    public String day;
    public long createdCount;
    public long resolvedCount;
    public long urgentCount;
    public @Nullable Double avgResolutionMinutes;

    /** Not a column: true when the row is to be deleted. */
    public boolean deleted;

    public DailyTicketStats() {}

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
        return "DailyTicketStats{"
                + day
                + ", created="
                + createdCount
                + ", resolved="
                + resolvedCount
                + ", urgent="
                + urgentCount
                + ", avg="
                + avgResolutionMinutes
                + (deleted ? ", deleted" : "")
                + '}';
    }
}
