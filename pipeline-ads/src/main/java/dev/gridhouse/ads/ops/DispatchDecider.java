package dev.gridhouse.ads.ops;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gridhouse.contract.grid.Alarm;
import dev.gridhouse.contract.grid.DispatchDecision;
import dev.gridhouse.contract.grid.GridLine;
import dev.gridhouse.contract.grid.Substation;
import dev.gridhouse.contract.grid.SubstationLoad;
import dev.gridhouse.core.io.FlussEndpoint;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ReadOnlyBroadcastState;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Histogram;
import org.apache.flink.runtime.metrics.DescriptiveStatisticsHistogram;
import org.apache.flink.runtime.state.FunctionInitializationContext;
import org.apache.flink.runtime.state.FunctionSnapshotContext;
import org.apache.flink.streaming.api.checkpoint.CheckpointedFunction;
import org.apache.flink.streaming.api.functions.co.BroadcastProcessFunction;
import org.apache.flink.util.Collector;

/**
 * On each alarm that becomes CRITICAL OVERLOAD or DEVICE_FAULT, decides a load transfer (contract
 * §6) with {@link LoadTransferPlanner}: substations and CLOSED lines from {@code ods_substations}
 * and {@code ods_lines} (by default mirrored in memory from their Fluss changelogs; any {@link
 * GridTopology}), current loads from the {@code dws_substation_load} stream, broadcast into this
 * operator. An alarm waits until the load of its substation includes the record that raised it, so
 * the decision never sees a load older than its own event. Metric {@code decisionLatencyMs}
 * (histogram).
 */
public class DispatchDecider
        extends BroadcastProcessFunction<Alarm, SubstationLoad, DispatchDecision>
        implements CheckpointedFunction {
    private static final long serialVersionUID = 1L;
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Broadcast state: the current load of every substation. */
    public static final MapStateDescriptor<String, SubstationLoad> LOADS =
            new MapStateDescriptor<>(
                    "substation-loads", Types.STRING, TypeInformation.of(SubstationLoad.class));

    private final GridTopology topology;
    private final Duration loadTimeout;

    /** Alarms waiting for their substation's load, by substation id. */
    private transient Map<String, List<Alarm>> pending;

    private transient ListState<Alarm> pendingState;
    private transient Histogram latency;
    private transient Counter withoutTopology;

    /** With the live topology of {@code fluss} ({@link GridTopology#flussMirror}). */
    public DispatchDecider(FlussEndpoint fluss, Duration loadTimeout) {
        this(GridTopology.flussMirror(fluss), loadTimeout);
    }

    /**
     * @param loadTimeout how long a decision waits for the topology to be loaded
     */
    public DispatchDecider(GridTopology topology, Duration loadTimeout) {
        this.topology = java.util.Objects.requireNonNull(topology, "topology");
        this.loadTimeout = java.util.Objects.requireNonNull(loadTimeout, "loadTimeout");
    }

    /** Whether this alarm change calls for a decision. */
    public static boolean triggers(Alarm a) {
        return a.isActive()
                && Alarm.CRITICAL.equals(a.severity)
                && (AlarmRules.OVERLOAD.equals(a.alarmType)
                        || AlarmRules.DEVICE_FAULT.equals(a.alarmType));
    }

    @Override
    public void initializeState(FunctionInitializationContext ctx) throws Exception {
        pendingState =
                ctx.getOperatorStateStore()
                        .getListState(
                                new ListStateDescriptor<>(
                                        "pending-alarms", TypeInformation.of(Alarm.class)));
        pending = new HashMap<>();
        for (Alarm a : pendingState.get()) {
            addPending(a);
        }
    }

    @Override
    public void snapshotState(FunctionSnapshotContext ctx) throws Exception {
        List<Alarm> all = new ArrayList<>();
        for (List<Alarm> waiting : pending.values()) {
            all.addAll(waiting);
        }
        pendingState.update(all);
    }

    @Override
    public void open(Configuration parameters) throws Exception {
        topology.open();
        withoutTopology = getRuntimeContext().getMetricGroup().counter("decisionsWithoutTopology");
        latency =
                getRuntimeContext()
                        .getMetricGroup()
                        .histogram("decisionLatencyMs", new DescriptiveStatisticsHistogram(1000));
    }

    @Override
    public void processElement(Alarm alarm, ReadOnlyContext ctx, Collector<DispatchDecision> out)
            throws Exception {
        if (!triggers(alarm)) {
            return;
        }
        ReadOnlyBroadcastState<String, SubstationLoad> loads = ctx.getBroadcastState(LOADS);
        if (isCurrent(loads.get(alarm.substationId), alarm)) {
            decide(alarm, loads::get, out);
        } else {
            addPending(alarm);
        }
    }

    private void addPending(Alarm alarm) {
        pending.computeIfAbsent(alarm.substationId, k -> new ArrayList<>(2)).add(alarm);
    }

    @Override
    public void processBroadcastElement(
            SubstationLoad load, Context ctx, Collector<DispatchDecision> out) throws Exception {
        ctx.getBroadcastState(LOADS).put(load.substationId, load);
        List<Alarm> waiting = pending.get(load.substationId);
        if (waiting == null) {
            return;
        }
        ReadOnlyBroadcastState<String, SubstationLoad> loads = ctx.getBroadcastState(LOADS);
        Iterator<Alarm> it = waiting.iterator();
        while (it.hasNext()) {
            Alarm a = it.next();
            if (isCurrent(load, a)) {
                it.remove();
                decide(a, loads::get, out);
            }
        }
        if (waiting.isEmpty()) {
            pending.remove(load.substationId);
        }
    }

    private static boolean isCurrent(SubstationLoad load, Alarm alarm) {
        return load != null && load.updatedAt >= alarm.eventTs;
    }

    /** Current loads by substation id. */
    private interface Loads {
        SubstationLoad get(String substationId) throws Exception;
    }

    private void decide(Alarm alarm, Loads loads, Collector<DispatchDecision> out)
            throws Exception {
        topology.awaitLoaded(loadTimeout);
        Substation own = topology.substation(alarm.substationId);
        if (own == null) {
            // no topology for this substation: nothing sensible to decide
            withoutTopology.inc();
            return;
        }
        // the planner only looks at the substation, the lines touching it and their other ends:
        // just those, from the topology's index (not the whole grid: 12,500 substations at 500K
        // devices)
        List<GridLine> incident = topology.linesOf(own.substationId);
        Map<String, Double> capacity = new HashMap<>();
        capacity.put(own.substationId, own.capacityMw);
        for (GridLine l : incident) {
            String other =
                    own.substationId.equals(l.fromSubstationId)
                            ? l.toSubstationId
                            : l.fromSubstationId;
            Substation neighbour = other == null ? null : topology.substation(other);
            if (neighbour != null) {
                capacity.put(neighbour.substationId, neighbour.capacityMw);
            }
        }
        Map<String, Double> load = new HashMap<>();
        for (String id : capacity.keySet()) {
            SubstationLoad l = loads.get(id);
            load.put(id, l == null ? 0.0 : l.loadMw);
        }
        LoadTransferPlanner.Plan plan =
                LoadTransferPlanner.plan(
                        alarm.substationId, capacity, id -> load.getOrDefault(id, 0.0), incident);

        ArrayNode transfers = JSON.createArrayNode();
        for (LoadTransferPlanner.Transfer t : plan.transfers) {
            ObjectNode n = transfers.addObject();
            n.put("to_substation_id", t.toSubstationId);
            n.put("line_id", t.lineId);
            n.put("mw", t.mw);
        }
        DispatchDecision d = new DispatchDecision();
        d.decisionId = alarm.alarmId;
        d.substationId = alarm.substationId;
        d.region = alarm.region;
        d.alarmType = alarm.alarmType;
        d.eventTs = alarm.eventTs;
        d.decidedAt = System.currentTimeMillis();
        d.decisionLatencyMs = d.decidedAt - d.eventTs;
        d.requiredMw = plan.requiredMw;
        d.transfers = JSON.writeValueAsString(transfers);
        d.unservedMw = plan.unservedMw;
        latency.update(d.decisionLatencyMs);
        out.collect(d);
    }

    @Override
    public void close() throws Exception {
        topology.close();
    }
}
