package dev.gridhouse.bench.jmh;

import dev.gridhouse.bench.BenchData;
import dev.gridhouse.contract.grid.Device;
import dev.gridhouse.contract.grid.GridTables;
import dev.gridhouse.contract.grid.Telemetry;
import dev.gridhouse.core.serde.FlussRowConverter;
import org.apache.fluss.row.BinaryString;
import org.apache.fluss.row.GenericRow;
import org.apache.fluss.row.InternalRow;
import org.apache.fluss.row.TimestampLtz;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Model ↔ Fluss row conversion ({@link FlussRowConverter}, reflective and generic) for telemetry
 * and device rows, against a hand-written converter of the same telemetry columns (the faster
 * design it is compared with). One operation = one row.
 */
public class RowConversionBenchmarks extends BenchmarkBase {
    static final int RECORDS = 10_000;

    private FlussRowConverter<Telemetry> telemetryConverter;
    private FlussRowConverter<Device> deviceConverter;
    private Telemetry[] records;
    private GenericRow[] rows;
    private GenericRow[] deviceRows;

    @Setup
    public void setUp() {
        BenchData data = BenchData.generate(RECORDS, RECORDS, 1_000);
        telemetryConverter = FlussRowConverter.forTable(GridTables.ODS_GRID_TELEMETRY);
        deviceConverter = FlussRowConverter.forTable(GridTables.ODS_DEVICES);
        records = data.telemetry().toArray(new Telemetry[0]);
        rows = new GenericRow[RECORDS];
        deviceRows = new GenericRow[RECORDS];
        for (int i = 0; i < RECORDS; i++) {
            rows[i] = telemetryConverter.toRow(records[i]);
            deviceRows[i] = deviceConverter.toRow(data.devices().get(i));
        }
    }

    @Benchmark
    @OperationsPerInvocation(RECORDS)
    public void telemetryToRow(Blackhole bh) {
        for (Telemetry t : records) {
            bh.consume(telemetryConverter.toRow(t));
        }
    }

    @Benchmark
    @OperationsPerInvocation(RECORDS)
    public void telemetryToRowHandWritten(Blackhole bh) {
        for (Telemetry t : records) {
            bh.consume(handToRow(t));
        }
    }

    @Benchmark
    @OperationsPerInvocation(RECORDS)
    public void telemetryFromRow(Blackhole bh) {
        for (GenericRow r : rows) {
            bh.consume(telemetryConverter.fromRow(r));
        }
    }

    @Benchmark
    @OperationsPerInvocation(RECORDS)
    public void telemetryFromRowHandWritten(Blackhole bh) {
        for (GenericRow r : rows) {
            bh.consume(handFromRow(r));
        }
    }

    /** What a lookup or mirror does with each dimension row it receives. */
    @Benchmark
    @OperationsPerInvocation(RECORDS)
    public void deviceFromRow(Blackhole bh) {
        for (GenericRow r : deviceRows) {
            bh.consume(deviceConverter.fromRow(r));
        }
    }

    static GenericRow handToRow(Telemetry t) {
        GenericRow row = new GenericRow(10);
        row.setField(0, BinaryString.fromString(t.deviceId));
        row.setField(1, t.ts);
        row.setField(2, t.activePowerMw);
        row.setField(3, t.voltageKv);
        row.setField(4, t.frequencyHz);
        row.setField(5, t.reactivePowerMvar);
        row.setField(6, t.currentA);
        row.setField(7, t.temperatureC);
        row.setField(8, t.statusCode);
        row.setField(9, TimestampLtz.fromEpochMillis(t.ingestTime));
        return row;
    }

    static Telemetry handFromRow(InternalRow row) {
        Telemetry t = new Telemetry();
        t.deviceId = row.getString(0).toString();
        t.ts = row.getLong(1);
        t.activePowerMw = row.getDouble(2);
        t.voltageKv = row.getDouble(3);
        t.frequencyHz = row.getDouble(4);
        t.reactivePowerMvar = row.isNullAt(5) ? null : row.getDouble(5);
        t.currentA = row.isNullAt(6) ? null : row.getDouble(6);
        t.temperatureC = row.isNullAt(7) ? null : row.getDouble(7);
        t.statusCode = row.isNullAt(8) ? null : row.getInt(8);
        t.ingestTime = row.getTimestampLtz(9, 3).getEpochMillisecond();
        return t;
    }
}
