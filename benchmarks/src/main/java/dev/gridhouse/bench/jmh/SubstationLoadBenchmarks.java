package dev.gridhouse.bench.jmh;

import dev.gridhouse.ads.ops.AlarmRules;
import dev.gridhouse.ads.ops.SubstationLoadTracker;
import dev.gridhouse.contract.grid.EnrichedTelemetry;
import dev.gridhouse.contract.grid.SubstationLoad;
import java.time.Duration;
import java.util.SplittableRandom;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.api.operators.OneInputStreamOperator;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.TearDown;

/**
 * {@code dws_substation_load} per record, before and after issue 15, in one run: the legacy tracker
 * (sums the substation's devices and emits a row on every record) against {@link
 * SubstationLoadTracker} (running sum, a row per substation per second, at once for a fault), both
 * in Flink's {@code KeyedProcessOperator} with heap state through {@link
 * KeyedOneInputStreamOperatorTestHarness}. One invocation = one reporting round of 80,000 devices
 * on 2,000 substations (40 per substation, as the simulator's grid) in device order, then 5 s of
 * processing time (the reporting interval), which fires the per-second emissions. One operation =
 * one record; rows emitted per round are in the returned value.
 */
public class SubstationLoadBenchmarks extends BenchmarkBase {
    static final int SUBSTATIONS = 2_000;
    static final int DEVICES_PER_SUBSTATION = 40;
    static final int RECORDS = SUBSTATIONS * DEVICES_PER_SUBSTATION;
    static final long INTERVAL_MS = 5_000L;

    @Param({"legacy", "current"})
    public String tracker;

    private KeyedOneInputStreamOperatorTestHarness<String, EnrichedTelemetry, SubstationLoad>
            harness;
    private EnrichedTelemetry[] records;
    private long round;

    @Setup(Level.Iteration)
    public void setUp() throws Exception {
        SplittableRandom random = new SplittableRandom(42);
        records = new EnrichedTelemetry[RECORDS];
        for (int i = 0; i < RECORDS; i++) {
            EnrichedTelemetry e = new EnrichedTelemetry();
            e.deviceId = String.format("D%06d", i);
            e.substationId = String.format("S%05d", i / DEVICES_PER_SUBSTATION);
            e.region = "R" + (i % 8);
            e.deviceType = i % 10 == 0 ? "GENERATOR" : "FEEDER";
            e.capacityMw = 50;
            e.activePowerMw = 5 + random.nextDouble() * 30;
            e.frequencyHz = 50.0;
            e.voltageKv = 110;
            e.ratedVoltageKv = 110;
            e.statusCode = 0;
            records[i] = e;
        }
        OneInputStreamOperator<EnrichedTelemetry, SubstationLoad> operator =
                "legacy".equals(tracker)
                        ? new KeyedProcessOperator<>(
                                new LegacySubstationLoadTracker(Duration.ofHours(1)))
                        : SubstationLoadTracker.operator(
                                new SubstationLoadTracker(
                                        Duration.ofHours(1),
                                        Duration.ofSeconds(1),
                                        SubstationLoadTracker.decisionTrigger(new AlarmRules())));
        harness =
                new KeyedOneInputStreamOperatorTestHarness<>(
                        operator, t -> t.substationId, Types.STRING);
        harness.open();
        round = 0;
    }

    @TearDown(Level.Iteration)
    public void tearDown() throws Exception {
        harness.close();
    }

    @Benchmark
    @OperationsPerInvocation(RECORDS)
    public int substationLoad() throws Exception {
        long base = round * INTERVAL_MS;
        for (int i = 0; i < RECORDS; i++) {
            EnrichedTelemetry t = records[i];
            t.ts = base + i % 1000;
            harness.processElement(t, t.ts);
        }
        harness.setProcessingTime(base + INTERVAL_MS);
        round++;
        int rows = harness.getOutput().size();
        harness.getOutput().clear();
        return rows;
    }
}
