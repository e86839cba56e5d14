package dev.gridhouse.ods.parse;

import dev.gridhouse.contract.grid.Device;
import dev.gridhouse.contract.grid.GridTables;
import dev.gridhouse.core.model.DeadLetter;
import dev.gridhouse.core.model.RejectReason;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import javax.annotation.Nullable;
import org.apache.flink.types.Either;

/**
 * Parses and validates one line of a device CSV file (contract §1.1; header row = the column names
 * of {@code ods_devices} in contract order). Returns {@code Right(device)} or {@code
 * Left(deadLetter)} with {@code source = devices}; never throws on input. {@code updated_at} is
 * ISO-8601 or epoch milliseconds; empty means 0 (unknown).
 */
public final class DeviceCsvParser extends CsvRowParser<Device> {
    private static final long serialVersionUID = 1L;

    public static final String SOURCE = "devices";
    public static final Set<String> DEVICE_TYPES =
            new HashSet<>(Arrays.asList("GENERATOR", "TRANSFORMER", "FEEDER", "BREAKER"));
    public static final Set<String> STATUSES =
            new HashSet<>(Arrays.asList("IN_SERVICE", "MAINTENANCE", "OUT_OF_SERVICE"));

    public DeviceCsvParser() {
        super(SOURCE, GridTables.ODS_DEVICES.columnNames());
    }

    /** {@code updated_at} may be empty (0). */
    @Override
    protected boolean isOptional(int i) {
        return i == 8;
    }

    /** A device, or a dead letter if the line breaks the contract. */
    @Override
    protected Either<DeadLetter, Device> toRow(String[] f, String line, long now) {
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
}
