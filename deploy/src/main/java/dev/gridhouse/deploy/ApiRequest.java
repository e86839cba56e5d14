package dev.gridhouse.deploy;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The parameters of one API request: the variables of its path and its query parameters, checked
 * and converted; a bad parameter is an {@link ApiError} 400.
 */
final class ApiRequest {
    static final int MAX_LIMIT = 1000;

    private final Map<String, String> path;
    private final Map<String, String> query;

    ApiRequest(Map<String, String> path, Map<String, String> query) {
        this.path = path;
        this.query = query;
    }

    /** The query parameters of a raw (still encoded) query string; each may be given once. */
    static Map<String, String> parseQuery(String raw) {
        Map<String, String> q = new HashMap<>();
        if (raw == null || raw.isEmpty()) {
            return q;
        }
        for (String pair : raw.split("&")) {
            int eq = pair.indexOf('=');
            String k = decode(eq < 0 ? pair : pair.substring(0, eq));
            String v = eq < 0 ? "" : decode(pair.substring(eq + 1));
            if (q.put(k, v) != null) {
                throw new ApiError(400, "Parameter '" + k + "' is given more than once");
            }
        }
        return q;
    }

    static String decode(String s) {
        return URLDecoder.decode(s, StandardCharsets.UTF_8);
    }

    /** Rejects any query parameter not in {@code allowed}. */
    void allowOnly(List<String> allowed) {
        for (String k : query.keySet()) {
            if (!allowed.contains(k)) {
                throw new ApiError(
                        400,
                        "Unknown parameter '"
                                + k
                                + "'"
                                + (allowed.isEmpty()
                                        ? "; this resource takes none"
                                        : "; use " + allowed));
            }
        }
    }

    /** The path variable {@code {name}}, URL-decoded. */
    String path(String name) {
        return path.get(name);
    }

    /** An integer parameter from 1 to {@link #MAX_LIMIT}, {@code dflt} when absent. */
    int limit(String name, int dflt) {
        String v = query.get(name);
        if (v == null) {
            return dflt;
        }
        try {
            int n = Integer.parseInt(v);
            if (n >= 1 && n <= MAX_LIMIT) {
                return n;
            }
        } catch (NumberFormatException ignored) {
            // reported below
        }
        throw new ApiError(
                400, name + " must be an integer from 1 to " + MAX_LIMIT + ", got '" + v + "'");
    }

    /** A parameter that must be one of {@code values}; the first value when absent. */
    String oneOf(String name, List<String> values) {
        String v = query.getOrDefault(name, values.get(0));
        if (!values.contains(v)) {
            String last = values.get(values.size() - 1);
            String choices =
                    values.size() == 1
                            ? last
                            : String.join(", ", values.subList(0, values.size() - 1))
                                    + " or "
                                    + last;
            throw new ApiError(400, name + " must be " + choices + ", got '" + v + "'");
        }
        return v;
    }
}
