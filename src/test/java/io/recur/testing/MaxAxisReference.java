package io.recur.testing;

/** Float64 maximum over the middle axis of x viewed as (outer, n, inner), with the first index of the maximum. */
public final class MaxAxisReference {
    private MaxAxisReference() {}

    public record Max(D values, int[] argmax) {}

    public static Max maxAxis(D x, int outer, int n, int inner) {
        D max = D.zeros(outer, inner);
        int[] arg = new int[outer * inner];
        for (int o = 0; o < outer; o++)
            for (int i = 0; i < inner; i++) {
                int best = 0;
                for (int j = 1; j < n; j++) if (x.data[(o * n + j) * inner + i] > x.data[(o * n + best) * inner + i]) best = j;
                max.data[o * inner + i] = x.data[(o * n + best) * inner + i];
                arg[o * inner + i] = best;
            }
        return new Max(max, arg);
    }
}
