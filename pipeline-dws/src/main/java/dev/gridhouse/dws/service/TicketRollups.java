package dev.gridhouse.dws.service;

import dev.gridhouse.contract.service.AgentDaily;
import dev.gridhouse.contract.service.DailyTicketStats;
import dev.gridhouse.contract.service.Ticket;
import dev.gridhouse.contract.service.TicketLog;
import dev.gridhouse.contract.service.TicketStatusCount;
import dev.gridhouse.core.ops.ChangelogRollup;
import dev.gridhouse.core.ops.Contribution;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import javax.annotation.Nullable;

/**
 * The ticket-specific parts of the DWS rollups (service contract §3), plugged into the generic
 * {@link ChangelogRollup}: what a ticket or a log row contributes to which group, and how a group's
 * totals become a row. Groups are prefixed by their table: {@code status|<status>}, {@code
 * agent|<agent_id>|<day>}, {@code day|<day>}. Resolution times are summed in integer milliseconds
 * so that retraction is exact.
 */
public final class TicketRollups {
    public static final String STATUS = "status|";
    public static final String AGENT = "agent|";
    public static final String DAY = "day|";

    /** Measures of an agent-day: assigned, resolved, resolution ms sum, log actions. */
    static final int AGENT_MEASURES = 4;

    private static final long DAY_MS = 86_400_000L;
    private static final double MINUTE_MS = 60_000.0;

    private TicketRollups() {}

    /** The UTC date (yyyy-MM-dd) of an epoch-millisecond instant. */
    public static String day(long epochMs) {
        return LocalDate.ofEpochDay(Math.floorDiv(epochMs, DAY_MS)).toString();
    }

    /** Everything a ticket contributes: its status, its agent-day (if assigned) and its day. */
    public static List<Contribution> ofTicket(Ticket t) {
        List<Contribution> out = new ArrayList<>(3);
        out.add(new Contribution(STATUS + t.status, new long[] {1}));
        String day = day(t.createdAt);
        long resolved = t.resolvedAt != null ? 1 : 0;
        long resolutionMs = t.resolvedAt != null ? t.resolvedAt - t.createdAt : 0;
        if (t.agentId != null) {
            out.add(
                    new Contribution(
                            AGENT + t.agentId + "|" + day,
                            new long[] {1, resolved, resolutionMs, 0}));
        }
        long urgent = Ticket.URGENT.equals(t.priority) ? 1 : 0;
        out.add(new Contribution(DAY + day, new long[] {1, resolved, urgent, resolutionMs}));
        return out;
    }

    /** A log row counts as one action of its agent on its day; none without agent or time. */
    public static @Nullable Contribution ofLog(TicketLog log) {
        if (log.agentId == null || log.createdAt == null) {
            return null;
        }
        return new Contribution(
                AGENT + log.agentId + "|" + day(log.createdAt), new long[] {0, 0, 0, 1});
    }

    static @Nullable Double avgMinutes(long sumMs, long count) {
        return count == 0 ? null : sumMs / (double) count / MINUTE_MS;
    }

    /** {@code dws_ticket_status} row of a status group. */
    public static TicketStatusCount status(String group, long[] totals) {
        return new TicketStatusCount(group.substring(STATUS.length()), totals[0]);
    }

    /** {@code dws_agent_daily} row of an agent-day group; deleted once it has no ticket or log. */
    public static AgentDaily agentDaily(String group, long[] totals) {
        String[] parts = group.substring(AGENT.length()).split("\\|", 2);
        AgentDaily a = new AgentDaily();
        a.agentId = Integer.parseInt(parts[0]);
        a.day = parts[1];
        a.ticketsAssigned = totals[0];
        a.ticketsResolved = totals[1];
        a.avgResolutionMinutes = avgMinutes(totals[2], totals[1]);
        a.logActions = totals[3];
        a.deleted = totals[0] == 0 && totals[3] == 0;
        return a;
    }

    /** {@code dws_daily_ticket_stats} row of a day group; deleted once no ticket is left. */
    public static DailyTicketStats daily(String group, long[] totals) {
        DailyTicketStats d = new DailyTicketStats();
        d.day = group.substring(DAY.length());
        d.createdCount = totals[0];
        d.resolvedCount = totals[1];
        d.urgentCount = totals[2];
        d.avgResolutionMinutes = avgMinutes(totals[3], totals[1]);
        d.deleted = totals[0] == 0;
        return d;
    }
}
