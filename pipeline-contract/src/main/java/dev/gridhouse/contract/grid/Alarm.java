package dev.gridhouse.contract.grid;

import javax.annotation.Nullable;

/** A row of {@code ads_alarms} (contract §6), PK {@code alarm_id}. */
public class Alarm {
    public static final String ACTIVE = "ACTIVE";
    public static final String CLEARED = "CLEARED";
    public static final String MAJOR = "MAJOR";
    public static final String CRITICAL = "CRITICAL";

    /** {@code <device_id>:<alarm_type>:<raised_at epoch ms>} — the same on every replay. */
    public String alarmId;

    public String deviceId;
    public String substationId;
    public String region;

    /** FREQUENCY_DEVIATION, OVERLOAD, VOLTAGE_DEVIATION, OVER_TEMPERATURE or DEVICE_FAULT. */
    public String alarmType;

    public String severity;
    public String status;

    /** Event time of the record that raised it, epoch ms. */
    public long raisedAt;

    /** Event time of the first record where the condition no longer held, epoch ms. */
    public @Nullable Long clearedAt;

    /** The measured quantity the rule compares (see {@code AlarmRules}). */
    public double value;

    /** The bound that {@link #value} crossed for this severity. */
    public double threshold;

    /**
     * Event time of the record that caused this change (raise, severity change or clear), epoch ms.
     * Not a table column: it feeds the dispatch decision's latency.
     */
    public long eventTs;

    public Alarm() {}

    public boolean isActive() {
        return ACTIVE.equals(status);
    }

    /** A copy, so that an emitted row is never changed afterwards. */
    public Alarm copy() {
        Alarm a = new Alarm();
        a.alarmId = alarmId;
        a.deviceId = deviceId;
        a.substationId = substationId;
        a.region = region;
        a.alarmType = alarmType;
        a.severity = severity;
        a.status = status;
        a.raisedAt = raisedAt;
        a.clearedAt = clearedAt;
        a.value = value;
        a.threshold = threshold;
        a.eventTs = eventTs;
        return a;
    }

    @Override
    public String toString() {
        return "Alarm{" + alarmId + ", " + severity + ", " + status + ", value=" + value + '}';
    }
}
