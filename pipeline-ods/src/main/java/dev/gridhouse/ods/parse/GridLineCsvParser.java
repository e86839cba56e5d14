package dev.gridhouse.ods.parse;

import dev.gridhouse.contract.grid.GridLine;
import dev.gridhouse.contract.grid.GridTables;
import dev.gridhouse.core.model.DeadLetter;
import dev.gridhouse.core.model.RejectReason;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
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
public final class GridLineCsvParser extends CsvRowParser<GridLine> {
    private static final long serialVersionUID = 1L;

    public static final String SOURCE = "lines";
    public static final Set<String> STATUSES =
            new HashSet<>(Arrays.asList(GridLine.CLOSED, GridLine.OPEN));

    public GridLineCsvParser() {
        super(SOURCE, GridTables.ODS_LINES.columnNames());
    }

    /** A grid line, or a dead letter if the CSV line breaks the contract. */
    @Override
    protected Either<DeadLetter, GridLine> toRow(String[] f, String line, long now) {
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
}
