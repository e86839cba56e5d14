package dev.gridhouse.core.serde;

import dev.gridhouse.core.model.DeadLetter;
import java.io.Serializable;
import org.apache.flink.types.Either;

/**
 * Parses and validates the lines of one kind of dimension CSV file (devices, substations, lines):
 * the header row is recognised and skipped, every other line becomes a row or a dead letter. Never
 * throws on input.
 *
 * @param <T> the typed row
 */
public interface CsvRowParser<T> extends Serializable {

    /** The dead-letter {@code source} of rejected lines, e.g. {@code devices}. */
    String source();

    /** True for the header line, which carries no row. */
    boolean isHeader(String line);

    /** The row, or a dead letter (with {@link #source()}) if the line breaks the contract. */
    Either<DeadLetter, T> parse(String line, long now);
}
