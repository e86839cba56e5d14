package dev.gridhouse.ods.service;

import dev.gridhouse.contract.Pipelines;
import dev.gridhouse.contract.service.ServiceTables;
import dev.gridhouse.core.config.CommonOptions;
import dev.gridhouse.core.config.JobOptions;
import dev.gridhouse.core.config.JobSetup;
import dev.gridhouse.core.io.FlussEndpoint;
import dev.gridhouse.core.model.DeadLetter;
import dev.gridhouse.ods.OdsPipeline;
import dev.gridhouse.ods.cdc.PostgresCdc;
import dev.gridhouse.ods.cdc.PostgresOptions;
import dev.gridhouse.ods.cdc.PostgresTickets;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * The ODS job of the ticket warehouse: {@code service.agents}, {@code service.tickets} and {@code
 * service.ticket_logs} from PostgreSQL by CDC ({@link PostgresTickets}) into {@code ods_agents},
 * {@code ods_tickets}, {@code ods_ticket_logs}, rejects into {@code ods_dead_letter}. Run by the
 * ODS jar's main with {@code --pipeline service}, or directly as this class.
 *
 * <pre>flink run pipeline-ods-*-job.jar --pipeline service --fluss.bootstrap-servers host:9123 \
 *     --pg.host db --pg.database gridhouse</pre>
 */
public final class ServiceOds {
    private ServiceOds() {}

    public static final JobOptions OPTIONS =
            JobOptions.of(
                    "ods --" + Pipelines.PIPELINE.key() + " " + Pipelines.SERVICE,
                    "Ticket warehouse ODS: service.agents, tickets, ticket_logs from PostgreSQL by"
                            + " CDC (--pg.*; slot and publication suffix ods_service) into"
                            + " ods_agents, ods_tickets, ods_ticket_logs. The"
                            + " Fluss database is '"
                            + ServiceTables.DEFAULT_DATABASE
                            + "' unless --fluss.database is given.",
                    CommonOptions.common(),
                    PostgresOptions.all());

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
        env.execute("gridhouse-service-ods");
    }

    /** Builds the job graph into {@code env}, creating the ODS tables. */
    public static void build(StreamExecutionEnvironment env, Configuration conf) {
        JobSetup.configure(env, conf);
        String uid = conf.get(CommonOptions.UID_PREFIX);
        FlussEndpoint fluss = CommonOptions.endpoint(conf, ServiceTables.DEFAULT_DATABASE);
        List<DataStream<DeadLetter>> deadLetters = new ArrayList<>();
        PostgresCdc.build(PostgresTickets.ODS, env, conf, fluss, uid, deadLetters, System.getenv());
        OdsPipeline.writeDeadLetters(deadLetters.get(0), fluss, uid + "-ods");
    }
}
