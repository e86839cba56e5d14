package dev.gridhouse.contract.service;

import dev.gridhouse.core.model.RowChange;
import javax.annotation.Nullable;

/**
 * A row of {@code dws_agent_daily} (service contract §3): an agent's tickets created on {@code day}
 * (UTC, yyyy-MM-dd) and log actions of that day; a delete once both are zero.
 */
public class AgentDaily implements RowChange {
    public int agentId;
    public String day;
    public long ticketsAssigned;
    public long ticketsResolved;
    public @Nullable Double avgResolutionMinutes;
    public long logActions;

    /** Not a column: true when the row is to be deleted. */
    public boolean deleted;

    public AgentDaily() {}

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
        return "AgentDaily{"
                + agentId
                + ", "
                + day
                + ", assigned="
                + ticketsAssigned
                + ", resolved="
                + ticketsResolved
                + ", avg="
                + avgResolutionMinutes
                + ", logs="
                + logActions
                + (deleted ? ", deleted" : "")
                + '}';
    }
}
