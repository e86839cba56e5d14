package dev.gridhouse.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** CPU time and resident memory of other processes (and their descendants) from {@code /proc}. */
final class ProcStats {
    /** Linux USER_HZ; 100 on every common kernel configuration. */
    private static final double TICKS_PER_SECOND = 100.0;

    private ProcStats() {}

    /** {@code pid} and every live descendant. */
    static List<Long> tree(long pid) {
        List<Long> pids = new ArrayList<>();
        Optional<ProcessHandle> h = ProcessHandle.of(pid);
        if (h.isPresent()) {
            pids.add(pid);
            h.get().descendants().forEach(d -> pids.add(d.pid()));
        }
        return pids;
    }

    /** User + system CPU seconds of a process tree (0 for processes that are gone). */
    static double cpuSeconds(long rootPid) {
        double total = 0;
        for (long pid : tree(rootPid)) {
            try {
                String stat = Files.readString(Paths.get("/proc", Long.toString(pid), "stat"));
                // fields after the command name (which may contain spaces) start at state (3)
                String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                total += (Long.parseLong(f[11]) + Long.parseLong(f[12])) / TICKS_PER_SECOND;
            } catch (IOException | RuntimeException e) {
                // the process ended between listing and reading
            }
        }
        return total;
    }

    /**
     * What a server process is, for the per-stage CPU table: the Kafka broker JVM, redis-server,
     * PostgreSQL (the postmaster and its backends), or its command name.
     */
    static String label(long pid) {
        String comm = "";
        String cmdline = "";
        try {
            comm = Files.readString(Paths.get("/proc", Long.toString(pid), "comm")).trim();
            cmdline =
                    new String(
                            Files.readAllBytes(Paths.get("/proc", Long.toString(pid), "cmdline")),
                            java.nio.charset.StandardCharsets.UTF_8);
        } catch (IOException | RuntimeException e) {
            // gone
        }
        if (cmdline.contains("kafka.Kafka")) {
            return "Kafka broker JVM (external process)";
        }
        if (comm.startsWith("redis-server") || cmdline.contains("redis-server")) {
            return "redis-server (external process)";
        }
        if (comm.startsWith("postgres") || cmdline.contains("postgres")) {
            return "PostgreSQL: postmaster + backends (external processes)";
        }
        return "external process " + (comm.isEmpty() ? Long.toString(pid) : comm);
    }

    /** Resident set size in MiB of a process tree. */
    static double rssMb(long rootPid) {
        double kb = 0;
        for (long pid : tree(rootPid)) {
            try {
                for (String line :
                        Files.readAllLines(Paths.get("/proc", Long.toString(pid), "status"))) {
                    if (line.startsWith("VmRSS:")) {
                        kb += Double.parseDouble(line.replaceAll("[^0-9]", ""));
                    }
                }
            } catch (IOException | RuntimeException e) {
                // gone
            }
        }
        return kb / 1024.0;
    }

    /** First line of a file, trimmed (e.g. a pid file). */
    static long readPid(Path pidFile) throws IOException {
        return Long.parseLong(Files.readAllLines(pidFile).get(0).trim());
    }
}
