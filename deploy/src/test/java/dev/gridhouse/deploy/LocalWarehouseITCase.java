package dev.gridhouse.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvParser;
import dev.gridhouse.core.config.CommonOptions;
import dev.gridhouse.dws.DwsOptions;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.flink.configuration.Configuration;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * ODS → DWS → ADS over a real embedded Fluss cluster and a Flink MiniCluster, through the user's
 * own path: {@code gridhouse local --devices … [--substations … --lines …] --telemetry … --bounded
 * --dump-dir …}. The expected region-minutes are computed here, independently, from the samples
 * this test generates. The first replay has a topology CSV, so D4's DEVICE_FAULT gets a dispatch
 * decision; the others have none and must say that no decision can be made.
 */
class LocalWarehouseITCase {
    private static final long T0 = Instant.parse("2026-03-01T08:00:00Z").toEpochMilli();
    private static final String[][] DEVICES = {
        {"D1", "FEEDER", "NORTH"},
        {"D2", "TRANSFORMER", "NORTH"},
        {"D3", "GENERATOR", "NORTH"},
        {"D4", "FEEDER", "SOUTH"},
        {"D5", "GENERATOR", "SOUTH"},
    };

    /** What `gridhouse local` prints when CSV devices come without a topology. */
    private static final String NO_TOPOLOGY =
            "No topology (--substations/--lines): dispatch decisions cannot be made;"
                    + " ads_dispatch_decisions will stay empty.";

    @TempDir static Path dir;
    private static Path devicesCsv;
    private static Path substationsCsv;
    private static Path linesCsv;
    private static Path telemetry;
    private static int lines;

    /** Accepted samples: device, ts, power, frequency, temperature (or null), status. */
    private static final List<Object[]> accepted = new ArrayList<>();

    @BeforeAll
    static void writeInput() throws Exception {
        StringBuilder csv =
                new StringBuilder(
                        "device_id,device_name,device_type,substation_id,region,capacity_mw,"
                                + "rated_voltage_kv,status,updated_at\n");
        for (String[] d : DEVICES) {
            csv.append(
                    String.join(
                                    ",",
                                    d[0],
                                    "Device " + d[0],
                                    d[1],
                                    "S-" + d[2],
                                    d[2],
                                    "100.0",
                                    "110.0",
                                    "IN_SERVICE",
                                    "2026-01-01T00:00:00Z")
                            + "\n");
        }
        csv.append("D9,Bad,FEEDER,S-X,NORTH,-5,110,IN_SERVICE,\n"); // capacity must be > 0
        devicesCsv = dir.resolve("devices.csv");
        Files.writeString(devicesCsv, csv);

        // S-SOUTH (D4, D5) is over its capacity whenever D4 carries load; its only CLOSED line
        // leads to S-NORTH, which has room
        substationsCsv = dir.resolve("substations.csv");
        Files.writeString(
                substationsCsv,
                "substation_id,substation_name,region,voltage_level_kv,capacity_mw\n"
                        + "S-NORTH,\"North, main\",NORTH,110,500\n"
                        + "S-SOUTH,South,SOUTH,110,10\n"
                        + "S-BAD,Bad,SOUTH,110,0\n"); // capacity must be > 0
        linesCsv = dir.resolve("lines.csv");
        Files.writeString(
                linesCsv,
                "line_id,from_substation_id,to_substation_id,capacity_mw,status\n"
                        + "L1,S-NORTH,S-SOUTH,20,CLOSED\n"
                        + "L2,S-SOUTH,S-NORTH,80,OPEN\n"
                        + "L3,S-SOUTH,S-NORTH,80,BROKEN\n"); // status must be CLOSED or OPEN

        List<String> out = new ArrayList<>();
        String previous = null;
        for (int step = 0; step < 18; step++) { // 3 minutes, every 10 s
            long ts = T0 + step * 10_000L;
            for (int d = 0; d < DEVICES.length; d++) {
                double power = 10.0 * (d + 1) + step * 0.5;
                double freq = 50.0 + ((step + d) % 5 - 2) * 0.1; // 49.8 .. 50.2
                Double temp = d == 1 ? null : 40.0 + step;
                int status = (d == 3 && step == 4) ? 17 : 0;
                String line =
                        "{\"device_id\":\""
                                + DEVICES[d][0]
                                + "\",\"ts\":"
                                + ts
                                + ",\"active_power_mw\":"
                                + power
                                + ",\"voltage_kv\":110.5,\"frequency_hz\":"
                                + freq
                                + (temp == null ? "" : ",\"temperature_c\":" + temp)
                                + ",\"status_code\":"
                                + status
                                + "}";
                out.add(line);
                accepted.add(new Object[] {DEVICES[d][0], ts, power, freq, temp, status});
                previous = line;
            }
            if (step == 3) {
                out.add("this is not json");
                out.add(
                        "{\"device_id\":\"D1\",\"ts\":"
                                + ts
                                + ",\"active_power_mw\":1,\"voltage_kv\":1,\"frequency_hz\":70}");
                out.add(
                        "{\"device_id\":\"X404\",\"ts\":"
                                + ts
                                + ",\"active_power_mw\":1,\"voltage_kv\":1,\"frequency_hz\":50}");
                out.add(previous); // a duplicate of D5's sample
            }
            if (step == 9) {
                // 3 s out of order: within the 5 s bound, so accepted
                long ts9 = ts - 3_000;
                out.add(
                        "{\"device_id\":\"D4\",\"ts\":"
                                + ts9
                                + ",\"active_power_mw\":77.5,\"voltage_kv\":110.5,"
                                + "\"frequency_hz\":50.3,\"temperature_c\":99.5}");
                accepted.add(new Object[] {"D4", ts9, 77.5, 50.3, 99.5, 0});
            }
            if (step == 14) {
                // the watermark is now 2:20 − 5 s: minute 0 is closed, this sample is LATE
                out.add(
                        "{\"device_id\":\"D1\",\"ts\":"
                                + (T0 + 30_000)
                                + ",\"active_power_mw\":1,\"voltage_kv\":1,\"frequency_hz\":50}");
            }
        }
        lines = out.size();
        telemetry = dir.resolve("telemetry.jsonl");
        Files.write(telemetry, out);
    }

    /** A finished replay: its dump directory and what it printed. */
    private static final class Replay {
        final Path dump;
        final String console;

        Replay(Path dump, String console) {
            this.dump = dump;
            this.console = console;
        }
    }

    private static Replay replay(int parallelism) throws Exception {
        return replay(parallelism, "async", false);
    }

    private static Replay replay(int parallelism, String lookupMode, boolean topology)
            throws Exception {
        Path dump = dir.resolve("dump-p" + parallelism + "-" + lookupMode);

        Configuration conf = new Configuration();
        conf.set(LocalOptions.DEVICES, devicesCsv.toString());
        if (topology) {
            conf.set(LocalOptions.SUBSTATIONS, substationsCsv.toString());
            conf.set(LocalOptions.LINES, linesCsv.toString());
        }
        conf.set(LocalOptions.TELEMETRY, telemetry.toString());
        conf.set(LocalOptions.BOUNDED, true);
        conf.set(LocalOptions.DUMP_DIR, dump.toString());
        conf.set(CommonOptions.PARALLELISM, parallelism);
        conf.setString(DwsOptions.LOOKUP_MODE.key(), lookupMode);
        ByteArrayOutputStream console = new ByteArrayOutputStream();
        int code = new LocalRunner(conf, new PrintStream(console, true, "UTF-8")).run();
        String printed = console.toString(StandardCharsets.UTF_8);
        assertThat(code).as(printed).isZero();
        return new Replay(dump, printed);
    }

    private static List<Map<String, String>> readCsv(Path file) throws Exception {
        CsvMapper mapper = new CsvMapper();
        mapper.enable(CsvParser.Feature.WRAP_AS_ARRAY);
        List<Map<String, String>> rows = new ArrayList<>();
        try (MappingIterator<String[]> it =
                mapper.readerFor(String[].class).readValues(file.toFile())) {
            String[] header = it.next();
            while (it.hasNext()) {
                String[] values = it.next();
                Map<String, String> row = new HashMap<>();
                for (int i = 0; i < header.length; i++) {
                    row.put(header[i], values[i]);
                }
                rows.add(row);
            }
        }
        return rows;
    }

    @Test
    void replayProducesExactRegionMinutesAndDeadLetters() throws Exception {
        Replay withTopology = replay(2, "async", true);
        Path dump = withTopology.dump;

        // ---- expected, computed from the accepted samples
        Map<String, String> regionOf = new HashMap<>();
        Map<String, String> typeOf = new HashMap<>();
        for (String[] d : DEVICES) {
            regionOf.put(d[0], d[2]);
            typeOf.put(d[0], d[1]);
        }
        // region|minute -> device -> samples
        Map<String, Map<String, List<Object[]>>> groups = new TreeMap<>();
        for (Object[] s : accepted) {
            long minute = Math.floorDiv((Long) s[1], 60_000L) * 60_000L;
            String key = regionOf.get((String) s[0]) + "|" + Instant.ofEpochMilli(minute);
            groups.computeIfAbsent(key, k -> new TreeMap<>())
                    .computeIfAbsent((String) s[0], k -> new ArrayList<>())
                    .add(s);
        }

        // region -> [sum of load_mw, sum of generation_mw, max load, max gen, samples, in-band,
        //            faults, weighted frequency, minutes]
        Map<String, double[]> hourly = new TreeMap<>();
        List<Map<String, String>> regionMinutes = readCsv(dump.resolve("dws_region_minute.csv"));
        assertThat(regionMinutes).hasSize(groups.size()); // 2 regions x 3 minutes
        for (Map<String, String> row : regionMinutes) {
            String key =
                    row.get("region") + "|" + Instant.parse(row.get("window_start")).toString();
            Map<String, List<Object[]>> devices = groups.get(key);
            assertThat(devices).as(key).isNotNull();
            long samples = 0;
            long inBand = 0;
            long faults = 0;
            double load = 0;
            double generation = 0;
            double weightedFreq = 0;
            double maxTemp = Double.NEGATIVE_INFINITY;
            for (Map.Entry<String, List<Object[]>> dev : devices.entrySet()) {
                double sumPower = 0;
                double sumFreq = 0;
                for (Object[] s : dev.getValue()) {
                    sumPower += (Double) s[2];
                    sumFreq += (Double) s[3];
                    if (Math.abs((Double) s[3] - 50.0) <= 0.2) {
                        inBand++;
                    }
                    if (s[4] != null) {
                        maxTemp = Math.max(maxTemp, (Double) s[4]);
                    }
                    if ((Integer) s[5] != 0) {
                        faults++;
                    }
                }
                int n = dev.getValue().size();
                samples += n;
                if (typeOf.get(dev.getKey()).equals("GENERATOR")) {
                    generation += sumPower / n;
                } else {
                    load += sumPower / n;
                }
                weightedFreq += sumFreq / n * n;
            }
            assertThat(Long.parseLong(row.get("device_count"))).as(key).isEqualTo(devices.size());
            assertThat(Long.parseLong(row.get("sample_count"))).as(key).isEqualTo(samples);
            assertThat(Double.parseDouble(row.get("load_mw")))
                    .as(key)
                    .isCloseTo(load, within(1e-9));
            assertThat(Double.parseDouble(row.get("generation_mw")))
                    .as(key)
                    .isCloseTo(generation, within(1e-9));
            assertThat(Double.parseDouble(row.get("avg_frequency_hz")))
                    .as(key)
                    .isCloseTo(weightedFreq / samples, within(1e-9));
            assertThat(Double.parseDouble(row.get("frequency_stability_pct")))
                    .as(key)
                    .isCloseTo(100.0 * inBand / samples, within(1e-9));
            assertThat(Double.parseDouble(row.get("max_temperature_c"))).as(key).isEqualTo(maxTemp);
            assertThat(Long.parseLong(row.get("fault_count"))).as(key).isEqualTo(faults);

            double[] h = hourly.computeIfAbsent(row.get("region"), r -> new double[9]);
            h[0] += load;
            h[1] += generation;
            h[2] = h[8] == 0 ? load : Math.max(h[2], load);
            h[3] = h[8] == 0 ? generation : Math.max(h[3], generation);
            h[4] += samples;
            h[5] += inBand;
            h[6] += faults;
            h[7] += weightedFreq;
            h[8] += 1;
        }

        // ---- hour and day (contract §5.3, §5.4): all samples fall into one hour and one day
        List<Map<String, String>> hours = readCsv(dump.resolve("dws_region_hour.csv"));
        List<Map<String, String>> days = readCsv(dump.resolve("dws_region_day.csv"));
        assertThat(hours).extracting(r -> r.get("region")).containsExactly("NORTH", "SOUTH");
        assertThat(days).extracting(r -> r.get("region")).containsExactly("NORTH", "SOUTH");
        for (int i = 0; i < hours.size(); i++) {
            Map<String, String> hour = hours.get(i);
            Map<String, String> day = days.get(i);
            double[] h = hourly.get(hour.get("region"));
            assertThat(hour.get("window_start")).isEqualTo("2026-03-01T08:00:00.000Z");
            assertThat(day.get("window_start")).isEqualTo("2026-03-01T00:00:00.000Z");
            assertThat(Long.parseLong(hour.get("minutes_reported"))).isEqualTo(3);
            assertThat(Long.parseLong(day.get("hours_reported"))).isEqualTo(1);
            for (Map<String, String> r : Arrays.asList(hour, day)) {
                assertThat(Long.parseLong(r.get("sample_count"))).isEqualTo((long) h[4]);
                assertThat(Double.parseDouble(r.get("avg_load_mw")))
                        .isCloseTo(h[0] / h[8], within(1e-9));
                assertThat(Double.parseDouble(r.get("peak_load_mw"))).isCloseTo(h[2], within(1e-9));
                assertThat(Double.parseDouble(r.get("energy_mwh")))
                        .isCloseTo(h[0] / 60.0, within(1e-9));
                assertThat(Double.parseDouble(r.get("avg_generation_mw")))
                        .isCloseTo(h[1] / h[8], within(1e-9));
                assertThat(Double.parseDouble(r.get("peak_generation_mw")))
                        .isCloseTo(h[3], within(1e-9));
                assertThat(Double.parseDouble(r.get("avg_frequency_hz")))
                        .isCloseTo(h[7] / h[4], within(1e-9));
                assertThat(Double.parseDouble(r.get("frequency_stability_pct")))
                        .isCloseTo(100.0 * h[5] / h[4], within(1e-9));
                assertThat(Long.parseLong(r.get("fault_count"))).isEqualTo((long) h[6]);
            }
        }

        // ---- dead letters: one of each kind, with its source
        List<String> reasons = new ArrayList<>();
        long telemetryRejects = 0;
        for (Map<String, String> dl : readCsv(dump.resolve("ods_dead_letter.csv"))) {
            reasons.add(dl.get("source") + ":" + dl.get("reason"));
            if (dl.get("source").equals("telemetry")) {
                telemetryRejects++;
            }
        }
        assertThat(reasons)
                .containsExactlyInAnyOrder(
                        "devices:OUT_OF_RANGE",
                        "substations:OUT_OF_RANGE",
                        "lines:INVALID_VALUE",
                        "telemetry:MALFORMED",
                        "telemetry:OUT_OF_RANGE",
                        "telemetry:UNKNOWN_DEVICE",
                        "telemetry:DUPLICATE",
                        "telemetry:LATE");

        // ---- the invariant: read = accepted + dead-lettered; accepted counted once per minute
        List<Map<String, String>> dwd = readCsv(dump.resolve("dwd_grid_telemetry.csv"));
        assertThat(dwd).hasSize(accepted.size());
        assertThat(dwd.size() + telemetryRejects).isEqualTo(lines);
        long counted = 0;
        for (Map<String, String> m : readCsv(dump.resolve("dws_device_minute.csv"))) {
            counted += Long.parseLong(m.get("sample_count"));
        }
        assertThat(counted).isEqualTo(accepted.size());
        assertThat(readCsv(dump.resolve("ods_devices.csv"))).hasSize(DEVICES.length);
        assertThat(readCsv(dump.resolve("ods_substations.csv")))
                .extracting(r -> r.get("substation_id") + ":" + r.get("substation_name"))
                .containsExactly("S-NORTH:North, main", "S-SOUTH:South");
        assertThat(readCsv(dump.resolve("ods_lines.csv")))
                .extracting(r -> r.get("line_id") + ":" + r.get("status"))
                .containsExactly("L1:CLOSED", "L2:OPEN");
        assertThat(withTopology.console)
                .contains("Topology: 2 substations, 2 lines.")
                .doesNotContain("No topology");

        // ---- ADS: the newest minute per region, balance = generation − load
        List<Map<String, String>> realtime = readCsv(dump.resolve("ads_grid_realtime.csv"));
        assertThat(realtime).extracting(r -> r.get("region")).containsExactly("NORTH", "SOUTH");
        for (Map<String, String> r : realtime) {
            assertThat(r.get("window_start"))
                    .isEqualTo(Instant.ofEpochMilli(T0 + 120_000).toString().replace("Z", ".000Z"));
            assertThat(Double.parseDouble(r.get("balance_mw")))
                    .isCloseTo(
                            Double.parseDouble(r.get("generation_mw"))
                                    - Double.parseDouble(r.get("load_mw")),
                            within(1e-9));
        }

        // ---- ADS alarms: D4's fault at step 4 (cleared at step 5) and the over-temperature of
        // its out-of-order sample (cleared by the next sample)
        Map<String, Map<String, String>> alarms = new HashMap<>();
        for (Map<String, String> a : readCsv(dump.resolve("ads_alarms.csv"))) {
            alarms.put(a.get("alarm_id"), a);
        }
        Map<String, String> fault = alarms.get("D4:DEVICE_FAULT:" + (T0 + 40_000));
        assertThat(fault).isNotNull();
        assertThat(fault.get("severity")).isEqualTo("CRITICAL");
        assertThat(fault.get("status")).isEqualTo("CLEARED");
        assertThat(Instant.parse(fault.get("cleared_at")).toEpochMilli()).isEqualTo(T0 + 50_000);
        Map<String, String> hot = alarms.get("D4:OVER_TEMPERATURE:" + (T0 + 87_000));
        assertThat(hot).isNotNull();
        assertThat(hot.get("severity")).isEqualTo("MAJOR");
        assertThat(Double.parseDouble(hot.get("value"))).isEqualTo(99.5);
        assertThat(Instant.parse(hot.get("cleared_at")).toEpochMilli()).isEqualTo(T0 + 100_000);
        long active =
                alarms.values().stream().filter(a -> a.get("status").equals("ACTIVE")).count();
        long reported = 0;
        for (Map<String, String> r : realtime) {
            reported += Long.parseLong(r.get("active_alarm_count"));
        }
        assertThat(reported).isEqualTo(active);

        // ---- ADS dispatch: D4's DEVICE_FAULT at S-SOUTH (load > its 10 MW) is decided over the
        // topology: 20 MW (L1's capacity) to S-NORTH over the CLOSED L1, never the OPEN L2
        List<Map<String, String>> decisions = readCsv(dump.resolve("ads_dispatch_decisions.csv"));
        assertThat(decisions).hasSize(1);
        Map<String, String> decision = decisions.get(0);
        assertThat(decision.get("decision_id")).contains("D4:DEVICE_FAULT");
        assertThat(decision.get("substation_id")).isEqualTo("S-SOUTH");
        assertThat(decision.get("region")).isEqualTo("SOUTH");
        assertThat(Instant.parse(decision.get("event_ts")).toEpochMilli()).isEqualTo(T0 + 40_000);
        JsonNode transfers = new ObjectMapper().readTree(decision.get("transfers"));
        assertThat(transfers).hasSize(1);
        assertThat(transfers.get(0).get("line_id").asText()).isEqualTo("L1");
        assertThat(transfers.get(0).get("to_substation_id").asText()).isEqualTo("S-NORTH");
        assertThat(transfers.get(0).get("mw").asDouble()).isEqualTo(20.0);
        double required = Double.parseDouble(decision.get("required_mw"));
        assertThat(required).isGreaterThan(20.0);
        assertThat(Double.parseDouble(decision.get("unserved_mw")))
                .isCloseTo(required - 20.0, within(1e-9));

        // ---- determinism: parallelism 1 gives the same DWS tables, byte for byte; this replay
        // has no topology, so it says that no dispatch decision can be made, before replaying
        Replay withoutTopology = replay(1);
        Path single = withoutTopology.dump;
        String console = withoutTopology.console;
        assertThat(console).contains(NO_TOPOLOGY);
        assertThat(console.indexOf(NO_TOPOLOGY)).isLessThan(console.indexOf("Replaying "));
        assertThat(readCsv(single.resolve("ads_dispatch_decisions.csv"))).isEmpty();
        assertThat(readCsv(single.resolve("ads_alarms.csv")))
                .extracting(a -> a.get("alarm_id"))
                .contains("D4:DEVICE_FAULT:" + (T0 + 40_000));
        for (String table : Arrays.asList("dws_device_minute", "dws_region_minute")) {
            assertThat(Files.readAllLines(single.resolve(table + ".csv")))
                    .as(table)
                    .isEqualTo(Files.readAllLines(dump.resolve(table + ".csv")));
        }

        // ---- the three lookup modes give the same DWD rows and DWS tables
        List<String> dwdAsync =
                withoutColumn(dump.resolve("dwd_grid_telemetry.csv"), "ingest_time");
        for (String mode : Arrays.asList("cache", "mirror")) {
            Path other = replay(2, mode, false).dump;
            assertThat(withoutColumn(other.resolve("dwd_grid_telemetry.csv"), "ingest_time"))
                    .as(mode)
                    .containsExactlyInAnyOrderElementsOf(dwdAsync);
            for (String table :
                    Arrays.asList("dws_device_minute", "dws_region_minute", "dws_region_hour")) {
                assertThat(Files.readAllLines(other.resolve(table + ".csv")))
                        .as(mode + " " + table)
                        .isEqualTo(Files.readAllLines(dump.resolve(table + ".csv")));
            }
            List<String> unknown = new ArrayList<>();
            for (Map<String, String> dl : readCsv(other.resolve("ods_dead_letter.csv"))) {
                unknown.add(dl.get("reason") + ":" + dl.get("detail"));
            }
            assertThat(unknown).as(mode).contains("UNKNOWN_DEVICE:X404");
        }
    }

    /** The rows of a CSV dump as text, one column left out (e.g. a wall-clock column). */
    private static List<String> withoutColumn(Path csv, String column) throws Exception {
        List<String> rows = new ArrayList<>();
        for (Map<String, String> row : readCsv(csv)) {
            Map<String, String> copy = new TreeMap<>(row);
            copy.remove(column);
            rows.add(copy.toString());
        }
        return rows;
    }
}
