package dev.gridhouse.core.ops;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gridhouse.core.catalog.GridTables;
import dev.gridhouse.core.io.FlussEndpoint;
import dev.gridhouse.core.model.Alarm;
import dev.gridhouse.core.model.DispatchDecision;
import dev.gridhouse.core.model.GridLine;
import dev.gridhouse.core.model.Substation;
import dev.gridhouse.core.model.SubstationLoad;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Histogram;
import org.apache.flink.runtime.metrics.DescriptiveStatisticsHistogram;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;

/**
 * On each alarm that becomes CRITICAL OVERLOAD or DEVICE_FAULT, decides a load transfer from the
 * live topology (contract §6): substations and CLOSED lines from {@code ods_substations} and {@code
 * ods_lines}, current loads from {@code dws_substation_load} — all three mirrored in memory from
 * their Fluss changelogs — planned by {@link LoadTransferPlanner}. Metric {@code decisionLatencyMs}
 * (histogram).
 */
public class DispatchDecider extends ProcessFunction<Alarm, DispatchDecision> {
    private static final long serialVersionUID = 1L;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final FlussEndpoint fluss;
    private final Duration loadTimeout;

    private transient DimensionMirror<Substation> substations;
    private transient DimensionMirror<GridLine> lines;
    private transient DimensionMirror<SubstationLoad> loads;
    private transient Histogram latency;
    private transient Counter withoutTopology;

    public DispatchDecider(FlussEndpoint fluss, Duration loadTimeout) {
        this.fluss = fluss;
        this.loadTimeout = loadTimeout;
    }

    /** Whether this alarm change calls for a decision. */
    public static boolean triggers(Alarm a) {
        return a.isActive()
                && Alarm.CRITICAL.equals(a.severity)
                && (AlarmRules.OVERLOAD.equals(a.alarmType)
                        || AlarmRules.DEVICE_FAULT.equals(a.alarmType));
    }

    @Override
    public void open(Configuration parameters) {
        substations = new DimensionMirror<>(fluss, GridTables.ODS_SUBSTATIONS);
        lines = new DimensionMirror<>(fluss, GridTables.ODS_LINES);
        loads = new DimensionMirror<>(fluss, GridTables.DWS_SUBSTATION_LOAD);
        substations.start();
        lines.start();
        loads.start();
        withoutTopology = getRuntimeContext().getMetricGroup().counter("decisionsWithoutTopology");
        latency =
                getRuntimeContext()
                        .getMetricGroup()
                        .histogram("decisionLatencyMs", new DescriptiveStatisticsHistogram(1000));
    }

    @Override
    public void processElement(Alarm alarm, Context ctx, Collector<DispatchDecision> out)
            throws Exception {
        if (!triggers(alarm)) {
            return;
        }
        substations.awaitLoaded(loadTimeout);
        lines.awaitLoaded(loadTimeout);
        loads.awaitLoaded(loadTimeout);

        Map<String, Double> capacity = new HashMap<>();
        for (Substation s : substations.values()) {
            capacity.put(s.substationId, s.capacityMw);
        }
        if (!capacity.containsKey(alarm.substationId)) {
            // no topology for this substation: nothing sensible to decide
            withoutTopology.inc();
            return;
        }
        List<GridLine> all = new ArrayList<>(lines.values());
        LoadTransferPlanner.Plan plan =
                LoadTransferPlanner.plan(
                        alarm.substationId,
                        capacity,
                        id -> {
                            SubstationLoad l = loads.get(new Object[] {id});
                            return l == null ? 0.0 : l.loadMw;
                        },
                        all);

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
        for (DimensionMirror<?> m : new DimensionMirror<?>[] {substations, lines, loads}) {
            if (m != null) {
                m.close();
            }
        }
    }
}
