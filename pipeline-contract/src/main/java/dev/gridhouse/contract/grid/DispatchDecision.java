package dev.gridhouse.contract.grid;

/** A row of {@code ads_dispatch_decisions} (contract §6), PK {@code decision_id}. */
public class DispatchDecision {
    /** The alarm that triggered it: one decision per CRITICAL OVERLOAD / DEVICE_FAULT alarm. */
    public String decisionId;

    public String substationId;
    public String region;
    public String alarmType;

    /** Event time of the triggering record, epoch ms. */
    public long eventTs;

    /** When the decision was made, epoch ms (processing time). */
    public long decidedAt;

    /** decided_at − event_ts. */
    public long decisionLatencyMs;

    /** Load to shed: the excess of the substation's current load over its capacity. */
    public double requiredMw;

    /** JSON list of {to_substation_id, line_id, mw}. */
    public String transfers;

    /** What could not be placed on any neighbour. */
    public double unservedMw;

    public DispatchDecision() {}
}
