package dev.gridhouse.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvParser;
import dev.gridhouse.contract.grid.GridTables;
import dev.gridhouse.core.catalog.TableSpec;
import dev.gridhouse.core.io.FlussEndpoint;
import dev.gridhouse.core.io.TableReader;
import dev.gridhouse.lake.HistoryQuery;
import dev.gridhouse.lake.LakeHistory;
import dev.gridhouse.lake.LakeTiering;
import dev.gridhouse.lake.PaimonLakehouse;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.fluss.client.admin.OffsetSpec;
import org.apache.fluss.metadata.TablePath;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The main way users run Gridhouse, for real: a standalone Flink 1.20.3 session cluster and a Fluss
 * 0.9.1 cluster assembled from Maven Central ({@code deploy/local-cluster/cluster.sh}) run as
 * separate processes on 127.0.0.1; the ODS, DWS and ADS layer jars are submitted with the Flink CLI
 * ({@code flink run}); the DWS job is stopped with a savepoint mid-stream and resubmitted from it
 * ({@code flink run -s}); the tables are then read with {@code gridhouse query}: nothing lost,
 * nothing doubled. Then the lake jar runs Fluss's tiering service into the Paimon warehouse the
 * Fluss servers are configured with, and the lake holds exactly what Fluss holds. Everything is
 * stopped at the end, and no process or port is left. Logs stay in {@code
 * deploy/target/local-cluster/log}.
 */
class StandaloneClusterITCase {
    private static final Path REPO = Paths.get("").toAbsolutePath().getParent();
    private static final Path DIR = REPO.resolve("deploy/target/local-cluster");
    private static final long RECORDS = 140_000; // 70 s of event time at 2,000 records/s
    private static final long T0 = 1_767_261_600_000L; // 2026-01-01T10:00:00Z
    private static final Map<String, String> ENV = new HashMap<>();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static int flussPort;
    private static int restPort;

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    /** Runs a command with the cluster's environment; returns its exit code and output. */
    private static Map.Entry<Integer, String> run(Duration timeout, String... cmd)
            throws Exception {
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().putAll(ENV);
        Process p = pb.start();
        byte[] out = p.getInputStream().readAllBytes();
        assertThat(p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS))
                .as("%s finished", Arrays.toString(cmd))
                .isTrue();
        return Map.entry(p.exitValue(), new String(out, StandardCharsets.UTF_8));
    }

    private static String ok(Duration timeout, String... cmd) throws Exception {
        Map.Entry<Integer, String> r = run(timeout, cmd);
        assertThat(r.getKey()).as("%s:%n%s", Arrays.toString(cmd), r.getValue()).isZero();
        return r.getValue();
    }

    private static String cluster(String... args) {
        List<String> cmd = new ArrayList<>();
        cmd.add(REPO.resolve("deploy/local-cluster/cluster.sh").toString());
        cmd.addAll(Arrays.asList(args));
        return String.join("\u0000", cmd);
    }

    private static String[] split(String joined) {
        return joined.split("\u0000");
    }

    /**
     * What {@code gridhouse submit LAYER [--from-savepoint P] ARGS} runs: the Flink CLI's {@code
     * run -d [-s P] <layer jar> --fluss.bootstrap-servers … ARGS}. (The test calls the CLI itself:
     * the wrapper would build the deploy module, which is still being tested.)
     */
    private static String submit(String layer, String savepoint, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(Arrays.asList(split(cluster("flink", "run", "-d"))));
        if (savepoint != null) {
            cmd.add("-s");
            cmd.add(savepoint);
        }
        Path jar;
        try (var files = java.nio.file.Files.list(REPO.resolve("pipeline-" + layer + "/target"))) {
            jar =
                    files.filter(f -> f.getFileName().toString().endsWith("-job.jar"))
                            .findFirst()
                            .orElseThrow(() -> new AssertionError("no " + layer + " job jar"));
        }
        cmd.add(jar.toString());
        cmd.add("--fluss.bootstrap-servers");
        cmd.add("127.0.0.1:" + flussPort);
        cmd.addAll(Arrays.asList(args));
        String out = ok(Duration.ofMinutes(5), cmd.toArray(new String[0]));
        Matcher m = Pattern.compile("JobID ([0-9a-f]{32})").matcher(out);
        assertThat(m.find()).as(out).isTrue();
        return m.group(1);
    }

    private static String jobState(String jobId) throws Exception {
        HttpResponse<String> r =
                HTTP.send(
                        HttpRequest.newBuilder(
                                        URI.create(
                                                "http://127.0.0.1:" + restPort + "/jobs/" + jobId))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        return new ObjectMapper().readTree(r.body()).path("state").asText();
    }

    /** The external path of the savepoint/checkpoint a job restored, or "" if none (yet). */
    private static String restoredFrom(String jobId) throws Exception {
        HttpResponse<String> r =
                HTTP.send(
                        HttpRequest.newBuilder(
                                        URI.create(
                                                "http://127.0.0.1:"
                                                        + restPort
                                                        + "/jobs/"
                                                        + jobId
                                                        + "/checkpoints"))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        return new ObjectMapper()
                .readTree(r.body())
                .path("latest")
                .path("restored")
                .path("external_path")
                .asText("");
    }

    @BeforeAll
    static void start() throws Exception {
        flussPort = freePort();
        restPort = freePort();
        ENV.put("GRIDHOUSE_CLUSTER_DIR", DIR.toString());
        ENV.put("GRIDHOUSE_FLUSS_PORT", String.valueOf(flussPort));
        ENV.put("GRIDHOUSE_FLINK_REST_PORT", String.valueOf(restPort));
        ENV.put("GRIDHOUSE_FLINK_RPC_PORT", String.valueOf(freePort()));
        ENV.put("GRIDHOUSE_ZK_PORT", String.valueOf(freePort()));
        // a fresh cluster: data and logs of an earlier run go, the resolved jars stay
        run(Duration.ofMinutes(2), split(cluster("stop")));
        for (String sub : new String[] {"data", "log", "conf", "pid"}) {
            deleteTree(DIR.resolve(sub));
        }
        ok(Duration.ofMinutes(15), split(cluster("start")));
    }

    private static void deleteTree(Path p) throws IOException {
        if (p.toFile().exists()) {
            try (var walk = java.nio.file.Files.walk(p)) {
                walk.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            }
        }
    }

    @AfterAll
    static void stop() throws Exception {
        ok(Duration.ofMinutes(2), split(cluster("stop")));
        Map.Entry<Integer, String> status = run(Duration.ofMinutes(1), split(cluster("status")));
        assertThat(status.getKey()).as(status.getValue()).isNotZero();
        assertThat(status.getValue()).doesNotContain("running");
        for (int port : new int[] {flussPort, restPort}) {
            try (Socket s = new Socket("127.0.0.1", port)) {
                throw new AssertionError("port " + port + " still open");
            } catch (IOException expected) {
                // closed
            }
        }
    }

    /**
     * Every TCP listener of the cluster's processes is on 127.0.0.1, none on 0.0.0.0 or :: (the
     * processes from the script's pid files, their sockets from /proc/PID/fd, the sockets' local
     * addresses from /proc/PID/net/tcp and tcp6, so no {@code ss} is needed).
     */
    private static void assertClusterListensOnLoopbackOnly() throws IOException {
        Pattern socket = Pattern.compile("socket:\\[(\\d+)]");
        List<String> wrong = new ArrayList<>();
        for (String name :
                List.of(
                        "zookeeper",
                        "fluss-coordinator",
                        "fluss-tablet",
                        "flink-jobmanager",
                        "flink-taskmanager")) {
            String pid = java.nio.file.Files.readString(DIR.resolve("pid/" + name)).trim();
            Path proc = Paths.get("/proc", pid);
            Set<String> inodes = new HashSet<>();
            try (var fds = java.nio.file.Files.list(proc.resolve("fd"))) {
                for (Path fd : (Iterable<Path>) fds::iterator) {
                    try {
                        Matcher m =
                                socket.matcher(java.nio.file.Files.readSymbolicLink(fd).toString());
                        if (m.matches()) {
                            inodes.add(m.group(1));
                        }
                    } catch (IOException closedMeanwhile) {
                        // not a socket any more
                    }
                }
            }
            List<String> listeners = new ArrayList<>();
            for (String table : List.of("net/tcp", "net/tcp6")) {
                // sl local_address rem_address st ... inode; st 0A is LISTEN
                for (String line : java.nio.file.Files.readAllLines(proc.resolve(table))) {
                    String[] f = line.trim().split("\\s+");
                    if (f.length > 9 && f[3].equals("0A") && inodes.contains(f[9])) {
                        String[] local = f[1].split(":");
                        // the address as 32-bit words in host byte order
                        java.nio.ByteBuffer addr =
                                java.nio.ByteBuffer.allocate(local[0].length() / 2)
                                        .order(java.nio.ByteOrder.nativeOrder());
                        for (int i = 0; i < local[0].length(); i += 8) {
                            addr.putInt((int) Long.parseLong(local[0].substring(i, i + 8), 16));
                        }
                        listeners.add(
                                java.net.InetAddress.getByAddress(addr.array()).getHostAddress()
                                        + " port "
                                        + Integer.parseInt(local[1], 16));
                    }
                }
            }
            assertThat(listeners).as("%s (pid %s) listens on TCP", name, pid).isNotEmpty();
            for (String listener : listeners) {
                if (!listener.startsWith("127.0.0.1 ")) {
                    wrong.add(name + " (pid " + pid + ") on " + listener);
                }
            }
            System.out.printf("%s listens on %s%n", name, listeners);
        }
        assertThat(wrong).as("TCP listeners of the cluster not on 127.0.0.1").isEmpty();
    }

    /** A table read with {@code gridhouse query --format csv}: header + rows. */
    private static List<String[]> query(String table) throws Exception {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        int code =
                QueryCommand.run(
                        new String[] {
                            "--bootstrap", "127.0.0.1:" + flussPort, table, "--format", "csv"
                        },
                        new PrintStream(buf, true, "UTF-8"));
        assertThat(code).isZero();
        CsvMapper csv = new CsvMapper();
        csv.enable(CsvParser.Feature.WRAP_AS_ARRAY);
        try (MappingIterator<String[]> it =
                csv.readerFor(String[].class).readValues(buf.toByteArray())) {
            return it.readAll();
        }
    }

    /**
     * How far a table's log has come (its end offsets): a cheap progress probe for polling, not a
     * row count (the assertions count records).
     */
    private static long rows(FlussEndpoint fluss, String table) throws Exception {
        try (TableReader reader = new TableReader(fluss.toFlussConfig(), fluss.database())) {
            return LocalSummary.logOffsets(reader, fluss, GridTables.byName(table));
        }
    }

    /**
     * The records of a table's changelog (not its end offsets: a first_row rewrite that changed
     * nothing, e.g. a dead-letter batch committed again after the restore, takes an offset but adds
     * no record).
     */
    private static long changelogRecords(FlussEndpoint fluss, String table) throws Exception {
        try (TableReader reader = new TableReader(fluss.toFlussConfig(), fluss.database())) {
            TableSpec spec = GridTables.byName(table);
            return reader.readChanges(
                            spec,
                            Map.of(),
                            reader.offsets(spec, new OffsetSpec.LatestSpec()),
                            Duration.ofMinutes(2))
                    .size();
        }
    }

    private static final Set<String> DWS_REASONS = Set.of("UNKNOWN_DEVICE", "DUPLICATE", "LATE");

    @Test
    void layerJarsRunWithFlinkRunAndResumeFromASavepoint() throws Exception {
        FlussEndpoint fluss = new FlussEndpoint("127.0.0.1:" + flussPort, "grid");
        String ods =
                submit(
                        "ods",
                        null,
                        "--sim.device-count",
                        "2000",
                        "--sim.rate",
                        "2000",
                        "--sim.record-count",
                        String.valueOf(RECORDS),
                        "--sim.start-time-ms",
                        String.valueOf(T0),
                        "--parallelism",
                        "1",
                        "--checkpoint.interval",
                        "5s");
        String dws = submit("dws", null, "--parallelism", "2", "--checkpoint.interval", "5s");
        String ads = submit("ads", null, "--parallelism", "1", "--checkpoint.interval", "5s");
        assertClusterListensOnLoopbackOnly();

        // mid-stream (of DWS's input; ODS may already be done on a loaded machine): stop DWS with
        // a savepoint, then resubmit it from the savepoint
        long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
        while (rows(fluss, "dwd_grid_telemetry") < RECORDS / 3 && System.nanoTime() < deadline) {
            Thread.sleep(500);
        }
        String stopped =
                ok(
                        Duration.ofMinutes(3),
                        split(
                                cluster(
                                        "flink",
                                        "stop",
                                        "--savepointPath",
                                        DIR.resolve("data/flink/savepoints").toUri().toString(),
                                        dws)));
        Matcher m = Pattern.compile("Savepoint completed\\. Path: (\\S+)").matcher(stopped);
        assertThat(m.find()).as(stopped).isTrue();
        String savepoint = m.group(1);
        long dwdAtStop = rows(fluss, "dwd_grid_telemetry");
        assertThat(dwdAtStop).isPositive();
        System.out.printf("DWS stopped with a savepoint after %d DWD log offsets%n", dwdAtStop);
        String dws2 = submit("dws", savepoint, "--parallelism", "2", "--checkpoint.interval", "5s");
        assertThat(dws2).isNotEqualTo(dws);
        // the resubmitted job restored the savepoint (Flink's REST API reports what it restored)
        deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        String restored = "";
        while (restored.isEmpty() && System.nanoTime() < deadline) {
            restored = restoredFrom(dws2);
            Thread.sleep(500);
        }
        assertThat(restored).endsWith(savepoint.substring(savepoint.lastIndexOf('/')));

        // ODS ends after its RECORDS; DWS has then seen every accepted record exactly once
        deadline = System.nanoTime() + Duration.ofMinutes(4).toNanos();
        while (!jobState(ods).equals("FINISHED") && System.nanoTime() < deadline) {
            Thread.sleep(1000);
        }
        assertThat(jobState(ods)).isEqualTo("FINISHED");
        // every ODS record (by device_id@ts, duplicates counted) is in DWD or was dead-lettered
        // by DWS, exactly once: DWD and the dead letters are written exactly once across the
        // savepoint (first_row primary-key tables; dead letters committed on checkpoints)
        Map<String, Integer> odsKeys = keyCounts(query("ods_grid_telemetry"), "device_id", "ts");
        List<String[]> dwd = List.of();
        long missing = Long.MAX_VALUE;
        while (System.nanoTime() < deadline) {
            dwd = query("dwd_grid_telemetry");
            missing = missing(odsKeys, keyCounts(dwd, "device_id", "ts"), dwsDeadLetterKeys());
            if (missing == 0) {
                break;
            }
            Thread.sleep(2000);
        }
        assertThat(missing).as("ODS records neither in DWD nor dead-lettered by DWS").isZero();
        Map<String, Integer> dwdKeys = keyCounts(dwd, "device_id", "ts");
        Map<String, Integer> deadKeys = dwsDeadLetterKeys();
        assertThat(doubled(odsKeys, dwdKeys, deadKeys))
                .as("ODS records both in DWD and dead-lettered, or dead-lettered twice")
                .isZero();
        // what a consumer of DWD's changelog reads: each record once
        long dwdChangelog = changelogRecords(fluss, "dwd_grid_telemetry");
        assertThat(dwdChangelog)
                .as("dwd_grid_telemetry changelog records")
                .isEqualTo(dwd.size() - 1);
        long deadChangelog = changelogRecords(fluss, "ods_dead_letter");
        assertThat(deadChangelog)
                .as("ods_dead_letter changelog records")
                .isEqualTo(query("ods_dead_letter").size() - 1);
        List<String> header = Arrays.asList(dwd.get(0));
        int device = header.indexOf("device_id");
        int ts = header.indexOf("ts");
        Set<String> keys = new HashSet<>();
        Set<String> minuteZero = new HashSet<>();
        for (String[] r : dwd.subList(1, dwd.size())) {
            keys.add(r[device] + "@" + r[ts]);
            if (Long.parseLong(r[ts]) < T0 + 60_000) {
                minuteZero.add(r[device] + "@" + r[ts]);
            }
        }
        System.out.printf(
                "dwd_grid_telemetry: %d rows, %d distinct records, %d written twice%n",
                dwd.size() - 1, keys.size(), dwd.size() - 1 - keys.size());
        List<String[]> deviceMinutes = query("dws_device_minute");
        List<String> dm = Arrays.asList(deviceMinutes.get(0));
        long samples = 0;
        for (String[] r : deviceMinutes.subList(1, deviceMinutes.size())) {
            if (r[dm.indexOf("window_start")].equals("2026-01-01T10:00:00.000Z")) {
                samples += Long.parseLong(r[dm.indexOf("sample_count")]);
            }
        }
        assertThat(samples)
                .as("minute 10:00 counts each DWD record once")
                .isEqualTo(minuteZero.size())
                .isPositive();

        // the closed minute 10:00 rolled up for every region, and the ADS view is there
        List<String[]> regionMinutes = query("dws_region_minute");
        int ws = Arrays.asList(regionMinutes.get(0)).indexOf("window_start");
        assertThat(regionMinutes.subList(1, regionMinutes.size()))
                .extracting(r -> r[ws])
                .contains("2026-01-01T10:00:00.000Z");
        assertThat(regionMinutes.size() - 1).isGreaterThanOrEqualTo(7);
        assertThat(query("ads_grid_realtime").size() - 1).isEqualTo(7);

        // the lake jar tiers the tables into the Paimon warehouse the Fluss servers run with
        PaimonLakehouse lake = PaimonLakehouse.at(DIR.resolve("data/lake").toString());
        String tiering =
                submit(
                        "lake",
                        null,
                        "--lake.warehouse",
                        lake.warehouse(),
                        "--lake.freshness",
                        "3s",
                        "--lake.poll-interval",
                        "1s",
                        "--parallelism",
                        "1");
        try (TableReader reader = new TableReader(fluss.toFlussConfig(), fluss.database());
                LakeHistory history = new LakeHistory(lake, fluss)) {
            for (TableSpec t :
                    List.of(GridTables.ODS_GRID_TELEMETRY, GridTables.DWS_DEVICE_MINUTE)) {
                TablePath path = TablePath.of(fluss.database(), t.name());
                long lakeDeadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
                while (!LakeTiering.caughtUp(reader.admin(), path)) {
                    assertThat(System.nanoTime())
                            .as("%s tiered by the lake job within 3 minutes", t.name())
                            .isLessThan(lakeDeadline);
                    Thread.sleep(1000);
                }
                long snapshot = reader.admin().getLatestLakeSnapshot(path).get().getSnapshotId();
                List<Object[]> inLake =
                        history.read(HistoryQuery.of(t).asOfSnapshot(snapshot).build()).rows;
                List<Object[]> inFluss = reader.readAll(t, Duration.ofMinutes(2));
                assertThat(inLake.stream().map(Arrays::toString))
                        .as("%s in Paimon", t.name())
                        .containsExactlyInAnyOrderElementsOf(
                                inFluss.stream().map(Arrays::toString)::iterator);
            }
        }

        ok(Duration.ofMinutes(2), split(cluster("flink", "cancel", tiering)));
        ok(Duration.ofMinutes(2), split(cluster("flink", "cancel", dws2)));
        ok(Duration.ofMinutes(2), split(cluster("flink", "cancel", ads)));
    }

    /** Rows per {@code device@ts} key of a query result (header first). */
    private static Map<String, Integer> keyCounts(List<String[]> rows, String device, String ts) {
        List<String> h = Arrays.asList(rows.get(0));
        int d = h.indexOf(device);
        int t = h.indexOf(ts);
        Map<String, Integer> counts = new HashMap<>();
        for (String[] r : rows.subList(1, rows.size())) {
            counts.merge(r[d] + "@" + r[t], 1, Integer::sum);
        }
        return counts;
    }

    /**
     * ODS records not accounted for: per key, the first copy must be in DWD (or dead-lettered) and
     * every further copy dead-lettered. Extra copies on the DWD/dead-letter side (at-least-once
     * writes across the savepoint) are not counted as missing.
     */
    private static long missing(
            Map<String, Integer> ods, Map<String, Integer> dwd, Map<String, Integer> dead) {
        long missing = 0;
        for (Map.Entry<String, Integer> e : ods.entrySet()) {
            int found =
                    Math.min(1, dwd.getOrDefault(e.getKey(), 0)) + dead.getOrDefault(e.getKey(), 0);
            missing += Math.max(0, e.getValue() - found);
        }
        return missing;
    }

    /**
     * ODS copies accounted for more than once (in DWD and dead-lettered, or dead-lettered twice).
     */
    private static long doubled(
            Map<String, Integer> ods, Map<String, Integer> dwd, Map<String, Integer> dead) {
        long doubled = 0;
        Set<String> keys = new HashSet<>(dwd.keySet());
        keys.addAll(dead.keySet());
        for (String k : keys) {
            int found = dwd.getOrDefault(k, 0) + dead.getOrDefault(k, 0);
            doubled += Math.max(0, found - ods.getOrDefault(k, 0));
        }
        return doubled;
    }

    /** Rows per {@code device@ts} among the telemetry records DWS dead-lettered. */
    private static Map<String, Integer> dwsDeadLetterKeys() throws Exception {
        List<String[]> dead = query("ods_dead_letter");
        List<String> h = Arrays.asList(dead.get(0));
        int reason = h.indexOf("reason");
        int payload = h.indexOf("payload");
        int eventTs = h.indexOf("event_ts");
        ObjectMapper json = new ObjectMapper();
        Map<String, Integer> counts = new HashMap<>();
        for (String[] r : dead.subList(1, dead.size())) {
            if (DWS_REASONS.contains(r[reason])) {
                String device = json.readTree(r[payload]).path("device_id").asText();
                counts.merge(device + "@" + r[eventTs], 1, Integer::sum);
            }
        }
        return counts;
    }
}
