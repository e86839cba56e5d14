package dev.gridhouse.bench.jmh;

import dev.gridhouse.contract.grid.DeviceMinute;
import dev.gridhouse.contract.grid.EnrichedTelemetry;
import dev.gridhouse.contract.grid.TelemetryContract;
import dev.gridhouse.dws.ops.DeviceMinuteAggregate;

/**
 * The alternative design benchmarked against {@code DeviceMinuteAccumulator}: every measure
 * primitive (the maximum temperature as a {@code double} with a presence flag instead of a boxed
 * {@code Double}) and the dimension strings set once instead of on every record.
 */
public final class PrimitiveDeviceMinuteAccumulator {
    String deviceType;
    String region;
    String substationId;
    long count;
    double sumPower;
    double minPower = Double.POSITIVE_INFINITY;
    double maxPower = Double.NEGATIVE_INFINITY;
    double sumVoltage;
    double minVoltage = Double.POSITIVE_INFINITY;
    double maxVoltage = Double.NEGATIVE_INFINITY;
    double sumFrequency;
    double minFrequency = Double.POSITIVE_INFINITY;
    double maxFrequency = Double.NEGATIVE_INFINITY;
    long freqInBand;
    boolean hasTemperature;
    double maxTemperature = Double.NEGATIVE_INFINITY;
    long faults;

    void add(EnrichedTelemetry t) {
        if (count == 0) {
            deviceType = t.deviceType;
            region = t.region;
            substationId = t.substationId;
        }
        count++;
        double p = t.activePowerMw;
        sumPower += p;
        minPower = Math.min(minPower, p);
        maxPower = Math.max(maxPower, p);
        double v = t.voltageKv;
        sumVoltage += v;
        minVoltage = Math.min(minVoltage, v);
        maxVoltage = Math.max(maxVoltage, v);
        double f = t.frequencyHz;
        sumFrequency += f;
        minFrequency = Math.min(minFrequency, f);
        maxFrequency = Math.max(maxFrequency, f);
        if (Math.abs(f - TelemetryContract.NOMINAL_FREQUENCY_HZ)
                <= DeviceMinuteAggregate.FREQUENCY_BAND_HZ) {
            freqInBand++;
        }
        Double temp = t.temperatureC;
        if (temp != null) {
            double tc = temp;
            if (!hasTemperature || tc > maxTemperature) {
                maxTemperature = tc;
                hasTemperature = true;
            }
        }
        Integer status = t.statusCode;
        if (status != null && status != 0) {
            faults++;
        }
    }

    DeviceMinute result() {
        DeviceMinute m = new DeviceMinute();
        m.deviceType = deviceType;
        m.region = region;
        m.substationId = substationId;
        m.sampleCount = count;
        m.avgActivePowerMw = sumPower / count;
        m.minActivePowerMw = minPower;
        m.maxActivePowerMw = maxPower;
        m.avgVoltageKv = sumVoltage / count;
        m.minVoltageKv = minVoltage;
        m.maxVoltageKv = maxVoltage;
        m.avgFrequencyHz = sumFrequency / count;
        m.minFrequencyHz = minFrequency;
        m.maxFrequencyHz = maxFrequency;
        m.freqInBandCount = freqInBand;
        m.maxTemperatureC = hasTemperature ? maxTemperature : null;
        m.faultCount = faults;
        return m;
    }

    static PrimitiveDeviceMinuteAccumulator merge(
            PrimitiveDeviceMinuteAccumulator a, PrimitiveDeviceMinuteAccumulator b) {
        PrimitiveDeviceMinuteAccumulator m = new PrimitiveDeviceMinuteAccumulator();
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
        m.hasTemperature = a.hasTemperature || b.hasTemperature;
        m.maxTemperature = Math.max(a.maxTemperature, b.maxTemperature);
        m.faults = a.faults + b.faults;
        return m;
    }
}
