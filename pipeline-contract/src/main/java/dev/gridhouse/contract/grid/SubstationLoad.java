package dev.gridhouse.contract.grid;

/** A row of {@code dws_substation_load} (contract §6): the current load of a substation. */
public class SubstationLoad {
    public String substationId;
    public String region;

    /** Σ of the latest active power of the substation's non-generator devices. */
    public double loadMw;

    /** Devices that have reported. */
    public long deviceCount;

    /** Event time of the newest sample included, epoch ms. */
    public long updatedAt;

    public SubstationLoad() {}
}
