package dev.gridhouse.deploy;

import dev.gridhouse.contract.grid.GridTables;
import dev.gridhouse.core.io.FlussEndpoint;
import dev.gridhouse.core.io.TableReader;
import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import javax.annotation.Nullable;
import org.apache.fluss.row.TimestampNtz;

/**
 * The dashboard a live run prints every {@code --refresh}: the telemetry intake (rate, accepted
 * records, dead letters), the per-region table of {@code ads_grid_realtime} and the state of the
 * jobs.
 */
final class LiveConsole {
    private static final DateTimeFormatter HH_MM =
            DateTimeFormatter.ofPattern("HH:mm").withZone(ZoneOffset.UTC);

    private static final List<String> HEADER =
            Arrays.asList(
                    "region",
                    "minute",
                    "devices",
                    "load_mw",
                    "generation_mw",
                    "balance_mw",
                    "avg_freq_hz",
                    "stability_%",
                    "records/s",
                    "faults",
                    "alarms");

    private final PrintStream out;
    private final FlussEndpoint fluss;
    private final StopSignal signal;

    LiveConsole(PrintStream out, FlussEndpoint fluss, StopSignal signal) {
        this.out = out;
        this.fluss = fluss;
        this.signal = signal;
    }

    /**
     * Refreshes the dashboard until {@code duration} has passed (zero: until a stop signal) or a
     * stop signal comes; throws {@link JobWatch.JobFailedException} if a job has ended.
     */
    void run(
            Duration duration, Duration refresh, JobWatch pipeline, @Nullable JobWatch dimensionCdc)
            throws Exception {
        long deadline = duration.isZero() ? Long.MAX_VALUE : System.nanoTime() + duration.toNanos();
        long refreshMs = refresh.toMillis();
        try (TableReader reader = new TableReader(fluss.toFlussConfig(), fluss.database())) {
            long lastCount = 0;
            long lastTime = System.nanoTime();
            while (System.nanoTime() < deadline) {
                if (signal.await(refreshMs)) {
                    break;
                }
                JobWatch.failIfEnded(pipeline);
                JobWatch.failIfEnded(dimensionCdc);
                long count = LocalSummary.totalRows(reader, fluss, GridTables.ODS_GRID_TELEMETRY);
                long dead = LocalSummary.totalRows(reader, fluss, GridTables.ODS_DEAD_LETTER);
                long now = System.nanoTime();
                double rate = (count - lastCount) * 1e9 / (now - lastTime);
                lastCount = count;
                lastTime = now;
                printRegions(reader, rate, count, dead);
                out.println(jobsLine(pipeline, dimensionCdc));
            }
        } catch (Exception e) {
            if (!signal.isStopped()) {
                throw e;
            } // interrupted by Ctrl-C / SIGTERM while reading: stop
        }
    }

    private static String jobsLine(JobWatch pipeline, @Nullable JobWatch dimensionCdc) {
        return dimensionCdc == null
                ? "jobs: " + pipeline.describe()
                : "jobs: " + pipeline.describe() + "; " + dimensionCdc.describe();
    }

    private void printRegions(TableReader reader, double rate, long telemetry, long dead)
            throws Exception {
        List<Object[]> rows = reader.readAll(GridTables.ADS_GRID_REALTIME, Duration.ofSeconds(30));
        List<String> cols = GridTables.ADS_GRID_REALTIME.columnNames();
        List<String[]> lines = new ArrayList<>();
        for (Object[] r : rows) {
            long samples = (Long) r[cols.indexOf("sample_count")];
            lines.add(
                    new String[] {
                        (String) r[cols.indexOf("region")],
                        HH_MM.format(
                                Instant.ofEpochMilli(
                                        ((TimestampNtz) r[cols.indexOf("window_start")])
                                                .getMillisecond())),
                        String.valueOf(r[cols.indexOf("device_count")]),
                        String.format("%.1f", (Double) r[cols.indexOf("load_mw")]),
                        String.format("%.1f", (Double) r[cols.indexOf("generation_mw")]),
                        String.format("%.1f", (Double) r[cols.indexOf("balance_mw")]),
                        String.format("%.3f", (Double) r[cols.indexOf("avg_frequency_hz")]),
                        String.format("%.2f", (Double) r[cols.indexOf("frequency_stability_pct")]),
                        String.format("%.0f", samples / 60.0),
                        String.valueOf(r[cols.indexOf("fault_count")]),
                        String.valueOf(r[cols.indexOf("active_alarm_count")])
                    });
        }
        out.printf(
                "%n[%s] telemetry in: %.0f rec/s, %d accepted, %d dead letters%n",
                Instant.now().toString().substring(11, 19), rate, telemetry, dead);
        if (lines.isEmpty()) {
            out.println("(waiting for the first event-time minute to close)");
        } else {
            out.print(TableFormat.table(HEADER, lines));
        }
        out.flush();
    }
}
