package dev.gridhouse.ods;

import dev.gridhouse.contract.grid.Device;
import dev.gridhouse.contract.grid.GridLine;
import dev.gridhouse.contract.grid.GridTables;
import dev.gridhouse.contract.grid.Substation;
import dev.gridhouse.contract.grid.Telemetry;
import dev.gridhouse.core.io.FlussEndpoint;
import dev.gridhouse.core.io.FlussIo;
import dev.gridhouse.core.model.DeadLetter;
import dev.gridhouse.core.ops.DeadLetters;
import dev.gridhouse.ods.parse.AvroTelemetryValidator;
import dev.gridhouse.ods.parse.CsvRowParser;
import dev.gridhouse.ods.parse.DeviceCsvParser;
import dev.gridhouse.ods.parse.GridLineCsvParser;
import dev.gridhouse.ods.parse.SubstationCsvParser;
import dev.gridhouse.ods.parse.TelemetryValidator;
import dev.gridhouse.ods.sim.GridSimulator;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.types.Either;
import org.apache.flink.util.Collector;

/**
 * The ODS layer as functions over streams: raw telemetry lines → validated {@link Telemetry} plus
 * dead letters; device, substation and line CSV lines → {@link Device}, {@link Substation}, {@link
 * GridLine} plus dead letters; and the writers of the ODS tables. {@link OdsJob} runs it on its
 * own; {@code gridhouse local} composes it with the other layers.
 */
public final class OdsPipeline {
    private OdsPipeline() {}

    /** The validated telemetry; its side output {@link DeadLetters#TAG} holds the rejects. */
    public static SingleOutputStreamOperator<Telemetry> validateTelemetry(
            DataStream<String> rawTelemetry, String uidPrefix) {
        return rawTelemetry
                .process(new TelemetryValidator())
                .name("Validate : telemetry")
                .uid(uidPrefix + "-ods-validate-telemetry")
                .setParallelism(rawTelemetry.getParallelism());
    }

    /** The validated Avro telemetry; its side output {@link DeadLetters#TAG} holds the rejects. */
    public static SingleOutputStreamOperator<Telemetry> validateAvroTelemetry(
            DataStream<byte[]> avroRecords, String uidPrefix) {
        return avroRecords
                .process(new AvroTelemetryValidator())
                .name("Validate : telemetry (Avro)")
                .uid(uidPrefix + "-ods-validate-telemetry-avro")
                .setParallelism(avroRecords.getParallelism());
    }

    /** Device rows parsed from CSV lines (header skipped); rejects in {@link DeadLetters#TAG}. */
    public static SingleOutputStreamOperator<Device> parseDeviceCsv(
            DataStream<String> csvLines, String uidPrefix) {
        return parseCsv(
                csvLines, new DeviceCsvParser(), TypeInformation.of(Device.class), uidPrefix);
    }

    /**
     * Substation rows parsed from CSV lines (contract §1.2, header skipped); rejects (source {@code
     * substations}) in {@link DeadLetters#TAG}.
     */
    public static SingleOutputStreamOperator<Substation> parseSubstationCsv(
            DataStream<String> csvLines, String uidPrefix) {
        return parseCsv(
                csvLines,
                new SubstationCsvParser(),
                TypeInformation.of(Substation.class),
                uidPrefix);
    }

    /**
     * Line rows parsed from CSV lines (contract §1.2, header skipped); rejects (source {@code
     * lines}) in {@link DeadLetters#TAG}.
     */
    public static SingleOutputStreamOperator<GridLine> parseLineCsv(
            DataStream<String> csvLines, String uidPrefix) {
        return parseCsv(
                csvLines, new GridLineCsvParser(), TypeInformation.of(GridLine.class), uidPrefix);
    }

    /** "Validate : SOURCE", uid {@code <prefix>-ods-validate-SOURCE}. */
    private static <T> SingleOutputStreamOperator<T> parseCsv(
            DataStream<String> csvLines,
            CsvRowParser<T> parser,
            TypeInformation<T> type,
            String uidPrefix) {
        return csvLines.process(new CsvLines<>(parser), type)
                .name("Validate : " + parser.source())
                .uid(uidPrefix + "-ods-validate-" + parser.source())
                .setParallelism(csvLines.getParallelism());
    }

    public static void writeTelemetry(
            DataStream<Telemetry> telemetry, FlussEndpoint fluss, String uidPrefix) {
        FlussIo.write(telemetry, fluss, GridTables.ODS_GRID_TELEMETRY, uidPrefix + "-ods", 0);
    }

    public static void writeDevices(
            DataStream<Device> devices, FlussEndpoint fluss, String uidPrefix) {
        FlussIo.write(devices, fluss, GridTables.ODS_DEVICES, uidPrefix + "-ods", 0);
    }

    /**
     * Writes the simulator's substations and lines to {@code ods_substations}, {@code ods_lines}.
     */
    public static void writeTopology(
            StreamExecutionEnvironment env,
            GridSimulator simulator,
            FlussEndpoint fluss,
            String uidPrefix) {
        DataStream<Substation> substations =
                env.fromData(simulator.substations(), TypeInformation.of(Substation.class))
                        .name("Simulator : substations")
                        .uid(uidPrefix + "-source-substations-simulator");
        DataStream<GridLine> lines =
                env.fromData(simulator.lines(), TypeInformation.of(GridLine.class))
                        .name("Simulator : lines")
                        .uid(uidPrefix + "-source-lines-simulator");
        writeSubstations(substations, fluss, uidPrefix);
        writeLines(lines, fluss, uidPrefix);
    }

    /** Writes substation rows (upserts by {@code substation_id}) to {@code ods_substations}. */
    public static void writeSubstations(
            DataStream<Substation> substations, FlussEndpoint fluss, String uidPrefix) {
        FlussIo.write(substations, fluss, GridTables.ODS_SUBSTATIONS, uidPrefix + "-ods", 1);
    }

    /** Writes line rows (upserts by {@code line_id}) to {@code ods_lines}. */
    public static void writeLines(
            DataStream<GridLine> lines, FlussEndpoint fluss, String uidPrefix) {
        FlussIo.write(lines, fluss, GridTables.ODS_LINES, uidPrefix + "-ods", 1);
    }

    /** Writes dead letters of every source to {@code ods_dead_letter}. */
    public static void writeDeadLetters(
            DataStream<DeadLetter> deadLetters, FlussEndpoint fluss, String uidPrefix) {
        DeadLetters.write(deadLetters, fluss, GridTables.ODS_DEAD_LETTER, uidPrefix, 1);
    }

    /**
     * Parses the lines of a dimension CSV file, skipping the header, routing bad rows to the dead
     * letter (metric {@code deadLetters.<source>}).
     */
    static final class CsvLines<T> extends ProcessFunction<String, T> {
        private static final long serialVersionUID = 1L;
        private final CsvRowParser<T> parser;
        private transient Counter rejected;

        CsvLines(CsvRowParser<T> parser) {
            this.parser = parser;
        }

        @Override
        public void open(Configuration parameters) {
            rejected =
                    getRuntimeContext()
                            .getMetricGroup()
                            .addGroup(DeadLetters.METRIC_GROUP)
                            .counter(parser.source());
        }

        @Override
        public void processElement(String line, Context ctx, Collector<T> out) {
            if (parser.isHeader(line)) {
                return;
            }
            Either<DeadLetter, T> r =
                    parser.parse(line, ctx.timerService().currentProcessingTime());
            if (r.isRight()) {
                out.collect(r.right());
            } else {
                rejected.inc();
                ctx.output(DeadLetters.TAG, r.left());
            }
        }
    }
}
