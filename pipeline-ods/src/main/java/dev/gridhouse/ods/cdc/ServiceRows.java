package dev.gridhouse.ods.cdc;

import static dev.gridhouse.ods.cdc.CdcTables.firstNull;
import static dev.gridhouse.ods.cdc.CdcTables.timestamp;
import static dev.gridhouse.ods.cdc.CdcTables.timestampOrNull;
import static dev.gridhouse.ods.cdc.CdcTables.value;

import dev.gridhouse.contract.service.Agent;
import dev.gridhouse.contract.service.ServiceChange;
import dev.gridhouse.contract.service.Ticket;
import dev.gridhouse.contract.service.TicketLog;
import dev.gridhouse.core.model.RejectReason;
import dev.gridhouse.core.model.TableChange.Op;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashSet;
import java.util.Set;
import org.apache.kafka.connect.data.Struct;

/**
 * Turns the Debezium row {@link Struct} of {@code service.agents}, {@code service.tickets} or
 * {@code service.ticket_logs} into a typed {@link ServiceChange}, validating upserts against the
 * service contract §1: a key or NOT NULL column that is null is {@code MISSING_FIELD}; a priority
 * or status outside its set is {@code INVALID_VALUE} (a null priority or status is {@code
 * MISSING_FIELD}: the aggregations need both); a skill level outside 1–5 or {@code resolved_at}
 * before {@code created_at} is {@code OUT_OF_RANGE}. Deletes need only the key; a delete of an
 * (append-only) ticket log is rejected as {@code INVALID_VALUE}. The dead letter's {@code source}
 * is the table name, {@code detail} the column, {@code payload} the row as JSON.
 */
public final class ServiceRows {
    public static final Set<String> PRIORITIES =
            Collections.unmodifiableSet(
                    new HashSet<>(Arrays.asList("LOW", "MEDIUM", "HIGH", "URGENT")));
    public static final Set<String> STATUSES =
            Collections.unmodifiableSet(
                    new HashSet<>(Arrays.asList("OPEN", "IN_PROGRESS", "RESOLVED", "CLOSED")));

    /**
     * {@code service.agents} (main output), {@code service.tickets} and {@code
     * service.ticket_logs}: keyed by table and primary key, truncates ignored; slot and publication
     * {@code <uid-prefix>_ods_service}.
     */
    public static final CdcTables<ServiceChange> CDC =
            new CdcTables<>(
                    ServiceChange.ROWS,
                    PostgresTickets.SCHEMA,
                    null,
                    "ods_service",
                    "pg-cdc-service-source",
                    "service tables",
                    "service",
                    ServiceRows::agent,
                    ServiceRows::ticket,
                    ServiceRows::log);

    private ServiceRows() {}

    static ServiceChange agent(Op op, Struct r, long now) {
        String t = ServiceChange.AGENTS;
        String missing =
                op == Op.DELETE
                        ? firstNull(r, "agent_id")
                        : firstNull(r, "agent_id", "agent_name", "department");
        if (missing != null) {
            return reject(t, op, RejectReason.MISSING_FIELD, missing, r, now);
        }
        Integer skill = (Integer) value(r, "skill_level");
        if (op == Op.UPSERT && skill != null && (skill < 1 || skill > 5)) {
            return reject(t, op, RejectReason.OUT_OF_RANGE, "skill_level", r, now);
        }
        return ServiceChange.ROWS.of(
                op,
                new Agent(
                        (Integer) r.get("agent_id"),
                        (String) value(r, "agent_name"),
                        (String) value(r, "department"),
                        skill,
                        (Boolean) value(r, "active"),
                        timestampOrNull(r, "updated_at")));
    }

    static ServiceChange ticket(Op op, Struct r, long now) {
        String t = ServiceChange.TICKETS;
        if (op == Op.DELETE) {
            if (r.get("ticket_id") == null) {
                return reject(t, op, RejectReason.MISSING_FIELD, "ticket_id", r, now);
            }
        } else {
            String missing =
                    firstNull(r, "ticket_id", "customer_id", "priority", "status", "created_at");
            if (missing != null) {
                return reject(t, op, RejectReason.MISSING_FIELD, missing, r, now);
            }
            if (!PRIORITIES.contains(r.getString("priority"))) {
                return reject(t, op, RejectReason.INVALID_VALUE, "priority", r, now);
            }
            if (!STATUSES.contains(r.getString("status"))) {
                return reject(t, op, RejectReason.INVALID_VALUE, "status", r, now);
            }
            Long resolved = timestampOrNull(r, "resolved_at");
            if (resolved != null && resolved < timestamp(r.get("created_at"))) {
                return reject(t, op, RejectReason.OUT_OF_RANGE, "resolved_at", r, now);
            }
        }
        Long created = timestampOrNull(r, "created_at");
        Long customer = (Long) value(r, "customer_id");
        return ServiceChange.ROWS.of(
                op,
                new Ticket(
                        (Long) r.get("ticket_id"),
                        customer == null ? 0L : customer,
                        (Integer) value(r, "agent_id"),
                        (String) value(r, "category"),
                        (String) value(r, "priority"),
                        (String) value(r, "status"),
                        created == null ? 0L : created,
                        timestampOrNull(r, "updated_at"),
                        timestampOrNull(r, "resolved_at")));
    }

    static ServiceChange log(Op op, Struct r, long now) {
        String t = ServiceChange.TICKET_LOGS;
        if (op == Op.DELETE) {
            return reject(t, op, RejectReason.INVALID_VALUE, "op=delete (append only)", r, now);
        }
        if (r.get("log_id") == null) {
            return reject(t, op, RejectReason.MISSING_FIELD, "log_id", r, now);
        }
        return ServiceChange.ROWS.of(
                op,
                new TicketLog(
                        (Long) r.get("log_id"),
                        (Long) value(r, "ticket_id"),
                        (Integer) value(r, "agent_id"),
                        (String) value(r, "action"),
                        (String) value(r, "note"),
                        timestampOrNull(r, "created_at")));
    }

    private static ServiceChange reject(
            String table, Op op, RejectReason reason, String column, Struct row, long now) {
        return CDC.reject(table, op, reason, column, row, now);
    }
}
