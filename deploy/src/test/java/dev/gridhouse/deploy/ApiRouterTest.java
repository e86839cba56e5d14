package dev.gridhouse.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@link ApiRouter} without Fluss: methods, dashboard files, path variables, query parameters and
 * the JSON errors, on a routing table of test routes.
 */
class ApiRouterTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient http = HttpClient.newHttpClient();
    private static HttpServer server;
    private static String base;

    @BeforeAll
    static void start() throws Exception {
        ApiRouter router =
                new ApiRouter()
                        .get("/api/plain", List.of(), r -> Map.of("ok", true))
                        .get(
                                "/api/things/{id}/parts",
                                List.of("limit", "kind"),
                                r ->
                                        Map.of(
                                                "id", r.path("id"),
                                                "kind", r.oneOf("kind", List.of("A", "B", "ALL")),
                                                "limit", r.limit("limit", 7)))
                        .get(
                                "/api/boom",
                                List.of(),
                                r -> {
                                    throw new IllegalStateException("kaput");
                                });
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", router);
        server.start();
        base = "http://127.0.0.1:" + server.getAddress().getPort();
    }

    @AfterAll
    static void stop() {
        server.stop(0);
    }

    private static HttpResponse<String> get(String path) throws Exception {
        return http.send(
                HttpRequest.newBuilder(URI.create(base + path)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static JsonNode json(HttpResponse<String> r, int status) throws Exception {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
        assertThat(r.headers().firstValue("Content-Type")).hasValue("application/json");
        assertThat(r.headers().firstValue("Cache-Control")).hasValue("no-store");
        return JSON.readTree(r.body());
    }

    @Test
    void routesWithPathVariablesAndParameters() throws Exception {
        assertThat(json(get("/api/plain"), 200).get("ok").asBoolean()).isTrue();
        assertThat(json(get("/api/plain/"), 200).get("ok").asBoolean()).isTrue();
        JsonNode n = json(get("/api/things/a%2520b/parts?limit=3&kind=B"), 200);
        assertThat(n.get("id").asText()).isEqualTo("a b");
        assertThat(n.get("limit").asInt()).isEqualTo(3);
        assertThat(n.get("kind").asText()).isEqualTo("B");
        n = json(get("/api/things/x/parts"), 200);
        assertThat(n.get("limit").asInt()).isEqualTo(7);
        assertThat(n.get("kind").asText()).isEqualTo("A");
    }

    @Test
    void errorsAreJson() throws Exception {
        assertThat(json(get("/api/nothing"), 404).get("error").asText())
                .isEqualTo("No such resource: /api/nothing");
        assertThat(json(get("/api/things/x"), 404).get("error").asText())
                .startsWith("No such resource");
        assertThat(json(get("/api/plain?x=1"), 400).get("error").asText())
                .isEqualTo("Unknown parameter 'x'; this resource takes none");
        assertThat(json(get("/api/things/x/parts?y=1"), 400).get("error").asText())
                .isEqualTo("Unknown parameter 'y'; use [limit, kind]");
        assertThat(json(get("/api/nothing?a=1&a=2"), 400).get("error").asText())
                .isEqualTo("Parameter 'a' is given more than once");
        assertThat(json(get("/api/things/x/parts?limit=1001"), 400).get("error").asText())
                .isEqualTo("limit must be an integer from 1 to 1000, got '1001'");
        assertThat(json(get("/api/things/x/parts?kind=C"), 400).get("error").asText())
                .isEqualTo("kind must be A, B or ALL, got 'C'");
        assertThat(json(get("/api/boom"), 500).get("error").asText())
                .isEqualTo("Internal error: kaput");
        HttpResponse<String> delete =
                http.send(
                        HttpRequest.newBuilder(URI.create(base + "/api/plain")).DELETE().build(),
                        HttpResponse.BodyHandlers.ofString());
        assertThat(json(delete, 405).get("error").asText())
                .isEqualTo("Only GET is supported, got DELETE");
        assertThat(delete.headers().firstValue("Allow")).hasValue("GET");
    }

    @Test
    void servesTheDashboardFiles() throws Exception {
        for (String[] f :
                new String[][] {
                    {"/", "text/html; charset=utf-8"},
                    {"/index.html", "text/html; charset=utf-8"},
                    {"/app.js", "text/javascript; charset=utf-8"},
                    {"/style.css", "text/css; charset=utf-8"}
                }) {
            HttpResponse<String> r = get(f[0] + "?ignored=1&ignored=2");
            assertThat(r.statusCode()).as(f[0]).isEqualTo(200);
            assertThat(r.headers().firstValue("Content-Type")).hasValue(f[1]);
            assertThat(r.body()).isNotEmpty();
        }
    }
}
