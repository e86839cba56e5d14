package dev.gridhouse.ads.ops;

import dev.gridhouse.contract.grid.GridLine;
import dev.gridhouse.contract.grid.GridTables;
import dev.gridhouse.contract.grid.Substation;
import dev.gridhouse.core.io.FlussEndpoint;
import dev.gridhouse.core.ops.DimensionMirror;
import java.io.Serializable;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.annotation.Nullable;

/**
 * Where the {@link DispatchDecider} gets the grid topology: substations with their capacities and
 * the lines between them. Created on the client, shipped with the operator, opened in it.
 */
public interface GridTopology extends Serializable {

    /** Opens the topology inside the operator (e.g. starts loading a mirror). */
    void open() throws Exception;

    /** Blocks until the topology is complete, at most {@code timeout}. */
    void awaitLoaded(Duration timeout) throws Exception;

    /** The current substations. */
    Collection<Substation> substations();

    /** The substation with this id, or null. */
    @Nullable
    Substation substation(String substationId);

    /** The current lines (open and closed). */
    Collection<GridLine> lines();

    /**
     * The current lines (open and closed) with {@code substationId} at either end. The default
     * scans {@link #lines()}; the built-in topologies keep an index.
     */
    default List<GridLine> linesOf(String substationId) {
        List<GridLine> out = new ArrayList<>();
        for (GridLine l : lines()) {
            if (substationId.equals(l.fromSubstationId) || substationId.equals(l.toSubstationId)) {
                out.add(l);
            }
        }
        return out;
    }

    /** Lines by the substations at their ends. */
    static Map<String, List<GridLine>> indexByEnd(Collection<GridLine> lines) {
        Map<String, List<GridLine>> byEnd = new HashMap<>();
        for (GridLine l : lines) {
            if (l.fromSubstationId != null) {
                byEnd.computeIfAbsent(l.fromSubstationId, k -> new ArrayList<>()).add(l);
            }
            if (l.toSubstationId != null && !l.toSubstationId.equals(l.fromSubstationId)) {
                byEnd.computeIfAbsent(l.toSubstationId, k -> new ArrayList<>()).add(l);
            }
        }
        return byEnd;
    }

    void close() throws Exception;

    /**
     * The live topology of {@code ods_substations} and {@code ods_lines}: in-memory mirrors of the
     * Fluss tables (KV snapshot, then the changelog), so a line opened or closed is seen by the
     * next decision.
     */
    static GridTopology flussMirror(FlussEndpoint fluss) {
        return new FlussMirrorTopology(fluss);
    }

    /** A fixed topology shipped with the job (for pipelines whose topology lives elsewhere). */
    static GridTopology fixed(List<Substation> substations, List<GridLine> lines) {
        return new FixedTopology(substations, lines);
    }

    /** {@link #flussMirror}. */
    final class FlussMirrorTopology implements GridTopology {
        private static final long serialVersionUID = 1L;
        private final FlussEndpoint fluss;
        private transient DimensionMirror<Substation> substations;
        private transient DimensionMirror<GridLine> lines;
        private transient Map<String, List<GridLine>> linesByEnd;
        private transient long indexedVersion;

        FlussMirrorTopology(FlussEndpoint fluss) {
            this.fluss = fluss;
        }

        @Override
        public void open() {
            substations = new DimensionMirror<>(fluss, GridTables.ODS_SUBSTATIONS);
            lines = new DimensionMirror<>(fluss, GridTables.ODS_LINES);
            substations.start();
            lines.start();
        }

        @Override
        public void awaitLoaded(Duration timeout) throws Exception {
            substations.awaitLoaded(timeout);
            lines.awaitLoaded(timeout);
        }

        @Override
        public Collection<Substation> substations() {
            return substations.values();
        }

        @Override
        public Substation substation(String substationId) {
            return substations.get(new Object[] {substationId});
        }

        @Override
        public Collection<GridLine> lines() {
            return lines.values();
        }

        /** From an index rebuilt only when the lines' mirror changed since the last call. */
        @Override
        public List<GridLine> linesOf(String substationId) {
            long v = lines.version();
            if (linesByEnd == null || v != indexedVersion) {
                linesByEnd = GridTopology.indexByEnd(lines.values());
                indexedVersion = v; // a change during the rebuild bumps it again: next call redoes
            }
            return linesByEnd.getOrDefault(substationId, Collections.emptyList());
        }

        @Override
        public void close() throws Exception {
            for (DimensionMirror<?> m : new DimensionMirror<?>[] {substations, lines}) {
                if (m != null) {
                    m.close();
                }
            }
        }
    }

    /** {@link #fixed}: copies of the rows, serialized with the operator. */
    final class FixedTopology implements GridTopology {
        private static final long serialVersionUID = 1L;
        private final ArrayList<Substation> substations;
        private final ArrayList<GridLine> lines;
        private transient Map<String, Substation> byId;
        private transient Map<String, List<GridLine>> linesByEnd;

        FixedTopology(List<Substation> substations, List<GridLine> lines) {
            this.substations = new ArrayList<>(substations);
            this.lines = new ArrayList<>(lines);
        }

        @Override
        public Substation substation(String substationId) {
            if (byId == null) {
                Map<String, Substation> m = new HashMap<>();
                for (Substation s : substations) {
                    m.put(s.substationId, s);
                }
                byId = m;
            }
            return byId.get(substationId);
        }

        @Override
        public List<GridLine> linesOf(String substationId) {
            if (linesByEnd == null) {
                linesByEnd = GridTopology.indexByEnd(lines);
            }
            return linesByEnd.getOrDefault(substationId, Collections.emptyList());
        }

        @Override
        public void open() {}

        @Override
        public void awaitLoaded(Duration timeout) {}

        @Override
        public Collection<Substation> substations() {
            return Collections.unmodifiableList(substations);
        }

        @Override
        public Collection<GridLine> lines() {
            return Collections.unmodifiableList(lines);
        }

        @Override
        public void close() {}
    }
}
