package dev.gridhouse.dws.ops;

import static dev.gridhouse.contract.grid.TestRecords.T0;
import static dev.gridhouse.contract.grid.TestRecords.sample;
import static org.assertj.core.api.Assertions.assertThat;

import dev.gridhouse.contract.grid.EnrichedTelemetry;
import org.junit.jupiter.api.Test;

/**
 * {@link DeviceMinuteAggregate#merge}: the same result as adding all samples to one accumulator.
 */
class DeviceMinuteAggregateTest {
    private final DeviceMinuteAggregate agg = new DeviceMinuteAggregate();

    private DeviceMinuteAccumulator of(EnrichedTelemetry... samples) {
        DeviceMinuteAccumulator a = agg.createAccumulator();
        for (EnrichedTelemetry s : samples) {
            agg.add(s, a);
        }
        return a;
    }

    private static EnrichedTelemetry withTemperature(EnrichedTelemetry e, Double temperature) {
        e.temperatureC = temperature;
        return e;
    }

    @Test
    void mergeWithoutTemperaturesKeepsItNull() {
        // found by the JMH merge benchmark: the nested ternary unboxed a null Double
        DeviceMinuteAccumulator a = of(sample("D1", "FEEDER", "NORTH", T0, 1.0, 50.0));
        DeviceMinuteAccumulator b = of(sample("D1", "FEEDER", "NORTH", T0 + 1, 3.0, 50.1));

        DeviceMinuteAccumulator m = agg.merge(a, b);

        assertThat(m.maxTemperature).isNull();
        assertThat(m.count).isEqualTo(2);
        assertThat(m.sumPower).isEqualTo(4.0);
    }

    @Test
    void mergeTakesTheTemperatureOfEitherSideOrTheMaximum() {
        EnrichedTelemetry hot = withTemperature(sample("D1", "FEEDER", "NORTH", T0, 1, 50), 80.0);
        EnrichedTelemetry warm = withTemperature(sample("D1", "FEEDER", "NORTH", T0, 1, 50), 40.0);
        EnrichedTelemetry none = sample("D1", "FEEDER", "NORTH", T0, 1, 50);

        assertThat(agg.merge(of(none), of(warm)).maxTemperature).isEqualTo(40.0);
        assertThat(agg.merge(of(warm), of(none)).maxTemperature).isEqualTo(40.0);
        assertThat(agg.merge(of(warm), of(hot)).maxTemperature).isEqualTo(80.0);
        assertThat(agg.merge(of(hot), of(warm)).maxTemperature).isEqualTo(80.0);
    }
}
