package dev.gridhouse.ods.cdc;

import dev.gridhouse.contract.service.ServiceChange;
import dev.gridhouse.contract.service.ServiceTables;
import dev.gridhouse.contract.service.TicketLog;
import dev.gridhouse.core.config.CommonOptions;
import dev.gridhouse.core.config.JobSetup;
import dev.gridhouse.core.io.FlussEndpoint;
import dev.gridhouse.core.io.FlussIo;
import dev.gridhouse.core.model.DeadLetter;
import dev.gridhouse.core.ops.DeadLetters;
import java.util.List;
import java.util.Map;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.util.OutputTag;

/**
 * The ODS layer of the ticket warehouse (service contract §1): the shared PostgreSQL CDC path
 * ({@link PostgresCdc}) over {@code service.agents}, {@code service.tickets} and {@code
 * service.ticket_logs}, typed {@link ServiceChange}s checked by {@link ServiceRows#CDC}, then
 * upserts and deletes into {@code ods_agents} and {@code ods_tickets}, appends into the log table
 * {@code ods_ticket_logs}, rejects into {@code ods_dead_letter}.
 */
public final class PostgresTickets {
    public static final String SCHEMA = "service";

    public static final OutputTag<ServiceChange> TICKETS =
            ServiceRows.CDC.tag(ServiceChange.TICKETS);
    public static final OutputTag<ServiceChange> TICKET_LOGS =
            ServiceRows.CDC.tag(ServiceChange.TICKET_LOGS);

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
        JobSetup.ensureTables(fluss, conf.get(CommonOptions.FLUSS_BUCKETS), ServiceTables.ods());
        SingleOutputStreamOperator<ServiceChange> agents =
                PostgresCdc.read(env, conf, ServiceRows.CDC, uid, environment);
        deadLetters.add(agents.getSideOutput(DeadLetters.TAG));
        FlussIo.writeChangelog(agents, fluss, ServiceTables.ODS_AGENTS, uid + "-ods");
        FlussIo.writeChangelog(
                agents.getSideOutput(TICKETS), fluss, ServiceTables.ODS_TICKETS, uid + "-ods");
        DataStream<TicketLog> logs =
                agents.getSideOutput(TICKET_LOGS)
                        .map(c -> c.ticketLog)
                        .returns(TicketLog.class)
                        .name("Rows : ticket_logs")
                        .uid(uid + "-ods-ticket-log-rows");
        FlussIo.write(logs, fluss, ServiceTables.ODS_TICKET_LOGS, uid + "-ods", -1);
    }
}
