package dev.gridhouse.bench.jmh;

import dev.gridhouse.contract.grid.EnrichedTelemetry;
import dev.gridhouse.contract.grid.SubstationLoad;
import java.util.Map;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.StateTtlConfig;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * The substation load tracker as it was before issue 15 (a sum over all devices per record, a row
 * per record), kept only as the "before" of {@link SubstationLoadBenchmarks}.
 *
 * <p>Keeps {@code dws_substation_load} current: the sum of the latest active power of each
 * non-generator device of a substation, emitted on every DWD record of it, with {@code updated_at}
 * = the newest event time seen for the substation. {@code updated_at} never goes back, also when
 * the substation's records reach this operator out of event-time order from several upstream
 * channels: a {@code DispatchDecider} waiting for the load "as of" its alarm's event time is always
 * released. Keyed by substation id; a device that has not reported for the state TTL drops out of
 * the sum.
 */
public class LegacySubstationLoadTracker
        extends KeyedProcessFunction<String, EnrichedTelemetry, SubstationLoad> {
    private static final long serialVersionUID = 1L;

    private final java.time.Duration deviceTtl;
    private transient MapState<String, Double> latestPower;
    private transient ValueState<Long> newestTs;

    public LegacySubstationLoadTracker(java.time.Duration deviceTtl) {
        this.deviceTtl = deviceTtl;
    }

    @Override
    public void open(Configuration parameters) {
        MapStateDescriptor<String, Double> desc =
                new MapStateDescriptor<>("latest-power", Types.STRING, Types.DOUBLE);
        desc.enableTimeToLive(StateTtlConfig.newBuilder(deviceTtl).build());
        latestPower = getRuntimeContext().getMapState(desc);
        ValueStateDescriptor<Long> ts = new ValueStateDescriptor<>("newest-ts", Types.LONG);
        ts.enableTimeToLive(StateTtlConfig.newBuilder(deviceTtl).build());
        newestTs = getRuntimeContext().getState(ts);
    }

    @Override
    public void processElement(EnrichedTelemetry t, Context ctx, Collector<SubstationLoad> out)
            throws Exception {
        if (!t.isGenerator()) {
            latestPower.put(t.deviceId, t.activePowerMw);
        }
        // generators do not add load, but their records still advance updated_at, so that a
        // decision waiting for this substation's load as of a record's time is released
        SubstationLoad load = new SubstationLoad();
        load.substationId = t.substationId;
        load.region = t.region;
        Long newest = newestTs.value();
        load.updatedAt = newest == null ? t.ts : Math.max(newest, t.ts);
        newestTs.update(load.updatedAt);
        for (Map.Entry<String, Double> e : latestPower.entries()) {
            load.loadMw += e.getValue();
            load.deviceCount++;
        }
        out.collect(load);
    }
}
