package dev.gridhouse.core.ops;

import java.time.Duration;
import java.util.List;
import javax.annotation.Nullable;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.tuple.Tuple3;
import org.apache.flink.metrics.Counter;
import org.apache.flink.runtime.state.StateInitializationContext;
import org.apache.flink.runtime.state.StateSnapshotContext;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.api.operators.OneInputStreamOperator;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.util.OutputTag;
import org.apache.flink.util.Preconditions;
import org.apache.flink.util.function.SerializableFunction;

/**
 * Keeps records out of a tumbling event-time window that has already closed, with a frontier that
 * survives restores. Chain it directly in front of the window operator (same parallelism, forward),
 * so both see the same watermark.
 *
 * <p>Why: Flink does not checkpoint watermarks. After a failover or savepoint restore the window
 * operator starts again at watermark {@code Long.MIN_VALUE}, so a record for a window that already
 * fired and was purged opens a fresh window with only that record, which fires again and (written
 * as an upsert) replaces the complete row. This gate remembers the highest watermark it has seen
 * (the <i>frontier</i>) in operator state; after a restore a record whose window end − 1 + allowed
 * lateness ≤ frontier (Flink's own lateness test) still goes to the late side output, and a record
 * inside the allowed lateness passes and is added to the restored window state (a correction, never
 * a rebuild from a partial set).
 *
 * <p>On a restore at the same parallelism each subtask takes back its own frontier. On a rescale it
 * takes the highest frontier of all old subtasks: a record is then rather LATE than allowed to
 * re-fire a window that another subtask had already closed.
 *
 * @param <T> the record type, passed through unchanged
 */
public class ClosedWindowGate<T> extends AbstractStreamOperator<T>
        implements OneInputStreamOperator<T, T> {
    private static final long serialVersionUID = 1L;

    /** Name of the operator state that holds the frontier. */
    public static final String FRONTIER_STATE = "closed-window-frontier";

    private final long windowMs;
    private final long allowedLatenessMs;
    private final @Nullable OutputTag<T> lateTag;
    private final @Nullable SerializableFunction<T, Long> eventTime;

    private transient ListState<Tuple3<Integer, Integer, Long>> frontierState;
    private transient long frontier;
    private transient Counter late;

    /**
     * @param window size of the tumbling window behind the gate
     * @param allowedLateness the window's allowed lateness
     * @param lateTag where records for closed windows go
     * @param eventTime the record's event time; {@code null} uses the stream record's timestamp
     *     (records without one pass)
     */
    public ClosedWindowGate(
            Duration window,
            Duration allowedLateness,
            @Nullable OutputTag<T> lateTag,
            @Nullable SerializableFunction<T, Long> eventTime) {
        Preconditions.checkArgument(
                !window.isNegative() && !window.isZero(), "window must be positive: %s", window);
        Preconditions.checkArgument(
                !allowedLateness.isNegative(),
                "allowedLateness must be ≥ 0 (use Duration.ZERO for none): %s",
                allowedLateness);
        this.windowMs = window.toMillis();
        this.allowedLatenessMs = allowedLateness.toMillis();
        this.lateTag = lateTag;
        this.eventTime = eventTime;
    }

    @Override
    public void initializeState(StateInitializationContext context) throws Exception {
        super.initializeState(context);
        frontierState =
                context.getOperatorStateStore()
                        .getUnionListState(
                                new ListStateDescriptor<>(
                                        FRONTIER_STATE,
                                        Types.TUPLE(Types.INT, Types.INT, Types.LONG)));
        frontier = Long.MIN_VALUE;
        if (context.isRestored()) {
            int index = getRuntimeContext().getTaskInfo().getIndexOfThisSubtask();
            int parallelism = getRuntimeContext().getTaskInfo().getNumberOfParallelSubtasks();
            frontier = restoredFrontier(frontierState.get(), index, parallelism);
        }
    }

    /** This subtask's frontier, or on a rescale the highest of all. */
    static long restoredFrontier(
            Iterable<Tuple3<Integer, Integer, Long>> entries, int index, int parallelism) {
        long highest = Long.MIN_VALUE;
        for (Tuple3<Integer, Integer, Long> e : entries) {
            if (e.f0 == index && e.f1 == parallelism) {
                return e.f2;
            }
            highest = Math.max(highest, e.f2);
        }
        return highest;
    }

    @Override
    public void open() throws Exception {
        super.open();
        late = getMetricGroup().addGroup(DeadLetters.METRIC_GROUP).counter("LATE");
    }

    @Override
    public void snapshotState(StateSnapshotContext context) throws Exception {
        super.snapshotState(context);
        frontierState.update(
                List.of(
                        Tuple3.of(
                                getRuntimeContext().getTaskInfo().getIndexOfThisSubtask(),
                                getRuntimeContext().getTaskInfo().getNumberOfParallelSubtasks(),
                                frontier)));
    }

    @Override
    public void processWatermark(Watermark mark) throws Exception {
        frontier = Math.max(frontier, mark.getTimestamp());
        super.processWatermark(mark);
    }

    @Override
    public void processElement(StreamRecord<T> record) throws Exception {
        long ts;
        if (eventTime != null) {
            ts = eventTime.apply(record.getValue());
        } else if (record.hasTimestamp()) {
            ts = record.getTimestamp();
        } else {
            output.collect(record);
            return;
        }
        long windowStart = Math.floorDiv(ts, windowMs) * windowMs;
        if (windowStart + windowMs - 1 + allowedLatenessMs <= frontier) {
            late.inc();
            onLate(record, windowStart);
        } else {
            output.collect(record);
        }
    }

    /** Routes a record for a closed window; by default to the late side output. */
    protected void onLate(StreamRecord<T> record, long windowStart) {
        if (lateTag != null) {
            output.collect(lateTag, record);
        }
    }

    /** The highest watermark seen, restored across checkpoints (for tests and subclasses). */
    public long frontier() {
        return frontier;
    }
}
