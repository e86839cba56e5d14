package dev.gridhouse.deploy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import dev.gridhouse.core.catalog.TableSpec;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import org.apache.fluss.row.TimestampLtz;
import org.apache.fluss.row.TimestampNtz;

/**
 * Renders table rows the way {@code gridhouse} prints and dumps them: CSV with the contract's
 * column names as header, timestamps as ISO-8601 UTC with milliseconds and {@code Z}, doubles as
 * {@link Double#toString}, null as an empty field; also JSON lines and an aligned text table.
 */
public final class TableFormat {
    private static final DateTimeFormatter ISO_MILLIS =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);
    private static final CsvMapper CSV = new CsvMapper();
    private static final ObjectMapper JSON = new ObjectMapper();

    private TableFormat() {}

    /** A value as text; null stays null. */
    public static String text(Object v) {
        if (v == null) {
            return null;
        }
        if (v instanceof TimestampNtz) {
            return ISO_MILLIS.format(Instant.ofEpochMilli(((TimestampNtz) v).getMillisecond()));
        }
        if (v instanceof TimestampLtz) {
            return ISO_MILLIS.format(
                    Instant.ofEpochMilli(((TimestampLtz) v).getEpochMillisecond()));
        }
        return v.toString();
    }

    public static void writeCsv(TableSpec spec, List<Object[]> rows, Writer out)
            throws IOException {
        CsvSchema.Builder schema = CsvSchema.builder().setUseHeader(false);
        List<String> header = spec.columnNames();
        List<String[]> lines = new ArrayList<>(rows.size() + 1);
        lines.add(header.toArray(new String[0]));
        for (Object[] row : rows) {
            String[] line = new String[row.length];
            for (int i = 0; i < row.length; i++) {
                String t = text(row[i]);
                line[i] = t == null ? "" : t;
            }
            lines.add(line);
        }
        CSV.writer(schema.build()).writeValues(out).writeAll(lines).flush();
    }

    public static void writeJsonLines(TableSpec spec, List<Object[]> rows, Writer out)
            throws IOException {
        List<String> names = spec.columnNames();
        for (Object[] row : rows) {
            out.write(JSON.writeValueAsString(jsonRow(names, row)));
            out.write('\n');
        }
        out.flush();
    }

    /**
     * A row as a JSON object keyed by column name: doubles, longs and integers as JSON numbers,
     * null as JSON null, anything else as its {@link #text} (timestamps as ISO-8601 UTC).
     */
    public static ObjectNode jsonRow(List<String> names, Object[] row) {
        ObjectNode node = JSON.createObjectNode();
        for (int i = 0; i < row.length; i++) {
            Object v = row[i];
            if (v == null) {
                node.putNull(names.get(i));
            } else if (v instanceof Double) {
                node.put(names.get(i), (Double) v);
            } else if (v instanceof Long) {
                node.put(names.get(i), (Long) v);
            } else if (v instanceof Integer) {
                node.put(names.get(i), (Integer) v);
            } else {
                node.put(names.get(i), text(v));
            }
        }
        return node;
    }

    /** An aligned text table of the given columns. */
    public static String table(List<String> header, List<String[]> rows) {
        int[] width = new int[header.size()];
        for (int i = 0; i < width.length; i++) {
            width[i] = header.get(i).length();
            for (String[] r : rows) {
                width[i] = Math.max(width[i], r[i] == null ? 0 : r[i].length());
            }
        }
        StringBuilder sb = new StringBuilder();
        appendRow(sb, header.toArray(new String[0]), width);
        for (int i = 0; i < width.length; i++) {
            sb.append(i == 0 ? "" : "  ").append("-".repeat(width[i]));
        }
        sb.append('\n');
        for (String[] r : rows) {
            appendRow(sb, r, width);
        }
        return sb.toString();
    }

    private static void appendRow(StringBuilder sb, String[] cells, int[] width) {
        for (int i = 0; i < cells.length; i++) {
            String c = cells[i] == null ? "" : cells[i];
            sb.append(i == 0 ? "" : "  ").append(c);
            sb.append(" ".repeat(width[i] - c.length()));
        }
        sb.append('\n');
    }

    public static List<String[]> asText(List<Object[]> rows) {
        List<String[]> out = new ArrayList<>(rows.size());
        for (Object[] r : rows) {
            String[] t = new String[r.length];
            for (int i = 0; i < r.length; i++) {
                t[i] = text(r[i]);
            }
            out.add(t);
        }
        return out;
    }

    /** Prints rows as {@code table} (aligned text and a row count), {@code csv} or {@code json}. */
    public static void print(TableSpec spec, List<Object[]> rows, String format, PrintStream out)
            throws IOException {
        Writer w = new OutputStreamWriter(out, StandardCharsets.UTF_8);
        switch (format) {
            case "csv":
                writeCsv(spec, rows, w);
                break;
            case "json":
                writeJsonLines(spec, rows, w);
                break;
            case "table":
                w.write(table(spec.columnNames(), asText(rows)));
                w.write("(" + rows.size() + " rows)\n");
                w.flush();
                break;
            default:
                throw new IllegalArgumentException("--format must be table, csv or json");
        }
    }
}
