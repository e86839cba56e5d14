package dev.gridhouse.ads;

import dev.gridhouse.ads.ops.AlarmLifecycle;
import dev.gridhouse.ads.ops.AlarmRules;
import dev.gridhouse.ads.ops.DispatchDecider;
import dev.gridhouse.ads.ops.GridTopology;
import dev.gridhouse.ads.ops.RegionRealtimeView;
import dev.gridhouse.ads.ops.SubstationLoadTracker;
import dev.gridhouse.contract.grid.Alarm;
import dev.gridhouse.contract.grid.DispatchDecision;
import dev.gridhouse.contract.grid.EnrichedTelemetry;
import dev.gridhouse.contract.grid.GridTables;
import dev.gridhouse.contract.grid.RegionMinute;
import dev.gridhouse.contract.grid.RegionRealtime;
import dev.gridhouse.contract.grid.SubstationLoad;
import dev.gridhouse.core.io.FlussEndpoint;
import dev.gridhouse.core.io.FlussIo;
import java.time.Duration;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;

/**
 * The ADS layer as functions over streams: DWD telemetry → {@code ads_alarms} (per-record rules
 * with a raise/clear lifecycle) and {@code dws_substation_load}; critical alarms → {@code
 * ads_dispatch_decisions}; region-minutes + alarms → {@code ads_grid_realtime}.
 */
public final class AdsPipeline {
    private AdsPipeline() {}

    /** Alarm changes (raised, severity changed, cleared); {@code parallelism} ≤ 0 = env's. */
    public static SingleOutputStreamOperator<Alarm> alarms(
            DataStream<EnrichedTelemetry> dwd,
            AlarmRules rules,
            String uidPrefix,
            int parallelism) {
        SingleOutputStreamOperator<Alarm> out =
                dwd.keyBy(t -> t.deviceId)
                        .process(new AlarmLifecycle(rules))
                        .name("Alarms : ads_alarms")
                        .uid(uidPrefix + "-ads-alarms");
        if (parallelism > 0) {
            out.setParallelism(parallelism);
        }
        return out;
    }

    /** The newest minute of each region, with its balance and active alarm count. */
    public static SingleOutputStreamOperator<RegionRealtime> realtime(
            DataStream<RegionMinute> regionMinutes,
            DataStream<Alarm> alarms,
            String uidPrefix,
            int parallelism) {
        SingleOutputStreamOperator<RegionRealtime> out =
                regionMinutes
                        .keyBy(m -> m.region)
                        .connect(alarms.keyBy(a -> a.region))
                        .process(new RegionRealtimeView(), TypeInformation.of(RegionRealtime.class))
                        .name("Realtime : ads_grid_realtime")
                        .uid(uidPrefix + "-ads-realtime");
        if (parallelism > 0) {
            out.setParallelism(parallelism);
        }
        return out;
    }

    /**
     * How often a substation's load row is refreshed at most (records that may trigger a dispatch
     * decision refresh it at once); zero = a row per DWD record.
     */
    public static final ConfigOption<Duration> SUBSTATION_LOAD_INTERVAL =
            ConfigOptions.key("ads.substation-load.interval")
                    .durationType()
                    .defaultValue(Duration.ofSeconds(1))
                    .withDescription(
                            "At most one dws_substation_load row per substation per interval"
                                    + " (fault and critical-overload records are reflected at"
                                    + " once, for the dispatch decisions); 0 = a row per record.");

    /** How long a silent device stays in its substation's load. */
    public static final Duration SUBSTATION_DEVICE_TTL = Duration.ofHours(1);

    /**
     * The current load of each substation, from DWD ({@code dws_substation_load}), refreshed at
     * most every {@link #SUBSTATION_LOAD_INTERVAL}'s default.
     */
    public static SingleOutputStreamOperator<SubstationLoad> substationLoad(
            DataStream<EnrichedTelemetry> dwd, String uidPrefix, int parallelism) {
        return substationLoad(
                dwd,
                SUBSTATION_LOAD_INTERVAL.defaultValue(),
                new AlarmRules(),
                uidPrefix,
                parallelism);
    }

    /**
     * The current load of each substation ({@link SubstationLoadTracker}): a row at most every
     * {@code interval} per substation, at once for a record that may trigger a decision under
     * {@code rules} (pass the rules the alarms are evaluated with).
     */
    public static SingleOutputStreamOperator<SubstationLoad> substationLoad(
            DataStream<EnrichedTelemetry> dwd,
            Duration interval,
            AlarmRules rules,
            String uidPrefix,
            int parallelism) {
        SingleOutputStreamOperator<SubstationLoad> out =
                dwd.keyBy(t -> t.substationId)
                        .transform(
                                "Load : dws_substation_load",
                                TypeInformation.of(SubstationLoad.class),
                                SubstationLoadTracker.operator(
                                        new SubstationLoadTracker(
                                                SUBSTATION_DEVICE_TTL,
                                                interval,
                                                SubstationLoadTracker.decisionTrigger(rules))))
                        .uid(uidPrefix + "-ads-substation-load");
        if (parallelism > 0) {
            out.setParallelism(parallelism);
        }
        return out;
    }

    /**
     * A load-transfer decision for each alarm that becomes CRITICAL OVERLOAD / DEVICE_FAULT, with
     * the current substation loads broadcast to the decider.
     */
    public static SingleOutputStreamOperator<DispatchDecision> decisions(
            DataStream<Alarm> alarms,
            DataStream<SubstationLoad> loads,
            FlussEndpoint fluss,
            String uidPrefix) {
        return decisions(alarms, loads, GridTopology.flussMirror(fluss), uidPrefix);
    }

    /** {@link #decisions(DataStream, DataStream, FlussEndpoint, String)} with any topology. */
    public static SingleOutputStreamOperator<DispatchDecision> decisions(
            DataStream<Alarm> alarms,
            DataStream<SubstationLoad> loads,
            GridTopology topology,
            String uidPrefix) {
        return alarms.filter(DispatchDecider::triggers)
                .name("Filter : critical alarms")
                .uid(uidPrefix + "-ads-critical-alarms")
                .connect(loads.broadcast(DispatchDecider.LOADS))
                .process(
                        new DispatchDecider(topology, Duration.ofMinutes(5)),
                        TypeInformation.of(DispatchDecision.class))
                .name("Decide : ads_dispatch_decisions")
                .uid(uidPrefix + "-ads-dispatch-decisions")
                .setParallelism(1);
    }

    /** Writes the substation loads and the decisions. */
    public static void writeDispatch(
            DataStream<SubstationLoad> loads,
            DataStream<DispatchDecision> decisions,
            FlussEndpoint fluss,
            String uidPrefix) {
        FlussIo.write(loads, fluss, GridTables.DWS_SUBSTATION_LOAD, uidPrefix + "-ads", 0);
        FlussIo.write(decisions, fluss, GridTables.ADS_DISPATCH_DECISIONS, uidPrefix + "-ads", 1);
    }

    public static void write(
            DataStream<RegionRealtime> realtime,
            DataStream<Alarm> alarms,
            FlussEndpoint fluss,
            String uidPrefix) {
        FlussIo.write(realtime, fluss, GridTables.ADS_GRID_REALTIME, uidPrefix + "-ads", 0);
        FlussIo.write(alarms, fluss, GridTables.ADS_ALARMS, uidPrefix + "-ads", 0);
    }
}
