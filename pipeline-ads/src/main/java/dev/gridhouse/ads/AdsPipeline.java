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
 * The ADS layer as one function over streams ({@link #apply}): DWD telemetry → {@code ads_alarms}
 * (per-record rules with a raise/clear lifecycle) and {@code dws_substation_load}; critical alarms
 * → {@code ads_dispatch_decisions}; region-minutes + alarms → {@code ads_grid_realtime}. The ADS
 * job, {@code gridhouse local} and GridBench all build the layer through it, so their graphs (and
 * operator uids) cannot drift apart; where the tables go is the caller's ({@link #write}).
 */
public final class AdsPipeline {
    private AdsPipeline() {}

    /** The streams the layer produces, for the caller to write wherever its tables live. */
    public static final class Outputs {
        /** Alarm changes ({@code ads_alarms}). */
        public final DataStream<Alarm> alarms;

        /** The live per-region view ({@code ads_grid_realtime}). */
        public final DataStream<RegionRealtime> realtime;

        /** The current load of each substation ({@code dws_substation_load}). */
        public final DataStream<SubstationLoad> substationLoads;

        /** Load-transfer decisions ({@code ads_dispatch_decisions}). */
        public final DataStream<DispatchDecision> decisions;

        Outputs(
                DataStream<Alarm> alarms,
                DataStream<RegionRealtime> realtime,
                DataStream<SubstationLoad> substationLoads,
                DataStream<DispatchDecision> decisions) {
            this.alarms = alarms;
            this.realtime = realtime;
            this.substationLoads = substationLoads;
            this.decisions = decisions;
        }
    }

    /**
     * The whole layer with the decider's live mirror of {@code ods_substations}/{@code ods_lines}
     * in {@code fluss}, the default {@link #SUBSTATION_LOAD_INTERVAL} and the environment's
     * parallelism.
     */
    public static Outputs apply(
            DataStream<EnrichedTelemetry> dwd,
            DataStream<RegionMinute> regionMinutes,
            FlussEndpoint fluss,
            String uidPrefix) {
        return apply(
                dwd,
                regionMinutes,
                GridTopology.flussMirror(fluss),
                SUBSTATION_LOAD_INTERVAL.defaultValue(),
                0,
                uidPrefix);
    }

    /**
     * The whole layer: DWD telemetry → alarms → realtime view (with the region minutes) →
     * substation loads → dispatch decisions on {@code topology}, all under the default {@link
     * AlarmRules}. Writes nothing: see {@link #write(Outputs, FlussEndpoint, String)}.
     *
     * @param parallelism of alarms, realtime view and loads; ≤ 0 = the environment's (the decider
     *     always runs at 1)
     */
    public static Outputs apply(
            DataStream<EnrichedTelemetry> dwd,
            DataStream<RegionMinute> regionMinutes,
            GridTopology topology,
            Duration substationLoadInterval,
            int parallelism,
            String uidPrefix) {
        AlarmRules rules = new AlarmRules();
        DataStream<Alarm> alarms = alarms(dwd, rules, uidPrefix, parallelism);
        DataStream<RegionRealtime> realtime =
                realtime(regionMinutes, alarms, uidPrefix, parallelism);
        DataStream<SubstationLoad> loads =
                substationLoad(dwd, substationLoadInterval, rules, uidPrefix, parallelism);
        return new Outputs(alarms, realtime, loads, decisions(alarms, loads, topology, uidPrefix));
    }

    /** Alarm changes (raised, severity changed, cleared); {@code parallelism} ≤ 0 = env's. */
    private static SingleOutputStreamOperator<Alarm> alarms(
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
    private static SingleOutputStreamOperator<RegionRealtime> realtime(
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
     * The current load of each substation ({@link SubstationLoadTracker}): a row at most every
     * {@code interval} per substation, at once for a record that may trigger a decision under
     * {@code rules} (pass the rules the alarms are evaluated with).
     */
    private static SingleOutputStreamOperator<SubstationLoad> substationLoad(
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
    private static SingleOutputStreamOperator<DispatchDecision> decisions(
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

    /** Writes the layer's four tables to Fluss. */
    public static void write(Outputs outputs, FlussEndpoint fluss, String uidPrefix) {
        String uid = uidPrefix + "-ads";
        FlussIo.write(outputs.realtime, fluss, GridTables.ADS_GRID_REALTIME, uid, 0);
        FlussIo.write(outputs.alarms, fluss, GridTables.ADS_ALARMS, uid, 0);
        FlussIo.write(outputs.substationLoads, fluss, GridTables.DWS_SUBSTATION_LOAD, uid, 0);
        FlussIo.write(outputs.decisions, fluss, GridTables.ADS_DISPATCH_DECISIONS, uid, 1);
    }
}
