package dev.gridhouse.dws.ops;

import dev.gridhouse.contract.grid.DeviceMinute;
import dev.gridhouse.contract.grid.EnrichedTelemetry;
import dev.gridhouse.contract.grid.TelemetryContract;
import org.apache.flink.api.common.functions.AggregateFunction;
import org.apache.flink.streaming.api.functions.windowing.ProcessWindowFunction;
import org.apache.flink.streaming.api.windowing.windows.TimeWindow;
import org.apache.flink.util.Collector;

/**
 * Incremental aggregation of one device's samples in a window into a {@code dws_device_minute} row
 * (contract §5.1). Use with {@link WindowRow} to stamp the window and key.
 */
public class DeviceMinuteAggregate
        implements AggregateFunction<EnrichedTelemetry, DeviceMinuteAccumulator, DeviceMinute> {
    private static final long serialVersionUID = 1L;

    /** Band of |frequency − 50 Hz| counted as stable (contract §5.1). */
    public static final double FREQUENCY_BAND_HZ = 0.2;

    @Override
    public DeviceMinuteAccumulator createAccumulator() {
        return new DeviceMinuteAccumulator();
    }

    @Override
    public DeviceMinuteAccumulator add(EnrichedTelemetry t, DeviceMinuteAccumulator a) {
        a.deviceType = t.deviceType;
        a.region = t.region;
        a.substationId = t.substationId;
        a.count++;
        a.sumPower += t.activePowerMw;
        a.minPower = Math.min(a.minPower, t.activePowerMw);
        a.maxPower = Math.max(a.maxPower, t.activePowerMw);
        a.sumVoltage += t.voltageKv;
        a.minVoltage = Math.min(a.minVoltage, t.voltageKv);
        a.maxVoltage = Math.max(a.maxVoltage, t.voltageKv);
        a.sumFrequency += t.frequencyHz;
        a.minFrequency = Math.min(a.minFrequency, t.frequencyHz);
        a.maxFrequency = Math.max(a.maxFrequency, t.frequencyHz);
        if (Math.abs(t.frequencyHz - TelemetryContract.NOMINAL_FREQUENCY_HZ) <= FREQUENCY_BAND_HZ) {
            a.freqInBand++;
        }
        if (t.temperatureC != null
                && (a.maxTemperature == null || t.temperatureC > a.maxTemperature)) {
            a.maxTemperature = t.temperatureC;
        }
        if (t.isFault()) {
            a.faults++;
        }
        return a;
    }

    @Override
    public DeviceMinute getResult(DeviceMinuteAccumulator a) {
        DeviceMinute m = new DeviceMinute();
        m.deviceType = a.deviceType;
        m.region = a.region;
        m.substationId = a.substationId;
        m.sampleCount = a.count;
        m.avgActivePowerMw = a.sumPower / a.count;
        m.minActivePowerMw = a.minPower;
        m.maxActivePowerMw = a.maxPower;
        m.avgVoltageKv = a.sumVoltage / a.count;
        m.minVoltageKv = a.minVoltage;
        m.maxVoltageKv = a.maxVoltage;
        m.avgFrequencyHz = a.sumFrequency / a.count;
        m.minFrequencyHz = a.minFrequency;
        m.maxFrequencyHz = a.maxFrequency;
        m.freqInBandCount = a.freqInBand;
        m.maxTemperatureC = a.maxTemperature;
        m.faultCount = a.faults;
        return m;
    }

    /**
     * Merging is only needed by merging windows; for tumbling windows it is never called, but it is
     * exact for counts/min/max and sums.
     */
    @Override
    public DeviceMinuteAccumulator merge(DeviceMinuteAccumulator a, DeviceMinuteAccumulator b) {
        DeviceMinuteAccumulator m = new DeviceMinuteAccumulator();
        m.deviceType = b.deviceType != null ? b.deviceType : a.deviceType;
        m.region = b.region != null ? b.region : a.region;
        m.substationId = b.substationId != null ? b.substationId : a.substationId;
        m.count = a.count + b.count;
        m.sumPower = a.sumPower + b.sumPower;
        m.minPower = Math.min(a.minPower, b.minPower);
        m.maxPower = Math.max(a.maxPower, b.maxPower);
        m.sumVoltage = a.sumVoltage + b.sumVoltage;
        m.minVoltage = Math.min(a.minVoltage, b.minVoltage);
        m.maxVoltage = Math.max(a.maxVoltage, b.maxVoltage);
        m.sumFrequency = a.sumFrequency + b.sumFrequency;
        m.minFrequency = Math.min(a.minFrequency, b.minFrequency);
        m.maxFrequency = Math.max(a.maxFrequency, b.maxFrequency);
        m.freqInBand = a.freqInBand + b.freqInBand;
        // if/else, not a ternary: a ternary mixing Double and double unboxes a null
        if (a.maxTemperature == null) {
            m.maxTemperature = b.maxTemperature;
        } else if (b.maxTemperature == null) {
            m.maxTemperature = a.maxTemperature;
        } else {
            m.maxTemperature = Math.max(a.maxTemperature, b.maxTemperature);
        }
        m.faults = a.faults + b.faults;
        return m;
    }

    /** Stamps the aggregated row with its device id and window bounds. */
    public static class WindowRow
            extends ProcessWindowFunction<DeviceMinute, DeviceMinute, String, TimeWindow> {
        private static final long serialVersionUID = 1L;

        @Override
        public void process(
                String deviceId,
                Context ctx,
                Iterable<DeviceMinute> rows,
                Collector<DeviceMinute> out) {
            for (DeviceMinute m : rows) {
                m.deviceId = deviceId;
                m.windowStart = ctx.window().getStart();
                m.windowEnd = ctx.window().getEnd();
                out.collect(m);
            }
        }
    }
}
