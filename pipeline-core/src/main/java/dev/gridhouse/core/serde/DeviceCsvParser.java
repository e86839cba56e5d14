package dev.gridhouse.core.serde;

import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvParser;
import dev.gridhouse.core.catalog.GridTables;
import dev.gridhouse.core.model.DeadLetter;
import dev.gridhouse.core.model.Device;
import dev.gridhouse.core.model.RejectReason;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import javax.annotation.Nullable;
import org.apache.flink.types.Either;

/**
 * Parses and validates one line of a device CSV file (contract §1.1; header row = the column names
 * of {@code ods_devices} in contract order). Returns {@code Right(device)} or {@code
 * Left(deadLetter)} with {@code source = devices}; never throws on input. {@code updated_at} is
 * ISO-8601 or epoch milliseconds; empty means 0 (unknown).
 */
public final class DeviceCsvParser implements CsvRowParser<Device> {
    private static final long serialVersionUID = 1L;

    public static final String SOURCE = "devices";
    public static final Set<String> DEVICE_TYPES =
            new HashSet<>(Arrays.asList("GENERATOR", "TRANSFORMER", "FEEDER", "BREAKER"));
    public static final Set<String> STATUSES =
            new HashSet<>(Arrays.asList("IN_SERVICE", "MAINTENANCE", "OUT_OF_SERVICE"));

    private static final List<String> HEADER = GridTables.ODS_DEVICES.columnNames();

    private transient ObjectReader reader;

    @Override
    public String source() {
        return SOURCE;
    }

    /** True for the header line, which carries no device. */
    @Override
    public boolean isHeader(String line) {
        return line != null && line.trim().equals(String.join(",", HEADER));
    }

    /** A device, or a dead letter if the line breaks the contract. */
    @Override
    public Either<DeadLetter, Device> parse(String line, long now) {
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
            if (f[i].isEmpty() && i != 8) {
                return reject(RejectReason.MISSING_FIELD, HEADER.get(i), line, now);
            }
        }
        Double capacity = parseDouble(f[5]);
        if (capacity == null) {
            return reject(RejectReason.INVALID_TYPE, "capacity_mw", line, now);
        }
        Double voltage = parseDouble(f[6]);
        if (voltage == null) {
            return reject(RejectReason.INVALID_TYPE, "rated_voltage_kv", line, now);
        }
        Long updatedAt = f[8].isEmpty() ? Long.valueOf(0L) : parseTime(f[8]);
        if (updatedAt == null) {
            return reject(RejectReason.INVALID_TYPE, "updated_at", line, now);
        }
        if (!DEVICE_TYPES.contains(f[2])) {
            return reject(RejectReason.INVALID_VALUE, "device_type", line, now);
        }
        if (!STATUSES.contains(f[7])) {
            return reject(RejectReason.INVALID_VALUE, "status", line, now);
        }
        if (!Double.isFinite(capacity)) {
            return reject(RejectReason.INVALID_VALUE, "capacity_mw", line, now);
        }
        if (!Double.isFinite(voltage)) {
            return reject(RejectReason.INVALID_VALUE, "rated_voltage_kv", line, now);
        }
        if (capacity <= 0) {
            return reject(RejectReason.OUT_OF_RANGE, "capacity_mw", line, now);
        }
        if (voltage <= 0) {
            return reject(RejectReason.OUT_OF_RANGE, "rated_voltage_kv", line, now);
        }
        return Either.Right(
                new Device(f[0], f[1], f[2], f[3], f[4], capacity, voltage, f[7], updatedAt));
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

    private static @Nullable Long parseTime(String s) {
        try {
            return Long.parseLong(s);
        } catch (NumberFormatException e) {
            try {
                return Instant.parse(s).toEpochMilli();
            } catch (DateTimeParseException e2) {
                return null;
            }
        }
    }

    private static Either<DeadLetter, Device> reject(
            RejectReason reason, String detail, String line, long now) {
        return Either.Left(new DeadLetter(SOURCE, reason, detail, line, null, now));
    }
}
