package dev.gridhouse.ads;

import dev.gridhouse.core.catalog.GridTables;
import dev.gridhouse.core.io.FlussEndpoint;
import dev.gridhouse.core.io.FlussIo;
import dev.gridhouse.core.model.RegionMinute;
import dev.gridhouse.core.model.RegionRealtime;
import dev.gridhouse.core.ops.LatestRegionMinute;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;

/** The ADS layer as a function over streams: region-minutes → {@code ads_grid_realtime}. */
public final class AdsPipeline {
    private AdsPipeline() {}

    /** The newest minute of each region, with its balance; {@code parallelism} ≤ 0 = env's. */
    public static SingleOutputStreamOperator<RegionRealtime> realtime(
            DataStream<RegionMinute> regionMinutes, String uidPrefix, int parallelism) {
        SingleOutputStreamOperator<RegionRealtime> out =
                regionMinutes
                        .keyBy(m -> m.region)
                        .process(new LatestRegionMinute())
                        .name("Latest : ads_grid_realtime")
                        .uid(uidPrefix + "-ads-latest-region-minute");
        if (parallelism > 0) {
            out.setParallelism(parallelism);
        }
        return out;
    }

    public static void write(
            DataStream<RegionRealtime> realtime, FlussEndpoint fluss, String uidPrefix) {
        FlussIo.write(realtime, fluss, GridTables.ADS_GRID_REALTIME, uidPrefix + "-ads", 0);
    }
}
