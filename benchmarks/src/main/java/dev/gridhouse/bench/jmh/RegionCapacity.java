package dev.gridhouse.bench.jmh;

import dev.gridhouse.core.model.RowChange;
import javax.annotation.Nullable;

/** Result row of the retraction benchmark: devices and capacity (kW) per region. A Flink POJO. */
public class RegionCapacity implements RowChange {
    public String region;
    public long devices;
    public long capacityKw;
    public boolean deleted;

    public RegionCapacity() {}

    static RegionCapacity of(String region, long[] totals) {
        RegionCapacity r = new RegionCapacity();
        r.region = region;
        r.devices = totals[0];
        r.capacityKw = totals[1];
        r.deleted = totals[0] == 0;
        return r;
    }

    @Override
    public @Nullable Object row() {
        return this;
    }

    @Override
    public boolean isDelete() {
        return deleted;
    }
}
