package dev.gridhouse.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * CPU time per pipeline stage over a measured window (scenarios 4 and 6): a snapshot of every
 * thread's CPU time at the start and at the end of the window, diffed, the threads grouped into
 * named stages by their names, and each stage divided by the input records of the window.
 *
 * <ul>
 *   <li>Java threads: {@code ThreadMXBean.getThreadCpuTime} by thread id (nanoseconds), with the
 *       thread's full name — Flink task threads are named after their operator chain, e.g. {@code
 *       "Source: Fluss Source -> Lookup : devices (1/2)#0"}.
 *   <li>Native threads (GC {@code "GC Thread#0"}, {@code "G1 Conc#0"}, JIT {@code "C2
 *       CompilerThre"}, {@code "VM Thread"}, RocksDB's background threads, …): {@code
 *       /proc/self/task/<tid>/stat}, utime + stime (clock ticks), named by {@code comm} (the first
 *       15 bytes of the name). A task counts as native when its {@code comm} is not the truncated
 *       name of a live Java thread (those are counted through the MXBean, once) and not {@code
 *       java} (the launcher's threads, one of which runs the Java {@code main} thread).
 *   <li>The rest of the JVM's CPU — threads that ended during the window (whose time neither source
 *       reports any more) and the tick rounding of {@code /proc} — is the {@link #UNATTRIBUTED}
 *       row, so the stages add up to the process CPU ({@code
 *       OperatingSystemMXBean.getProcessCpuTime}) exactly.
 *   <li>External server processes (Kafka broker JVM, {@code redis-server}, PostgreSQL with its
 *       backends) are one row each, from {@code /proc/<pid>/stat} of the process tree, as the
 *       variant's CPU figure already sums them.
 * </ul>
 *
 * <p>Thread names map to stages by {@link #RULES}, first match wins; a thread no rule matches goes
 * to {@link #OTHER}. The patterns (regular expressions on the full Java name or the native {@code
 * comm}):
 *
 * <pre>
 * Source Data Fetcher for …                     Flink source split fetchers (Fluss LogScanner / KafkaConsumer poll)
 * OutputFlusher for …                            Flink runtime: output flushers (buffer timeout)
 * [System ]Time Trigger for …                    Flink runtime: processing-time timer threads
 * AsyncOperations-thread-… | Channel state writer … | Checkpoint Timer | jobmanager-io-…
 *                                                Flink runtime: checkpointing
 * &lt;chain&gt; (i/n)[#a]                               Flink task: &lt;chain&gt; (one stage per chain, all subtasks)
 * flink-… | Flink-… | pekko… | SourceCoordinator-… | jobmanager… | resourcemanager… | …netty…
 *                                                Flink runtime: RPC, coordinators, scheduling, metrics
 * fluss-write-sender… | fluss-sink-…            Fluss client: writer sender threads
 * fluss-lookup-sender…                           Fluss client: lookup sender threads
 * fluss-netty-client…                            Fluss client: netty I/O threads
 * DownloadRemoteLog-… | mirror-… | fluss-scanner… Fluss client: scanner threads
 * fluss-netty-server… | fluss-request…          Fluss servers: netty request I/O and handlers
 * fluss-… | rocksdb… | ExpirationReaper-… | delay … | LakeTiering… | ReplicaFetcher…
 *                                                Fluss servers: background
 * SyncThread | NIOServerCxnFa… | NIOWorkerThread… | ProcessThread… | SessionTracker
 * | …-SendThread… | …-EventThread | Curator… | ConnnectionExpi… | RequestThrottler
 *                                                ZooKeeper (embedded server and its clients)
 * kafka-producer-network-thread… | kafka-…      Kafka clients: producer I/O threads
 * lettuce-…                                      Redis client: Lettuce event loops and timers
 * jdbc-…                                         JDBC sink flush threads (JdbcUpsertSink)
 * main                                           GridBench producer (record generation + client send)
 * gridbench-alarm-watcher                        GridBench alarm watcher
 * bench-… | gridbench-…                          GridBench harness (samplers)
 * GC Thread#… | G1 …                             JVM: garbage collection
 * C1/C2 CompilerThre… | Sweeper thread           JVM: JIT compilers
 * JFR …                                          JVM: JFR recording (--profile-jfr)
 * VM Thread | VM Periodic Tas… | Service Thread | Monitor Deflati… | Reference Handl… | Finalizer
 * | Signal Dispatch… | Common-Cleaner | Notification Thr… | Attach Listener
 *                                                JVM: VM thread and other VM threads
 * </pre>
 */
final class CpuStages {
    static final String OTHER = "other (threads no pattern matches)";
    static final String UNATTRIBUTED =
            "unattributed (threads that ended in the window, /proc tick rounding)";
    static final String TOTAL = "total";
    static final String FLINK_TASK = "Flink task: ";

    private static final Pattern TASK = Pattern.compile("^(.+) \\(\\d+/\\d+\\)(#\\d+)?$");

    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    /** Linux USER_HZ, as in {@link ProcStats}. */
    private static final long NANOS_PER_TICK = 10_000_000L;

    /** A named group of threads: the stage and the pattern its thread names match. */
    static final class Rule {
        final String stage;
        final Pattern pattern;

        Rule(String stage, String regex) {
            this.stage = stage;
            this.pattern = Pattern.compile(regex);
        }
    }

    /**
     * Prefixes of Flink's per-task helper threads, whose names end in a subtask suffix like the
     * task threads: tried before the task pattern.
     */
    static final List<Rule> RULES =
            List.of(
                    new Rule(
                            "Flink source split fetchers (Fluss LogScanner / KafkaConsumer poll)",
                            "^Source Data Fetcher for .*"),
                    new Rule(
                            "Flink runtime: output flushers (buffer timeout)",
                            "^OutputFlusher for .*"),
                    new Rule(
                            "Flink runtime: processing-time timer threads",
                            "^(System )?Time Trigger for .*"),
                    new Rule(
                            "Flink runtime: checkpointing",
                            "^(AsyncOperations-thread-.*|Channel state writer .*)"));

    /** Rules tried when a name is not a Flink task thread. */
    static final List<Rule> NON_TASK_RULES =
            List.of(
                    new Rule(
                            "Flink runtime: checkpointing",
                            "^(Checkpoint Timer|jobmanager-io-.*|.*[Cc]heckpoint.*)"),
                    new Rule(
                            "Flink runtime: RPC, coordinators, scheduling, metrics",
                            "^(flink-.*|Flink-.*|Flink .*|pekko.*|mini-cluster-io.*"
                                    + "|FlinkCompletableFuture.*|BLOB .*|SourceCoordinator-.*"
                                    + "|jobmanager.*|resourcemanager.*|taskmanager.*"
                                    + "|cluster-io-.*)"),
                    new Rule(
                            "Fluss client: writer sender threads (producer + Flink Fluss sinks)",
                            "^(fluss-write-sender.*|fluss-sink-.*)"),
                    new Rule(
                            "Fluss client: lookup sender threads (lookup join, mirrors, watcher)",
                            "^fluss-lookup-sender.*"),
                    new Rule("Fluss client: netty I/O threads", "^fluss-netty-client.*"),
                    new Rule(
                            "Fluss client: scanner threads (remote log download, dimension"
                                    + " mirrors)",
                            "^(DownloadRemoteLog-.*|mirror-.*|fluss-scanner.*|LogFetcher.*"
                                    + "|fluss-client.*)"),
                    new Rule(
                            "Fluss servers: netty request I/O and handlers (in this JVM)",
                            "^(fluss-netty-server.*|fluss-request.*)"),
                    new Rule(
                            "Fluss servers: background (scheduler, delayed fetch/write, remote"
                                    + " log, RocksDB, tiering)",
                            "^(fluss-.*|rocksdb.*|ExpirationReaper-.*|delay .*"
                                    + "|LakeTiering.*|ReplicaFetcher.*|periodic-snapshot.*"
                                    + "|coordinator-.*|tablet-.*|kv-.*|log-.*)"),
                    new Rule(
                            "ZooKeeper (embedded server and its clients)",
                            "^(SyncThread.*|NIOServerCxnFa.*|NIOWorkerThread.*|ProcessThread.*"
                                    + "|SessionTracker.*|.*-SendThread.*|.*-EventThread"
                                    + "|Curator.*|ConnnectionExpi.*|RequestThrottler.*"
                                    + "|ZooKeeper.*)"),
                    new Rule(
                            "Kafka clients: producer I/O threads (producer + Flink KafkaSinks)",
                            "^(kafka-producer-network-thread.*|kafka-.*)"),
                    new Rule("Redis client: Lettuce event loops and timers", "^lettuce-.*"),
                    new Rule("JDBC sink flush threads (JdbcUpsertSink → PostgreSQL)", "^jdbc-.*"),
                    new Rule(
                            "Flink runtime: RPC, coordinators, scheduling, metrics",
                            "^.*[Nn]etty.*"),
                    new Rule("GridBench producer (record generation + client send)", "^main$"),
                    new Rule(
                            "GridBench alarm watcher (queries of the alarm/decision rows)",
                            "^gridbench-alarm-watcher$"),
                    new Rule("GridBench harness (samplers)", "^(bench-.*|gridbench-.*)"),
                    new Rule("JVM: garbage collection", "^(GC Thread#.*|G1 .*|GC .*)"),
                    new Rule(
                            "JVM: JIT compilers",
                            "^(C1 CompilerThre.*|C2 CompilerThre.*|Sweeper thread)"),
                    new Rule("JVM: JFR recording (--profile-jfr)", "^JFR .*"),
                    new Rule(
                            "JVM: VM thread and other VM threads",
                            "^(VM Thread|VM Periodic Tas.*|Service Thread|Monitor Deflati.*"
                                    + "|Reference Handl.*|Finalizer|Signal Dispatch.*"
                                    + "|Common-Cleaner|Notification Thr.*|Attach Listener"
                                    + "|JVMCI.*)"));

    private CpuStages() {}

    /** The stage of a thread named {@code name} (a full Java name or a native {@code comm}). */
    static String stageOf(String name) {
        for (Rule r : RULES) {
            if (r.pattern.matcher(name).matches()) {
                return r.stage;
            }
        }
        Matcher task = TASK.matcher(name);
        if (task.matches()) {
            return FLINK_TASK + task.group(1);
        }
        for (Rule r : NON_TASK_RULES) {
            if (r.pattern.matcher(name).matches()) {
                return r.stage;
            }
        }
        return OTHER;
    }

    /** The CPU time of one thread at a snapshot. */
    static final class ThreadTime {
        final String name;
        final long nanos;

        ThreadTime(String name, long nanos) {
            this.name = name;
            this.nanos = nanos;
        }
    }

    /** Every thread's CPU time at one moment. */
    static final class Snapshot {
        /** Java threads by thread id. */
        final Map<Long, ThreadTime> java = new HashMap<>();

        /** Native threads by Linux tid. */
        final Map<Long, ThreadTime> natives = new HashMap<>();

        /** The truncated names of the live Java threads, as their {@code comm}. */
        final Set<String> javaComms = new HashSet<>();
    }

    /** Whether per-thread CPU time can be read (HotSpot on Linux: yes). */
    static boolean supported() {
        return THREADS.isThreadCpuTimeSupported();
    }

    /** Every thread's CPU time now. */
    static Snapshot snapshot() {
        Snapshot s = new Snapshot();
        if (!supported()) {
            return s;
        }
        if (!THREADS.isThreadCpuTimeEnabled()) {
            THREADS.setThreadCpuTimeEnabled(true);
        }
        long[] ids = THREADS.getAllThreadIds();
        long[] cpu = THREADS.getThreadCpuTime(ids);
        java.lang.management.ThreadInfo[] infos = THREADS.getThreadInfo(ids, 0);
        for (int i = 0; i < ids.length; i++) {
            if (infos[i] == null || cpu[i] < 0) {
                continue; // ended meanwhile
            }
            String name = infos[i].getThreadName();
            s.java.put(ids[i], new ThreadTime(name, cpu[i]));
            s.javaComms.add(comm(name));
        }
        Path tasks = Paths.get("/proc/self/task");
        if (!Files.isDirectory(tasks)) {
            return s;
        }
        try (DirectoryStream<Path> dir = Files.newDirectoryStream(tasks)) {
            for (Path task : dir) {
                try {
                    String stat = Files.readString(task.resolve("stat"));
                    String comm = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
                    String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                    long ticks = Long.parseLong(f[11]) + Long.parseLong(f[12]);
                    s.natives.put(
                            Long.parseLong(task.getFileName().toString()),
                            new ThreadTime(comm, ticks * NANOS_PER_TICK));
                } catch (IOException | RuntimeException e) {
                    // the thread ended between listing and reading
                }
            }
        } catch (IOException e) {
            // no /proc: Java threads only
        }
        return s;
    }

    /** What Linux keeps of a thread name as {@code comm}: its first 15 bytes. */
    static String comm(String name) {
        byte[] b = name.getBytes(StandardCharsets.UTF_8);
        if (b.length <= 15) {
            return name;
        }
        return new String(b, 0, 15, StandardCharsets.UTF_8);
    }

    /** One thread's CPU in a window, and its stage. */
    static final class ThreadCost {
        final String name;
        final String stage;
        final boolean isNative;
        final long nanos;

        ThreadCost(String name, String stage, boolean isNative, long nanos) {
            this.name = name;
            this.stage = stage;
            this.isNative = isNative;
            this.nanos = nanos;
        }
    }

    /** The CPU of every thread between two snapshots (threads with none left out). */
    static List<ThreadCost> threadCosts(Snapshot a, Snapshot b) {
        List<ThreadCost> out = new ArrayList<>();
        for (Map.Entry<Long, ThreadTime> e : b.java.entrySet()) {
            ThreadTime before = a.java.get(e.getKey());
            long d = e.getValue().nanos - (before == null ? 0 : before.nanos);
            if (d > 0) {
                String name = e.getValue().name;
                out.add(new ThreadCost(name, stageOf(name), false, d));
            }
        }
        for (Map.Entry<Long, ThreadTime> e : b.natives.entrySet()) {
            String comm = e.getValue().name;
            if (comm.equals("java") || a.javaComms.contains(comm) || b.javaComms.contains(comm)) {
                continue; // a Java thread, counted above
            }
            ThreadTime before = a.natives.get(e.getKey());
            long base = before == null || !before.name.equals(comm) ? 0 : before.nanos;
            long d = e.getValue().nanos - base;
            if (d > 0) {
                out.add(new ThreadCost(comm, stageOf(comm), true, d));
            }
        }
        out.sort(Comparator.comparingLong((ThreadCost t) -> t.nanos).reversed());
        return out;
    }

    /**
     * The stage table of a window: the threads' CPU grouped by stage, plus {@link #UNATTRIBUTED}
     * (the JVM's CPU {@code jvmCpuNanos} minus every thread's) and one row per external process
     * ({@code processCpu}, seconds by label), sorted by cost, then the {@link #TOTAL} row (= JVM +
     * processes). Per input record: divided by {@code inputRecords}.
     */
    static List<StageCost> table(
            List<ThreadCost> threads,
            long jvmCpuNanos,
            Map<String, Double> processCpu,
            long inputRecords) {
        Map<String, StageCost> stages = new LinkedHashMap<>();
        long threadSum = 0;
        for (ThreadCost t : threads) {
            StageCost s = stages.computeIfAbsent(t.stage, CpuStages::row);
            s.threads++;
            s.cpuSeconds += t.nanos / 1e9;
            if (s.topThreads.size() < 5) {
                s.topThreads.add(
                        String.format(
                                Locale.ROOT,
                                "%s%s: %.3f s",
                                t.name,
                                t.isNative ? " [native]" : "",
                                t.nanos / 1e9));
            }
            threadSum += t.nanos;
        }
        StageCost rest = row(UNATTRIBUTED);
        rest.cpuSeconds = (jvmCpuNanos - threadSum) / 1e9;
        stages.put(UNATTRIBUTED, rest);
        for (Map.Entry<String, Double> p : processCpu.entrySet()) {
            StageCost s = stages.computeIfAbsent(p.getKey(), CpuStages::row);
            s.threads++;
            s.cpuSeconds += p.getValue();
        }
        List<StageCost> out = new ArrayList<>(stages.values());
        out.sort(Comparator.comparingDouble((StageCost s) -> s.cpuSeconds).reversed());
        StageCost total = row(TOTAL);
        for (StageCost s : out) {
            total.cpuSeconds += s.cpuSeconds;
            total.threads += s.threads;
        }
        out.add(total);
        for (StageCost s : out) {
            s.microsPerInputRecord = inputRecords == 0 ? 0 : s.cpuSeconds * 1e6 / inputRecords;
            s.sharePercent = total.cpuSeconds == 0 ? 0 : 100 * s.cpuSeconds / total.cpuSeconds;
        }
        return out;
    }

    private static StageCost row(String stage) {
        StageCost s = new StageCost();
        s.stage = stage;
        return s;
    }
}
