package dev.gridhouse.dws.service;

import dev.gridhouse.contract.Pipelines;
import dev.gridhouse.contract.service.Agent;
import dev.gridhouse.contract.service.AgentDaily;
import dev.gridhouse.contract.service.DailyTicketStats;
import dev.gridhouse.contract.service.DwdTicket;
import dev.gridhouse.contract.service.ServiceChange;
import dev.gridhouse.contract.service.ServiceTables;
import dev.gridhouse.contract.service.Ticket;
import dev.gridhouse.contract.service.TicketLog;
import dev.gridhouse.contract.service.TicketStatusCount;
import dev.gridhouse.core.catalog.TableSpec;
import dev.gridhouse.core.config.CommonOptions;
import dev.gridhouse.core.config.JobOptions;
import dev.gridhouse.core.config.JobSetup;
import dev.gridhouse.core.io.FlussEndpoint;
import dev.gridhouse.core.io.FlussIo;
import dev.gridhouse.core.model.RowChange;
import dev.gridhouse.core.model.TableChange.Op;
import dev.gridhouse.core.ops.ChangelogRollup;
import dev.gridhouse.core.ops.Contribution;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.fluss.client.initializer.OffsetsInitializer;

/**
 * The DWS layer of the ticket warehouse (service contract §3): the changelog of {@code ods_tickets}
 * (snapshot, upserts and deletes) through {@link ChangelogRollup} — retract the ticket's old
 * contribution, add the new one — into {@code dws_ticket_status}, {@code dws_agent_daily} (plus the
 * log actions of the append-only {@code ods_ticket_logs}) and {@code dws_daily_ticket_stats}, each
 * written as upserts and deletes. Run by the DWS jar's main with {@code --pipeline service}, or
 * directly as this class.
 *
 * <pre>flink run pipeline-dws-*-job.jar --pipeline service --fluss.bootstrap-servers host:9123
 * </pre>
 */
public final class ServiceDws {
    private ServiceDws() {}

    public static final JobOptions OPTIONS =
            JobOptions.of(
                    "dws --" + Pipelines.PIPELINE.key() + " " + Pipelines.SERVICE,
                    "Ticket warehouse DWS: dws_ticket_status, dws_agent_daily,"
                            + " dws_daily_ticket_stats from the ods_tickets changelog (retracting)"
                            + " and dwd_tickets. The Fluss database is '"
                            + ServiceTables.DEFAULT_DATABASE
                            + "' unless --fluss.database is given.",
                    CommonOptions.common());

    public static void main(String[] args) throws Exception {
        Configuration conf = OPTIONS.parse(args);
        if (conf != null) {
            run(conf);
        }
    }

    /** Builds the job graph of {@code conf} and executes it. */
    public static void run(Configuration conf) throws Exception {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        build(env, conf);
        env.execute("gridhouse-service-dws");
    }

    /** Builds the job graph into {@code env}, creating the tables it reads and writes. */
    public static void build(StreamExecutionEnvironment env, Configuration conf) {
        JobSetup.configure(env, conf);
        FlussEndpoint fluss = CommonOptions.endpoint(conf, ServiceTables.DEFAULT_DATABASE);
        String uid = conf.get(CommonOptions.UID_PREFIX) + "-service-dws";
        int buckets = conf.get(CommonOptions.FLUSS_BUCKETS);
        List<TableSpec> tables = new ArrayList<>(ServiceTables.ods());
        tables.addAll(ServiceTables.dws());
        JobSetup.ensureTables(fluss, buckets, tables);
        int parallelism = conf.get(CommonOptions.PARALLELISM);

        DataStream<ServiceChange> tickets =
                FlussIo.readChangelog(
                        env,
                        fluss,
                        ServiceTables.ODS_TICKETS,
                        ServiceChange.class,
                        (row, delete) ->
                                ServiceChange.ROWS.of(delete ? Op.DELETE : Op.UPSERT, (Ticket) row),
                        uid);
        DataStream<TicketLog> logs =
                FlussIo.read(
                        env,
                        fluss,
                        ServiceTables.ODS_TICKET_LOGS,
                        TicketLog.class,
                        OffsetsInitializer.earliest(),
                        WatermarkStrategy.noWatermarks(),
                        uid,
                        -1);
        apply(tickets, logs, fluss, uid, parallelism);

        DataStream<ServiceChange> agents =
                FlussIo.readChangelog(
                        env,
                        fluss,
                        ServiceTables.ODS_AGENTS,
                        ServiceChange.class,
                        (row, delete) ->
                                ServiceChange.ROWS.of(delete ? Op.DELETE : Op.UPSERT, (Agent) row),
                        uid);
        FlussIo.writeChangelog(
                dwdTickets(tickets, agents, uid, parallelism),
                fluss,
                ServiceTables.DWD_TICKETS,
                uid);
    }

    /**
     * {@code dwd_tickets}: the ticket changelog joined with the agent changelog ({@link
     * TicketAgentJoin}); the join runs at parallelism 1 so each ticket's rows stay in order.
     */
    public static DataStream<DwdTicket> dwdTickets(
            DataStream<ServiceChange> tickets,
            DataStream<ServiceChange> agents,
            String uid,
            int parallelism) {
        SingleOutputStreamOperator<TicketAgentJoin.Move> moves =
                tickets.keyBy(c -> c.ticket.ticketId)
                        .process(new TicketAgentJoin.Moves())
                        .returns(TypeInformation.of(TicketAgentJoin.Move.class))
                        .name("Moves : tickets by agent")
                        .uid(uid + "-ticket-moves");
        setParallelism(moves, parallelism);
        return moves.keyBy(m -> m.agentKey)
                .connect(agents.keyBy(c -> c.agent.agentId))
                .process(new TicketAgentJoin.Join())
                .returns(TypeInformation.of(DwdTicket.class))
                .name("Join : dwd_tickets")
                .uid(uid + "-join-dwd-tickets")
                .setParallelism(1);
    }

    /** The rollups of a ticket changelog and the ticket logs, written to the DWS tables. */
    public static void apply(
            DataStream<ServiceChange> tickets,
            DataStream<TicketLog> logs,
            FlussEndpoint fluss,
            String uid,
            int parallelism) {
        SingleOutputStreamOperator<Contribution> contributions =
                tickets.keyBy(c -> c.ticket.ticketId)
                        .process(
                                new ChangelogRollup.Retract<Long, ServiceChange, Ticket>(
                                        Ticket.class, TicketRollups::ofTicket))
                        .name("Retract : tickets")
                        .uid(uid + "-retract-tickets");
        setParallelism(contributions, parallelism);

        DataStream<Contribution> logActions =
                logs.flatMap(
                                (TicketLog log,
                                        org.apache.flink.util.Collector<Contribution> out) -> {
                                    Contribution c = TicketRollups.ofLog(log);
                                    if (c != null) {
                                        out.collect(c);
                                    }
                                })
                        .returns(Contribution.class)
                        .name("Contribute : ticket logs")
                        .uid(uid + "-contribute-ticket-logs");

        sum(
                contributions.filter(c -> c.group.startsWith(TicketRollups.STATUS)),
                TicketStatusCount.class,
                TicketRollups::status,
                ServiceTables.DWS_TICKET_STATUS,
                uid,
                parallelism,
                fluss);
        sum(
                contributions
                        .filter(c -> c.group.startsWith(TicketRollups.AGENT))
                        .union(logActions),
                AgentDaily.class,
                TicketRollups::agentDaily,
                ServiceTables.DWS_AGENT_DAILY,
                uid,
                parallelism,
                fluss);
        sum(
                contributions.filter(c -> c.group.startsWith(TicketRollups.DAY)),
                DailyTicketStats.class,
                TicketRollups::daily,
                ServiceTables.DWS_DAILY_TICKET_STATS,
                uid,
                parallelism,
                fluss);
    }

    private static <OUT extends RowChange> void sum(
            DataStream<Contribution> contributions,
            Class<OUT> outClass,
            ChangelogRollup.Finisher<OUT> finisher,
            TableSpec table,
            String uid,
            int parallelism,
            FlussEndpoint fluss) {
        SingleOutputStreamOperator<OUT> rows =
                contributions
                        .keyBy(c -> c.group)
                        .process(new ChangelogRollup.Sum<>(finisher))
                        .returns(TypeInformation.of(outClass))
                        .name("Rollup : " + table.name())
                        .uid(uid + "-rollup-" + table.name());
        setParallelism(rows, parallelism);
        FlussIo.writeChangelog(rows, fluss, table, uid);
    }

    private static void setParallelism(SingleOutputStreamOperator<?> op, int parallelism) {
        if (parallelism > 0) {
            op.setParallelism(parallelism);
        }
    }
}
