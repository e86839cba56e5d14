package dev.gridhouse.contract.grid;

/** A row of {@code ods_lines} (contract §1.2): a line between two substations, usable both ways. */
public class GridLine implements java.io.Serializable {
    private static final long serialVersionUID = 1L;

    public static final String CLOSED = "CLOSED";
    public static final String OPEN = "OPEN";

    public String lineId;
    public String fromSubstationId;
    public String toSubstationId;
    public double capacityMw;

    /** {@code CLOSED} carries power, {@code OPEN} does not. */
    public String status;

    public GridLine() {}

    public GridLine(
            String lineId,
            String fromSubstationId,
            String toSubstationId,
            double capacityMw,
            String status) {
        this.lineId = lineId;
        this.fromSubstationId = fromSubstationId;
        this.toSubstationId = toSubstationId;
        this.capacityMw = capacityMw;
        this.status = status;
    }

    @Override
    public String toString() {
        return "GridLine{"
                + lineId
                + ", "
                + fromSubstationId
                + "-"
                + toSubstationId
                + ", "
                + status
                + '}';
    }
}
