package dev.gridhouse.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.ToDoubleFunction;

/**
 * The time series of the soak scenario (one {@link Sample} per sample interval) and everything
 * computed from it without a running pipeline: the CSV files, the SVG chart and the flatness
 * verdict on the post-GC heap. Pure: unit-tested in {@code SoakSeriesTest}.
 */
final class SoakSeries {
    /** Columns of {@code soak.csv}, in order. */
    static final List<String> COLUMNS =
            List.of(
                    "elapsed_s",
                    "heap_used_mb",
                    "heap_committed_mb",
                    "heap_after_gc_mb",
                    "old_gen_after_gc_mb",
                    "gc_count",
                    "gc_time_ms",
                    "sent",
                    "processed",
                    "backlog_records",
                    "sent_per_s",
                    "processed_per_s",
                    "checkpoint_id",
                    "checkpoints_completed",
                    "checkpoints_failed",
                    "checkpoint_state_mb",
                    "checkpoint_checkpointed_mb",
                    "checkpoint_duration_ms",
                    "alarms_seen",
                    "alarm_p50_ms",
                    "alarm_p99_ms",
                    "alarm_max_ms",
                    "decision_p50_ms",
                    "decision_p99_ms");

    /** One sample. NaN (written as an empty field) where nothing was measured. */
    static final class Sample {
        double elapsedSeconds;
        double heapUsedMb;
        double heapCommittedMb;

        /** Sum over the heap pools of their usage after the last GC that collected them. */
        double heapAfterGcMb;

        /** The old generation's usage after the last GC that collected it (G1 Old Gen, …). */
        double oldGenAfterGcMb;

        long gcCount;
        long gcTimeMs;
        long sent;
        long processed;
        double sentPerSecond;
        double processedPerSecond;

        /** The latest completed checkpoint at the sample (-1: none yet). */
        long checkpointId = -1;

        long checkpointsCompleted;
        long checkpointsFailed;
        double checkpointStateMb = Double.NaN;
        double checkpointCheckpointedMb = Double.NaN;
        double checkpointDurationMs = Double.NaN;

        /** State size of the latest completed checkpoint per job vertex (operator chain), MB. */
        Map<String, Double> stateMbByVertex = new LinkedHashMap<>();

        /** Injected alarms whose row showed during the interval, and their latencies. */
        long alarmsSeen;

        double alarmP50Ms = Double.NaN;
        double alarmP99Ms = Double.NaN;
        double alarmMaxMs = Double.NaN;
        double decisionP50Ms = Double.NaN;
        double decisionP99Ms = Double.NaN;

        long backlog() {
            return sent - processed;
        }

        double minutes() {
            return elapsedSeconds / 60.0;
        }
    }

    /** The verdict on memory: slope of the post-GC heap over the last two thirds of the run. */
    static final class Verdict {
        /** Samples in the fit (the last two thirds). */
        int samples;

        double fromMinute;
        double toMinute;

        /** Least-squares slope of {@code heap_after_gc_mb} over minutes, MB/min. */
        double slopeMbPerMinute;

        /** The same for the old generation after GC. */
        double oldGenSlopeMbPerMinute;

        /** Mean post-GC heap in the fitted window, MB. */
        double meanMb;

        /** Lowest post-GC heap in the second third vs in the last third of the run, MB. */
        double floorMiddleMb;

        double floorLastMb;
        double thresholdMbPerMinute;

        /** {@code FLAT}, {@code GROWING}, {@code SHRINKING} or {@code TOO SHORT}. */
        String verdict;

        boolean flat() {
            return "FLAT".equals(verdict);
        }

        /** One sentence for the report and the log. */
        String sentence() {
            if ("TOO SHORT".equals(verdict)) {
                return String.format(
                        Locale.ROOT,
                        "TOO SHORT: %d samples in the last two thirds, at least %d needed for a"
                                + " verdict",
                        samples,
                        MIN_SAMPLES);
            }
            return String.format(
                    Locale.ROOT,
                    "%s: post-GC heap slope %+.2f MB/min over minutes %.1f-%.1f (%d samples, mean"
                            + " %.0f MB; old gen after GC %+.2f MB/min; lowest post-GC heap %.0f"
                            + " MB in the second third, %.0f MB in the last); flat means |slope|"
                            + " <= %.2f MB/min",
                    verdict,
                    slopeMbPerMinute,
                    fromMinute,
                    toMinute,
                    samples,
                    meanMb,
                    oldGenSlopeMbPerMinute,
                    floorMiddleMb,
                    floorLastMb,
                    thresholdMbPerMinute);
        }
    }

    /** Fewer samples than this in the last two thirds: no verdict. */
    static final int MIN_SAMPLES = 6;

    final List<Sample> samples = new ArrayList<>();

    void add(Sample s) {
        samples.add(s);
    }

    /**
     * Least-squares slope of {@code y} over {@code x}; NaN with fewer than two points or no spread
     * in {@code x}.
     */
    static double slope(double[] x, double[] y) {
        int n = 0;
        double sx = 0;
        double sy = 0;
        for (int i = 0; i < x.length; i++) {
            if (Double.isNaN(x[i]) || Double.isNaN(y[i])) {
                continue;
            }
            n++;
            sx += x[i];
            sy += y[i];
        }
        if (n < 2) {
            return Double.NaN;
        }
        double mx = sx / n;
        double my = sy / n;
        double sxx = 0;
        double sxy = 0;
        for (int i = 0; i < x.length; i++) {
            if (Double.isNaN(x[i]) || Double.isNaN(y[i])) {
                continue;
            }
            sxx += (x[i] - mx) * (x[i] - mx);
            sxy += (x[i] - mx) * (y[i] - my);
        }
        return sxx == 0 ? Double.NaN : sxy / sxx;
    }

    /** The index of the first sample of the last two thirds of the run (by elapsed time). */
    int fitStart() {
        if (samples.isEmpty()) {
            return 0;
        }
        double end = samples.get(samples.size() - 1).elapsedSeconds;
        double from = end / 3.0;
        for (int i = 0; i < samples.size(); i++) {
            if (samples.get(i).elapsedSeconds >= from) {
                return i;
            }
        }
        return samples.size();
    }

    /**
     * FLAT when the least-squares slope of the post-GC heap over the last two thirds of the run
     * (the first third is warm-up: JIT, first windows, dimension mirror, state filling up to the
     * active devices) is within ±{@code thresholdMbPerMinute}; GROWING above, SHRINKING below.
     */
    Verdict verdict(double thresholdMbPerMinute) {
        Verdict v = new Verdict();
        v.thresholdMbPerMinute = thresholdMbPerMinute;
        int from = fitStart();
        List<Sample> fit = samples.subList(from, samples.size());
        v.samples = fit.size();
        if (fit.size() < MIN_SAMPLES) {
            v.verdict = "TOO SHORT";
            v.slopeMbPerMinute = Double.NaN;
            v.oldGenSlopeMbPerMinute = Double.NaN;
            v.meanMb = Double.NaN;
            v.floorMiddleMb = Double.NaN;
            v.floorLastMb = Double.NaN;
            return v;
        }
        double[] x = column(fit, Sample::minutes);
        v.fromMinute = x[0];
        v.toMinute = x[x.length - 1];
        v.slopeMbPerMinute = slope(x, column(fit, s -> s.heapAfterGcMb));
        v.oldGenSlopeMbPerMinute = slope(x, column(fit, s -> s.oldGenAfterGcMb));
        v.meanMb = fit.stream().mapToDouble(s -> s.heapAfterGcMb).average().orElse(Double.NaN);
        double end = samples.get(samples.size() - 1).elapsedSeconds;
        v.floorMiddleMb = floor(end / 3.0, 2.0 * end / 3.0);
        v.floorLastMb = floor(2.0 * end / 3.0, Double.POSITIVE_INFINITY);
        if (Double.isNaN(v.slopeMbPerMinute)) {
            v.verdict = "TOO SHORT";
        } else if (v.slopeMbPerMinute > thresholdMbPerMinute) {
            v.verdict = "GROWING";
        } else if (v.slopeMbPerMinute < -thresholdMbPerMinute) {
            v.verdict = "SHRINKING";
        } else {
            v.verdict = "FLAT";
        }
        return v;
    }

    private double floor(double fromSeconds, double toSeconds) {
        return samples.stream()
                .filter(s -> s.elapsedSeconds >= fromSeconds && s.elapsedSeconds < toSeconds)
                .mapToDouble(s -> s.heapAfterGcMb)
                .min()
                .orElse(Double.NaN);
    }

    private static double[] column(List<Sample> rows, ToDoubleFunction<Sample> f) {
        double[] out = new double[rows.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = f.applyAsDouble(rows.get(i));
        }
        return out;
    }

    /** Every job vertex that had state in some sample, in order of first appearance. */
    Set<String> vertices() {
        Set<String> v = new LinkedHashSet<>();
        for (Sample s : samples) {
            v.addAll(s.stateMbByVertex.keySet());
        }
        return v;
    }

    // ---------------------------------------------------------------------------------- CSV

    /** {@code soak.csv}: a header of {@link #COLUMNS} and one row per sample. */
    String csv() {
        StringBuilder sb = new StringBuilder(String.join(",", COLUMNS)).append('\n');
        for (Sample s : samples) {
            List<String> f = new ArrayList<>();
            f.add(num(s.elapsedSeconds, 1));
            f.add(num(s.heapUsedMb, 1));
            f.add(num(s.heapCommittedMb, 1));
            f.add(num(s.heapAfterGcMb, 1));
            f.add(num(s.oldGenAfterGcMb, 1));
            f.add(Long.toString(s.gcCount));
            f.add(Long.toString(s.gcTimeMs));
            f.add(Long.toString(s.sent));
            f.add(Long.toString(s.processed));
            f.add(Long.toString(s.backlog()));
            f.add(num(s.sentPerSecond, 0));
            f.add(num(s.processedPerSecond, 0));
            f.add(s.checkpointId < 0 ? "" : Long.toString(s.checkpointId));
            f.add(Long.toString(s.checkpointsCompleted));
            f.add(Long.toString(s.checkpointsFailed));
            f.add(num(s.checkpointStateMb, 3));
            f.add(num(s.checkpointCheckpointedMb, 3));
            f.add(num(s.checkpointDurationMs, 0));
            f.add(Long.toString(s.alarmsSeen));
            f.add(num(s.alarmP50Ms, 1));
            f.add(num(s.alarmP99Ms, 1));
            f.add(num(s.alarmMaxMs, 1));
            f.add(num(s.decisionP50Ms, 1));
            f.add(num(s.decisionP99Ms, 1));
            sb.append(String.join(",", f)).append('\n');
        }
        return sb.toString();
    }

    /**
     * {@code soak-operator-state.csv}: long format, one row per sample and job vertex (operator
     * chain) with state in the sample's latest completed checkpoint.
     */
    String operatorStateCsv() {
        StringBuilder sb = new StringBuilder("elapsed_s,checkpoint_id,vertex,state_mb\n");
        for (Sample s : samples) {
            for (Map.Entry<String, Double> e : s.stateMbByVertex.entrySet()) {
                sb.append(num(s.elapsedSeconds, 1))
                        .append(',')
                        .append(s.checkpointId)
                        .append(',')
                        .append(quote(e.getKey()))
                        .append(',')
                        .append(num(e.getValue(), 3))
                        .append('\n');
            }
        }
        return sb.toString();
    }

    static String quote(String field) {
        if (field.contains(",") || field.contains("\"") || field.contains("\n")) {
            return "\"" + field.replace("\"", "\"\"") + "\"";
        }
        return field;
    }

    private static String num(double v, int decimals) {
        return Double.isNaN(v) ? "" : String.format(Locale.ROOT, "%." + decimals + "f", v);
    }

    /** Writes {@code soak.csv}, {@code soak-operator-state.csv} and {@code soak.svg}. */
    void write(Path dir, Verdict verdict, String title) throws IOException {
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("soak.csv"), csv());
        Files.writeString(dir.resolve("soak-operator-state.csv"), operatorStateCsv());
        Files.writeString(dir.resolve("soak.svg"), svg(verdict, title));
    }

    // ---------------------------------------------------------------------------------- SVG

    private static final String[] PALETTE = {
        "#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f",
        "#bcbd22", "#17becf"
    };

    private static final int WIDTH = 960;
    private static final int PLOT_HEIGHT = 150;
    private static final int LEFT = 70;
    private static final int RIGHT = 20;
    private static final int TOP = 30;

    /** One line of a panel. */
    private static final class Line {
        final String label;
        final double[] y;
        final boolean dashed;

        Line(String label, double[] y, boolean dashed) {
            this.label = label;
            this.y = y;
            this.dashed = dashed;
        }
    }

    /**
     * Four stacked line charts over minutes: heap (used, after GC, old gen after GC, with the
     * fitted trend over the last two thirds), state size per operator chain from the latest
     * checkpoint (and the checkpoint's total), checkpoint duration, and alarm/decision latency of
     * each interval with the backlog in seconds of input.
     */
    String svg(Verdict verdict, String title) {
        double[] x = column(samples, Sample::minutes);
        List<String> panels = new ArrayList<>();
        List<Integer> heights = new ArrayList<>();
        List<Line> heap = new ArrayList<>();
        heap.add(new Line("heap used", column(samples, s -> s.heapUsedMb), false));
        heap.add(new Line("heap after GC", column(samples, s -> s.heapAfterGcMb), false));
        heap.add(new Line("old gen after GC", column(samples, s -> s.oldGenAfterGcMb), false));
        if (verdict != null && !Double.isNaN(verdict.slopeMbPerMinute)) {
            double[] trend = new double[x.length];
            int from = fitStart();
            double[] fx = column(samples.subList(from, samples.size()), Sample::minutes);
            double[] fy = column(samples.subList(from, samples.size()), s -> s.heapAfterGcMb);
            double mx = mean(fx);
            double my = mean(fy);
            for (int i = 0; i < x.length; i++) {
                trend[i] = i < from ? Double.NaN : my + verdict.slopeMbPerMinute * (x[i] - mx);
            }
            heap.add(
                    new Line(
                            String.format(
                                    Locale.ROOT,
                                    "trend %+.2f MB/min (%s)",
                                    verdict.slopeMbPerMinute,
                                    verdict.verdict),
                            trend,
                            true));
        }
        panels.add(panel("JVM heap (MB)", x, heap));
        heights.add(panelHeight(heap.size()));
        List<Line> state = new ArrayList<>();
        state.add(new Line("checkpoint total", column(samples, s -> s.checkpointStateMb), true));
        for (String v : vertices()) {
            state.add(
                    new Line(
                            shorten(v),
                            column(samples, s -> s.stateMbByVertex.getOrDefault(v, Double.NaN)),
                            false));
        }
        panels.add(panel("State per operator chain, latest checkpoint (MB)", x, state));
        heights.add(panelHeight(state.size()));
        panels.add(
                panel(
                        "Checkpoint duration (ms)",
                        x,
                        List.of(
                                new Line(
                                        "end-to-end duration",
                                        column(samples, s -> s.checkpointDurationMs),
                                        false))));
        heights.add(panelHeight(1));
        panels.add(
                panel(
                        "End-to-end lag (ms)",
                        x,
                        List.of(
                                new Line("alarm p50", column(samples, s -> s.alarmP50Ms), false),
                                new Line("alarm p99", column(samples, s -> s.alarmP99Ms), false),
                                new Line(
                                        "decision p99",
                                        column(samples, s -> s.decisionP99Ms),
                                        true),
                                new Line(
                                        "backlog (ms of input)",
                                        column(
                                                samples,
                                                s ->
                                                        s.sentPerSecond > 0
                                                                ? 1000.0
                                                                        * s.backlog()
                                                                        / s.sentPerSecond
                                                                : Double.NaN),
                                        false))));
        heights.add(panelHeight(4));
        int height = 40 + heights.stream().mapToInt(Integer::intValue).sum() + 30;
        StringBuilder sb = new StringBuilder();
        sb.append(
                        String.format(
                                Locale.ROOT,
                                "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\""
                                        + " height=\"%d\" viewBox=\"0 0 %d %d\""
                                        + " font-family=\"sans-serif\" font-size=\"11\">\n",
                                WIDTH,
                                height,
                                WIDTH,
                                height))
                .append("<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n")
                .append("<text x=\"10\" y=\"20\" font-size=\"14\" font-weight=\"bold\">")
                .append(escape(title))
                .append("</text>\n");
        if (verdict != null) {
            sb.append("<text x=\"10\" y=\"36\">")
                    .append(escape(verdict.sentence()))
                    .append("</text>\n");
        }
        int y = 40;
        for (int i = 0; i < panels.size(); i++) {
            sb.append(String.format(Locale.ROOT, "<g transform=\"translate(0,%d)\">\n", y))
                    .append(panels.get(i))
                    .append("</g>\n");
            y += heights.get(i);
        }
        sb.append(
                        String.format(
                                Locale.ROOT,
                                "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\">minutes since"
                                        + " the pipeline started</text>\n",
                                LEFT + (WIDTH - LEFT - RIGHT) / 2,
                                height - 8))
                .append("</svg>\n");
        return sb.toString();
    }

    private static double mean(double[] v) {
        double s = 0;
        int n = 0;
        for (double d : v) {
            if (!Double.isNaN(d)) {
                s += d;
                n++;
            }
        }
        return n == 0 ? Double.NaN : s / n;
    }

    /** Plot, axis labels and one legend row per four lines. */
    private static int panelHeight(int lines) {
        return TOP + PLOT_HEIGHT + 22 + ((lines + 3) / 4) * 13 + 8;
    }

    private static String panel(String title, double[] x, List<Line> lines) {
        int w = WIDTH - LEFT - RIGHT;
        int h = PLOT_HEIGHT;
        double xMax = 0;
        for (double v : x) {
            xMax = Math.max(xMax, v);
        }
        xMax = xMax <= 0 ? 1 : xMax;
        double yMax = 0;
        for (Line l : lines) {
            for (double v : l.y) {
                if (!Double.isNaN(v) && !Double.isInfinite(v)) {
                    yMax = Math.max(yMax, v);
                }
            }
        }
        yMax = niceCeiling(yMax);
        StringBuilder sb = new StringBuilder();
        sb.append(
                String.format(
                        Locale.ROOT,
                        "<text x=\"%d\" y=\"%d\" font-weight=\"bold\">%s</text>\n",
                        LEFT,
                        TOP - 8,
                        escape(title)));
        sb.append(
                String.format(
                        Locale.ROOT,
                        "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"none\""
                                + " stroke=\"#999\"/>\n",
                        LEFT,
                        TOP,
                        w,
                        h));
        for (int k = 0; k <= 4; k++) {
            double v = yMax * k / 4;
            double py = TOP + h - h * k / 4.0;
            sb.append(
                    String.format(
                            Locale.ROOT,
                            "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"#eee\"/>"
                                    + "<text x=\"%d\" y=\"%.1f\" text-anchor=\"end\">%s</text>\n",
                            LEFT,
                            py,
                            LEFT + w,
                            py,
                            LEFT - 4,
                            py + 4,
                            axisLabel(v)));
            double xv = xMax * k / 4;
            double px = LEFT + w * k / 4.0;
            sb.append(
                    String.format(
                            Locale.ROOT,
                            "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">%s</text>\n",
                            px,
                            TOP + h + 14,
                            axisLabel(xv)));
        }
        for (int i = 0; i < lines.size(); i++) {
            Line l = lines.get(i);
            String color = PALETTE[i % PALETTE.length];
            StringBuilder d = new StringBuilder();
            boolean pen = false;
            for (int j = 0; j < x.length && j < l.y.length; j++) {
                double v = l.y[j];
                if (Double.isNaN(v) || Double.isInfinite(v)) {
                    pen = false;
                    continue;
                }
                double px = LEFT + w * x[j] / xMax;
                double py = TOP + h - h * Math.min(v, yMax) / yMax;
                d.append(pen ? " L" : (d.length() == 0 ? "M" : " M"))
                        .append(String.format(Locale.ROOT, "%.1f %.1f", px, py));
                pen = true;
            }
            if (d.length() > 0) {
                sb.append("<path fill=\"none\" stroke-width=\"1.5\" stroke=\"")
                        .append(color)
                        .append('"')
                        .append(l.dashed ? " stroke-dasharray=\"6 3\"" : "")
                        .append(" d=\"")
                        .append(d)
                        .append("\"/>\n");
            }
            // legend below the plot, in columns
            int col = i % 4;
            int row = i / 4;
            int lx = LEFT + col * (w / 4);
            int ly = TOP + h + 28 + row * 13;
            sb.append(
                    String.format(
                            Locale.ROOT,
                            "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"%s\""
                                    + " stroke-width=\"2\"%s/><text x=\"%d\" y=\"%d\">%s</text>\n",
                            lx,
                            ly - 4,
                            lx + 16,
                            ly - 4,
                            color,
                            l.dashed ? " stroke-dasharray=\"4 2\"" : "",
                            lx + 20,
                            ly,
                            escape(l.label)));
        }
        return sb.toString();
    }

    /** The smallest of 1, 2, 2.5, 5 × 10^k at or above {@code v} (1 for nothing positive). */
    static double niceCeiling(double v) {
        if (!(v > 0)) {
            return 1;
        }
        double p = Math.pow(10, Math.floor(Math.log10(v)));
        for (double m : new double[] {1, 2, 2.5, 5, 10}) {
            if (m * p >= v) {
                return m * p;
            }
        }
        return 10 * p;
    }

    private static String axisLabel(double v) {
        if (v == Math.rint(v)) {
            return String.format(Locale.ROOT, "%,.0f", v);
        }
        return String.format(Locale.ROOT, "%,.2f", v);
    }

    /**
     * A job vertex's name short enough for a legend column: the chain's first operator, "+N" for
     * the N operators chained after it.
     */
    static String shorten(String vertex) {
        String[] ops = vertex.replaceAll("\\s+", " ").trim().split(" -> ");
        String head = ops[0].length() <= 30 ? ops[0] : ops[0].substring(0, 27) + "...";
        return ops.length == 1 ? head : head + " +" + (ops.length - 1);
    }

    static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }
}
