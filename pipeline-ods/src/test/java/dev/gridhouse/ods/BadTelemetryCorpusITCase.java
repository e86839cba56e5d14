package dev.gridhouse.ods;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gridhouse.contract.grid.GridTables;
import dev.gridhouse.core.catalog.TableSpec;
import dev.gridhouse.core.io.TableReader;
import dev.gridhouse.core.model.DeadLetter;
import dev.gridhouse.testing.LocalFlink;
import dev.gridhouse.testing.LocalFlussCluster;
import dev.gridhouse.testing.SharedFlussCluster;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import javax.annotation.Nullable;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A generated corpus of hostile telemetry lines (every reason of contract §2 that ODS decides, a 10
 * MB line, binary garbage, empty lines, 100k nested arrays, numbers beyond double, Latin-1, invalid
 * UTF-8, UTF-16 with BOM, …) read by the ODS job through a bounded file source with a glob. Every
 * line must end up in exactly one of ods_grid_telemetry or ods_dead_letter with the expected
 * reason, payloads at most 64 KiB, and the job must finish.
 *
 * <p>{@code TextLineInputFormat} splits lines at {@code \n}, {@code \r} or {@code \r\n} and decodes
 * UTF-8 with replacement: the corpus lines hold neither byte, and the expected payload of a line is
 * its bytes decoded the same way ({@code new String(bytes, UTF_8)}). Bytes that are not UTF-8
 * inside a JSON string thus become U+FFFD and the record may still be valid; outside strings they
 * make the line MALFORMED.
 */
class BadTelemetryCorpusITCase {
    private static final long TS = 1_777_636_800_000L; // 2026-05-01T12:00:00Z
    private static final String ACCEPTED = "ACCEPTED";
    private static final int BIG = 10 * 1024 * 1024;

    @TempDir static Path dir;

    /** One Fluss cluster for every test class of this JVM; this class writes its own databases. */
    @RegisterExtension static final SharedFlussCluster FLUSS = new SharedFlussCluster();

    private static LocalFlussCluster fluss;

    @BeforeAll
    static void start() throws Exception {
        fluss = FLUSS.cluster();
    }

    /** One corpus line (without terminator) and its expected outcome. */
    private static final class Line {
        final byte[] bytes;
        final String reason;
        final @Nullable String detail; // field name; null for MALFORMED and accepted
        final @Nullable String device; // accepted: the stored device_id

        Line(byte[] bytes, String reason, @Nullable String detail, @Nullable String device) {
            this.bytes = bytes;
            this.reason = reason;
            this.detail = detail;
            this.device = device;
        }
    }

    private final List<Line> corpus = new ArrayList<>();

    private static String fields(String device, String ts, String p, String v, String f) {
        StringBuilder b = new StringBuilder("{");
        if (device != null) {
            b.append("\"device_id\":").append(device).append(',');
        }
        if (ts != null) {
            b.append("\"ts\":").append(ts).append(',');
        }
        if (p != null) {
            b.append("\"active_power_mw\":").append(p).append(',');
        }
        if (v != null) {
            b.append("\"voltage_kv\":").append(v).append(',');
        }
        if (f != null) {
            b.append("\"frequency_hz\":").append(f).append(',');
        }
        b.setLength(b.length() - 1);
        return b.append('}').toString();
    }

    private static String valid(String device) {
        return fields("\"" + device + "\"", String.valueOf(TS), "12.5", "110", "50.01");
    }

    private static String validWith(String device, String extra) {
        String v = valid(device);
        return v.substring(0, v.length() - 1) + "," + extra + "}";
    }

    private void accept(String line, String device) {
        corpus.add(new Line(utf8(line), ACCEPTED, null, device));
    }

    private void accept(byte[] line, String device) {
        corpus.add(new Line(line, ACCEPTED, null, device));
    }

    private void reject(String line, String reason, @Nullable String detail) {
        corpus.add(new Line(utf8(line), reason, detail, null));
    }

    private void malformed(byte[] line) {
        corpus.add(new Line(line, "MALFORMED", null, null));
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }

    private void buildCorpus() {
        for (int i = 0; i < 20; i++) {
            accept(valid("C" + i), "C" + i);
        }
        accept(validWith("C-extra", "\"unknown\":{\"a\":[1,2,{}]},\"status_code\":7"), "C-extra");
        accept(
                "{\"device_id\":\"C-dup\",\"ts\":"
                        + TS
                        + ",\"active_power_mw\":1,\"voltage_kv\":1,\"frequency_hz\":99,"
                        + "\"frequency_hz\":50}",
                "C-dup");
        accept("   " + valid("C-spaces") + "\t ", "C-spaces");

        // MALFORMED
        malformed(new byte[0]);
        malformed(new byte[0]);
        malformed(utf8("   \t "));
        malformed(utf8("not json"));
        malformed(utf8("[1,2,3]"));
        malformed(utf8("\"a string\""));
        malformed(utf8("{\"device_id\":\"C\""));
        malformed(utf8("NaN"));
        malformed(utf8(fields("\"C-nan\"", String.valueOf(TS), "NaN", "110", "50")));
        malformed(utf8(valid("C-twice") + valid("C-twice")));
        malformed(utf8("{\"device_id\":\"a" + '\u0000' + "b\"}")); // raw control char
        // a 10 MB line, unterminated string: MALFORMED, payload cut to 64 KiB
        malformed(utf8("{\"device_id\":\"" + "x".repeat(BIG)));
        // deeply nested
        malformed(utf8("{\"a\":" + "[".repeat(100_000)));
        malformed(utf8("[".repeat(100_000)));
        // a number longer than Jackson's limit
        malformed(
                utf8(fields("\"C-long\"", String.valueOf(TS), "1" + "0".repeat(2000), "1", "50")));
        // binary garbage (no \n or \r, which would split it)
        Random random = new Random(99);
        for (int n = 0; n < 5; n++) {
            byte[] garbage = new byte[1 + random.nextInt(5000)];
            random.nextBytes(garbage);
            garbage[0] = 0;
            for (int i = 0; i < garbage.length; i++) {
                if (garbage[i] == '\n' || garbage[i] == '\r') {
                    garbage[i] = 0x7F;
                }
            }
            malformed(garbage);
        }
        // encodings: UTF-16 with BOM, a UTF-8 BOM, Latin-1/invalid bytes outside strings
        malformed(
                concat(
                        new byte[] {(byte) 0xFE, (byte) 0xFF},
                        valid("C-u16be").getBytes(StandardCharsets.UTF_16BE)));
        malformed(
                concat(
                        new byte[] {(byte) 0xFF, (byte) 0xFE},
                        valid("C-u16le").getBytes(StandardCharsets.UTF_16LE)));
        malformed(concat(new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF}, utf8(valid("C-bom"))));
        malformed(concat(new byte[] {(byte) 0xA0}, utf8(valid("C-latin1-nbsp"))));
        malformed(concat(new byte[] {(byte) 0xFF, (byte) 0xFE, (byte) 0xFD}, utf8(valid("C-ff"))));

        // bad bytes inside a string decode to U+FFFD: still a valid record
        byte[] latin1 = valid("Gen\u00e9rateur").getBytes(StandardCharsets.ISO_8859_1);
        accept(latin1, "Gen\uFFFDrateur");
        byte[] invalidUtf8 =
                concat(
                        utf8("{\"device_id\":\"X"),
                        new byte[] {(byte) 0xC3, 0x28, (byte) 0xED, (byte) 0xA0, (byte) 0x80},
                        utf8("Y\",\"ts\":" + TS + ",\"active_power_mw\":1,\"voltage_kv\":1,"),
                        utf8("\"frequency_hz\":50}"));
        accept(
                invalidUtf8,
                new String(Arrays.copyOfRange(invalidUtf8, 14, 21), StandardCharsets.UTF_8));
        // a 10 MB line whose big value is an unknown field: skipped unread, the record is valid
        accept(validWith("C-big", "\"pad\":\"" + "p".repeat(BIG) + "\""), "C-big");

        // MISSING_FIELD, in contract order
        String ts = String.valueOf(TS);
        reject(fields(null, ts, "1", "1", "50"), "MISSING_FIELD", "device_id");
        reject(fields("null", ts, "1", "1", "50"), "MISSING_FIELD", "device_id");
        reject(fields("\"M\"", null, "1", "1", "50"), "MISSING_FIELD", "ts");
        reject(fields("\"M\"", ts, null, "1", "50"), "MISSING_FIELD", "active_power_mw");
        reject(fields("\"M\"", ts, "1", null, "50"), "MISSING_FIELD", "voltage_kv");
        reject(fields("\"M\"", ts, "1", "1", null), "MISSING_FIELD", "frequency_hz");
        reject("{}", "MISSING_FIELD", "device_id");
        // INVALID_TYPE
        reject(fields("42", ts, "1", "1", "50"), "INVALID_TYPE", "device_id");
        reject(fields("\"T\"", "1.5", "1", "1", "50"), "INVALID_TYPE", "ts");
        reject(fields("\"T\"", "\"" + ts + "\"", "1", "1", "50"), "INVALID_TYPE", "ts");
        reject(fields("\"T\"", ts, "true", "1", "50"), "INVALID_TYPE", "active_power_mw");
        reject(fields("\"T\"", ts, "1", "[1]", "50"), "INVALID_TYPE", "voltage_kv");
        reject(validWith("T", "\"temperature_c\":{}"), "INVALID_TYPE", "temperature_c");
        reject(validWith("T", "\"status_code\":1.5"), "INVALID_TYPE", "status_code");
        // INVALID_VALUE: beyond the double range
        reject(fields("\"V\"", ts, "1e400", "1", "50"), "INVALID_VALUE", "active_power_mw");
        reject(fields("\"V\"", ts, "-1e400", "1", "50"), "INVALID_VALUE", "active_power_mw");
        reject(fields("\"V\"", ts, "1", "9".repeat(400), "50"), "INVALID_VALUE", "voltage_kv");
        reject(validWith("V", "\"current_a\":1e999"), "INVALID_VALUE", "current_a");
        // OUT_OF_RANGE
        reject(fields("\"\"", ts, "1", "1", "50"), "OUT_OF_RANGE", "device_id");
        reject(fields("\"R\"", "946684799999", "1", "1", "50"), "OUT_OF_RANGE", "ts");
        reject(fields("\"R\"", "4102444800000", "1", "1", "50"), "OUT_OF_RANGE", "ts");
        reject(fields("\"R\"", "1e30", "1", "1", "50"), "OUT_OF_RANGE", "ts");
        reject(fields("\"R\"", ts, "5000.5", "1", "50"), "OUT_OF_RANGE", "active_power_mw");
        reject(fields("\"R\"", ts, "1", "-0.5", "50"), "OUT_OF_RANGE", "voltage_kv");
        reject(fields("\"R\"", ts, "1", "1", "55.5"), "OUT_OF_RANGE", "frequency_hz");
        reject(
                validWith("R", "\"reactive_power_mvar\":-5001"),
                "OUT_OF_RANGE",
                "reactive_power_mvar");
        reject(validWith("R", "\"current_a\":100001"), "OUT_OF_RANGE", "current_a");
        reject(validWith("R", "\"temperature_c\":-61"), "OUT_OF_RANGE", "temperature_c");
        reject(validWith("R", "\"status_code\":3000000000"), "OUT_OF_RANGE", "status_code");
    }

    /** Writes the corpus into day-1 and day-2 files (plus files the glob must not pick up). */
    private void writeCorpus() throws Exception {
        int half = corpus.size() / 2;
        writeLines(dir.resolve("day-1.jsonl"), corpus.subList(0, half), "\n");
        writeLines(dir.resolve("day-2.jsonl"), corpus.subList(half, corpus.size()), "\r\n");
        Files.writeString(dir.resolve("other.txt"), valid("NOT-ME") + "\n");
        Files.writeString(dir.resolve(".day-3.jsonl"), valid("NOT-HIDDEN") + "\n");
        Files.writeString(dir.resolve("day-4.json"), valid("NOT-JSON-EXT") + "\n");
    }

    private static void writeLines(Path file, List<Line> lines, String eol) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (Line l : lines) {
            for (byte b : l.bytes) {
                if (b == '\n' || b == '\r') {
                    throw new IllegalStateException("a corpus line holds a line break");
                }
            }
            out.writeBytes(l.bytes);
            out.writeBytes(eol.getBytes(StandardCharsets.US_ASCII));
        }
        Files.write(file, out.toByteArray());
    }

    @Test
    void everyCorpusLineIsAcceptedOrDeadLetteredWithItsReason() throws Exception {
        buildCorpus();
        writeCorpus();

        Configuration c = new Configuration();
        c.setString("fluss.bootstrap-servers", fluss.bootstrapServers());
        c.setString("fluss.database", "corpus");
        c.setString("checkpoint.interval", "1s");
        c.setString("parallelism", "2");
        c.setString("telemetry-source", "file:" + dir.resolve("day-*.jsonl"));
        c.setString("devices-source", "none");
        StreamExecutionEnvironment env =
                StreamExecutionEnvironment.createLocalEnvironment(2, LocalFlink.config(2));
        OdsJob.build(env, c);
        env.execute("ods-corpus"); // bounded file source: the job finishes

        List<Object[]> accepted = read(GridTables.ODS_GRID_TELEMETRY);
        List<Object[]> dead = read(GridTables.ODS_DEAD_LETTER);
        assertThat(accepted.size() + dead.size()).isEqualTo(corpus.size());

        Map<String, Integer> expectedAccepted = new TreeMap<>();
        Map<String, Integer> expectedDead = new TreeMap<>();
        Map<String, Integer> expectedReasons = new TreeMap<>();
        for (Line l : corpus) {
            expectedReasons.merge(l.reason, 1, Integer::sum);
            if (l.reason.equals(ACCEPTED)) {
                expectedAccepted.merge(l.device, 1, Integer::sum);
            } else {
                String payload =
                        DeadLetter.truncatePayload(new String(l.bytes, StandardCharsets.UTF_8));
                expectedDead.merge(key(l.reason, l.detail, payload), 1, Integer::sum);
            }
        }
        Map<String, Integer> actualAccepted = new TreeMap<>();
        for (Object[] r : accepted) {
            actualAccepted.merge((String) r[0], 1, Integer::sum);
        }
        Map<String, Integer> actualDead = new TreeMap<>();
        Map<String, Integer> actualReasons = new TreeMap<>();
        actualReasons.put(ACCEPTED, accepted.size());
        for (Object[] r : dead) {
            assertThat(r[0]).isEqualTo("telemetry");
            String reason = (String) r[1];
            String payload = (String) r[3];
            assertThat(payload.getBytes(StandardCharsets.UTF_8).length)
                    .isLessThanOrEqualTo(DeadLetter.MAX_PAYLOAD_BYTES);
            actualReasons.merge(reason, 1, Integer::sum);
            String detail = "MALFORMED".equals(reason) ? null : (String) r[2];
            actualDead.merge(key(reason, detail, payload), 1, Integer::sum);
        }
        assertThat(actualReasons).isEqualTo(expectedReasons);
        assertThat(actualAccepted).isEqualTo(expectedAccepted);
        assertThat(actualDead).isEqualTo(expectedDead);
        assertThat(expectedReasons)
                .containsKeys(
                        ACCEPTED,
                        "MALFORMED",
                        "MISSING_FIELD",
                        "INVALID_TYPE",
                        "INVALID_VALUE",
                        "OUT_OF_RANGE");
    }

    /** Reason, detail and a short, printable fingerprint of the payload. */
    private static String key(String reason, @Nullable String detail, String payload) {
        StringBuilder head = new StringBuilder();
        for (int i = 0; i < Math.min(40, payload.length()); i++) {
            char ch = payload.charAt(i);
            head.append(ch >= 0x20 && ch < 0x7F ? ch : '.');
        }
        return reason
                + "|"
                + detail
                + "|"
                + payload.length()
                + "|"
                + Integer.toHexString(payload.hashCode())
                + "|"
                + head;
    }

    private static List<Object[]> read(TableSpec table) throws Exception {
        try (TableReader reader = new TableReader(fluss.clientConfig(), "corpus")) {
            return reader.readAll(table, Duration.ofMinutes(2));
        }
    }
}
