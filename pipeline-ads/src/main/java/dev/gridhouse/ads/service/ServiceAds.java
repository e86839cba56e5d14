package dev.gridhouse.ads.service;

import dev.gridhouse.contract.Pipelines;
import dev.gridhouse.contract.service.Agent;
import dev.gridhouse.contract.service.AgentDaily;
import dev.gridhouse.contract.service.AgentRanking;
import dev.gridhouse.contract.service.ServiceChange;
import dev.gridhouse.contract.service.ServiceTables;
import dev.gridhouse.core.catalog.TableSpec;
import dev.gridhouse.core.config.CommonOptions;
import dev.gridhouse.core.config.JobOptions;
import dev.gridhouse.core.config.JobSetup;
import dev.gridhouse.core.io.FlussEndpoint;
import dev.gridhouse.core.io.FlussIo;
import dev.gridhouse.core.model.TableChange.Op;
import dev.gridhouse.core.ops.ChangelogRollup;
import dev.gridhouse.core.ops.Contribution;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.sql.PreparedStatement;
import java.sql.Types;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.connector.jdbc.JdbcConnectionOptions;
import org.apache.flink.connector.jdbc.JdbcExecutionOptions;
import org.apache.flink.connector.jdbc.core.datastream.sink.JdbcSink;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * The ADS layer of the ticket warehouse (service contract §4): the changelog of {@code
 * dws_agent_daily} through {@link ChangelogRollup} (per agent: resolved tickets and the exact sum
 * of resolution milliseconds over all days), then {@link AgentRanker} with the changelog of {@code
 * ods_agents}, into {@code ads_agent_ranking} in Fluss and, when {@code --service.jdbc-url} is set,
 * upserted (and deleted) in PostgreSQL {@code ads.agent_ranking} by the Sink V2 {@link JdbcSink}
 * (at least once; the upsert is idempotent). Run by the ADS jar's main with {@code --pipeline
 * service}, or directly as this class.
 *
 * <pre>flink run pipeline-ads-*-job.jar --pipeline service --fluss.bootstrap-servers host:9123 \
 *     --service.jdbc-url jdbc:postgresql://db:5432/gridhouse</pre>
 */
public final class ServiceAds {
    public static final JobOptions OPTIONS =
            JobOptions.of(
                    "ads --" + Pipelines.PIPELINE.key() + " " + Pipelines.SERVICE,
                    "Ticket warehouse ADS: ads_agent_ranking from dws_agent_daily and ods_agents,"
                            + " also upserted into PostgreSQL ads.agent_ranking"
                            + " (--service.jdbc-url). The Fluss database is '"
                            + ServiceTables.DEFAULT_DATABASE
                            + "' unless --fluss.database is given.",
                    CommonOptions.common(),
                    ServiceAdsOptions.all());

    /** Upsert, or delete when the last parameter is true, in one statement. */
    static final String UPSERT =
            "WITH del AS (DELETE FROM ads.agent_ranking WHERE agent_id = ? AND ?::boolean)"
                    + " INSERT INTO ads.agent_ranking (agent_id, agent_name, department,"
                    + " tickets_resolved, avg_resolution_minutes, rank)"
                    + " SELECT ?, ?, ?, ?, ?, ? WHERE NOT ?::boolean"
                    + " ON CONFLICT (agent_id) DO UPDATE SET agent_name = EXCLUDED.agent_name,"
                    + " department = EXCLUDED.department,"
                    + " tickets_resolved = EXCLUDED.tickets_resolved,"
                    + " avg_resolution_minutes = EXCLUDED.avg_resolution_minutes,"
                    + " rank = EXCLUDED.rank";

    /** DDL of the PostgreSQL table (also in deploy/sql/service-schema.sql). */
    public static final String DDL =
            "CREATE SCHEMA IF NOT EXISTS ads; CREATE TABLE IF NOT EXISTS ads.agent_ranking ("
                    + " agent_id integer PRIMARY KEY, agent_name text, department text,"
                    + " tickets_resolved bigint NOT NULL, avg_resolution_minutes double precision,"
                    + " rank integer NOT NULL)";

    private static final String AGENT = "agent|";

    private ServiceAds() {}

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
        env.execute("gridhouse-service-ads");
    }

    /** Builds the job graph into {@code env}, creating the tables it reads and writes. */
    public static void build(StreamExecutionEnvironment env, Configuration conf) {
        JobSetup.configure(env, conf);
        FlussEndpoint fluss = CommonOptions.endpoint(conf, ServiceTables.DEFAULT_DATABASE);
        String uid = conf.get(CommonOptions.UID_PREFIX) + "-service-ads";
        List<TableSpec> tables = new ArrayList<>(ServiceTables.ods());
        tables.addAll(ServiceTables.dws());
        tables.add(ServiceTables.ADS_AGENT_RANKING);
        JobSetup.ensureTables(fluss, conf.get(CommonOptions.FLUSS_BUCKETS), tables);
        int parallelism = conf.get(CommonOptions.PARALLELISM);

        DataStream<AgentDaily> daily =
                FlussIo.readChangelog(
                        env,
                        fluss,
                        ServiceTables.DWS_AGENT_DAILY,
                        AgentDaily.class,
                        (row, delete) -> {
                            AgentDaily a = (AgentDaily) row;
                            a.deleted = delete;
                            return a;
                        },
                        uid);
        DataStream<ServiceChange> agents =
                FlussIo.readChangelog(
                        env,
                        fluss,
                        ServiceTables.ODS_AGENTS,
                        ServiceChange.class,
                        (row, delete) ->
                                ServiceChange.ROWS.of(delete ? Op.DELETE : Op.UPSERT, (Agent) row),
                        uid);

        SingleOutputStreamOperator<Contribution> contributions =
                daily.keyBy(a -> a.agentId + "|" + a.day)
                        .process(
                                new ChangelogRollup.Retract<String, AgentDaily, AgentDaily>(
                                        AgentDaily.class, ServiceAds::ofAgentDaily))
                        .name("Retract : dws_agent_daily")
                        .uid(uid + "-retract-agent-daily");
        SingleOutputStreamOperator<AgentRanking> totals =
                contributions
                        .keyBy(c -> c.group)
                        .process(new ChangelogRollup.Sum<>(ServiceAds::totals))
                        .returns(TypeInformation.of(AgentRanking.class))
                        .name("Rollup : agent totals")
                        .uid(uid + "-rollup-agent-totals");
        if (parallelism > 0) {
            contributions.setParallelism(parallelism);
            totals.setParallelism(parallelism);
        }
        SingleOutputStreamOperator<AgentRanking> ranking =
                totals.keyBy(r -> 0)
                        .connect(agents.keyBy(c -> 0))
                        .process(new AgentRanker())
                        .returns(TypeInformation.of(AgentRanking.class))
                        .name("Rank : agents")
                        .uid(uid + "-rank-agents")
                        .setParallelism(1)
                        .setMaxParallelism(1);
        FlussIo.writeChangelog(ranking, fluss, ServiceTables.ADS_AGENT_RANKING, uid);

        String url = conf.get(ServiceAdsOptions.JDBC_URL);
        if (!url.isEmpty()) {
            ranking.sinkTo(
                            jdbcSink(
                                    url,
                                    conf.get(ServiceAdsOptions.JDBC_USER),
                                    password(
                                            conf.get(ServiceAdsOptions.JDBC_PASSWORD_FILE),
                                            System.getenv())))
                    .name("JDBC Writer : ads.agent_ranking")
                    .uid(uid + "-jdbc-writer-agent-ranking")
                    .setParallelism(1);
        }
    }

    /** An agent-day's resolved tickets and resolution milliseconds (exact from the mean). */
    static List<Contribution> ofAgentDaily(AgentDaily a) {
        long sumMs =
                a.avgResolutionMinutes == null
                        ? 0
                        : Math.round(a.avgResolutionMinutes * 60_000.0 * a.ticketsResolved);
        return Collections.singletonList(
                new Contribution(AGENT + a.agentId, new long[] {a.ticketsResolved, sumMs}));
    }

    static AgentRanking totals(String group, long[] t) {
        AgentRanking r = new AgentRanking();
        r.agentId = Integer.parseInt(group.substring(AGENT.length()));
        r.ticketsResolved = t[0];
        r.avgResolutionMinutes = t[0] == 0 ? null : t[1] / (double) t[0] / 60_000.0;
        r.deleted = t[0] == 0;
        return r;
    }

    /** The JDBC sink of {@code ads.agent_ranking}: upserts and deletes, at least once. */
    public static JdbcSink<AgentRanking> jdbcSink(String url, String user, String password) {
        return JdbcSink.<AgentRanking>builder()
                .withQueryStatement(
                        UPSERT,
                        (PreparedStatement ps, AgentRanking r) -> {
                            ps.setInt(1, r.agentId);
                            ps.setBoolean(2, r.deleted);
                            ps.setInt(3, r.agentId);
                            ps.setString(4, r.agentName);
                            ps.setString(5, r.department);
                            ps.setLong(6, r.ticketsResolved);
                            if (r.avgResolutionMinutes == null) {
                                ps.setNull(7, Types.DOUBLE);
                            } else {
                                ps.setDouble(7, r.avgResolutionMinutes);
                            }
                            ps.setInt(8, r.rank);
                            ps.setBoolean(9, r.deleted);
                        })
                .withExecutionOptions(
                        JdbcExecutionOptions.builder()
                                .withBatchSize(200)
                                .withBatchIntervalMs(200)
                                .withMaxRetries(3)
                                .build())
                .buildAtLeastOnce(
                        new JdbcConnectionOptions.JdbcConnectionOptionsBuilder()
                                .withUrl(url)
                                .withDriverName("org.postgresql.Driver")
                                .withUsername(user)
                                .withPassword(password)
                                .build());
    }

    /** The password from the file if given, else from {@code $GRIDHOUSE_PG_PASSWORD}. */
    static String password(String file, Map<String, String> env) {
        if (file != null) {
            try {
                List<String> lines = Files.readAllLines(Paths.get(file), StandardCharsets.UTF_8);
                return lines.isEmpty() ? "" : lines.get(0).trim();
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot read the password file " + file, e);
            }
        }
        String pw = env.get("GRIDHOUSE_PG_PASSWORD");
        if (pw == null) {
            throw new IllegalArgumentException(
                    "No PostgreSQL password: set $GRIDHOUSE_PG_PASSWORD or"
                            + " --service.jdbc-password-file.");
        }
        return pw;
    }
}
