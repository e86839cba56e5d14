package dev.gridhouse.bench;

import dev.gridhouse.contract.grid.Telemetry;
import java.util.List;
import java.util.Set;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * One architecture's full grid pipeline for scenarios 4 and 6: DWD enrichment against the device
 * dimension, dedup and late routing, DWS minute/hour/day rollups, alarms, substation loads,
 * load-transfer decisions on the grid topology and the realtime view, built from the library's
 * operators onto a Flink MiniCluster in this JVM, with the architecture's own log, dimension store
 * and result store. Records processed are counted by {@link ProcessedProbe}.
 */
interface LivePipeline extends AutoCloseable {
    /** {@code fluss} or {@code kafka}, as in {@link Measurement#system}. */
    String system();

    /** What runs, for the report. */
    String variant();

    /** The tuning the architecture runs with, for the report. */
    String settings();

    /** Creates the tables/topics the job needs and adds the job's operators to {@code env}. */
    void build(StreamExecutionEnvironment env) throws Exception;

    /** Sends one telemetry record into the architecture's log (asynchronously). */
    void send(Telemetry t) throws Exception;

    /** Blocks until every record sent so far is acknowledged by the log. */
    void flush() throws Exception;

    /**
     * The ids among {@code ids} that are rows of the architecture's copy of {@code table} ({@code
     * ads_alarms} or {@code ads_dispatch_decisions}, both keyed by one string id) now.
     */
    Set<String> visible(String table, List<String> ids) throws Exception;
}
