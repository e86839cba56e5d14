package dev.gridhouse.bench.jmh;

import dev.gridhouse.bench.BenchData;
import dev.gridhouse.contract.grid.Device;
import dev.gridhouse.contract.grid.DimensionChange;
import dev.gridhouse.core.ops.ChangelogRollup;
import dev.gridhouse.core.ops.Contribution;
import java.util.Collections;
import java.util.List;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.TearDown;

/**
 * The retraction path of {@link ChangelogRollup} inside Flink's keyed operator harness (heap
 * state): device upserts that move devices between regions go through {@link
 * ChangelogRollup.Retract} (keyed by device: retract the old row, add the new) and {@link
 * ChangelogRollup.Sum} (keyed by region: devices and capacity per region). One operation = one
 * device change.
 */
public class ChangelogBenchmarks extends BenchmarkBase {
    static final int DEVICES = 10_000;
    static final int CHANGES = 10_000;
    static final String[] REGIONS = {"NORTH", "SOUTH", "EAST", "WEST", "CENTRAL"};

    private KeyedOneInputStreamOperatorTestHarness<String, DimensionChange, Contribution> retract;
    private KeyedOneInputStreamOperatorTestHarness<String, Contribution, RegionCapacity> sum;
    private DimensionChange[] changes;
    private long ts;

    static List<Contribution> contributions(Device d) {
        return Collections.singletonList(
                new Contribution(d.region, new long[] {1, Math.round(d.capacityMw * 1000)}));
    }

    @Setup(Level.Iteration)
    public void setUp() throws Exception {
        List<Device> devices = BenchData.generate(DEVICES, 1, 1_000).devices();
        changes = new DimensionChange[CHANGES];
        for (int i = 0; i < CHANGES; i++) {
            Device src = devices.get((i * 7919) % DEVICES);
            Device d =
                    new Device(
                            src.deviceId,
                            src.deviceName,
                            src.deviceType,
                            src.substationId,
                            REGIONS[i % REGIONS.length],
                            src.capacityMw,
                            src.ratedVoltageKv,
                            src.status,
                            src.updatedAt + i);
            changes[i] = DimensionChange.ROWS.of(DimensionChange.Op.UPSERT, d);
        }
        retract =
                new KeyedOneInputStreamOperatorTestHarness<>(
                        new KeyedProcessOperator<>(
                                new ChangelogRollup.Retract<String, DimensionChange, Device>(
                                        Device.class, ChangelogBenchmarks::contributions)),
                        c -> c.device.deviceId,
                        Types.STRING);
        sum =
                new KeyedOneInputStreamOperatorTestHarness<>(
                        new KeyedProcessOperator<>(
                                new ChangelogRollup.Sum<RegionCapacity>(RegionCapacity::of)),
                        c -> c.group,
                        Types.STRING);
        retract.open();
        sum.open();
        // the first pass inserts every device; measured passes are updates (retract + add)
        runChanges();
    }

    @TearDown(Level.Iteration)
    public void tearDown() throws Exception {
        retract.close();
        sum.close();
    }

    @Benchmark
    @OperationsPerInvocation(CHANGES)
    public int retractAndSum() throws Exception {
        return runChanges();
    }

    @SuppressWarnings("unchecked")
    private int runChanges() throws Exception {
        for (DimensionChange c : changes) {
            retract.processElement(c, ts++);
        }
        int results = 0;
        for (Object o : retract.getOutput()) {
            if (o instanceof StreamRecord) {
                sum.processElement((StreamRecord<Contribution>) o);
            }
        }
        retract.getOutput().clear();
        results = sum.getOutput().size();
        sum.getOutput().clear();
        return results;
    }
}
