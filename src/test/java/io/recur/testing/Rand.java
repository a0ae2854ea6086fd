package io.recur.testing;

import java.util.SplittableRandom;

/** Fresh random inputs for every run; the seed goes into every failure message. */
public final class Rand {
    private final long seed;
    private final SplittableRandom random;

    private Rand(long seed) {
        this.seed = seed;
        this.random = new SplittableRandom(seed);
    }

    /** A generator with a new seed, or the one given by -Drecur.test.seed to replay a failure. */
    public static Rand fresh() {
        String fixed = System.getProperty("recur.test.seed");
        return new Rand(fixed != null ? Long.parseLong(fixed) : System.nanoTime());
    }

    /** A generator with a fixed seed, for a constructed case that must not change between runs. */
    public static Rand seeded(long seed) { return new Rand(seed); }

    public long seed() { return seed; }

    /** " (seed N; rerun with -Drecur.test.seed=N)" for assertion messages. */
    public String tag() { return " (seed " + seed + "; rerun with -Drecur.test.seed=" + seed + ")"; }

    public double uniform(double lo, double hi) { return lo + (hi - lo) * random.nextDouble(); }

    public int nextInt(int bound) { return random.nextInt(bound); }

    public long nextLong() { return random.nextLong(); }

    public D uniform(double lo, double hi, int... shape) {
        D d = D.zeros(shape);
        for (int i = 0; i < d.data.length; i++) d.data[i] = uniform(lo, hi);
        return d.roundToFloat();
    }

    public D normal(int... shape) {
        D d = D.zeros(shape);
        for (int i = 0; i < d.data.length; i++) {
            double u1 = 1.0 - random.nextDouble(), u2 = random.nextDouble();
            d.data[i] = Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
        }
        return d.roundToFloat();
    }

    public int[] ints(int n, int bound) {
        int[] r = new int[n];
        for (int i = 0; i < n; i++) r[i] = random.nextInt(bound);
        return r;
    }
}
