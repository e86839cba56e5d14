package dev.gridhouse.bench;

import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.style.Styler;

/** The results of one GridBench run: {@code results.json}, {@code report.md} and PNG charts. */
public class Report {
    public String command;
    public String profile;
    public Map<String, Object> settings = new LinkedHashMap<>();
    public Map<String, String> machine = new LinkedHashMap<>();
    public String started;
    public String finished;
    public String loadStart;
    public String loadEnd;
    public List<Measurement> measurements = new ArrayList<>();

    /** The soak's verdict and files (null when the soak did not run). */
    public SoakSummary soak;

    /** The soak's memory verdict; the series itself is in {@code soak.csv}. */
    public static final class SoakSummary {
        public String verdict;
        public String sentence;
        public double slopeMbPerMinute;
        public double oldGenSlopeMbPerMinute;
        public double thresholdMbPerMinute;
        public double fitFromMinute;
        public double fitToMinute;
        public int fitSamples;
        public int samples;
        public String rate;
        public String duration;
        public String sampleInterval;
        public String gcInterval;
        public List<String> files = List.of("soak.csv", "soak-operator-state.csv", "soak.svg");

        /** Up to 31 rows of the series (every k-th sample and the last), for report.md. */
        public List<String> excerpt = new ArrayList<>();

        public SoakSummary() {}

        static SoakSummary of(SoakSeries.Verdict v, SoakSeries series, BenchOptions.Settings s) {
            SoakSummary r = new SoakSummary();
            r.verdict = v.verdict;
            r.sentence = v.sentence();
            r.slopeMbPerMinute = v.slopeMbPerMinute;
            r.oldGenSlopeMbPerMinute = v.oldGenSlopeMbPerMinute;
            r.thresholdMbPerMinute = v.thresholdMbPerMinute;
            r.fitFromMinute = v.fromMinute;
            r.fitToMinute = v.toMinute;
            r.fitSamples = v.samples;
            r.samples = series.samples.size();
            r.rate = s.workloadAt(s.soakRate);
            r.duration = s.soakDuration.toString();
            r.sampleInterval = s.soakSampleInterval.toString();
            r.gcInterval = s.soakGcInterval.isZero() ? "never" : s.soakGcInterval.toString();
            int n = series.samples.size();
            int k = Math.max(1, (n + 29) / 30);
            for (int i = 0; i < n; i++) {
                if (i % k == 0 || i == n - 1) {
                    SoakSeries.Sample x = series.samples.get(i);
                    r.excerpt.add(
                            String.format(
                                    Locale.ROOT,
                                    "| %.1f | %.0f | %.0f | %.0f | %s | %s | %s | %,d | %s | %s |",
                                    x.minutes(),
                                    x.heapUsedMb,
                                    x.heapAfterGcMb,
                                    x.oldGenAfterGcMb,
                                    x.checkpointId < 0 ? "–" : Long.toString(x.checkpointId),
                                    f(x.checkpointStateMb, 1),
                                    f(x.checkpointDurationMs, 0),
                                    x.backlog(),
                                    f(x.alarmP50Ms, 0),
                                    f(x.alarmP99Ms, 0)));
                }
            }
            return r;
        }
    }

    public Report() {}

    Report(BenchOptions.Settings s, String command) {
        this.command = command;
        this.profile = s.profile;
        settings.put("records", s.records);
        settings.put("devices", s.devices);
        settings.put("lookups", s.lookups);
        settings.put("lookupTime", s.lookupTime.toString());
        settings.put("pointQueries", s.pointQueries);
        settings.put("lookupInFlight", s.inFlight);
        settings.put("pgLookupThreads", s.pgThreads);
        settings.put("partitionsAndBuckets", s.partitions);
        settings.put("scenarios", String.join(",", s.scenarios));
        if (s.scenarios.contains("4") || s.scenarios.contains("6")) {
            settings.put("workloadDevices", s.workloadDevices);
            settings.put("workloadInterval", s.workloadInterval.toString());
            settings.put(
                    "workloadNominalRate",
                    String.format(Locale.ROOT, "%,.0f records/s", s.nominalRate()));
            settings.put("alarmRate", s.workloadAt(s.alarmRate));
            settings.put("alarmDuration", s.alarmDuration.toString());
            settings.put("faultsInjected", "1 per " + s.faultEvery() + " records");
            settings.put(
                    "ramp",
                    String.format(
                            Locale.ROOT,
                            "from %s × %.2f every %s, at most %d steps",
                            s.workloadAt(s.rampStart),
                            s.rampFactor,
                            s.rampStepTime,
                            s.rampSteps));
            settings.put("profileJfr", s.profileJfr);
        }
        if (s.scenarios.contains(BenchOptions.SOAK)) {
            settings.put("soakRate", s.workloadAt(s.soakRate));
            settings.put("soakDuration", s.soakDuration.toString());
            settings.put("soakSampleInterval", s.soakSampleInterval.toString());
            settings.put(
                    "soakGcInterval",
                    s.soakGcInterval.isZero() ? "never" : s.soakGcInterval.toString());
            settings.put("soakFlatThreshold", s.soakFlatThreshold + " MB/min");
            settings.put("faultsInjected", "1 per " + s.faultEvery() + " records");
            settings.put("workloadDevices", s.workloadDevices);
            settings.put("workloadInterval", s.workloadInterval.toString());
        }
        machine.put("cpu", cpuModel());
        machine.put("cores", Integer.toString(Runtime.getRuntime().availableProcessors()));
        machine.put("memory", memTotal());
        machine.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version"));
        machine.put(
                "java",
                System.getProperty("java.vm.name") + " " + System.getProperty("java.version"));
        machine.put("maxHeap", Runtime.getRuntime().maxMemory() / 1048576 + " MiB");
    }

    private static String cpuModel() {
        try {
            for (String line : Files.readAllLines(Paths.get("/proc/cpuinfo"))) {
                if (line.startsWith("model name")) {
                    return line.substring(line.indexOf(':') + 1).trim();
                }
            }
        } catch (IOException e) {
            // not Linux
        }
        return "unknown";
    }

    private static String memTotal() {
        try {
            for (String line : Files.readAllLines(Paths.get("/proc/meminfo"))) {
                if (line.startsWith("MemTotal:")) {
                    long kb = Long.parseLong(line.replaceAll("[^0-9]", ""));
                    return String.format(Locale.ROOT, "%.1f GiB", kb / 1048576.0);
                }
            }
        } catch (IOException e) {
            // not Linux
        }
        return "unknown";
    }

    void write(Path dir) throws IOException {
        Files.createDirectories(dir);
        JsonCodec.MAPPER
                .copy()
                .setVisibility(
                        com.fasterxml.jackson.annotation.PropertyAccessor.FIELD,
                        com.fasterxml.jackson.annotation.JsonAutoDetect.Visibility.PUBLIC_ONLY)
                .enable(SerializationFeature.INDENT_OUTPUT)
                .writeValue(dir.resolve("results.json").toFile(), this);
        List<String> charts = new ArrayList<>();
        for (String scenario : scenarios()) {
            String file = "chart-" + scenario + ".png";
            throughputChart(scenario, dir.resolve(file));
            charts.add(file);
        }
        for (String scenario : scenarios()) {
            if (scenario.startsWith("2-")) {
                continue; // read "latency" is the poll() time, not comparable across systems
            }
            String file = "chart-" + scenario + "-latency.png";
            if (latencyChart(scenario, dir.resolve(file))) {
                charts.add(file);
            }
        }
        if (rampChart(dir.resolve("chart-6-ramp.png"))) {
            charts.add("chart-6-ramp.png");
        }
        for (Measurement m : measurements) {
            if (m.threadCosts != null) {
                writeThreads(m, dir.resolve("cpu-threads-" + m.scenario + "-" + m.system + ".tsv"));
            }
        }
        Files.writeString(dir.resolve("report.md"), markdown(charts));
    }

    /** Every thread's CPU in the window of {@code m}, with its stage: what the table groups. */
    private static void writeThreads(Measurement m, Path file) throws IOException {
        StringBuilder sb =
                new StringBuilder("cpu_seconds\tmicros_per_input_record\tkind\tstage\tthread\n");
        for (CpuStages.ThreadCost t : m.threadCosts) {
            sb.append(String.format(Locale.ROOT, "%.4f", t.nanos / 1e9))
                    .append('\t')
                    .append(
                            String.format(
                                    Locale.ROOT,
                                    "%.3f",
                                    m.inputRecords == 0 ? 0 : t.nanos / 1e3 / m.inputRecords))
                    .append('\t')
                    .append(t.isNative ? "native" : "java")
                    .append('\t')
                    .append(t.stage)
                    .append('\t')
                    .append(t.name)
                    .append('\n');
        }
        Files.writeString(file, sb.toString());
    }

    private List<String> scenarios() {
        List<String> s = new ArrayList<>();
        for (Measurement m : measurements) {
            if (!s.contains(m.scenario)) {
                s.add(m.scenario);
            }
        }
        return s;
    }

    private void throughputChart(String scenario, Path file) throws IOException {
        CategoryChart chart =
                new CategoryChartBuilder()
                        .width(1000)
                        .height(520)
                        .title("GridBench " + scenario + " (" + profile + " profile)")
                        .yAxisTitle("records / s")
                        .build();
        chart.getStyler().setLegendVisible(false);
        chart.getStyler().setXAxisLabelRotation(15);
        chart.getStyler().setLabelsVisible(true);
        chart.getStyler().setYAxisDecimalPattern("#,###");
        List<String> names = new ArrayList<>();
        List<Number> values = new ArrayList<>();
        for (Measurement m : measurements) {
            if (m.scenario.equals(scenario)) {
                names.add(m.variant);
                values.add(Math.round(m.perSecond));
            }
        }
        chart.addSeries("records/s", names, values);
        BitmapEncoder.saveBitmap(chart, file.toString(), BitmapEncoder.BitmapFormat.PNG);
    }

    private boolean latencyChart(String scenario, Path file) throws IOException {
        List<String> names = new ArrayList<>();
        List<Number> p50 = new ArrayList<>();
        List<Number> p99 = new ArrayList<>();
        List<Number> p999 = new ArrayList<>();
        for (Measurement m : measurements) {
            if (m.scenario.equals(scenario) && m.latencySamples > 1 && m.p50Ms != null) {
                names.add(m.variant);
                p50.add(m.p50Ms);
                p99.add(m.p99Ms);
                p999.add(m.p999Ms);
            }
        }
        if (names.isEmpty()) {
            return false;
        }
        CategoryChart chart =
                new CategoryChartBuilder()
                        .width(1000)
                        .height(520)
                        .title("GridBench " + scenario + " latency (" + profile + " profile)")
                        .yAxisTitle("ms")
                        .build();
        chart.getStyler().setLegendPosition(Styler.LegendPosition.InsideNW);
        chart.getStyler().setXAxisLabelRotation(15);
        chart.addSeries("p50", names, p50);
        chart.addSeries("p99", names, p99);
        chart.addSeries("p99.9", names, p999);
        BitmapEncoder.saveBitmap(chart, file.toString(), BitmapEncoder.BitmapFormat.PNG);
        return true;
    }

    /** Scenario 6: processed records/s over the target rate, one series per architecture. */
    private boolean rampChart(Path file) throws IOException {
        org.knowm.xchart.XYChart chart =
                new org.knowm.xchart.XYChartBuilder()
                        .width(900)
                        .height(500)
                        .title("GridBench 6: processed vs offered rate (" + profile + " profile)")
                        .xAxisTitle("target records/s")
                        .yAxisTitle("records/s")
                        .build();
        chart.getStyler().setLegendPosition(Styler.LegendPosition.InsideNW);
        boolean any = false;
        for (Measurement m : measurements) {
            if (m.steps == null || m.steps.isEmpty()) {
                continue;
            }
            double[] x = m.steps.stream().mapToDouble(st -> st.targetPerSecond).toArray();
            chart.addSeries(
                    m.system + " processed",
                    x,
                    m.steps.stream().mapToDouble(st -> st.processedPerSecond).toArray());
            chart.addSeries(
                    m.system + " sent",
                    x,
                    m.steps.stream().mapToDouble(st -> st.sentPerSecond).toArray());
            any = true;
        }
        if (any) {
            BitmapEncoder.saveBitmap(chart, file.toString(), BitmapEncoder.BitmapFormat.PNG);
        }
        return any;
    }

    private static String f(double v, int decimals) {
        if (Double.isNaN(v)) {
            return "–";
        }
        return String.format(Locale.ROOT, "%,." + decimals + "f", v);
    }

    String markdown(List<String> charts) {
        StringBuilder sb = new StringBuilder();
        sb.append("# GridBench report (").append(profile).append(" profile)\n\n");
        sb.append("Command: `").append(command).append("`  \n");
        sb.append("Started ").append(started).append(", finished ").append(finished).append("  \n");
        sb.append("Load average (1/5/15 min, runnable/total, last pid) at start: `")
                .append(loadStart)
                .append("`, at end: `")
                .append(loadEnd)
                .append("`\n\n");
        sb.append("## Machine\n\n| | |\n|---|---|\n");
        machine.forEach((k, v) -> sb.append("| ").append(k).append(" | ").append(v).append(" |\n"));
        sb.append("\n## Settings\n\n| | |\n|---|---|\n");
        settings.forEach(
                (k, v) -> sb.append("| ").append(k).append(" | ").append(v).append(" |\n"));
        sb.append(
                "\nCPU = user+system seconds of this JVM (which also hosts the embedded Fluss"
                        + " cluster) plus the external servers (Kafka broker JVM, redis-server,"
                        + " PostgreSQL processes) during the variant. Heap = peak used heap of this"
                        + " JVM (sampled every 20 ms; includes the embedded Fluss servers)."
                        + " Servers RSS = resident memory of the external servers at the end.\n");
        for (String scenario : scenarios()) {
            sb.append("\n## ").append(scenario).append("\n\n");
            sb.append(
                    "| variant | records | s | records/s | latency of | p50 ms | p99 ms | p99.9 ms"
                            + " | max ms | CPU s | CPU µs/record | heap peak MiB | servers RSS"
                            + " MiB | settings |\n");
            sb.append("|---|---:|---:|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---|\n");
            for (Measurement m : measurements) {
                if (!m.scenario.equals(scenario)) {
                    continue;
                }
                boolean lat = m.latencySamples > 1 && m.p50Ms != null;
                sb.append("| ")
                        .append(m.variant)
                        .append(" | ")
                        .append(f(m.count, 0))
                        .append(" | ")
                        .append(f(m.seconds, 2))
                        .append(" | ")
                        .append(f(m.perSecond, 0))
                        .append(" | ")
                        .append(lat ? m.latencyOf : "–")
                        .append(" | ")
                        .append(lat ? f(m.p50Ms, 3) : "–")
                        .append(" | ")
                        .append(lat ? f(m.p99Ms, 3) : "–")
                        .append(" | ")
                        .append(lat ? f(m.p999Ms, 3) : "–")
                        .append(" | ")
                        .append(lat ? f(m.maxMs, 3) : "–")
                        .append(" | ")
                        .append(f(m.cpuSeconds, 2))
                        .append(" | ")
                        .append(f(m.cpuMicrosPerRecord, 2))
                        .append(" | ")
                        .append(f(m.heapPeakMb, 0))
                        .append(" | ")
                        .append(f(m.serversRssMb, 0))
                        .append(" | `")
                        .append(m.settings)
                        .append("` |\n");
            }
            appendSteps(sb, scenario);
            appendStages(sb, scenario);
            if (scenario.startsWith("4-")) {
                sb.append(
                        "\nRecords/s here is the fixed input rate; the percentiles time each"
                                + " injected fault from sending its record to the first query of"
                                + " the architecture's alarm (decision) table that returns the"
                                + " alarm (the load-transfer decision it triggered).\n");
            }
        }
        appendSoak(sb);
        sb.append("\n## Charts\n\n");
        for (String c : charts) {
            sb.append("![").append(c).append("](").append(c).append(")\n\n");
        }
        return sb.toString();
    }

    /** The soak's verdict, an excerpt of its series and its chart. */
    private void appendSoak(StringBuilder sb) {
        if (soak == null) {
            return;
        }
        sb.append("\n## Soak: memory ")
                .append(soak.verdict)
                .append("\n\n")
                .append(soak.sentence)
                .append(".\n\n")
                .append(
                        "Every sample in `soak.csv` (state per operator chain in"
                                + " `soak-operator-state.csv`); heap after GC = the heap pools'"
                                + " usage after the last GC that collected them (GC requested"
                                + " every ")
                .append(soak.gcInterval)
                .append(
                        "), checkpoint = the latest completed one at the sample, alarm"
                                + " latency = rows seen during the interval.\n\n")
                .append(
                        "| min | heap used MB | heap after GC MB | old gen after GC MB |"
                                + " checkpoint | state MB | checkpoint ms | backlog records |"
                                + " alarm p50 ms | alarm p99 ms |\n")
                .append("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        for (String row : soak.excerpt) {
            sb.append(row).append('\n');
        }
        sb.append("\n![soak.svg](soak.svg)\n");
    }

    /** Scenarios 4 and 6: the CPU per stage of each architecture, and the JFR files. */
    private void appendStages(StringBuilder sb, String scenario) {
        for (Measurement m : measurements) {
            if (!m.scenario.equals(scenario) || m.cpuStages == null) {
                continue;
            }
            if (scenario.equals("4-decision-latency")) {
                sb.append("\nCPU by stage of ")
                        .append(m.system)
                        .append(": the same run as 4-alarm-latency (see there).\n");
                continue;
            }
            sb.append("\nCPU by stage, ")
                    .append(m.system)
                    .append(" (")
                    .append(f(m.inputRecords, 0))
                    .append(" input records in ")
                    .append(f(m.seconds, 1))
                    .append(" s; per-thread listing: `cpu-threads-")
                    .append(m.scenario)
                    .append('-')
                    .append(m.system)
                    .append(".tsv`):\n\n");
            sb.append(
                    "| stage | threads | CPU s | CPU µs per input record | share | top threads |\n");
            sb.append("|---|---:|---:|---:|---:|---|\n");
            for (StageCost st : m.cpuStages) {
                boolean total = st.stage.equals(CpuStages.TOTAL);
                String b = total ? "**" : "";
                sb.append("| ")
                        .append(b)
                        .append(st.stage.replace("|", "\\|"))
                        .append(b)
                        .append(" | ")
                        .append(st.threads)
                        .append(" | ")
                        .append(b)
                        .append(f(st.cpuSeconds, 2))
                        .append(b)
                        .append(" | ")
                        .append(b)
                        .append(f(st.microsPerInputRecord, 2))
                        .append(b)
                        .append(" | ")
                        .append(f(st.sharePercent, 1))
                        .append(" % | ")
                        .append(topThreads(st))
                        .append(" |\n");
            }
            if (m.jfrFile != null) {
                sb.append("\nJFR recording of this window (\"profile\" settings): `")
                        .append(m.jfrFile)
                        .append("`\n");
            }
        }
        if (scenario.equals("4-alarm-latency") || scenario.equals("6-max-sustainable-rate")) {
            sb.append(
                    "\nCPU by stage: every thread's CPU time (Java threads by ThreadMXBean,"
                            + " native threads such as GC and JIT by /proc/self/task) at the start"
                            + " and the end of the window, grouped by thread name (a Flink task"
                            + " thread is named after its operator chain); external servers from"
                            + " /proc. The total is the CPU s of the table above; per input record"
                            + " = over the records sent in the window.\n");
        }
    }

    private static String topThreads(StageCost st) {
        if (st.topThreads.isEmpty()) {
            return "";
        }
        List<String> shown = new ArrayList<>();
        for (String t : st.topThreads.subList(0, Math.min(3, st.topThreads.size()))) {
            shown.add(
                    t.length() > 70 ? t.substring(0, 40) + "…" + t.substring(t.length() - 25) : t);
        }
        return "`" + String.join("`, `", shown).replace("|", "\\|") + "`";
    }

    private void appendSteps(StringBuilder sb, String scenario) {
        for (Measurement m : measurements) {
            if (!m.scenario.equals(scenario) || m.steps == null) {
                continue;
            }
            sb.append("\nRamp of ")
                    .append(m.system)
                    .append(" (records/s = the highest sustained step):\n\n");
            sb.append(
                    "| target/s | sent/s | processed/s | backlog at end | alarms | alarm p50 ms |"
                            + " alarm p99 ms | decisions | decision p50 ms | decision p99 ms |"
                            + " sustained |\n");
            sb.append("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|\n");
            for (RateStep st : m.steps) {
                sb.append("| ")
                        .append(f(st.targetPerSecond, 0))
                        .append(" | ")
                        .append(f(st.sentPerSecond, 0))
                        .append(" | ")
                        .append(f(st.processedPerSecond, 0))
                        .append(" | ")
                        .append(f(st.backlogAtEnd, 0))
                        .append(" | ")
                        .append(st.alarms)
                        .append(" | ")
                        .append(st.alarmP50Ms == null ? "–" : f(st.alarmP50Ms, 1))
                        .append(" | ")
                        .append(st.alarmP99Ms == null ? "–" : f(st.alarmP99Ms, 1))
                        .append(" | ")
                        .append(st.decisions)
                        .append(" | ")
                        .append(st.decisionP50Ms == null ? "–" : f(st.decisionP50Ms, 1))
                        .append(" | ")
                        .append(st.decisionP99Ms == null ? "–" : f(st.decisionP99Ms, 1))
                        .append(" | ")
                        .append(st.sustained ? "yes" : "no")
                        .append(" |\n");
            }
        }
    }
}
