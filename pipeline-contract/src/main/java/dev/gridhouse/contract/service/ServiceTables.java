package dev.gridhouse.contract.service;

import dev.gridhouse.contract.grid.GridTables;
import dev.gridhouse.core.catalog.TableSpec;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import org.apache.fluss.types.DataType;
import org.apache.fluss.types.DataTypes;

/**
 * Every Fluss table of the customer-service ticket warehouse ({@code
 * docs/spec/service-contract.md}), defined once, columns in contract order.
 */
public final class ServiceTables {
    /** Default Fluss database of the ticket warehouse. */
    public static final String DEFAULT_DATABASE = "service";

    private static final DataType STRING = DataTypes.STRING();
    private static final DataType BIGINT = DataTypes.BIGINT();
    private static final DataType INT = DataTypes.INT();
    private static final DataType BOOLEAN = DataTypes.BOOLEAN();
    private static final DataType TS_LTZ = DataTypes.TIMESTAMP_LTZ(3);

    private ServiceTables() {}

    public static final TableSpec ODS_AGENTS =
            TableSpec.builder("ods_agents", Agent.class)
                    .column("agent_id", INT)
                    .column("agent_name", STRING)
                    .column("department", STRING)
                    .column("skill_level", INT)
                    .column("active", BOOLEAN)
                    .column("updated_at", TS_LTZ)
                    .primaryKey("agent_id")
                    .distributedBy(1, "agent_id")
                    .build();

    public static final TableSpec ODS_TICKETS =
            TableSpec.builder("ods_tickets", Ticket.class)
                    .column("ticket_id", BIGINT)
                    .column("customer_id", BIGINT)
                    .column("agent_id", INT)
                    .column("category", STRING)
                    .column("priority", STRING)
                    .column("status", STRING)
                    .column("created_at", TS_LTZ)
                    .column("updated_at", TS_LTZ)
                    .column("resolved_at", TS_LTZ)
                    .primaryKey("ticket_id")
                    .distributedBy(2, "ticket_id")
                    .build();

    public static final TableSpec ODS_TICKET_LOGS =
            TableSpec.builder("ods_ticket_logs", TicketLog.class)
                    .column("log_id", BIGINT)
                    .column("ticket_id", BIGINT)
                    .column("agent_id", INT)
                    .column("action", STRING)
                    .column("note", STRING)
                    .column("created_at", TS_LTZ)
                    .distributedBy(2)
                    .build();

    private static final DataType DOUBLE = DataTypes.DOUBLE();

    /** The current ticket joined with its agent, and its resolution time (contract §2). */
    public static final TableSpec DWD_TICKETS =
            TableSpec.builder("dwd_tickets", DwdTicket.class)
                    .column("ticket_id", BIGINT)
                    .column("customer_id", BIGINT)
                    .column("agent_id", INT)
                    .column("category", STRING)
                    .column("priority", STRING)
                    .column("status", STRING)
                    .column("created_at", DataTypes.TIMESTAMP_LTZ(3))
                    .column("updated_at", DataTypes.TIMESTAMP_LTZ(3))
                    .column("resolved_at", DataTypes.TIMESTAMP_LTZ(3))
                    .column("agent_name", STRING)
                    .column("department", STRING)
                    .column("resolution_minutes", DOUBLE)
                    .primaryKey("ticket_id")
                    .distributedBy(2, "ticket_id")
                    .build();

    /** Current ticket count per status. */
    public static final TableSpec DWS_TICKET_STATUS =
            TableSpec.builder("dws_ticket_status", TicketStatusCount.class)
                    .column("status", STRING)
                    .column("ticket_count", BIGINT)
                    .primaryKey("status")
                    .distributedBy(1, "status")
                    .build();

    /** Per agent and UTC day (yyyy-MM-dd) of created_at. */
    public static final TableSpec DWS_AGENT_DAILY =
            TableSpec.builder("dws_agent_daily", AgentDaily.class)
                    .column("agent_id", INT)
                    .column("day", STRING)
                    .column("tickets_assigned", BIGINT)
                    .column("tickets_resolved", BIGINT)
                    .column("avg_resolution_minutes", DOUBLE)
                    .column("log_actions", BIGINT)
                    .primaryKey("agent_id", "day")
                    .distributedBy(1, "agent_id", "day")
                    .build();

    /** Per UTC day (yyyy-MM-dd) of created_at. */
    public static final TableSpec DWS_DAILY_TICKET_STATS =
            TableSpec.builder("dws_daily_ticket_stats", DailyTicketStats.class)
                    .column("day", STRING)
                    .column("created_count", BIGINT)
                    .column("resolved_count", BIGINT)
                    .column("urgent_count", BIGINT)
                    .column("avg_resolution_minutes", DOUBLE)
                    .primaryKey("day")
                    .distributedBy(1, "day")
                    .build();

    /** The DWS tables of the ticket warehouse. */
    public static List<TableSpec> dws() {
        return Collections.unmodifiableList(
                Arrays.asList(
                        DWD_TICKETS, DWS_TICKET_STATUS, DWS_AGENT_DAILY, DWS_DAILY_TICKET_STATS));
    }

    /** Agents ranked by resolved tickets over all days; also upserted into PostgreSQL. */
    public static final TableSpec ADS_AGENT_RANKING =
            TableSpec.builder("ads_agent_ranking", AgentRanking.class)
                    .column("agent_id", INT)
                    .column("agent_name", STRING)
                    .column("department", STRING)
                    .column("tickets_resolved", BIGINT)
                    .column("avg_resolution_minutes", DOUBLE)
                    .column("rank", INT)
                    .primaryKey("agent_id")
                    .distributedBy(1, "agent_id")
                    .build();

    /** The dead-letter table, the same definition as the grid warehouse's. */
    public static final TableSpec ODS_DEAD_LETTER = GridTables.ODS_DEAD_LETTER;

    /** The ODS tables of the ticket warehouse. */
    public static List<TableSpec> ods() {
        return Collections.unmodifiableList(
                Arrays.asList(ODS_AGENTS, ODS_TICKETS, ODS_TICKET_LOGS, ODS_DEAD_LETTER));
    }

    /** Every table of the ticket warehouse, in layer order. */
    public static final List<TableSpec> ALL =
            Collections.unmodifiableList(
                    Arrays.asList(
                            ODS_AGENTS,
                            ODS_TICKETS,
                            ODS_TICKET_LOGS,
                            ODS_DEAD_LETTER,
                            DWD_TICKETS,
                            DWS_TICKET_STATUS,
                            DWS_AGENT_DAILY,
                            DWS_DAILY_TICKET_STATS,
                            ADS_AGENT_RANKING));
}
