package dev.gridhouse.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvParser;
import dev.gridhouse.dws.DwsOptions;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.flink.configuration.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Contract §4: with an allowed lateness, records that arrive after their minute was emitted (but
 * within the bound) correct the minute and every rollup above it, so the DWS tables equal those of
 * an in-order run over the same records. Without it, they are LATE dead letters.
 */
class AllowedLatenessITCase {
    private static final long T0 = Instant.parse("2026-06-30T23:57:00Z").toEpochMilli();
    private static final List<String> DWS =
            Arrays.asList(
                    "dws_device_minute", "dws_region_minute", "dws_region_hour", "dws_region_day");

    @TempDir Path dir;

    private static String line(String device, long ts, double power) {
        return "{\"device_id\":\""
                + device
                + "\",\"ts\":"
                + ts
                + ",\"active_power_mw\":"
                + power
                + ",\"voltage_kv\":110,\"frequency_hz\":"
                + (50.0 + (ts / 10_000 % 7 - 3) * 0.1)
                + ",\"temperature_c\":"
                + (30 + ts / 10_000 % 11)
                + "}";
    }

    private Path replay(String name, List<String> telemetry, Duration lateness) throws Exception {
        Path devices = dir.resolve("devices.csv");
        Files.writeString(
                devices,
                "device_id,device_name,device_type,substation_id,region,capacity_mw,"
                        + "rated_voltage_kv,status,updated_at\n"
                        + "A,a,FEEDER,S1,NORTH,100,110,IN_SERVICE,\n"
                        + "B,b,GENERATOR,S1,NORTH,100,110,IN_SERVICE,\n"
                        + "C,c,TRANSFORMER,S2,SOUTH,100,110,IN_SERVICE,\n");
        Path file = dir.resolve(name + ".jsonl");
        Files.write(file, telemetry);
        Path dump = dir.resolve(name);
        Configuration conf = new Configuration();
        conf.set(LocalOptions.DEVICES, devices.toString());
        conf.set(LocalOptions.TELEMETRY, file.toString());
        conf.set(LocalOptions.BOUNDED, true);
        conf.set(LocalOptions.DUMP_DIR, dump.toString());
        conf.set(DwsOptions.ALLOWED_LATENESS, lateness);
        ByteArrayOutputStream console = new ByteArrayOutputStream();
        assertThat(new LocalRunner(conf, new PrintStream(console, true, "UTF-8")).run())
                .as(console.toString(StandardCharsets.UTF_8))
                .isZero();
        return dump;
    }

    private static List<String[]> csv(Path file) throws Exception {
        CsvMapper mapper = new CsvMapper();
        mapper.enable(CsvParser.Feature.WRAP_AS_ARRAY);
        try (MappingIterator<String[]> it =
                mapper.readerFor(String[].class).readValues(file.toFile())) {
            return it.readAll();
        }
    }

    /** Same rows (sorted by key in the dump), numbers equal up to summation-order rounding. */
    private static void assertSameTable(Path expected, Path actual) throws Exception {
        List<String[]> e = csv(expected);
        List<String[]> a = csv(actual);
        assertThat(a).as(actual.toString()).hasSameSizeAs(e);
        for (int r = 0; r < e.size(); r++) {
            for (int c = 0; c < e.get(r).length; c++) {
                String x = e.get(r)[c];
                String y = a.get(r)[c];
                if (x.matches("-?\\d+\\.\\d+(E-?\\d+)?")) {
                    assertThat(Double.parseDouble(y))
                            .as(actual + " row " + r + " col " + e.get(0)[c])
                            .isCloseTo(Double.parseDouble(x), within(1e-9));
                } else {
                    assertThat(y).as(actual + " row " + r + " col " + e.get(0)[c]).isEqualTo(x);
                }
            }
        }
    }

    @Test
    void lateRecordsWithinTheBoundCorrectEveryRollup() throws Exception {
        // 6 minutes across midnight (two hours, two days), every device every 10 s
        List<String> inOrder = new ArrayList<>();
        List<String> delayed = new ArrayList<>();
        for (int step = 0; step < 36; step++) {
            long ts = T0 + step * 10_000L;
            for (String d : new String[] {"A", "B", "C"}) {
                inOrder.add(line(d, ts, 10 + step * 0.5 + d.charAt(0)));
            }
        }
        // hold back every sample of minute 1 (23:58) and replay them 2 minutes later:
        // far beyond the 5 s out-of-orderness, well within 10 minutes of allowed lateness
        List<String> heldBack = new ArrayList<>();
        for (String l : inOrder) {
            long ts = Long.parseLong(l.replaceAll(".*\"ts\":(\\d+).*", "$1"));
            if (ts >= T0 + 60_000 && ts < T0 + 120_000) {
                heldBack.add(l);
            } else {
                delayed.add(l);
                if (ts == T0 + 200_000 && !heldBack.isEmpty()) {
                    delayed.addAll(heldBack);
                    heldBack.clear();
                }
            }
        }
        assertThat(heldBack).isEmpty();
        assertThat(delayed).hasSameSizeAs(inOrder).containsExactlyInAnyOrderElementsOf(inOrder);

        Path expected = replay("in-order", inOrder, Duration.ZERO);
        Path corrected = replay("late-10m", delayed, Duration.ofMinutes(10));
        for (String table : DWS) {
            assertSameTable(expected.resolve(table + ".csv"), corrected.resolve(table + ".csv"));
        }
        assertThat(csv(corrected.resolve("ods_dead_letter.csv"))).hasSize(1); // header only
        assertThat(csv(expected.resolve("dws_region_hour.csv"))).hasSize(1 + 4);
        assertThat(csv(expected.resolve("dws_region_day.csv"))).hasSize(1 + 4);

        // without allowed lateness the held-back samples are LATE and the minute is incomplete
        Path strict = replay("late-0", delayed, Duration.ZERO);
        List<String[]> dead = csv(strict.resolve("ods_dead_letter.csv"));
        assertThat(dead).hasSize(1 + 18);
        for (String[] row : dead.subList(1, dead.size())) {
            assertThat(row[1]).isEqualTo("LATE");
            assertThat(row[2]).isEqualTo("2026-06-30T23:58:00Z");
        }
    }
}
