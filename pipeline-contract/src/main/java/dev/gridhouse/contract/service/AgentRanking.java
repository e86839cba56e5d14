package dev.gridhouse.contract.service;

import dev.gridhouse.core.model.RowChange;
import java.util.Objects;
import javax.annotation.Nullable;

/**
 * A row of {@code ads_agent_ranking} (service contract §4): an agent's resolved tickets and mean
 * resolution time over all days, and its rank (1 = most resolved; ties by lower mean, then lower
 * agent id). A delete once the agent is gone.
 */
public class AgentRanking implements RowChange {
    public int agentId;
    public @Nullable String agentName;
    public @Nullable String department;
    public long ticketsResolved;
    public @Nullable Double avgResolutionMinutes;
    public int rank;

    /** Not a column: true when the row is to be deleted. */
    public boolean deleted;

    public AgentRanking() {}

    @Override
    public Object row() {
        return this;
    }

    @Override
    public boolean isDelete() {
        return deleted;
    }

    /** Same columns (and delete flag). */
    public boolean sameAs(AgentRanking o) {
        return agentId == o.agentId
                && Objects.equals(agentName, o.agentName)
                && Objects.equals(department, o.department)
                && ticketsResolved == o.ticketsResolved
                && Objects.equals(avgResolutionMinutes, o.avgResolutionMinutes)
                && rank == o.rank
                && deleted == o.deleted;
    }

    @Override
    public String toString() {
        return "AgentRanking{#"
                + rank
                + " "
                + agentId
                + ", resolved="
                + ticketsResolved
                + ", avg="
                + avgResolutionMinutes
                + (deleted ? ", deleted" : "")
                + '}';
    }
}
