package dev.gridhouse.ods.sim;

import java.io.Serializable;
import java.util.SplittableRandom;

/**
 * The simulator's seeded random streams and numeric helpers: stream {@code (salt, index)} depends
 * only on the seed, the salt and the index, so every device, substation and record draws from its
 * own stream.
 */
final class SimRandom implements Serializable {
    private static final long serialVersionUID = 1L;

    private static final long GOLDEN_GAMMA = 0x9E37_79B9_7F4A_7C15L;

    private final long seed;

    SimRandom(long seed) {
        this.seed = seed;
    }

    /** The stream of {@code index} under {@code salt}. */
    SplittableRandom rng(long salt, long index) {
        return fromBase(base(salt), index);
    }

    /**
     * {@code rng(salt, index)} for a {@code base} from {@link #base(long) base(salt)}, without
     * mixing the seed and salt again (for the per-record streams).
     */
    static SplittableRandom fromBase(long base, long index) {
        return new SplittableRandom(mix64(base + index * GOLDEN_GAMMA));
    }

    /** The seed mixed with {@code salt}, for {@link #fromBase}. */
    long base(long salt) {
        return mix64(seed ^ salt);
    }

    /** Stafford's mix13 finaliser, as in {@link SplittableRandom}. */
    static long mix64(long z) {
        z = (z ^ (z >>> 30)) * 0xbf58_476d_1ce4_e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d0_49bb_1331_11ebL;
        return z ^ (z >>> 31);
    }

    /** A standard normal draw (Box–Muller, two uniform draws). */
    static double gaussian(SplittableRandom r) {
        double u1 = 1.0 - r.nextDouble();
        double u2 = r.nextDouble();
        return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
    }

    static double clamp(double v, double min, double max) {
        return v < min ? min : v > max ? max : v;
    }

    /** {@code v} rounded to {@code decimals} (1 … 3) places. */
    static double round(double v, int decimals) {
        double scale = decimals == 1 ? 10 : decimals == 2 ? 100 : 1000;
        return Math.round(v * scale) / scale;
    }

    /** {@code prefix} and {@code n} zero-padded to {@code width} digits, e.g. {@code D000042}. */
    static String pad(char prefix, int n, int width) {
        String digits = Integer.toString(n);
        StringBuilder sb = new StringBuilder(width + 1).append(prefix);
        for (int i = digits.length(); i < width; i++) {
            sb.append('0');
        }
        return sb.append(digits).toString();
    }

    static void checkIndex(int index, int size, String what) {
        if (index < 0 || index >= size) {
            throw new IndexOutOfBoundsException(
                    what + " index must be in [0, " + size + "), got " + index);
        }
    }
}
