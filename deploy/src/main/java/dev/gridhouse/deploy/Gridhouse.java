package dev.gridhouse.deploy;

import dev.gridhouse.contract.Pipelines;
import dev.gridhouse.core.config.CommonOptions;
import dev.gridhouse.core.config.JobOptions;
import dev.gridhouse.core.config.JobSelector;
import dev.gridhouse.ods.OdsOptions;
import dev.gridhouse.ods.cdc.PostgresOptions;
import java.util.Arrays;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.Configuration;

/**
 * The {@code gridhouse} command.
 *
 * <pre>
 * gridhouse local [--duration 120s] [--device-count N] [--rate R] [--parallelism P]
 * gridhouse local --pipeline service [--pg.database D] [--change-rate 2] [--duration 120s]
 * gridhouse local --devices-source postgres [--pg.database D] (after gridhouse pg-load)
 * gridhouse local --devices FILE.csv [--substations FILE.csv --lines FILE.csv]
 *     --telemetry FILE.jsonl --bounded --dump-dir DIR
 * gridhouse query --bootstrap HOST:PORT TABLE [--key col=value ...] [--format table|csv|json]
 * gridhouse serve --fluss.bootstrap-servers HOST:PORT [--serve.port 8080]
 * gridhouse local --lake [--lake.warehouse DIR] [--lake.freshness 30s]
 * gridhouse history --fluss.bootstrap-servers HOST:PORT --lake.warehouse DIR [--table T]
 *     [--device D | --region R] [--from T] [--to T] [--as-of-snapshot N | --as-of T]
 * gridhouse recompute --fluss.bootstrap-servers HOST:PORT --lake.warehouse DIR
 *     --recompute.from T --recompute.to T [--recompute.sink FLUSS|PAIMON]
 * gridhouse pg-load [--pg.host H --pg.port P --pg.database D --pg.user U] [--sim.device-count N]
 * gridhouse pg-cleanup --slot S --publication P [--pg.host ...]
 * </pre>
 */
public final class Gridhouse {
    /** Options of {@code gridhouse local} (the grid warehouse). */
    static final JobOptions LOCAL =
            JobOptions.of(
                    "gridhouse local",
                    "Runs a local Fluss cluster, Flink and the whole grid warehouse on 127.0.0.1."
                            + " --pipeline service runs the ticket warehouse instead"
                            + " (--pipeline service --help lists its options). "
                            + LocalOptions.DEFAULTS
                            + " "
                            + LocalOptions.LAKE_DEFAULTS,
                    LocalOptions.all(),
                    Arrays.<ConfigOption<?>>asList(
                            OdsOptions.DEVICES_SOURCE,
                            CommonOptions.RESTART_ATTEMPTS,
                            CommonOptions.RESTART_MAX_DELAY),
                    PostgresOptions.all());

    /** Options of {@code gridhouse local --pipeline service} (the ticket warehouse). */
    static final JobOptions SERVICE_LOCAL =
            JobOptions.of(
                    "gridhouse local --" + Pipelines.PIPELINE.key() + " " + Pipelines.SERVICE,
                    "Runs a local Fluss cluster, Flink and the ticket warehouse on 127.0.0.1 with"
                            + " the local PostgreSQL (deploy/bin/pg-local start; --pg.* options;"
                            + " database "
                            + ServiceLocalRunner.DEFAULT_DATABASE
                            + " unless --pg.database is given). "
                            + LocalOptions.DEFAULTS,
                    LocalOptions.service(),
                    Arrays.<ConfigOption<?>>asList(
                            ServiceLocalRunner.CHANGE_RATE,
                            CommonOptions.RESTART_ATTEMPTS,
                            CommonOptions.RESTART_MAX_DELAY),
                    PostgresOptions.all());

    /** {@code gridhouse local}'s two runs, chosen by {@code --pipeline}. */
    static final JobSelector LOCAL_RUNS =
            JobSelector.of(
                    "gridhouse local",
                    Pipelines.PIPELINE,
                    new JobSelector.Job(
                            Pipelines.GRID, "the power-grid warehouse", LOCAL, conf -> {}),
                    new JobSelector.Job(
                            Pipelines.SERVICE,
                            "the customer-service ticket warehouse",
                            SERVICE_LOCAL,
                            conf -> {}));

    private Gridhouse() {}

    public static void main(String[] args) {
        int code;
        try {
            code = run(args);
        } catch (IllegalArgumentException e) {
            System.err.println("gridhouse: " + e.getMessage());
            code = 2;
        } catch (JobWatch.JobFailedException e) {
            System.err.println("gridhouse: " + e.getMessage());
            code = 1;
        } catch (Exception e) {
            e.printStackTrace();
            System.err.println(
                    "gridhouse: failed: " + e + "; root cause: " + JobWatch.rootCause(e));
            code = 1;
        }
        System.exit(code);
    }

    static int run(String[] args) throws Exception {
        if (args.length == 0 || args[0].equals("help") || args[0].equals("--help")) {
            System.out.println(
                    "Usage: gridhouse <command> [options]\n\n"
                            + "Commands:\n"
                            + "  local   run the warehouse on an embedded Fluss cluster + Flink"
                            + " (--help for options)\n"
                            + "  query   read or look up a table of a running cluster"
                            + " (--help for options)\n"
                            + "  serve   HTTP query API and live dashboard of a running cluster"
                            + " (--help)\n"
                            + "  history a table's lake history + Fluss tail (union read), or as"
                            + " of a snapshot or instant (--help)\n"
                            + "  recompute  DWS rollups recomputed in batch from the lake"
                            + " history (--help)\n"
                            + "  pg-load     load the simulator's devices and topology into"
                            + " PostgreSQL grid.* (--help)\n"
                            + "  pg-cleanup  drop a CDC job's replication slot and publication"
                            + " (--help)");
            return 0;
        }
        String[] rest = Arrays.copyOfRange(args, 1, args.length);
        switch (args[0]) {
            case "local":
                JobSelector.Job run = LOCAL_RUNS.select(rest);
                Configuration conf = LOCAL_RUNS.parse(run, rest);
                if (conf == null) {
                    return 0;
                }
                return Pipelines.SERVICE.equals(run.name())
                        ? new ServiceLocalRunner(conf, System.out).run()
                        : new LocalRunner(conf, System.out).run();
            case "query":
                return QueryCommand.run(rest, System.out);
            case "serve":
                return ServeCommand.run(rest, System.out);
            case "history":
                return HistoryCommand.run(rest, System.out);
            case "recompute":
                return RecomputeCommand.run(rest, System.out);
            case "pg-load":
                return PgCommands.load(rest, System.out);
            case "pg-cleanup":
                return PgCommands.cleanup(rest, System.out);
            default:
                throw new IllegalArgumentException(
                        "Unknown command '"
                                + args[0]
                                + "'. Commands: local, query, serve, history, recompute, pg-load,"
                                + " pg-cleanup.");
        }
    }
}
