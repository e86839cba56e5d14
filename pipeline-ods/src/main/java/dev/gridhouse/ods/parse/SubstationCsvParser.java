package dev.gridhouse.ods.parse;

import dev.gridhouse.contract.grid.GridTables;
import dev.gridhouse.contract.grid.Substation;
import dev.gridhouse.core.model.DeadLetter;
import dev.gridhouse.core.model.RejectReason;
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
public final class SubstationCsvParser extends CsvRowParser<Substation> {
    private static final long serialVersionUID = 1L;

    public static final String SOURCE = "substations";

    public SubstationCsvParser() {
        super(SOURCE, GridTables.ODS_SUBSTATIONS.columnNames());
    }

    /** A substation, or a dead letter if the line breaks the contract. */
    @Override
    protected Either<DeadLetter, Substation> toRow(String[] f, String line, long now) {
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
}
