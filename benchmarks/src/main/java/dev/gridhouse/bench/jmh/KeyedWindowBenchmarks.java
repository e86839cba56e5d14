package dev.gridhouse.bench.jmh;

import dev.gridhouse.bench.BenchData;
import dev.gridhouse.contract.grid.DeviceMinute;
import dev.gridhouse.contract.grid.EnrichedTelemetry;
import dev.gridhouse.dws.ops.DeviceMinuteAccumulator;
import dev.gridhouse.dws.ops.DeviceMinuteAggregate;
import java.time.Duration;
import org.apache.flink.api.common.ExecutionConfig;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.windowing.assigners.TumblingEventTimeWindows;
import org.apache.flink.streaming.api.windowing.triggers.EventTimeTrigger;
import org.apache.flink.streaming.api.windowing.windows.TimeWindow;
import org.apache.flink.streaming.runtime.operators.windowing.WindowOperator;
import org.apache.flink.streaming.runtime.operators.windowing.WindowOperatorBuilder;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.TearDown;

/**
 * The keyed one-minute device window of the DWS layer ({@link DeviceMinuteAggregate} + {@link
 * DeviceMinuteAggregate.WindowRow} in Flink's {@code WindowOperator}, heap state, event-time
 * trigger) through {@link KeyedOneInputStreamOperatorTestHarness}: one invocation feeds one minute
 * of 500 devices (30,000 records) and the watermark that fires their 500 windows. One operation =
 * one record, so the result is the per-record cost inside Flink, window firing included.
 */
public class KeyedWindowBenchmarks extends BenchmarkBase {
    static final int DEVICES = 500;
    static final int RECORDS = 30_000;
    static final long MINUTE = 60_000L;

    private KeyedOneInputStreamOperatorTestHarness<String, EnrichedTelemetry, DeviceMinute> harness;
    private EnrichedTelemetry[] records;
    private long minute;

    @Setup(Level.Iteration)
    public void setUp() throws Exception {
        // 500 records/s over 500 devices: 30,000 records span exactly one event-time minute
        records =
                BenchData.generate(DEVICES, RECORDS, DEVICES)
                        .enriched()
                        .toArray(new EnrichedTelemetry[0]);
        WindowOperatorBuilder<EnrichedTelemetry, String, TimeWindow> builder =
                new WindowOperatorBuilder<>(
                        TumblingEventTimeWindows.of(Duration.ofMinutes(1)),
                        EventTimeTrigger.create(),
                        new ExecutionConfig(),
                        TypeInformation.of(EnrichedTelemetry.class),
                        t -> t.deviceId,
                        Types.STRING);
        WindowOperator<String, EnrichedTelemetry, ?, DeviceMinute, TimeWindow> operator =
                builder.aggregate(
                        new DeviceMinuteAggregate(),
                        new DeviceMinuteAggregate.WindowRow(),
                        TypeInformation.of(DeviceMinuteAccumulator.class));
        harness =
                new KeyedOneInputStreamOperatorTestHarness<>(
                        operator, t -> t.deviceId, Types.STRING);
        harness.open();
        minute = 0;
    }

    @TearDown(Level.Iteration)
    public void tearDown() throws Exception {
        harness.close();
    }

    @Benchmark
    @OperationsPerInvocation(RECORDS)
    public int deviceMinuteWindow() throws Exception {
        long shift = minute * MINUTE;
        for (EnrichedTelemetry t : records) {
            harness.processElement(t, t.ts + shift);
        }
        harness.processWatermark(BenchData.START_MS + shift + MINUTE - 1);
        minute++;
        int fired = harness.getOutput().size();
        harness.getOutput().clear();
        return fired;
    }
}
