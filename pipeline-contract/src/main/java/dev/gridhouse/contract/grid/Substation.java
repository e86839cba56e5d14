package dev.gridhouse.contract.grid;

/** A row of {@code ods_substations} (contract §1.2). */
public class Substation implements java.io.Serializable {
    private static final long serialVersionUID = 1L;

    public String substationId;
    public String substationName;
    public String region;
    public double voltageLevelKv;
    public double capacityMw;

    public Substation() {}

    public Substation(
            String substationId,
            String substationName,
            String region,
            double voltageLevelKv,
            double capacityMw) {
        this.substationId = substationId;
        this.substationName = substationName;
        this.region = region;
        this.voltageLevelKv = voltageLevelKv;
        this.capacityMw = capacityMw;
    }

    @Override
    public String toString() {
        return "Substation{" + substationId + ", " + region + ", capacityMw=" + capacityMw + '}';
    }
}
