package dev.gridhouse.bench.jmh;

import dev.gridhouse.bench.BenchData;
import dev.gridhouse.contract.grid.DeviceMinute;
import dev.gridhouse.contract.grid.EnrichedTelemetry;
import dev.gridhouse.contract.grid.RegionHour;
import dev.gridhouse.contract.grid.RegionMinute;
import dev.gridhouse.dws.ops.DeviceMinuteAggregate;
import dev.gridhouse.dws.ops.RegionMinuteRollup;
import dev.gridhouse.dws.ops.RegionRollups;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.apache.flink.streaming.api.windowing.windows.TimeWindow;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * The DWS rollups as their window functions run them: {@link RegionMinuteRollup} over the
 * device-minute rows of one region (dedup by device, sort, sum), {@link RegionRollups.Hourly} over
 * 60 region-minutes and {@link RegionRollups.Daily} over 24 region-hours. One operation = one input
 * row.
 */
public class RollupBenchmarks extends BenchmarkBase {
    static final int DEVICES = 2_000;
    static final long MINUTE = 60_000L;

    private final RegionMinuteRollup minuteRollup = new RegionMinuteRollup();
    private final RegionRollups.Hourly hourly = new RegionRollups.Hourly();
    private final RegionRollups.Daily daily = new RegionRollups.Daily();
    private List<DeviceMinute> deviceMinutes;
    private List<RegionMinute> regionMinutes;
    private List<RegionHour> regionHours;
    private final TimeWindow minute =
            new TimeWindow(BenchData.START_MS, BenchData.START_MS + MINUTE);
    private final TimeWindow hour =
            new TimeWindow(BenchData.START_MS, BenchData.START_MS + 60 * MINUTE);
    private final TimeWindow day =
            new TimeWindow(BenchData.START_MS, BenchData.START_MS + 24 * 60 * MINUTE);

    @Setup
    public void setUp() {
        DeviceMinuteAggregate agg = new DeviceMinuteAggregate();
        deviceMinutes = new ArrayList<>();
        for (EnrichedTelemetry t : BenchData.generate(DEVICES, DEVICES, DEVICES).enriched()) {
            DeviceMinute m = agg.getResult(agg.add(t, agg.createAccumulator()));
            m.deviceId = t.deviceId;
            m.windowStart = minute.getStart();
            m.windowEnd = minute.getEnd();
            deviceMinutes.add(m);
        }
        // arrival order in Flink is not key order: shuffle deterministically
        Collections.shuffle(deviceMinutes, new java.util.Random(7));
        regionMinutes = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            RegionMinute r = RegionMinuteRollup.rollup("NORTH", minute.getStart(), deviceMinutes);
            r.windowStart = BenchData.START_MS + i * MINUTE;
            regionMinutes.add(r);
        }
        regionHours = new ArrayList<>();
        for (int i = 0; i < 24; i++) {
            RegionHour h = RegionRollups.hour("NORTH", hour.getStart(), regionMinutes);
            h.windowStart = BenchData.START_MS + i * 60 * MINUTE;
            regionHours.add(h);
        }
    }

    /** dws_region_minute from the device-minute rows of one minute. */
    @Benchmark
    @OperationsPerInvocation(DEVICES)
    public void regionMinute(Blackhole bh) throws Exception {
        WindowCalls.ListCollector<RegionMinute> out = new WindowCalls.ListCollector<>();
        minuteRollup.process(
                "NORTH", WindowCalls.context(minuteRollup, minute), deviceMinutes, out);
        bh.consume(out.out);
    }

    /** dws_region_hour from 60 region-minutes. */
    @Benchmark
    @OperationsPerInvocation(60)
    public void regionHour(Blackhole bh) throws Exception {
        WindowCalls.ListCollector<RegionHour> out = new WindowCalls.ListCollector<>();
        hourly.process("NORTH", WindowCalls.context(hourly, hour), regionMinutes, out);
        bh.consume(out.out);
    }

    /** dws_region_day from 24 region-hours. */
    @Benchmark
    @OperationsPerInvocation(24)
    public void regionDay(Blackhole bh) throws Exception {
        WindowCalls.ListCollector<dev.gridhouse.contract.grid.RegionDay> out =
                new WindowCalls.ListCollector<>();
        daily.process("NORTH", WindowCalls.context(daily, day), regionHours, out);
        bh.consume(out.out);
    }
}
