package dev.gridhouse.bench;

import dev.gridhouse.ads.AdsPipeline;
import dev.gridhouse.ads.ops.GridTopology;
import dev.gridhouse.contract.grid.Alarm;
import dev.gridhouse.contract.grid.DispatchDecision;
import dev.gridhouse.contract.grid.GridTables;
import dev.gridhouse.contract.grid.RegionRealtime;
import dev.gridhouse.contract.grid.SubstationLoad;
import dev.gridhouse.contract.grid.Telemetry;
import dev.gridhouse.core.catalog.TableSpec;
import dev.gridhouse.core.io.JdbcUpsertSink;
import dev.gridhouse.core.model.DeadLetter;
import dev.gridhouse.core.ops.DeadLetters;
import dev.gridhouse.dws.DwsPipeline;
import dev.gridhouse.dws.DwsSettings;
import dev.gridhouse.ods.OdsPipeline;
import dev.gridhouse.ods.parse.AvroTelemetryEncoder;
import dev.gridhouse.ods.source.KafkaTelemetrySource;
import dev.gridhouse.testkafka.LocalKafkaBroker;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.serialization.SerializationSchema;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.flink.connector.kafka.sink.KafkaSink;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The Kafka baseline's full pipeline: telemetry produced to a Kafka topic as Avro, the same
 * operators with an async Redis lookup of the device and the topology shipped with the job (the
 * baseline has no changelog to mirror it from), DWD and dead letters to Kafka topics (JSON), DWS,
 * alarms, substation loads, decisions and the realtime view upserted into PostgreSQL (schema {@code
 * bench_pipeline}, JDBC Sink V2); a row is queryable when a {@code SELECT} on PostgreSQL returns
 * it.
 */
final class KafkaPipeline implements LivePipeline {
    static final String TELEMETRY_TOPIC = "pipeline-telemetry-avro";
    static final String DWD_TOPIC = "pipeline-dwd-telemetry-json";
    static final String DEAD_LETTER_TOPIC = "pipeline-dead-letter-json";
    static final String SCHEMA = "bench_pipeline";
    private static final String UID = "gridbench-kafka";
    private static final int JDBC_BATCH_SIZE = 5_000;
    private static final Duration JDBC_BATCH_INTERVAL = Duration.ofMillis(10);

    private final LocalKafkaBroker broker;
    private final RedisStore redis;
    private final PostgresStore pg;
    private final KafkaProducer<String, byte[]> producer;
    private final AvroTelemetryEncoder avro = new AvroTelemetryEncoder();
    private final Connection probeConnection;
    private final Map<String, PreparedStatement> probes = new HashMap<>();
    private final Workload workload;
    private final Duration bulkBatchInterval;
    private final AtomicReference<Throwable> failure = new AtomicReference<>();

    /** Creates the topics and the PostgreSQL tables; the devices must be loaded into Redis. */
    KafkaPipeline(
            LocalKafkaBroker broker,
            int partitions,
            RedisStore redis,
            PostgresStore pg,
            Workload workload,
            BenchOptions.Settings settings)
            throws Exception {
        this.workload = workload;
        this.bulkBatchInterval = settings.bulkBatchTimeout;
        this.broker = broker;
        this.redis = redis;
        this.pg = pg;
        for (String t : new String[] {TELEMETRY_TOPIC, DWD_TOPIC, DEAD_LETTER_TOPIC}) {
            broker.createTopic(t, partitions);
        }
        for (TableSpec t : resultTables()) {
            jdbc(t).createTableIfNotExists();
        }
        Properties p = broker.clientProperties();
        p.putAll(KafkaBench.PRODUCER_OPTIONS);
        producer = new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer());
        producer.partitionsFor(TELEMETRY_TOPIC);
        probeConnection = pg.connect();
        for (TableSpec t : List.of(GridTables.ADS_ALARMS, GridTables.ADS_DISPATCH_DECISIONS)) {
            String key = t.primaryKey().get(0);
            probes.put(
                    t.name(),
                    probeConnection.prepareStatement(
                            "SELECT "
                                    + key
                                    + " FROM "
                                    + SCHEMA
                                    + "."
                                    + t.name()
                                    + " WHERE "
                                    + key
                                    + " = ANY(?)"));
        }
    }

    private static List<TableSpec> resultTables() {
        return List.of(
                GridTables.DWS_DEVICE_MINUTE,
                GridTables.DWS_REGION_MINUTE,
                GridTables.DWS_REGION_HOUR,
                GridTables.DWS_REGION_DAY,
                GridTables.DWS_SUBSTATION_LOAD,
                GridTables.ADS_ALARMS,
                GridTables.ADS_DISPATCH_DECISIONS,
                GridTables.ADS_GRID_REALTIME);
    }

    private <T> JdbcUpsertSink<T> jdbc(TableSpec table) {
        return jdbc(table, JDBC_BATCH_INTERVAL);
    }

    /** A bulk sink (DWS tables): batches for {@code --pipeline.bulk-batch-timeout}. */
    private <T> JdbcUpsertSink<T> bulkJdbc(TableSpec table) {
        return jdbc(table, bulkBatchInterval);
    }

    private <T> JdbcUpsertSink<T> jdbc(TableSpec table, Duration batchInterval) {
        JdbcUpsertSink.Builder<T> b =
                JdbcUpsertSink.<T>builder(table)
                        .setTarget(SCHEMA, table.name())
                        .setUrl(pg.plainJdbcUrl())
                        .setUser(PostgresStore.USER)
                        .setPassword(PostgresStore.password())
                        .setBatchSize(JDBC_BATCH_SIZE)
                        .setBatchInterval(batchInterval);
        if (table == GridTables.ADS_GRID_REALTIME) {
            b.setNotChangeColumns("updated_at");
        }
        return b.build();
    }

    @Override
    public String system() {
        return "kafka";
    }

    @Override
    public String variant() {
        return "Kafka Avro topic → same operators (Redis async lookup) → PostgreSQL upserts";
    }

    @Override
    public String settings() {
        return "producer "
                + KafkaBench.PRODUCER_OPTIONS
                + ", JDBC batches of "
                + JDBC_BATCH_SIZE
                + " or every "
                + JDBC_BATCH_INTERVAL.toMillis()
                + " ms (bulk sinks: DWS tables every "
                + bulkBatchInterval.toMillis()
                + " ms, DWD/dead-letter topics linger.ms="
                + bulkBatchInterval.toMillis()
                + ")";
    }

    @Override
    public void build(StreamExecutionEnvironment env) {
        DwsSettings settings = DwsSettings.from(new Configuration(), env.getParallelism());
        KafkaTelemetrySource source =
                new KafkaTelemetrySource(
                        broker.bootstrapServers(),
                        TELEMETRY_TOPIC,
                        "gridbench-pipeline",
                        KafkaTelemetrySource.StartingOffsets.EARLIEST,
                        false);
        DataStream<byte[]> raw =
                env.fromSource(
                                source.avroRecords(),
                                WatermarkStrategy.noWatermarks(),
                                "Kafka Source : " + TELEMETRY_TOPIC)
                        .uid(UID + "-kafka-source");
        SingleOutputStreamOperator<Telemetry> valid = OdsPipeline.validateAvroTelemetry(raw, UID);
        DataStream<Telemetry> telemetry =
                DwsPipeline.assignWatermarks(valid, DwsPipeline.watermarks(settings, false), UID);
        DwsPipeline.Outputs out =
                ProcessedProbe.probed(
                        DwsPipeline.apply(
                                telemetry,
                                RedisDeviceLookup.join("127.0.0.1", redis.port(), settings.lookup),
                                settings,
                                UID),
                        UID);
        out.dwdTelemetry
                .sinkTo(jsonSink(DWD_TOPIC))
                .name("Kafka Writer : " + DWD_TOPIC)
                .uid(UID + "-kafka-writer-dwd");
        DataStream<DeadLetter> dead = out.deadLetters.union(valid.getSideOutput(DeadLetters.TAG));
        dead.sinkTo(jsonSink(DEAD_LETTER_TOPIC))
                .name("Kafka Writer : " + DEAD_LETTER_TOPIC)
                .uid(UID + "-kafka-writer-dead-letter")
                .setParallelism(1);
        this.<Object>bulkJdbc(GridTables.DWS_DEVICE_MINUTE).write(cast(out.deviceMinutes), UID, 0);
        this.<Object>bulkJdbc(GridTables.DWS_REGION_MINUTE).write(cast(out.regionMinutes), UID, 0);
        this.<Object>bulkJdbc(GridTables.DWS_REGION_HOUR).write(cast(out.regionHours), UID, 0);
        this.<Object>bulkJdbc(GridTables.DWS_REGION_DAY).write(cast(out.regionDays), UID, 0);
        AdsPipeline.Outputs ads =
                AdsPipeline.apply(
                        out.dwdTelemetry,
                        out.regionMinutes,
                        GridTopology.fixed(workload.substations(), workload.lines()),
                        AdsPipeline.SUBSTATION_LOAD_INTERVAL.defaultValue(),
                        0,
                        UID);
        this.<Alarm>jdbc(GridTables.ADS_ALARMS).write(ads.alarms, UID, 0);
        this.<RegionRealtime>jdbc(GridTables.ADS_GRID_REALTIME).write(ads.realtime, UID, 0);
        this.<SubstationLoad>jdbc(GridTables.DWS_SUBSTATION_LOAD)
                .write(ads.substationLoads, UID, 0);
        this.<DispatchDecision>jdbc(GridTables.ADS_DISPATCH_DECISIONS).write(ads.decisions, UID, 1);
    }

    @SuppressWarnings("unchecked")
    private static DataStream<Object> cast(DataStream<?> s) {
        return (DataStream<Object>) s;
    }

    private <T> KafkaSink<T> jsonSink(String topic) {
        return KafkaSink.<T>builder()
                .setBootstrapServers(broker.bootstrapServers())
                .setRecordSerializer(
                        KafkaRecordSerializationSchema.<T>builder()
                                .setTopic(topic)
                                .setValueSerializationSchema(new JsonValues<T>())
                                .build())
                .setDeliveryGuarantee(DeliveryGuarantee.AT_LEAST_ONCE)
                .setProperty("linger.ms", String.valueOf(bulkBatchInterval.toMillis()))
                .build();
    }

    /** Model records as JSON values (contract names). */
    private static final class JsonValues<T> implements SerializationSchema<T> {
        private static final long serialVersionUID = 1L;

        @Override
        public byte[] serialize(T element) {
            return JsonCodec.bytes(element);
        }
    }

    @Override
    public void send(Telemetry t) {
        producer.send(
                new ProducerRecord<>(TELEMETRY_TOPIC, t.deviceId, avro.encode(t)),
                (md, e) -> {
                    if (e != null) {
                        failure.compareAndSet(null, e);
                    }
                });
        FlussBench.checkNoFailure(failure, "Kafka send");
    }

    @Override
    public void flush() {
        producer.flush();
        FlussBench.checkNoFailure(failure, "Kafka send");
    }

    @Override
    public Set<String> visible(String table, List<String> keys) throws Exception {
        PreparedStatement probe = probes.get(table);
        Array ids = probeConnection.createArrayOf("text", keys.toArray());
        probe.setArray(1, ids);
        Set<String> found = new HashSet<>();
        try (ResultSet rs = probe.executeQuery()) {
            while (rs.next()) {
                found.add(rs.getString(1));
            }
        }
        return found;
    }

    @Override
    public void close() throws Exception {
        try {
            producer.close(Duration.ofSeconds(10));
        } finally {
            probeConnection.close();
        }
    }
}
