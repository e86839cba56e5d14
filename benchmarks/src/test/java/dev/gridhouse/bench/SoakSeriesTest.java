package dev.gridhouse.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The soak's pure parts: the slope, the flatness verdict, the CSV files and the SVG chart. */
class SoakSeriesTest {
    /** 30 minutes every 10 s; post-GC heap = 500 MB + slope × minutes (+ a ±20 MB sawtooth). */
    private static SoakSeries series(double slopeMbPerMinute, boolean sawtooth) {
        SoakSeries s = new SoakSeries();
        for (int i = 0; i <= 180; i++) {
            SoakSeries.Sample x = new SoakSeries.Sample();
            x.elapsedSeconds = i * 10.0;
            double saw = sawtooth ? (i % 6 < 3 ? 20 : -20) : 0;
            x.heapAfterGcMb = 500 + slopeMbPerMinute * x.minutes() + saw;
            x.oldGenAfterGcMb = x.heapAfterGcMb - 100;
            x.heapUsedMb = x.heapAfterGcMb + 300;
            x.heapCommittedMb = 2048;
            x.sent = i * 10_000L;
            x.processed = Math.max(0, x.sent - 500);
            x.sentPerSecond = 1_000;
            x.checkpointId = i / 1;
            x.checkpointStateMb = 12.5;
            x.checkpointDurationMs = 150;
            x.stateMbByVertex.put("Window : dws_device_minute -> Sink : x", 10.0);
            x.stateMbByVertex.put("Dedup, late, routing", 2.5);
            x.alarmsSeen = 100;
            x.alarmP50Ms = 40;
            x.alarmP99Ms = 900;
            s.add(x);
        }
        return s;
    }

    @Test
    void slopeIsTheLeastSquaresFitAndIgnoresMissingPoints() {
        double[] x = {0, 1, 2, 3, 4};
        double[] y = {1, 3, Double.NaN, 7, 9};
        assertThat(SoakSeries.slope(x, y)).isCloseTo(2.0, within(1e-9));
        assertThat(SoakSeries.slope(new double[] {1}, new double[] {1})).isNaN();
        assertThat(SoakSeries.slope(new double[] {2, 2}, new double[] {1, 5})).isNaN();
    }

    @Test
    void aLevelHeapIsFlatEvenWithASawtooth() {
        SoakSeries.Verdict v = series(0, true).verdict(1.0);
        assertThat(v.verdict).isEqualTo("FLAT");
        assertThat(v.flat()).isTrue();
        assertThat(Math.abs(v.slopeMbPerMinute)).isLessThan(1.0);
        // the fit is over the last two thirds: minutes 10 to 30
        assertThat(v.fromMinute).isCloseTo(10.0, within(1e-9));
        assertThat(v.toMinute).isCloseTo(30.0, within(1e-9));
        assertThat(v.samples).isEqualTo(121);
        assertThat(v.sentence()).startsWith("FLAT: post-GC heap slope").contains("<= 1.00 MB/min");
    }

    @Test
    void aLeakIsGrowingAndAShrinkIsShrinking() {
        SoakSeries.Verdict leak = series(3.0, true).verdict(1.0);
        assertThat(leak.verdict).isEqualTo("GROWING");
        assertThat(leak.slopeMbPerMinute).isCloseTo(3.0, within(0.2));
        assertThat(leak.oldGenSlopeMbPerMinute).isCloseTo(3.0, within(0.2));
        assertThat(leak.floorLastMb).isGreaterThan(leak.floorMiddleMb);
        assertThat(series(-2.0, false).verdict(1.0).verdict).isEqualTo("SHRINKING");
        // the threshold decides
        assertThat(series(3.0, false).verdict(5.0).verdict).isEqualTo("FLAT");
    }

    @Test
    void growthOnlyInTheFirstThirdIsWarmUp() {
        SoakSeries s = series(0, false);
        for (SoakSeries.Sample x : s.samples) {
            if (x.minutes() < 10) {
                x.heapAfterGcMb = 100 + 40 * x.minutes(); // climbs to 500 MB, then level
            }
        }
        assertThat(s.verdict(1.0).verdict).isEqualTo("FLAT");
    }

    @Test
    void tooFewSamplesGiveNoVerdict() {
        SoakSeries s = new SoakSeries();
        for (int i = 0; i < 5; i++) {
            SoakSeries.Sample x = new SoakSeries.Sample();
            x.elapsedSeconds = i * 10.0;
            x.heapAfterGcMb = 100 * i;
            s.add(x);
        }
        SoakSeries.Verdict v = s.verdict(1.0);
        assertThat(v.verdict).isEqualTo("TOO SHORT");
        assertThat(v.flat()).isFalse();
        assertThat(v.sentence()).startsWith("TOO SHORT");
    }

    @Test
    void csvHasTheColumnsAndOneRowPerSample() {
        SoakSeries s = series(0, false);
        SoakSeries.Sample empty = new SoakSeries.Sample();
        empty.elapsedSeconds = 1810;
        s.add(empty);
        List<String> lines = s.csv().lines().collect(java.util.stream.Collectors.toList());
        assertThat(lines.get(0)).isEqualTo(String.join(",", SoakSeries.COLUMNS));
        assertThat(lines).hasSize(1 + 182);
        String[] first = lines.get(1).split(",", -1);
        assertThat(first).hasSize(SoakSeries.COLUMNS.size());
        assertThat(first[SoakSeries.COLUMNS.indexOf("heap_after_gc_mb")]).isEqualTo("500.0");
        assertThat(first[SoakSeries.COLUMNS.indexOf("checkpoint_state_mb")]).isEqualTo("12.500");
        String[] second = lines.get(2).split(",", -1);
        assertThat(second[SoakSeries.COLUMNS.indexOf("backlog_records")]).isEqualTo("500");
        // nothing measured: empty fields, no "NaN", no checkpoint id
        String[] last = lines.get(lines.size() - 1).split(",", -1);
        assertThat(last).hasSize(SoakSeries.COLUMNS.size());
        assertThat(last[SoakSeries.COLUMNS.indexOf("checkpoint_id")]).isEmpty();
        assertThat(last[SoakSeries.COLUMNS.indexOf("alarm_p99_ms")]).isEmpty();
        assertThat(s.csv()).doesNotContain("NaN");
    }

    @Test
    void operatorStateCsvIsLongFormatWithQuotedNames() {
        SoakSeries s = new SoakSeries();
        SoakSeries.Sample x = new SoakSeries.Sample();
        x.elapsedSeconds = 20;
        x.checkpointId = 2;
        x.stateMbByVertex.put("Dedup, late, routing", 2.5);
        x.stateMbByVertex.put("Window : \"minute\"", 1.0);
        s.add(x);
        assertThat(s.operatorStateCsv())
                .isEqualTo(
                        "elapsed_s,checkpoint_id,vertex,state_mb\n"
                                + "20.0,2,\"Dedup, late, routing\",2.500\n"
                                + "20.0,2,\"Window : \"\"minute\"\"\",1.000\n");
        assertThat(s.vertices()).containsExactly("Dedup, late, routing", "Window : \"minute\"");
    }

    @Test
    void svgHasFourPanelsTheTrendAndEscapedLabels(@TempDir Path dir) throws Exception {
        SoakSeries s = series(3.0, false);
        s.samples.get(5).stateMbByVertex.put("A <b> & c -> d -> e", 1.0);
        SoakSeries.Verdict v = s.verdict(1.0);
        s.write(dir, v, "GridBench soak <test>");
        String svg = Files.readString(dir.resolve("soak.svg"));
        assertThat(svg)
                .startsWith("<svg xmlns=\"http://www.w3.org/2000/svg\"")
                .endsWith("</svg>\n");
        assertThat(svg)
                .contains("JVM heap (MB)")
                .contains("State per operator chain")
                .contains("Checkpoint duration (ms)")
                .contains("End-to-end lag (ms)")
                .contains("GROWING")
                .contains("stroke-dasharray")
                .contains("GridBench soak &lt;test&gt;")
                .contains("A &lt;b&gt; &amp; c +2")
                .doesNotContain("NaN");
        assertThat(svg.split("<path ", -1).length - 1).isGreaterThanOrEqualTo(8);
        assertThat(Files.readString(dir.resolve("soak.csv"))).startsWith("elapsed_s,");
        assertThat(Files.readString(dir.resolve("soak-operator-state.csv")))
                .startsWith("elapsed_s,checkpoint_id,vertex,state_mb\n");
    }

    @Test
    void niceCeilingAndShortNames() {
        assertThat(SoakSeries.niceCeiling(0)).isEqualTo(1);
        assertThat(SoakSeries.niceCeiling(730)).isEqualTo(1000);
        assertThat(SoakSeries.niceCeiling(180)).isEqualTo(200);
        assertThat(SoakSeries.niceCeiling(0.21)).isCloseTo(0.25, within(1e-12));
        assertThat(SoakSeries.shorten("Source: Fluss Source : ods_grid_telemetry -> Map -> Sink"))
                .isEqualTo("Source: Fluss Source : ods_... +2");
        assertThat(SoakSeries.shorten("Window : dws_region_minute"))
                .isEqualTo("Window : dws_region_minute");
    }

    @Test
    void oldGenPoolsAreRecognised() {
        assertThat(SoakProbe.isOldGen("G1 Old Gen")).isTrue();
        assertThat(SoakProbe.isOldGen("Tenured Gen")).isTrue();
        assertThat(SoakProbe.isOldGen("G1 Eden Space")).isFalse();
    }
}
