package dev.gridhouse.ods.cdc;

import dev.gridhouse.contract.service.ServiceChange;
import dev.gridhouse.contract.service.ServiceTables;
import dev.gridhouse.contract.service.TicketLog;
import dev.gridhouse.core.io.FlussEndpoint;
import dev.gridhouse.core.io.FlussIo;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.util.OutputTag;

/**
 * The ODS layer of the ticket warehouse (service contract §1): the shared PostgreSQL CDC path
 * ({@link PostgresCdc}) over {@code service.agents}, {@code service.tickets} and {@code
 * service.ticket_logs}, typed {@link ServiceChange}s checked by {@link ServiceRows#CDC}, then
 * upserts and deletes into {@code ods_agents} and {@code ods_tickets}, appends into the log table
 * {@code ods_ticket_logs}, rejects into {@code ods_dead_letter}: {@link #ODS}, built by {@link
 * PostgresCdc#build}.
 */
public final class PostgresTickets {
    public static final String SCHEMA = "service";

    public static final OutputTag<ServiceChange> TICKETS =
            ServiceRows.CDC.tag(ServiceChange.TICKETS);
    public static final OutputTag<ServiceChange> TICKET_LOGS =
            ServiceRows.CDC.tag(ServiceChange.TICKET_LOGS);

    /**
     * The ticket warehouse's part of the shared CDC path: {@link ServiceRows#CDC}, and the changes
     * written into {@code ods_agents}, {@code ods_tickets} and {@code ods_ticket_logs}.
     */
    public static final PostgresCdc.Ods<ServiceChange> ODS =
            new PostgresCdc.Ods<>(ServiceRows.CDC, ServiceTables.ods(), PostgresTickets::write);

    private PostgresTickets() {}

    private static void write(
            SingleOutputStreamOperator<ServiceChange> agents, FlussEndpoint fluss, String uid) {
        FlussIo.writeChangelog(agents, fluss, ServiceTables.ODS_AGENTS, uid);
        FlussIo.writeChangelog(
                agents.getSideOutput(TICKETS), fluss, ServiceTables.ODS_TICKETS, uid);
        DataStream<TicketLog> logs =
                agents.getSideOutput(TICKET_LOGS)
                        .map(c -> c.ticketLog)
                        .returns(TicketLog.class)
                        .name("Rows : ticket_logs")
                        .uid(uid + "-ticket-log-rows");
        FlussIo.write(logs, fluss, ServiceTables.ODS_TICKET_LOGS, uid, -1);
    }
}
