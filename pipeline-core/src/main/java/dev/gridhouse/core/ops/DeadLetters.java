package dev.gridhouse.core.ops;

import dev.gridhouse.core.catalog.TableSpec;
import dev.gridhouse.core.io.FlussEndpoint;
import dev.gridhouse.core.io.FlussIo;
import dev.gridhouse.core.model.DeadLetter;
import dev.gridhouse.core.model.RejectReason;
import java.util.EnumMap;
import java.util.Map;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.DataStreamSink;
import org.apache.flink.util.OutputTag;

/** The side output every operator routes rejected records to, and its per-reason counters. */
public final class DeadLetters {
    /** Side output of rejected records, written to the dead-letter table. */
    public static final OutputTag<DeadLetter> TAG =
            new OutputTag<>("dead-letters", TypeInformation.of(DeadLetter.class));

    /** Name of the metric group that holds one counter per reject reason. */
    public static final String METRIC_GROUP = "deadLetters";

    private DeadLetters() {}

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
     * Writes dead letters exactly once into {@code deadLetterTable} (a primary-key table keyed by
     * {@code dead_letter_id}) ({@link FlussIo#writeCommitted}): they appear when the checkpoint
     * that covers them completes.
     */
    public static DataStreamSink<DeadLetter> write(
            DataStream<DeadLetter> deadLetters,
            FlussEndpoint fluss,
            TableSpec deadLetterTable,
            String uidPrefix,
            int parallelism) {
        return FlussIo.writeCommitted(
                deadLetters,
                fluss,
                deadLetterTable,
                DeadLetter.class,
                (d, key) -> d.deadLetterId = key,
                uidPrefix,
                parallelism);
    }
}
