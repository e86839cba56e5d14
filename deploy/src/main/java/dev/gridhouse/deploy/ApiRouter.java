package dev.gridhouse.deploy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Routes the HTTP requests of {@link GridApiServer}: only GET (else 405 with {@code Allow: GET}),
 * the {@link DashboardFiles}, then the first route whose path pattern matches (else 404), its query
 * parameters checked against the route's. A route's answer is sent as JSON; an {@link ApiError} as
 * {@code {"error": message}} with its status, any other failure as 500.
 */
final class ApiRouter implements HttpHandler {
    private static final Logger LOG = LoggerFactory.getLogger(ApiRouter.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Answers a matched request with an object to send as JSON. */
    @FunctionalInterface
    interface Handler {
        Object handle(ApiRequest request) throws Exception;
    }

    /**
     * A path pattern split at {@code /}: literal segments and {@code {name}} variables (any
     * segment, URL-decoded).
     */
    private static final class Route {
        final String[] segments;
        final List<String> params;
        final Handler handler;

        Route(String pattern, List<String> params, Handler handler) {
            this.segments = pattern.split("/");
            this.params = params;
            this.handler = handler;
        }

        /** The path's variables if it matches, else null. */
        Map<String, String> match(String[] parts) {
            if (parts.length != segments.length) {
                return null;
            }
            Map<String, String> vars = new HashMap<>();
            for (int i = 0; i < parts.length; i++) {
                String s = segments[i];
                if (s.startsWith("{") && s.endsWith("}")) {
                    vars.put(s.substring(1, s.length() - 1), parts[i]);
                } else if (!s.equals(parts[i])) {
                    return null;
                }
            }
            vars.replaceAll((k, v) -> ApiRequest.decode(v));
            return vars;
        }
    }

    private final List<Route> routes = new ArrayList<>();

    /** Adds a GET route taking the query parameters {@code params} (no others). */
    ApiRouter get(String pattern, List<String> params, Handler handler) {
        routes.add(new Route(pattern, params, handler));
        return this;
    }

    @Override
    public void handle(HttpExchange ex) throws IOException {
        try {
            if (!"GET".equals(ex.getRequestMethod())) {
                ex.getResponseHeaders().set("Allow", "GET");
                throw new ApiError(405, "Only GET is supported, got " + ex.getRequestMethod());
            }
            URI uri = ex.getRequestURI();
            String path = uri.getPath();
            if (DashboardFiles.serves(path)) {
                DashboardFiles.File file = DashboardFiles.read(path);
                send(ex, 200, file.contentType, file.body);
                return;
            }
            Map<String, String> query = ApiRequest.parseQuery(uri.getRawQuery());
            Object body = route(path, query);
            send(ex, 200, "application/json", JSON.writeValueAsBytes(body));
        } catch (ApiError e) {
            ObjectNode err = JSON.createObjectNode().put("error", e.getMessage());
            send(ex, e.status, "application/json", JSON.writeValueAsBytes(err));
        } catch (Exception e) {
            LOG.warn("API request {} failed", ex.getRequestURI(), e);
            ObjectNode err =
                    JSON.createObjectNode().put("error", "Internal error: " + e.getMessage());
            send(ex, 500, "application/json", JSON.writeValueAsBytes(err));
        } finally {
            ex.close();
        }
    }

    private Object route(String path, Map<String, String> query) throws Exception {
        String[] parts = path.replaceAll("/+$", "").split("/");
        for (Route r : routes) {
            Map<String, String> vars = r.match(parts);
            if (vars != null) {
                ApiRequest request = new ApiRequest(vars, query);
                request.allowOnly(r.params);
                return r.handler.handle(request);
            }
        }
        throw new ApiError(404, "No such resource: " + path);
    }

    private static void send(HttpExchange ex, int status, String type, byte[] body)
            throws IOException {
        ex.getResponseHeaders().set("Content-Type", type);
        ex.getResponseHeaders().set("Cache-Control", "no-store");
        ex.sendResponseHeaders(status, body.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(body);
        }
    }
}
