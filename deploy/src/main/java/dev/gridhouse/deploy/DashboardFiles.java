package dev.gridhouse.deploy;

import java.io.IOException;
import java.io.InputStream;
import java.util.Map;

/** The dashboard's static files, served from the class path's {@code /dashboard/}. */
final class DashboardFiles {
    private static final Map<String, String> FILES =
            Map.of(
                    "/", "index.html",
                    "/index.html", "index.html",
                    "/app.js", "app.js",
                    "/style.css", "style.css");

    /** One file: its content type and bytes. */
    static final class File {
        final String contentType;
        final byte[] body;

        File(String contentType, byte[] body) {
            this.contentType = contentType;
            this.body = body;
        }
    }

    private DashboardFiles() {}

    /** Whether {@code path} is a dashboard file. */
    static boolean serves(String path) {
        return FILES.containsKey(path);
    }

    /** The file at {@code path} (one that {@link #serves}); 404 if it is missing. */
    static File read(String path) throws IOException {
        String name = FILES.get(path);
        try (InputStream in = DashboardFiles.class.getResourceAsStream("/dashboard/" + name)) {
            if (in == null) {
                throw new ApiError(404, "No such resource: " + name);
            }
            String type =
                    name.endsWith(".html")
                            ? "text/html; charset=utf-8"
                            : name.endsWith(".js")
                                    ? "text/javascript; charset=utf-8"
                                    : "text/css; charset=utf-8";
            return new File(type, in.readAllBytes());
        }
    }
}
