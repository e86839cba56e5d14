package dev.gridhouse.ads.ops;

import dev.gridhouse.contract.grid.GridLine;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.function.ToDoubleFunction;

/**
 * The greedy load-transfer decision of contract §6: the excess over capacity at a substation is
 * moved to the substations reached through CLOSED lines, neighbours with the most spare capacity
 * first, each transfer bounded by the line's capacity and the neighbour's spare capacity; what
 * cannot be placed is unserved. Pure and deterministic (ties broken by substation and line id).
 */
public final class LoadTransferPlanner {
    private LoadTransferPlanner() {}

    /** One planned transfer. */
    public static final class Transfer {
        public final String toSubstationId;
        public final String lineId;
        public final double mw;

        Transfer(String toSubstationId, String lineId, double mw) {
            this.toSubstationId = toSubstationId;
            this.lineId = lineId;
            this.mw = mw;
        }

        @Override
        public String toString() {
            return lineId + "->" + toSubstationId + ":" + mw;
        }
    }

    /** The result: what was required, the transfers, and what is left unserved. */
    public static final class Plan {
        public final double requiredMw;
        public final List<Transfer> transfers;
        public final double unservedMw;

        Plan(double requiredMw, List<Transfer> transfers, double unservedMw) {
            this.requiredMw = requiredMw;
            this.transfers = transfers;
            this.unservedMw = unservedMw;
        }
    }

    /**
     * Plans the transfer away from {@code substation}.
     *
     * @param capacityMw capacity of every substation by id
     * @param loadMw current load by substation id (absent = 0)
     * @param lines all lines (both directions are usable; OPEN lines are ignored)
     */
    public static Plan plan(
            String substation,
            Map<String, Double> capacityMw,
            ToDoubleFunction<String> loadMw,
            Collection<GridLine> lines) {
        double capacity = capacityMw.getOrDefault(substation, 0.0);
        double required = Math.max(0.0, loadMw.applyAsDouble(substation) - capacity);

        List<Object[]> candidates = new ArrayList<>(); // {neighbour, line, spare}
        for (GridLine l : lines) {
            if (!GridLine.CLOSED.equals(l.status)) {
                continue;
            }
            String other =
                    substation.equals(l.fromSubstationId)
                            ? l.toSubstationId
                            : substation.equals(l.toSubstationId) ? l.fromSubstationId : null;
            if (other == null || other.equals(substation) || !capacityMw.containsKey(other)) {
                continue;
            }
            double spare = capacityMw.get(other) - loadMw.applyAsDouble(other);
            candidates.add(new Object[] {other, l, spare});
        }
        candidates.sort(
                Comparator.comparingDouble((Object[] c) -> -(double) c[2])
                        .thenComparing(c -> (String) c[0])
                        .thenComparing(c -> ((GridLine) c[1]).lineId));

        List<Transfer> transfers = new ArrayList<>();
        Map<String, Double> used = new java.util.HashMap<>();
        double remaining = required;
        for (Object[] c : candidates) {
            if (remaining <= 0) {
                break;
            }
            String neighbour = (String) c[0];
            GridLine line = (GridLine) c[1];
            double spare = (double) c[2] - used.getOrDefault(neighbour, 0.0);
            double mw = Math.min(remaining, Math.min(line.capacityMw, spare));
            if (mw > 0) {
                transfers.add(new Transfer(neighbour, line.lineId, mw));
                used.merge(neighbour, mw, Double::sum);
                remaining -= mw;
            }
        }
        return new Plan(required, transfers, Math.max(0.0, remaining));
    }
}
