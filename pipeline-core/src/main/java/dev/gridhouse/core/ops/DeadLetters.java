package dev.gridhouse.core.ops;

import dev.gridhouse.core.catalog.GridTables;
import dev.gridhouse.core.io.FlussEndpoint;
import dev.gridhouse.core.io.FlussIo;
import dev.gridhouse.core.model.DeadLetter;
import dev.gridhouse.core.model.EnrichedTelemetry;
import dev.gridhouse.core.model.RejectReason;
import dev.gridhouse.core.model.Telemetry;
import dev.gridhouse.core.serde.ModelJson;
import java.util.EnumMap;
import java.util.Map;
import javax.annotation.Nullable;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.DataStreamSink;
import org.apache.flink.util.OutputTag;

/** The side output every operator routes rejected records to, and its per-reason counters. */
public final class DeadLetters {
    /** Side output of rejected records, written to {@code ods_dead_letter}. */
    public static final OutputTag<DeadLetter> TAG =
            new OutputTag<>("dead-letters", TypeInformation.of(DeadLetter.class));

    /** Name of the metric group that holds one counter per reject reason. */
    public static final String METRIC_GROUP = "deadLetters";

    private DeadLetters() {}

    /**
     * The dead letter of a DWD record rejected after the device join: its payload is the record's
     * telemetry part only (the ODS row as it came in, contract §4), source {@code telemetry}.
     */
    public static DeadLetter ofTelemetry(
            EnrichedTelemetry e, RejectReason reason, @Nullable String detail, long rejectedAt) {
        Telemetry plain = new Telemetry();
        plain.copyTelemetryFrom(e);
        return new DeadLetter(
                TelemetryValidator.SOURCE,
                reason,
                detail,
                ModelJson.toJson(plain),
                e.ts,
                rejectedAt);
    }

    /** Registers one counter per reason under {@code <group>.deadLetters.<REASON>}. */
    public static Map<RejectReason, Counter> counters(MetricGroup group) {
        MetricGroup g = group.addGroup(METRIC_GROUP);
        Map<RejectReason, Counter> counters = new EnumMap<>(RejectReason.class);
        for (RejectReason r : RejectReason.values()) {
            counters.put(r, g.counter(r.name()));
        }
        return counters;
    }

    /**
     * Writes dead letters exactly once into {@code ods_dead_letter} ({@link
     * FlussIo#writeCommitted}): they appear when the checkpoint that covers them completes.
     */
    public static DataStreamSink<DeadLetter> write(
            DataStream<DeadLetter> deadLetters,
            FlussEndpoint fluss,
            String uidPrefix,
            int parallelism) {
        return FlussIo.writeCommitted(
                deadLetters,
                fluss,
                GridTables.ODS_DEAD_LETTER,
                DeadLetter.class,
                (d, key) -> d.deadLetterId = key,
                uidPrefix,
                parallelism);
    }
}
