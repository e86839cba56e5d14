package dev.gridhouse.ods.cdc;

import dev.gridhouse.contract.service.ServiceChange;
import dev.gridhouse.contract.service.ServiceTables;
import dev.gridhouse.contract.service.TicketLog;
import dev.gridhouse.core.config.GridOptions;
import dev.gridhouse.core.config.JobSetup;
import dev.gridhouse.core.io.FlussEndpoint;
import dev.gridhouse.core.io.FlussIo;
import dev.gridhouse.core.model.DeadLetter;
import dev.gridhouse.core.model.RejectReason;
import dev.gridhouse.core.ops.DeadLetters;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.java.functions.KeySelector;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.DataStreamSource;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * The ODS layer of the ticket warehouse (service contract §1): the shared PostgreSQL CDC source
 * ({@link PostgresDimensions#source(PostgresSettings, String, List,
 * org.apache.flink.cdc.debezium.DebeziumDeserializationSchema)}) over {@code service.agents},
 * {@code service.tickets} and {@code service.ticket_logs}, typed {@link ServiceChange}s checked by
 * {@link ServiceRows}, then upserts and deletes into {@code ods_agents} and {@code ods_tickets},
 * appends into the log table {@code ods_ticket_logs}, rejects into {@code ods_dead_letter}.
 */
public final class PostgresTickets {
    public static final String SCHEMA = "service";

    public static final OutputTag<ServiceChange> TICKETS =
            new OutputTag<>("tickets", TypeInformation.of(ServiceChange.class));
    public static final OutputTag<TicketLog> TICKET_LOGS =
            new OutputTag<>("ticket-logs", TypeInformation.of(TicketLog.class));

    private PostgresTickets() {}

    /**
     * Adds source, checks and the three ODS writers to {@code env}; the rejects are added to {@code
     * deadLetters} for the job's dead-letter writer.
     */
    public static void build(
            StreamExecutionEnvironment env,
            Configuration conf,
            FlussEndpoint fluss,
            String uid,
            List<DataStream<DeadLetter>> deadLetters,
            Map<String, String> environment) {
        PostgresSettings pg = PostgresSettings.of(conf, uid, "ods_service", environment);
        JobSetup.ensureTables(fluss, conf.get(GridOptions.FLUSS_BUCKETS), ServiceTables.ods());
        DataStreamSource<ServiceChange> changes =
                env.fromSource(
                        PostgresDimensions.source(
                                pg,
                                SCHEMA,
                                Arrays.asList(
                                        ServiceChange.AGENTS,
                                        ServiceChange.TICKETS,
                                        ServiceChange.TICKET_LOGS),
                                new ServiceChangeDeserializer()),
                        WatermarkStrategy.noWatermarks(),
                        "PostgreSQL CDC : service.agents, service.tickets, service.ticket_logs");
        changes.uid(uid + "-ods-pg-cdc-service-source");

        SingleOutputStreamOperator<ServiceChange> agents = route(changes, uid);
        deadLetters.add(agents.getSideOutput(DeadLetters.TAG));
        FlussIo.writeChangelog(agents, fluss, ServiceTables.ODS_AGENTS, uid + "-ods");
        FlussIo.writeChangelog(
                agents.getSideOutput(TICKETS), fluss, ServiceTables.ODS_TICKETS, uid + "-ods");
        FlussIo.write(
                agents.getSideOutput(TICKET_LOGS),
                fluss,
                ServiceTables.ODS_TICKET_LOGS,
                uid + "-ods",
                -1);
    }

    /**
     * Keys the changes by table and primary key (every change of a row reaches the same writer in
     * order) and splits them: agents in the main output, tickets in {@link #TICKETS}, ticket logs
     * in {@link #TICKET_LOGS}, rejects in {@link DeadLetters#TAG}.
     */
    public static SingleOutputStreamOperator<ServiceChange> route(
            DataStream<ServiceChange> changes, String uid) {
        return changes.keyBy(new RowKey())
                .process(new Route())
                .name("Validate : service tables")
                .uid(uid + "-ods-validate-service");
    }

    /** {@code table|primary key} of a change; rejects are keyed by table only. */
    static final class RowKey implements KeySelector<ServiceChange, String> {
        private static final long serialVersionUID = 1L;

        @Override
        public String getKey(ServiceChange c) {
            if (c.agent != null) {
                return c.table + "|" + c.agent.agentId;
            } else if (c.ticket != null) {
                return c.table + "|" + c.ticket.ticketId;
            } else if (c.ticketLog != null) {
                return c.table + "|" + c.ticketLog.logId;
            }
            return c.table + "|";
        }
    }

    /** Splits valid changes by table and routes rejects to the dead letter. */
    static final class Route extends ProcessFunction<ServiceChange, ServiceChange> {
        private static final long serialVersionUID = 1L;
        private transient Map<RejectReason, Counter> rejected;
        private transient Counter accepted;

        @Override
        public void open(Configuration parameters) {
            rejected = DeadLetters.counters(getRuntimeContext().getMetricGroup());
            accepted = getRuntimeContext().getMetricGroup().counter("accepted");
        }

        @Override
        public void processElement(ServiceChange c, Context ctx, Collector<ServiceChange> out) {
            if (c.rejected != null) {
                rejected.get(RejectReason.valueOf(c.rejected.reason)).inc();
                ctx.output(DeadLetters.TAG, c.rejected);
                return;
            }
            accepted.inc();
            if (c.agent != null) {
                out.collect(c);
            } else if (c.ticket != null) {
                ctx.output(TICKETS, c);
            } else if (c.ticketLog != null) {
                ctx.output(TICKET_LOGS, c.ticketLog);
            }
        }
    }
}
