package dev.gridhouse.contract.service;

import javax.annotation.Nullable;

/** A row of {@code ods_agents} (service contract §1). */
public class Agent {
    public int agentId;
    public String agentName;
    public String department;
    public @Nullable Integer skillLevel;
    public @Nullable Boolean active;

    /** Epoch milliseconds, null if unknown. */
    public @Nullable Long updatedAt;

    public Agent() {}

    public Agent(
            int agentId,
            String agentName,
            String department,
            @Nullable Integer skillLevel,
            @Nullable Boolean active,
            @Nullable Long updatedAt) {
        this.agentId = agentId;
        this.agentName = agentName;
        this.department = department;
        this.skillLevel = skillLevel;
        this.active = active;
        this.updatedAt = updatedAt;
    }

    @Override
    public String toString() {
        return "Agent{" + agentId + ", " + agentName + ", " + department + '}';
    }
}
