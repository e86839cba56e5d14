package dev.gridhouse.bench.jmh;

import dev.gridhouse.bench.BenchData;
import dev.gridhouse.contract.grid.DeviceMinute;
import dev.gridhouse.contract.grid.EnrichedTelemetry;
import dev.gridhouse.dws.ops.DeviceMinuteAccumulator;
import dev.gridhouse.dws.ops.DeviceMinuteAggregate;
import java.util.List;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * {@link DeviceMinuteAggregate}: accumulate one minute of samples of 100 devices and produce their
 * rows, and merge accumulators; each against {@link PrimitiveDeviceMinuteAccumulator}. One
 * operation = one record (accumulate) or one merge.
 */
public class DeviceMinuteBenchmarks extends BenchmarkBase {
    static final int RECORDS = 6_000;
    static final int DEVICES = 100;

    private final DeviceMinuteAggregate aggregate = new DeviceMinuteAggregate();
    private EnrichedTelemetry[] records;
    private DeviceMinuteAccumulator[] boxedAccs;
    private PrimitiveDeviceMinuteAccumulator[] primitiveAccs;

    @Setup
    public void setUp() {
        List<EnrichedTelemetry> data = BenchData.generate(DEVICES, RECORDS, DEVICES).enriched();
        records = data.toArray(new EnrichedTelemetry[0]);
        boxedAccs = new DeviceMinuteAccumulator[RECORDS];
        primitiveAccs = new PrimitiveDeviceMinuteAccumulator[RECORDS];
        for (int i = 0; i < RECORDS; i++) {
            boxedAccs[i] = aggregate.add(records[i], aggregate.createAccumulator());
            primitiveAccs[i] = new PrimitiveDeviceMinuteAccumulator();
            primitiveAccs[i].add(records[i]);
        }
    }

    /** Current operator: add every record to its device's accumulator, then emit the rows. */
    @Benchmark
    @OperationsPerInvocation(RECORDS)
    public void accumulate(Blackhole bh) {
        DeviceMinuteAccumulator[] accs = new DeviceMinuteAccumulator[DEVICES];
        for (EnrichedTelemetry t : records) {
            int d = BenchData.deviceIndex(t.deviceId);
            DeviceMinuteAccumulator a = accs[d];
            if (a == null) {
                a = accs[d] = aggregate.createAccumulator();
            }
            aggregate.add(t, a);
        }
        for (DeviceMinuteAccumulator a : accs) {
            if (a != null) {
                DeviceMinute m = aggregate.getResult(a);
                bh.consume(m);
            }
        }
    }

    /** Alternative: primitive accumulator, same work. */
    @Benchmark
    @OperationsPerInvocation(RECORDS)
    public void accumulatePrimitive(Blackhole bh) {
        PrimitiveDeviceMinuteAccumulator[] accs = new PrimitiveDeviceMinuteAccumulator[DEVICES];
        for (EnrichedTelemetry t : records) {
            int d = BenchData.deviceIndex(t.deviceId);
            PrimitiveDeviceMinuteAccumulator a = accs[d];
            if (a == null) {
                a = accs[d] = new PrimitiveDeviceMinuteAccumulator();
            }
            a.add(t);
        }
        for (PrimitiveDeviceMinuteAccumulator a : accs) {
            if (a != null) {
                bh.consume(a.result());
            }
        }
    }

    /** Current operator: merge pairs of single-record accumulators. */
    @Benchmark
    @OperationsPerInvocation(RECORDS - 1)
    public void merge(Blackhole bh) {
        for (int i = 1; i < RECORDS; i++) {
            bh.consume(aggregate.merge(boxedAccs[i - 1], boxedAccs[i]));
        }
    }

    /** Alternative: merge of primitive accumulators. */
    @Benchmark
    @OperationsPerInvocation(RECORDS - 1)
    public void mergePrimitive(Blackhole bh) {
        for (int i = 1; i < RECORDS; i++) {
            bh.consume(
                    PrimitiveDeviceMinuteAccumulator.merge(primitiveAccs[i - 1], primitiveAccs[i]));
        }
    }
}
