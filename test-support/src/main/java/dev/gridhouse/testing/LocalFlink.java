package dev.gridhouse.testing;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import org.apache.flink.configuration.Configuration;

/** Settings of a local Flink MiniCluster: every listener on 127.0.0.1, REST on a free port. */
public final class LocalFlink {
    private LocalFlink() {}

    /** MiniCluster settings with {@code parallelism} slots, loopback only, free ports. */
    public static Configuration config(int parallelism) {
        Configuration flink = new Configuration();
        flink.setString("rest.bind-address", "127.0.0.1");
        flink.setString("rest.address", "127.0.0.1");
        flink.setString("rest.bind-port", "0");
        flink.setString("jobmanager.bind-host", "127.0.0.1");
        flink.setString("jobmanager.rpc.address", "127.0.0.1");
        flink.setString("taskmanager.bind-host", "127.0.0.1");
        flink.setString("taskmanager.host", "127.0.0.1");
        flink.setString("taskmanager.numberOfTaskSlots", String.valueOf(Math.max(1, parallelism)));
        flink.setString("pipeline.generic-types", "false");
        restOnFreePort(flink);
        return flink;
    }

    /**
     * Binds Flink's REST API to a free loopback port chosen now, so that the caller knows it before
     * the cluster starts (e.g. to ask it for job metrics).
     */
    public static void restOnFreePort(Configuration flink) {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            String port = String.valueOf(s.getLocalPort());
            flink.setString("rest.bind-port", port);
            flink.setString("rest.port", port);
        } catch (IOException e) {
            throw new IllegalStateException("No free port on 127.0.0.1 for Flink's REST API", e);
        }
        flink.setString("metrics.fetcher.update-interval", "1000");
    }
}
