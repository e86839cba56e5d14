package dev.gridhouse.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.gridhouse.contract.grid.Device;
import dev.gridhouse.contract.grid.GridTables;
import dev.gridhouse.core.io.FlussEndpoint;
import dev.gridhouse.core.io.TableReader;
import dev.gridhouse.ods.sim.GridSimulator;
import dev.gridhouse.ods.sim.SimulatorConfig;
import dev.gridhouse.testing.LocalFlussCluster;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.flink.configuration.Configuration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code gridhouse serve} against a real embedded Fluss cluster filled by a bounded replay of the
 * whole pipeline: every endpoint's answer is checked against the Fluss tables read directly, the
 * error cases against their status codes, and the dashboard is loaded in a real headless Chromium
 * (Debian package, driven by playwright-core), which must show every region with the API's numbers.
 * The screenshot is kept as {@code deploy/target/dashboard.png}.
 */
class ServeITCase {
    private static final long T0 = Instant.parse("2026-01-01T10:00:00Z").toEpochMilli();
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir static Path dir;
    private static LocalFlussCluster cluster;
    private static FlussEndpoint fluss;
    private static GridApiServer api;
    private static final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    static void start() throws Exception {
        // three minutes of every device of a 400-device grid; minute 1 overloads one substation
        GridSimulator sim =
                new GridSimulator(
                        SimulatorConfig.builder().deviceCount(400).regionCount(7).seed(42).build());
        String hot = sim.substations().get(0).substationId;
        List<Device> devices = sim.devices();
        List<String> lines = new ArrayList<>();
        for (int minute = 0; minute < 3; minute++) {
            long ts = T0 + minute * 60_000L;
            for (Device d : devices) {
                boolean overloaded = minute == 1 && d.substationId.equals(hot) && !d.isGenerator();
                double power = (overloaded ? 3 : 0.4 + 0.1 * minute) * d.capacityMw;
                lines.add(
                        String.format(
                                "{\"device_id\":\"%s\",\"ts\":%d,\"active_power_mw\":%s,"
                                        + "\"voltage_kv\":%s,\"frequency_hz\":50.0}",
                                d.deviceId, ts++, Math.min(power, 5000), d.ratedVoltageKv));
            }
        }
        Path telemetry = dir.resolve("t.jsonl");
        Files.write(telemetry, lines);

        cluster = LocalFlussCluster.start();
        fluss =
                new FlussEndpoint(cluster.bootstrapServers(), GridTables.DEFAULT_DATABASE)
                        .withClientOption("client.lookup.batch-timeout", "5ms");
        Configuration conf = new Configuration();
        conf.set(LocalOptions.TELEMETRY, telemetry.toString());
        conf.set(LocalOptions.BOUNDED, true);
        conf.set(LocalOptions.DEVICE_COUNT, 400);
        conf.set(LocalOptions.SEED, 42L);
        ByteArrayOutputStream console = new ByteArrayOutputStream();
        new LocalRunner(conf, new PrintStream(console, true, "UTF-8")).replayInto(fluss);
        api = GridApiServer.start(fluss, "127.0.0.1", 0);
    }

    @AfterAll
    static void stop() throws Exception {
        if (api != null) {
            api.close();
        }
        if (cluster != null) {
            cluster.close();
        }
    }

    private static HttpResponse<String> get(String path) throws Exception {
        return http.send(
                HttpRequest.newBuilder(URI.create(api.url() + path.substring(1))).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static JsonNode ok(String path) throws Exception {
        HttpResponse<String> r = get(path);
        assertThat(r.statusCode()).as("%s: %s", path, r.body()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type")).hasValue("application/json");
        return JSON.readTree(r.body());
    }

    /** A table read directly from Fluss, as JSON objects keyed by the given column. */
    private static Map<String, JsonNode> table(
            dev.gridhouse.core.catalog.TableSpec spec, String key) throws Exception {
        Map<String, JsonNode> out = new HashMap<>();
        try (TableReader reader = new TableReader(fluss.toFlussConfig(), fluss.database())) {
            for (Object[] row : reader.readAll(spec, Duration.ofMinutes(1))) {
                // through text, as a client sees it (numbers re-parsed with their JSON types)
                JsonNode n =
                        JSON.readTree(
                                JSON.writeValueAsString(
                                        TableFormat.jsonRow(spec.columnNames(), row)));
                out.put(n.get(key).asText(), n);
            }
        }
        return out;
    }

    @Test
    void endpointsAnswerFromFluss() throws Exception {
        Map<String, JsonNode> realtime = table(GridTables.ADS_GRID_REALTIME, "region");
        JsonNode regions = ok("/api/regions").get("regions");
        assertThat(regions).hasSize(7);
        for (JsonNode r : regions) {
            assertThat(r).isEqualTo(realtime.get(r.get("region").asText()));
            // the newest minute of the replay, with balance = generation - load
            assertThat(r.get("window_start").asText()).isEqualTo("2026-01-01T10:02:00.000Z");
            assertThat(r.get("balance_mw").asDouble())
                    .isCloseTo(
                            r.get("generation_mw").asDouble() - r.get("load_mw").asDouble(),
                            within(1e-6));
        }

        JsonNode minutes = ok("/api/regions/" + regions.get(0).get("region").asText() + "/minutes");
        assertThat(minutes.get("minutes")).hasSize(3);
        assertThat(minutes.get("minutes").get(0).get("window_start").asText())
                .isEqualTo("2026-01-01T10:02:00.000Z");
        assertThat(ok("/api/trends?minutes=2").get("regions").get("NORTH")).hasSize(2);

        Map<String, JsonNode> alarms = table(GridTables.ADS_ALARMS, "alarm_id");
        JsonNode all = ok("/api/alarms?status=ALL&limit=1000");
        assertThat(all.get("total").asInt()).isEqualTo(alarms.size()).isPositive();
        for (JsonNode a : all.get("alarms")) {
            assertThat(a).isEqualTo(alarms.get(a.get("alarm_id").asText()));
        }
        // the overload ended in minute 2: nothing is active any more
        assertThat(ok("/api/alarms").get("total").asInt()).isZero();
        assertThat(ok("/api/alarms?status=CLEARED&limit=1").get("alarms")).hasSize(1);

        Map<String, JsonNode> decisions = table(GridTables.ADS_DISPATCH_DECISIONS, "decision_id");
        JsonNode d = ok("/api/decisions?limit=5");
        assertThat(d.get("total").asInt()).isEqualTo(decisions.size()).isPositive();
        assertThat(d.get("decisions")).hasSize(Math.min(5, decisions.size()));
        for (JsonNode n : d.get("decisions")) {
            assertThat(n).isEqualTo(decisions.get(n.get("decision_id").asText()));
        }

        JsonNode device = ok("/api/devices/D000001?minutes=2");
        assertThat(device.get("device").get("device_id").asText()).isEqualTo("D000001");
        assertThat(device.get("minutes")).hasSize(2);
        assertThat(device.get("latest_minute").get("window_start").asText())
                .isEqualTo("2026-01-01T10:02:00.000Z");
        assertThat(device.get("latest_minute").get("sample_count").asLong()).isEqualTo(1);
    }

    @Test
    void badRequestsGetClearErrors() throws Exception {
        assertError(get("/api/alarms?status=OPEN"), 400, "status must be ACTIVE, CLEARED or ALL");
        assertError(get("/api/decisions?limit=0"), 400, "limit must be an integer from 1 to 1000");
        assertError(get("/api/decisions?limit=ten"), 400, "got 'ten'");
        assertError(get("/api/regions?foo=1"), 400, "Unknown parameter 'foo'");
        assertError(get("/api/devices/NO_SUCH"), 404, "No device 'NO_SUCH'");
        assertError(get("/api/regions/ATLANTIS/minutes"), 404, "No region 'ATLANTIS'");
        assertError(get("/api/nothing"), 404, "No such resource");
        HttpResponse<String> post =
                http.send(
                        HttpRequest.newBuilder(URI.create(api.url() + "api/regions"))
                                .POST(HttpRequest.BodyPublishers.noBody())
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        assertError(post, 405, "Only GET");
        assertThat(post.headers().firstValue("Allow")).hasValue("GET");
    }

    private static void assertError(HttpResponse<String> r, int status, String message)
            throws Exception {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
        assertThat(JSON.readTree(r.body()).get("error").asText()).contains(message);
    }

    @Test
    void dashboardShowsEveryRegionWithTheApiNumbersInHeadlessChromium() throws Exception {
        Path repo = Paths.get("").toAbsolutePath().getParent();
        Path screenshot = repo.resolve("deploy/target/dashboard.png");
        Files.deleteIfExists(screenshot);
        Path log = dir.resolve("browser.log");
        Process p =
                new ProcessBuilder(
                                repo.resolve("deploy/src/test/browser/run-dashboard-test.sh")
                                        .toString(),
                                repo.resolve("deploy/target/browser-test").toString(),
                                api.url(),
                                screenshot.toString())
                        .redirectError(log.toFile())
                        .start();
        String report = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(10, TimeUnit.MINUTES)).isTrue();
        assertThat(p.exitValue())
                .as("browser test: %s%n%s", report, Files.readString(log))
                .isZero();
        JsonNode result = JSON.readTree(report.substring(report.indexOf('{')));
        assertThat(result.get("failures")).isEmpty();
        assertThat(result.get("regions").asInt()).isEqualTo(7);
        assertThat(result.get("shown")).hasSize(7);
        assertThat(screenshot).exists();
        assertThat(Files.size(screenshot)).isGreaterThan(10_000);
    }
}
