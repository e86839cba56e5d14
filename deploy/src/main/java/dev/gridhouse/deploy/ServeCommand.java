package dev.gridhouse.deploy;

import dev.gridhouse.core.config.CommonOptions;
import dev.gridhouse.core.config.JobOptions;
import dev.gridhouse.core.io.FlussEndpoint;
import java.io.PrintStream;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;
import org.apache.flink.configuration.Configuration;

/**
 * {@code gridhouse serve --fluss.bootstrap-servers HOST:PORT [--serve.port 8080]}: the query API
 * and dashboard of {@link GridApiServer} until Ctrl-C.
 */
public final class ServeCommand {
    public static final ConfigOption<String> HOST =
            ConfigOptions.key("serve.host")
                    .stringType()
                    .defaultValue("127.0.0.1")
                    .withDescription("Address the HTTP API and dashboard bind to.");

    public static final ConfigOption<Integer> PORT =
            ConfigOptions.key("serve.port")
                    .intType()
                    .defaultValue(8080)
                    .withDescription(
                            "Port of the HTTP API and dashboard (0 = any free port; with"
                                    + " 'gridhouse local', -1 = do not serve).");

    public static List<ConfigOption<?>> options() {
        return Arrays.asList(HOST, PORT);
    }

    static final JobOptions OPTIONS =
            JobOptions.of(
                    "gridhouse serve",
                    "Serves the query API (JSON) and the live dashboard of a running warehouse,"
                            + " read from Fluss directly.",
                    Arrays.asList(
                            CommonOptions.FLUSS_BOOTSTRAP_SERVERS, CommonOptions.FLUSS_DATABASE),
                    options());

    private ServeCommand() {}

    public static int run(String[] args, PrintStream out) throws Exception {
        Configuration conf = OPTIONS.parse(args);
        if (conf == null) {
            return 0;
        }
        FlussEndpoint fluss = CommonOptions.endpoint(conf);
        try (GridApiServer api = GridApiServer.start(fluss, conf.get(HOST), conf.get(PORT))) {
            out.println("Dashboard and API at " + api.url() + " (Ctrl-C stops)");
            CountDownLatch stopped = new CountDownLatch(1);
            Runtime.getRuntime().addShutdownHook(new Thread(stopped::countDown));
            stopped.await();
        }
        return 0;
    }
}
