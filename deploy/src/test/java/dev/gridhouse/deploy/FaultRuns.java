package dev.gridhouse.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.gridhouse.contract.grid.GridTables;
import dev.gridhouse.core.catalog.TableSpec;
import dev.gridhouse.core.io.FlussEndpoint;
import dev.gridhouse.core.io.TableReader;
import dev.gridhouse.core.serde.FlussRowConverter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import javax.annotation.Nullable;
import org.apache.fluss.client.Connection;
import org.apache.fluss.client.ConnectionFactory;
import org.apache.fluss.client.admin.OffsetSpec;
import org.apache.fluss.client.table.Table;
import org.apache.fluss.client.table.writer.UpsertWriter;
import org.apache.fluss.metadata.TablePath;

/**
 * What the fault tests share: loading dimension rows, a run's tables as comparable text, changelog
 * keys, and the job's state from Flink's REST API.
 */
final class FaultRuns {
    /** Columns that hold wall-clock time, different in every run: left out of the comparison. */
    static final Set<String> WALL_CLOCK =
            Set.of("ingest_time", "decided_at", "decision_latency_ms");

    private static final Pattern INGEST_TIME = Pattern.compile("\"ingest_time\":\\d+");

    private FaultRuns() {}

    /** Upserts {@code rows} into the primary-key table {@code spec}. */
    static <T> void upsert(FlussEndpoint fluss, TableSpec spec, List<T> rows) throws Exception {
        FlussRowConverter<T> converter = FlussRowConverter.forTable(spec);
        try (Connection conn = ConnectionFactory.createConnection(fluss.toFlussConfig());
                Table table = conn.getTable(TablePath.of(fluss.database(), spec.name()))) {
            UpsertWriter writer = table.newUpsert().createWriter();
            for (T row : rows) {
                writer.upsert(converter.toRow(row));
            }
            writer.flush();
        }
    }

    /** The primary key of a row as text. */
    static String key(TableSpec t, Object[] values) {
        StringBuilder k = new StringBuilder();
        for (String c : t.primaryKey()) {
            k.append(values[t.columnNames().indexOf(c)]).append('|');
        }
        return k.toString();
    }

    /**
     * The rows as sorted text lines; dead letters without the write's key and time (and the ingest
     * time in their payload: the rejected record as ODS wrote it), every table without its
     * wall-clock columns.
     */
    static String text(TableSpec t, List<Object[]> rows) {
        List<String> names = t.columnNames();
        List<String> lines = new ArrayList<>();
        for (Object[] r : rows) {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < names.size(); i++) {
                String c = names.get(i);
                boolean skip =
                        WALL_CLOCK.contains(c)
                                || (t == GridTables.ODS_DEAD_LETTER
                                        && (c.equals("dead_letter_id") || c.equals("rejected_at")));
                if (!skip) {
                    Object v = r[i];
                    if (c.equals("payload") && v != null) {
                        v = INGEST_TIME.matcher(v.toString()).replaceAll("\"ingest_time\":_");
                    }
                    line.append(TableFormat.text(v)).append(',');
                }
            }
            lines.add(line.toString());
        }
        Collections.sort(lines);
        return lines.size() + " rows\n" + String.join("\n", lines);
    }

    /**
     * True when every task of the job ({@code /jobs/:id}) is RUNNING, or FINISHED where {@code
     * finishedCounts} (a source subtask with no split left finishes right after a restore).
     */
    static boolean allTasksUp(@Nullable JsonNode job, boolean finishedCounts) {
        if (job == null) {
            return false;
        }
        JsonNode counts = job.path("status-counts");
        int up =
                counts.path("RUNNING").asInt(0)
                        + (finishedCounts ? counts.path("FINISHED").asInt(0) : 0);
        int total = 0;
        for (JsonNode v : counts) {
            total += v.asInt(0);
        }
        return total > 0 && up == total;
    }

    /** GET {@code path} from the Flink REST API on {@code restPort}; null unless 200. */
    static @Nullable JsonNode rest(int restPort, String path) {
        try {
            HttpResponse<String> r =
                    HttpClient.newHttpClient()
                            .send(
                                    HttpRequest.newBuilder(
                                                    URI.create(
                                                            "http://127.0.0.1:" + restPort + path))
                                            .timeout(Duration.ofSeconds(5))
                                            .build(),
                                    HttpResponse.BodyHandlers.ofString());
            return r.statusCode() == 200 ? new ObjectMapper().readTree(r.body()) : null;
        } catch (Exception e) {
            return null;
        }
    }

    /**
     * What a consumer of the exactly-once tables' changelogs sees: for DWD and the dead letters,
     * the number of keys that appear more than once (must be 0) and the number of records.
     */
    static void putChangelogCounts(TableReader reader, java.util.Map<String, String> tables)
            throws Exception {
        for (TableSpec t : List.of(GridTables.DWD_GRID_TELEMETRY, GridTables.ODS_DEAD_LETTER)) {
            List<TableReader.Change> log =
                    reader.readChanges(
                            t,
                            java.util.Map.of(),
                            reader.offsets(t, new OffsetSpec.LatestSpec()),
                            Duration.ofMinutes(1));
            java.util.Map<String, Integer> perKey = new java.util.HashMap<>();
            for (TableReader.Change c : log) {
                perKey.merge(key(t, c.values), 1, Integer::sum);
            }
            long doubled = perKey.values().stream().filter(n -> n > 1).count();
            tables.put(t.name() + " keys in the changelog more than once", "" + doubled);
            tables.put(t.name() + " changelog records", "" + log.size());
        }
    }
}
