package dev.gridhouse.ods.cdc;

import dev.gridhouse.contract.service.ServiceChange;
import dev.gridhouse.contract.service.ServiceTables;
import dev.gridhouse.contract.service.TicketLog;

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

    /**
     * The ticket warehouse's part of the shared CDC path: {@link ServiceRows#CDC}, and the changes
     * written into {@code ods_agents}, {@code ods_tickets} and (rows appended) {@code
     * ods_ticket_logs}.
     */
    public static final PostgresCdc.Ods<ServiceChange> ODS =
            new PostgresCdc.Ods<>(ServiceRows.CDC, ServiceTables.ods())
                    .changelog(ServiceChange.AGENTS, ServiceTables.ODS_AGENTS)
                    .changelog(ServiceChange.TICKETS, ServiceTables.ODS_TICKETS)
                    .append(
                            ServiceChange.TICKET_LOGS,
                            ServiceTables.ODS_TICKET_LOGS,
                            TicketLog.class,
                            "ticket-log-rows");

    private PostgresTickets() {}
}
