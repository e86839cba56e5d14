package dev.gridhouse.deploy;

import static org.assertj.core.api.Assertions.fail;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Compares two tables given as text (one row per line) as multisets and, when they differ, fails
 * with the row counts and the first rows only one side has, instead of a diff of the whole tables
 * (two 100,000-row tables in one AssertJ message exhaust the test JVM's heap).
 */
final class SameRows {
    private static final int SHOWN = 10;

    private SameRows() {}

    static void assertSameRows(String table, String expected, String actual) {
        if (expected.equals(actual)) {
            return;
        }
        Map<String, Integer> counts = new HashMap<>();
        String[] e = expected.split("\n", -1);
        String[] a = actual.split("\n", -1);
        for (String line : e) {
            counts.merge(line, 1, Integer::sum);
        }
        for (String line : a) {
            counts.merge(line, -1, Integer::sum);
        }
        List<String> missing = new ArrayList<>();
        List<String> extra = new ArrayList<>();
        for (Map.Entry<String, Integer> c : counts.entrySet()) {
            for (int i = 0; i < Math.abs(c.getValue()); i++) {
                (c.getValue() > 0 ? missing : extra).add(c.getKey());
            }
        }
        missing.sort(null);
        extra.sort(null);
        fail(
                "[%s] %d lines expected, %d actual; %d only expected, e.g.%n  %s%n%d only actual,"
                        + " e.g.%n  %s",
                table,
                e.length,
                a.length,
                missing.size(),
                String.join("\n  ", missing.subList(0, Math.min(SHOWN, missing.size()))),
                extra.size(),
                String.join("\n  ", extra.subList(0, Math.min(SHOWN, extra.size()))));
    }
}
