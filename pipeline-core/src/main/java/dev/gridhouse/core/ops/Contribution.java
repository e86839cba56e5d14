package dev.gridhouse.core.ops;

import java.util.Arrays;

/**
 * What one source row adds to (or, negated, takes away from) one group of a changelog rollup: the
 * group key and a vector of integer measures (counts, sums in integer units). Integer sums make
 * retraction exact: adding and later subtracting a row leaves no rounding residue. A Flink POJO.
 */
public class Contribution {
    public String group;
    public long[] values;

    public Contribution() {}

    public Contribution(String group, long[] values) {
        this.group = group;
        this.values = values;
    }

    /** The same contribution with every measure negated (the retraction). */
    public Contribution negate() {
        long[] v = new long[values.length];
        for (int i = 0; i < v.length; i++) {
            v[i] = -values[i];
        }
        return new Contribution(group, v);
    }

    @Override
    public String toString() {
        return "Contribution{" + group + ", " + Arrays.toString(values) + '}';
    }
}
