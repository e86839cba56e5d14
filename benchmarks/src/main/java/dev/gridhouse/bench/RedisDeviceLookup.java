package dev.gridhouse.bench;

import dev.gridhouse.contract.grid.Device;
import dev.gridhouse.contract.grid.EnrichedTelemetry;
import dev.gridhouse.contract.grid.Telemetry;
import dev.gridhouse.core.ops.LookupJoinOptions;
import dev.gridhouse.dws.DwsPipeline;
import dev.gridhouse.dws.ops.UnknownDeviceRouter;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import java.time.Duration;
import java.util.Collections;
import java.util.concurrent.TimeUnit;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.streaming.api.datastream.AsyncDataStream;
import org.apache.flink.streaming.api.functions.async.ResultFuture;
import org.apache.flink.streaming.api.functions.async.RichAsyncFunction;

/**
 * The Kafka baseline's device join: an async Redis {@code GET device:<id>} per record (Lettuce, one
 * pipelined connection per subtask), the JSON value decoded to a {@link Device} and joined with
 * {@link UnknownDeviceRouter#join} exactly as the Fluss lookup join does.
 */
final class RedisDeviceLookup extends RichAsyncFunction<Telemetry, EnrichedTelemetry> {
    private static final long serialVersionUID = 1L;

    private final String host;
    private final int port;
    private transient RedisClient client;
    private transient StatefulRedisConnection<String, String> connection;

    RedisDeviceLookup(String host, int port) {
        this.host = host;
        this.port = port;
    }

    /** As a {@link DwsPipeline.DeviceJoin} with the capacity, order and timeout of {@code o}. */
    static DwsPipeline.DeviceJoin join(String host, int port, LookupJoinOptions o) {
        return (byDevice, uid) -> {
            RedisDeviceLookup f = new RedisDeviceLookup(host, port);
            long timeout = o.timeout().toMillis();
            return (o.ordered()
                            ? AsyncDataStream.orderedWait(
                                    byDevice, f, timeout, TimeUnit.MILLISECONDS, o.capacity())
                            : AsyncDataStream.unorderedWait(
                                    byDevice, f, timeout, TimeUnit.MILLISECONDS, o.capacity()))
                    .returns(TypeInformation.of(EnrichedTelemetry.class))
                    .name("Lookup : redis devices")
                    .uid(uid + "-lookup-redis-devices");
        };
    }

    @Override
    public void open(Configuration parameters) {
        client = RedisClient.create(RedisURI.create(host, port));
        connection = client.connect();
    }

    @Override
    public void asyncInvoke(Telemetry t, ResultFuture<EnrichedTelemetry> result) {
        connection
                .async()
                .get(RedisStore.PREFIX + t.deviceId)
                .whenComplete(
                        (json, e) -> {
                            if (e != null) {
                                result.completeExceptionally(e);
                                return;
                            }
                            try {
                                Device d = json == null ? null : JsonCodec.read(json, Device.class);
                                result.complete(
                                        Collections.singleton(UnknownDeviceRouter.join(t, d)));
                            } catch (RuntimeException ex) {
                                result.completeExceptionally(ex);
                            }
                        });
    }

    @Override
    public void close() {
        if (connection != null) {
            connection.close();
        }
        if (client != null) {
            client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
        }
    }
}
