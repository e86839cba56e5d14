package dev.gridhouse.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.gridhouse.testing.LocalFlink;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import javax.annotation.Nullable;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.util.ExceptionUtils;

/**
 * Watches a job that {@code gridhouse local} runs on a Flink MiniCluster: its status, how often it
 * restarted (Flink's {@code numRestarts} metric, read from the MiniCluster's REST API on 127.0.0.1)
 * and the last failure, so that a job that keeps failing is reported instead of running silently.
 */
final class JobWatch {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final String name;
    private final JobClient job;
    private final int restPort;
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    JobWatch(String name, JobClient job, int restPort) {
        this.name = name;
        this.job = job;
        this.restPort = restPort;
    }

    String name() {
        return name;
    }

    JobClient job() {
        return job;
    }

    /**
     * Flink settings for a MiniCluster whose REST API a {@link JobWatch} can read: a free port on
     * 127.0.0.1 and metrics fetched every second.
     */
    static void restOnFreePort(Configuration flink) {
        LocalFlink.restOnFreePort(flink);
    }

    /** The REST port {@link #restOnFreePort} chose, or -1. */
    static int restPort(Configuration flink) {
        String port = flink.getString("rest.port", null);
        return port == null ? -1 : Integer.parseInt(port);
    }

    /** The job's status; {@link JobStatus#FAILED} if it cannot be asked. */
    JobStatus status() {
        try {
            return job.getJobStatus().get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            return JobStatus.FAILED;
        }
    }

    /** How often the job restarted so far; -1 when the metric cannot be read yet. */
    long restarts() {
        JsonNode metrics = get("/jobs/" + job.getJobID() + "/metrics?get=numRestarts");
        if (metrics != null && metrics.isArray()) {
            for (JsonNode m : metrics) {
                if ("numRestarts".equals(m.path("id").asText())) {
                    return m.path("value").asLong(-1);
                }
            }
        }
        return -1;
    }

    /** The first line of the job's latest failure, or null if it has not failed. */
    @Nullable
    String lastFailure() {
        JsonNode ex = get("/jobs/" + job.getJobID() + "/exceptions?maxExceptions=1");
        if (ex == null) {
            return null;
        }
        JsonNode entries = ex.path("exceptionHistory").path("entries");
        if (entries.isArray() && entries.size() > 0) {
            return rootLine(entries.get(0).path("stacktrace").asText(""));
        }
        String root = ex.path("root-exception").asText(null);
        return root == null ? null : rootLine(root);
    }

    /** A status line, e.g. {@code "pipeline RUNNING, 2 restarts (last: java.lang...: ...)"}. */
    String describe() {
        long restarts = restarts();
        StringBuilder s = new StringBuilder(name).append(' ').append(status());
        if (restarts > 0) {
            s.append(", ").append(restarts).append(restarts == 1 ? " restart" : " restarts");
            String last = lastFailure();
            if (last != null) {
                s.append(" (last: ").append(last).append(')');
            }
        }
        return s.toString();
    }

    /**
     * The root cause of a job that ended in {@link JobStatus#FAILED}, waiting up to {@code timeout}
     * for its result; null if it did not fail.
     */
    @Nullable
    Throwable failureCause(Duration timeout) {
        try {
            job.getJobExecutionResult().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            return null;
        } catch (ExecutionException e) {
            return rootCause(e);
        } catch (Exception e) {
            return e;
        }
    }

    /**
     * Throws {@link JobFailedException} with the root cause if the watched job has ended in failure
     * (its restarts used up); nothing if {@code watch} is null.
     */
    static void failIfEnded(@Nullable JobWatch watch) {
        if (watch == null) {
            return;
        }
        JobStatus status = watch.status();
        if (status.isGloballyTerminalState()) {
            Throwable cause =
                    status == JobStatus.FAILED ? watch.failureCause(Duration.ofSeconds(30)) : null;
            throw new JobFailedException(watch.name(), status, cause);
        }
    }

    /** The innermost cause of {@code t}. */
    static Throwable rootCause(Throwable t) {
        Throwable root = ExceptionUtils.stripExecutionException(t);
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root;
    }

    /** The innermost "Caused by" line of a printed stack trace (or its first line). */
    static String rootLine(String stacktrace) {
        String line = null;
        for (String l : stacktrace.split("\n")) {
            if (line == null) {
                line = l.trim();
            } else if (l.startsWith("Caused by: ")) {
                line = l.substring("Caused by: ".length()).trim();
            }
        }
        return line == null ? "" : line;
    }

    @Nullable
    private JsonNode get(String path) {
        if (restPort <= 0) {
            return null;
        }
        try {
            HttpResponse<String> r =
                    http.send(
                            HttpRequest.newBuilder(
                                            URI.create("http://127.0.0.1:" + restPort + path))
                                    .timeout(Duration.ofSeconds(5))
                                    .GET()
                                    .build(),
                            HttpResponse.BodyHandlers.ofString());
            return r.statusCode() == 200 ? JSON.readTree(r.body()) : null;
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    /** A job of {@code gridhouse local} ended (failed after its restarts, or was cancelled). */
    static final class JobFailedException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        JobFailedException(String job, JobStatus status, @Nullable Throwable rootCause) {
            super(
                    "the "
                            + job
                            + " job ended "
                            + status
                            + (rootCause == null ? "" : "; root cause: " + rootCause),
                    rootCause);
        }
    }
}
