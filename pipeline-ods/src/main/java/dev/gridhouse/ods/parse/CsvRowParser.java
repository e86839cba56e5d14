package dev.gridhouse.ods.parse;

import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvParser;
import dev.gridhouse.core.model.DeadLetter;
import dev.gridhouse.core.model.RejectReason;
import java.io.Serializable;
import java.util.List;
import javax.annotation.Nullable;
import org.apache.flink.types.Either;

/**
 * Parses and validates the lines of one kind of dimension CSV file (devices, substations, lines):
 * the header row (the table's column names in contract order) is recognised and skipped; every
 * other line is split with Jackson's CSV reader, checked for its column count ({@code MALFORMED})
 * and for empty required columns ({@code MISSING_FIELD}), then turned into a row by {@link #toRow},
 * or into a dead letter with {@link #source()}. Never throws on input.
 *
 * @param <T> the typed row
 */
public abstract class CsvRowParser<T> implements Serializable {
    private static final long serialVersionUID = 1L;

    private final String source;
    private final List<String> header;
    private transient ObjectReader reader;

    /**
     * @param source the dead-letter {@code source} of rejected lines, e.g. {@code devices}
     * @param header the column names, in file order
     */
    protected CsvRowParser(String source, List<String> header) {
        this.source = source;
        this.header = header;
    }

    /** The dead-letter {@code source} of rejected lines, e.g. {@code devices}. */
    public final String source() {
        return source;
    }

    /** True for the header line, which carries no row. */
    public final boolean isHeader(String line) {
        return line != null && line.trim().equals(String.join(",", header));
    }

    /** The row, or a dead letter (with {@link #source()}) if the line breaks the contract. */
    public final Either<DeadLetter, T> parse(String line, long now) {
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
        if (f.length != header.size()) {
            return reject(
                    RejectReason.MALFORMED,
                    "expected " + header.size() + " columns, found " + f.length,
                    line,
                    now);
        }
        for (int i = 0; i < f.length; i++) {
            f[i] = f[i].trim();
            if (f[i].isEmpty() && !isOptional(i)) {
                return reject(RejectReason.MISSING_FIELD, header.get(i), line, now);
            }
        }
        return toRow(f, line, now);
    }

    /** Whether column {@code i} may be empty; none by default. */
    protected boolean isOptional(int i) {
        return false;
    }

    /**
     * The row of trimmed, non-empty (unless optional) fields of the right count, or a dead letter
     * ({@link #reject}) naming the column that breaks the contract.
     */
    protected abstract Either<DeadLetter, T> toRow(String[] fields, String line, long now);

    /** A dead letter of this file's source. */
    protected final Either<DeadLetter, T> reject(
            RejectReason reason, String detail, @Nullable String line, long now) {
        return Either.Left(new DeadLetter(source, reason, detail, line, null, now));
    }

    /** The number, or null if the text is not one. */
    protected static @Nullable Double parseDouble(String s) {
        try {
            return Double.parseDouble(s);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private ObjectReader reader() {
        if (reader == null) {
            CsvMapper mapper = new CsvMapper();
            mapper.enable(CsvParser.Feature.WRAP_AS_ARRAY);
            reader = mapper.readerFor(String[].class);
        }
        return reader;
    }
}
