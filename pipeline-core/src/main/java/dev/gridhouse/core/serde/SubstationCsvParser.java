package dev.gridhouse.core.serde;

import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvParser;
import dev.gridhouse.core.catalog.GridTables;
import dev.gridhouse.core.model.DeadLetter;
import dev.gridhouse.core.model.RejectReason;
import dev.gridhouse.core.model.Substation;
import java.util.List;
import javax.annotation.Nullable;
import org.apache.flink.types.Either;

/**
 * Parses and validates one line of a substation CSV file (contract §1.2; header row = the column
 * names of {@code ods_substations} in contract order: {@code substation_id, substation_name,
 * region, voltage_level_kv, capacity_mw}). Returns {@code Right(substation)} or {@code
 * Left(deadLetter)} with {@code source = substations}; never throws on input. Checks run in the
 * order of {@link DeviceCsvParser}: column count ({@code MALFORMED}), an empty column ({@code
 * MISSING_FIELD}), a number that does not parse ({@code INVALID_TYPE}), a number that is not finite
 * ({@code INVALID_VALUE}), a voltage or capacity ≤ 0 ({@code OUT_OF_RANGE}); the detail is the
 * column.
 */
public final class SubstationCsvParser implements CsvRowParser<Substation> {
    private static final long serialVersionUID = 1L;

    public static final String SOURCE = "substations";

    private static final List<String> HEADER = GridTables.ODS_SUBSTATIONS.columnNames();

    private transient ObjectReader reader;

    @Override
    public String source() {
        return SOURCE;
    }

    /** True for the header line, which carries no substation. */
    @Override
    public boolean isHeader(String line) {
        return line != null && line.trim().equals(String.join(",", HEADER));
    }

    /** A substation, or a dead letter if the line breaks the contract. */
    @Override
    public Either<DeadLetter, Substation> parse(String line, long now) {
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
        Double voltage = parseDouble(f[3]);
        if (voltage == null) {
            return reject(RejectReason.INVALID_TYPE, "voltage_level_kv", line, now);
        }
        Double capacity = parseDouble(f[4]);
        if (capacity == null) {
            return reject(RejectReason.INVALID_TYPE, "capacity_mw", line, now);
        }
        if (!Double.isFinite(voltage)) {
            return reject(RejectReason.INVALID_VALUE, "voltage_level_kv", line, now);
        }
        if (!Double.isFinite(capacity)) {
            return reject(RejectReason.INVALID_VALUE, "capacity_mw", line, now);
        }
        if (voltage <= 0) {
            return reject(RejectReason.OUT_OF_RANGE, "voltage_level_kv", line, now);
        }
        if (capacity <= 0) {
            return reject(RejectReason.OUT_OF_RANGE, "capacity_mw", line, now);
        }
        return Either.Right(new Substation(f[0], f[1], f[2], voltage, capacity));
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

    private static Either<DeadLetter, Substation> reject(
            RejectReason reason, String detail, String line, long now) {
        return Either.Left(new DeadLetter(SOURCE, reason, detail, line, null, now));
    }
}
