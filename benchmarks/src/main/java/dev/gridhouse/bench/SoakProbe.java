package dev.gridhouse.bench;

import com.fasterxml.jackson.databind.JsonNode;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Locale;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the soak samples that is not the producer's: this JVM's heap ({@code MemoryMXBean}, and per
 * heap pool the usage after the last GC that collected it, {@code
 * MemoryPoolMXBean.getCollectionUsage()}), the GC count and time, and the latest completed
 * checkpoint of the job from the MiniCluster's REST API: {@code /jobs/:id/checkpoints} (counts and
 * latest completed) and {@code /jobs/:id/checkpoints/details/:cid} (state size per job vertex, i.e.
 * per operator chain; Flink reports state per vertex, not per chained operator). Vertex names come
 * from {@code /jobs/:id}. A REST failure leaves the checkpoint fields of that sample empty.
 */
final class SoakProbe {
    private static final Logger LOG = LoggerFactory.getLogger(SoakProbe.class);
    private static final double MB = 1024.0 * 1024.0;

    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final String jobUri;
    private final Map<String, String> vertexNames = new HashMap<>();
    private long detailsOf = -1;
    private final Map<String, Double> lastDetails = new java.util.LinkedHashMap<>();
    private boolean warned;

    /** {@code restBase}: e.g. {@code http://127.0.0.1:8081}. */
    SoakProbe(String restBase, String jobId) {
        this.jobUri = restBase + "/jobs/" + jobId;
    }

    /** Fills the heap, GC and checkpoint fields of {@code s}. */
    void sample(SoakSeries.Sample s) {
        heap(s);
        try {
            checkpoints(s);
        } catch (Exception e) {
            if (!warned) {
                LOG.warn("Soak: reading checkpoint statistics from {} failed", jobUri, e);
                warned = true;
            }
        }
    }

    static void heap(SoakSeries.Sample s) {
        MemoryUsage heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
        s.heapUsedMb = heap.getUsed() / MB;
        s.heapCommittedMb = heap.getCommitted() / MB;
        long afterGc = 0;
        long oldAfterGc = -1;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() != MemoryType.HEAP || !pool.isValid()) {
                continue;
            }
            MemoryUsage u = pool.getCollectionUsage();
            if (u == null) {
                continue;
            }
            afterGc += u.getUsed();
            if (isOldGen(pool.getName())) {
                oldAfterGc = u.getUsed();
            }
        }
        s.heapAfterGcMb = afterGc / MB;
        s.oldGenAfterGcMb = oldAfterGc < 0 ? Double.NaN : oldAfterGc / MB;
        long count = 0;
        long time = 0;
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            count += Math.max(0, gc.getCollectionCount());
            time += Math.max(0, gc.getCollectionTime());
        }
        s.gcCount = count;
        s.gcTimeMs = time;
    }

    /** G1 Old Gen, PS Old Gen, Tenured Gen, … */
    static boolean isOldGen(String pool) {
        String p = pool.toLowerCase(Locale.ROOT);
        return p.contains("old") || p.contains("tenured");
    }

    private void checkpoints(SoakSeries.Sample s) throws Exception {
        JsonNode overview = get(jobUri + "/checkpoints");
        JsonNode counts = overview.path("counts");
        s.checkpointsCompleted = counts.path("completed").asLong();
        s.checkpointsFailed = counts.path("failed").asLong();
        JsonNode latest = overview.path("latest").path("completed");
        if (latest.isMissingNode() || latest.isNull()) {
            return;
        }
        long id = latest.path("id").asLong(-1);
        s.checkpointId = id;
        s.checkpointStateMb = latest.path("state_size").asLong() / MB;
        s.checkpointCheckpointedMb = latest.path("checkpointed_size").asLong() / MB;
        s.checkpointDurationMs = latest.path("end_to_end_duration").asLong();
        if (id != detailsOf) {
            JsonNode details = get(jobUri + "/checkpoints/details/" + id);
            lastDetails.clear();
            for (Iterator<Map.Entry<String, JsonNode>> it = details.path("tasks").fields();
                    it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                lastDetails.put(
                        vertexName(e.getKey()), e.getValue().path("state_size").asLong() / MB);
            }
            detailsOf = id;
        }
        s.stateMbByVertex.putAll(lastDetails);
    }

    private String vertexName(String id) throws Exception {
        if (!vertexNames.containsKey(id)) {
            for (JsonNode v : get(jobUri).path("vertices")) {
                vertexNames.put(v.path("id").asText(), v.path("name").asText());
            }
        }
        return vertexNames.getOrDefault(id, id);
    }

    private JsonNode get(String uri) throws Exception {
        HttpResponse<String> r =
                http.send(
                        HttpRequest.newBuilder(URI.create(uri))
                                .timeout(Duration.ofSeconds(10))
                                .GET()
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new IllegalStateException("GET " + uri + ": HTTP " + r.statusCode());
        }
        return JsonCodec.MAPPER.readTree(r.body());
    }
}
