package dev.gridhouse.core.serde;

import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvParser;
import dev.gridhouse.core.catalog.GridTables;
import dev.gridhouse.core.model.DeadLetter;
import dev.gridhouse.core.model.GridLine;
import dev.gridhouse.core.model.RejectReason;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import javax.annotation.Nullable;
import org.apache.flink.types.Either;

/**
 * Parses and validates one line of a line CSV file (contract §1.2; header row = the column names of
 * {@code ods_lines} in contract order: {@code line_id, from_substation_id, to_substation_id,
 * capacity_mw, status}). Returns {@code Right(line)} or {@code Left(deadLetter)} with {@code source
 * = lines}; never throws on input. Checks run in the order of {@link DeviceCsvParser}: column count
 * ({@code MALFORMED}), an empty column ({@code MISSING_FIELD}), a capacity that does not parse
 * ({@code INVALID_TYPE}), a status other than {@code CLOSED} or {@code OPEN} or a capacity that is
 * not finite ({@code INVALID_VALUE}), a capacity ≤ 0 ({@code OUT_OF_RANGE}); the detail is the
 * column.
 */
public final class GridLineCsvParser implements CsvRowParser<GridLine> {
    private static final long serialVersionUID = 1L;

    public static final String SOURCE = "lines";
    public static final Set<String> STATUSES =
            new HashSet<>(Arrays.asList(GridLine.CLOSED, GridLine.OPEN));

    private static final List<String> HEADER = GridTables.ODS_LINES.columnNames();

    private transient ObjectReader reader;

    @Override
    public String source() {
        return SOURCE;
    }

    /** True for the header line, which carries no line. */
    @Override
    public boolean isHeader(String line) {
        return line != null && line.trim().equals(String.join(",", HEADER));
    }

    /** A grid line, or a dead letter if the CSV line breaks the contract. */
    @Override
    public Either<DeadLetter, GridLine> parse(String line, long now) {
        if (line == null || line.trim().isEmpty()) {
            return reject(RejectReason.MALFORMED, "empty line", line, now);
        }
        String[] f;
        try {
            try (MappingIterator<String[]> it = reader().readValues(line)) {
                f = it.hasNext() ? it.next() : new String[0];
            }
        } catch (Exception e) {
            return reject(RejectReason.MALFORMED, String.valueOf(e.getMessage()), line, now);
        }
        if (f.length != HEADER.size()) {
            return reject(
                    RejectReason.MALFORMED,
                    "expected " + HEADER.size() + " columns, found " + f.length,
                    line,
                    now);
        }
        for (int i = 0; i < f.length; i++) {
            f[i] = f[i].trim();
            if (f[i].isEmpty()) {
                return reject(RejectReason.MISSING_FIELD, HEADER.get(i), line, now);
            }
        }
        Double capacity = parseDouble(f[3]);
        if (capacity == null) {
            return reject(RejectReason.INVALID_TYPE, "capacity_mw", line, now);
        }
        if (!STATUSES.contains(f[4])) {
            return reject(RejectReason.INVALID_VALUE, "status", line, now);
        }
        if (!Double.isFinite(capacity)) {
            return reject(RejectReason.INVALID_VALUE, "capacity_mw", line, now);
        }
        if (capacity <= 0) {
            return reject(RejectReason.OUT_OF_RANGE, "capacity_mw", line, now);
        }
        return Either.Right(new GridLine(f[0], f[1], f[2], capacity, f[4]));
    }

    private ObjectReader reader() {
        if (reader == null) {
            CsvMapper mapper = new CsvMapper();
            mapper.enable(CsvParser.Feature.WRAP_AS_ARRAY);
            reader = mapper.readerFor(String[].class);
        }
        return reader;
    }

    private static @Nullable Double parseDouble(String s) {
        try {
            return Double.parseDouble(s);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static Either<DeadLetter, GridLine> reject(
            RejectReason reason, String detail, String line, long now) {
        return Either.Left(new DeadLetter(SOURCE, reason, detail, line, null, now));
    }
}
