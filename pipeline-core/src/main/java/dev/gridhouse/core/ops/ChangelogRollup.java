package dev.gridhouse.core.ops;

import dev.gridhouse.core.model.RowChange;
import java.io.Serializable;
import java.util.List;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.PrimitiveArrayTypeInfo;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Changelog-aware aggregation of a primary-key table (upserts and deletes) into groups, so that
 * every aggregate equals the same GROUP BY over the table's current rows, whatever mix of inserts,
 * updates (moving a row between groups) and deletes arrives.
 *
 * <ol>
 *   <li>{@link Retract}, keyed by the row's primary key, remembers the row's last version: on a
 *       change it emits the negated {@link Contribution}s of the old version, then those of the new
 *       one (none for a delete).
 *   <li>{@link Sum}, keyed by {@link Contribution#group}, adds the vectors in keyed state and emits
 *       the group's current result as a {@link RowChange} (an upsert, or a delete once the group is
 *       empty), ready for {@code FlussIo.writeChangelog}.
 * </ol>
 *
 * Integer measures make the totals exact and independent of arrival order, so the result converges
 * to the SQL answer whatever the parallelism.
 */
public final class ChangelogRollup {
    private ChangelogRollup() {}

    /** The contributions one row makes; an empty list for a row that belongs to no group. */
    @FunctionalInterface
    public interface Contributor<T> extends Serializable {
        List<Contribution> of(T row);
    }

    /** The result row of a group's totals (with its delete flag set when the group is empty). */
    @FunctionalInterface
    public interface Finisher<OUT extends RowChange> extends Serializable {
        OUT finish(String group, long[] totals);
    }

    /** Stage 1: turns row changes into retractions and contributions, keyed by primary key. */
    public static final class Retract<K, C extends RowChange, T>
            extends KeyedProcessFunction<K, C, Contribution> {
        private static final long serialVersionUID = 1L;
        private final Class<T> rowClass;
        private final Contributor<T> contributor;
        private transient ValueState<T> last;

        public Retract(Class<T> rowClass, Contributor<T> contributor) {
            this.rowClass = rowClass;
            this.contributor = contributor;
        }

        @Override
        public void open(Configuration parameters) {
            last =
                    getRuntimeContext()
                            .getState(
                                    new ValueStateDescriptor<>(
                                            "last-row", TypeInformation.of(rowClass)));
        }

        @Override
        public void processElement(C change, Context ctx, Collector<Contribution> out)
                throws Exception {
            T previous = last.value();
            if (previous != null) {
                for (Contribution c : contributor.of(previous)) {
                    out.collect(c.negate());
                }
            }
            if (change.isDelete()) {
                last.clear();
                return;
            }
            T row = rowClass.cast(change.row());
            for (Contribution c : contributor.of(row)) {
                out.collect(c);
            }
            last.update(row);
        }
    }

    /** Stage 2: sums the contributions of a group and emits its current result. */
    public static final class Sum<OUT extends RowChange>
            extends KeyedProcessFunction<String, Contribution, OUT> {
        private static final long serialVersionUID = 1L;
        private final Finisher<OUT> finisher;
        private transient ValueState<long[]> totals;

        public Sum(Finisher<OUT> finisher) {
            this.finisher = finisher;
        }

        @Override
        public void open(Configuration parameters) {
            totals =
                    getRuntimeContext()
                            .getState(
                                    new ValueStateDescriptor<>(
                                            "totals",
                                            PrimitiveArrayTypeInfo.LONG_PRIMITIVE_ARRAY_TYPE_INFO));
        }

        @Override
        public void processElement(Contribution c, Context ctx, Collector<OUT> out)
                throws Exception {
            long[] sum = totals.value();
            if (sum == null) {
                sum = new long[c.values.length];
            }
            boolean empty = true;
            for (int i = 0; i < sum.length; i++) {
                sum[i] += c.values[i];
                empty &= sum[i] == 0;
            }
            OUT result = finisher.finish(c.group, sum);
            if (empty) {
                totals.clear();
            } else {
                totals.update(sum);
            }
            out.collect(result);
        }
    }
}
