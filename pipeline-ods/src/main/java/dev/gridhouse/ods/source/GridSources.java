package dev.gridhouse.ods.source;

import dev.gridhouse.contract.grid.Device;
import dev.gridhouse.ods.sim.GridSimulator;
import java.time.Duration;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.PrimitiveArrayTypeInfo;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.connector.source.util.ratelimit.RateLimiterStrategy;
import org.apache.flink.connector.datagen.source.DataGeneratorSource;
import org.apache.flink.connector.datagen.source.GeneratorFunction;
import org.apache.flink.connector.file.src.FileSource;
import org.apache.flink.connector.file.src.enumerate.NonSplittingRecursiveEnumerator;
import org.apache.flink.connector.file.src.reader.TextLineInputFormat;
import org.apache.flink.core.fs.Path;
import org.apache.flink.streaming.api.datastream.DataStreamSource;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * The raw inputs of the ODS layer: telemetry from the simulator, files or Kafka (JSON lines or
 * Avro), device rows from the simulator or CSV lines. Telemetry sources run with parallelism 1 so
 * that a replay keeps the input order (contract §4); everything downstream scales out.
 */
public final class GridSources {
    private GridSources() {}

    /** Telemetry JSON lines from the built-in simulator (rate-limited, unbounded by default). */
    public static DataStreamSource<String> simulatedTelemetry(
            StreamExecutionEnvironment env, GridSimulator simulator, String uidPrefix) {
        return simulatedTelemetry(env, simulator, uidPrefix, false);
    }

    /**
     * Simulated telemetry; with {@code wallClock} the event times follow the running job's clock
     * ({@link GridSimulator#liveTelemetrySource()}), else they start at the simulator's fixed
     * {@code startTimeMs} (reproducible).
     */
    public static DataStreamSource<String> simulatedTelemetry(
            StreamExecutionEnvironment env,
            GridSimulator simulator,
            String uidPrefix,
            boolean wallClock) {
        DataStreamSource<String> s =
                env.fromSource(
                        wallClock ? simulator.liveTelemetrySource() : simulator.telemetrySource(),
                        WatermarkStrategy.noWatermarks(),
                        "Simulator : telemetry",
                        Types.STRING);
        s.uid(uidPrefix + "-source-telemetry-simulator");
        s.setParallelism(1);
        return s;
    }

    /**
     * Lines from files: a file, a directory, or a glob in the file-name part ({@code
     * /data/day-*.jsonl}, see {@link GlobFileFilter}); when {@code monitorInterval} is set, the
     * directory is watched for new (matching) files.
     *
     * <p>Lines are split by {@link TextLineInputFormat} ({@code \n}, {@code \r} or {@code \r\n},
     * like {@link java.io.BufferedReader#readLine}) and decoded as UTF-8: malformed bytes become
     * U+FFFD, so a line in another encoding reaches the validator as text and is classified there.
     */
    public static DataStreamSource<String> fileLines(
            StreamExecutionEnvironment env,
            String path,
            String what,
            Duration monitorInterval,
            String uidPrefix) {
        FileSource.FileSourceBuilder<String> builder;
        if (GlobFileFilter.isGlob(path)) {
            GlobFileFilter glob = GlobFileFilter.of(path);
            builder =
                    FileSource.forRecordStreamFormat(
                                    new TextLineInputFormat("UTF-8"), glob.directory())
                            .setFileEnumerator(() -> new NonSplittingRecursiveEnumerator(glob));
        } else {
            builder =
                    FileSource.forRecordStreamFormat(
                            new TextLineInputFormat("UTF-8"), new Path(path));
        }
        if (monitorInterval != null && !monitorInterval.isZero()) {
            builder.monitorContinuously(monitorInterval);
        }
        DataStreamSource<String> s =
                env.fromSource(
                        builder.build(),
                        WatermarkStrategy.noWatermarks(),
                        "File : " + what,
                        Types.STRING);
        s.uid(uidPrefix + "-source-" + what + "-file");
        s.setParallelism(1);
        return s;
    }

    /** Telemetry JSON lines from a Kafka topic (one reader: see the class comment). */
    public static DataStreamSource<String> kafkaLines(
            StreamExecutionEnvironment env, KafkaTelemetrySource kafka, String uidPrefix) {
        DataStreamSource<String> s =
                env.fromSource(
                        kafka.jsonLines(),
                        WatermarkStrategy.noWatermarks(),
                        "Kafka : telemetry " + kafka.topic(),
                        Types.STRING);
        s.uid(uidPrefix + "-source-telemetry-kafka");
        s.setParallelism(1);
        return s;
    }

    /**
     * Avro telemetry records (raw bytes) from a Kafka topic. Parallelism 1 like every telemetry
     * source: a replay stays in input order; per-partition order is Kafka's only guarantee anyway.
     */
    public static DataStreamSource<byte[]> kafkaAvro(
            StreamExecutionEnvironment env, KafkaTelemetrySource kafka, String uidPrefix) {
        DataStreamSource<byte[]> s =
                env.fromSource(
                        kafka.avroRecords(),
                        WatermarkStrategy.noWatermarks(),
                        "Kafka : telemetry " + kafka.topic() + " (Avro)",
                        PrimitiveArrayTypeInfo.BYTE_PRIMITIVE_ARRAY_TYPE_INFO);
        s.uid(uidPrefix + "-source-telemetry-kafka-avro");
        s.setParallelism(1);
        return s;
    }

    /** The simulator's device dimension as a bounded stream. */
    public static DataStreamSource<Device> simulatedDevices(
            StreamExecutionEnvironment env, GridSimulator simulator, String uidPrefix) {
        GeneratorFunction<Long, Device> byIndex = i -> simulator.device(i.intValue());
        DataGeneratorSource<Device> source =
                new DataGeneratorSource<>(
                        byIndex,
                        simulator.config().deviceCount(),
                        RateLimiterStrategy.noOp(),
                        TypeInformation.of(Device.class));
        DataStreamSource<Device> s =
                env.fromSource(source, WatermarkStrategy.noWatermarks(), "Simulator : devices");
        s.uid(uidPrefix + "-source-devices-simulator");
        return s;
    }
}
