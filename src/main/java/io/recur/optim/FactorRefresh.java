package io.recur.optim;

import io.recur.backend.Backend;
import io.recur.backend.RootMethod;
import io.recur.backend.RootSettings;
import io.recur.backend.ScalarOp;
import io.recur.ops.SymmetricMatrices;
import io.recur.tensor.DType;
import io.recur.tensor.Scope;
import io.recur.tensor.Shape;
import io.recur.tensor.Tensor;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Recomputes the factors' transforms from their statistics in as few backend calls as possible:
 * factors of the same size (and root) are stacked into one batch for
 * {@link SymmetricMatrices#inverseRoots} or {@link SymmetricMatrices#eigen}.
 */
final class FactorRefresh {
    /** What the root refresh needs besides the factors. */
    record RootGuard(RootMethod method, double epsilon, boolean relativeEpsilon, double residualThreshold, int maxFailures) {}

    private FactorRefresh() {}

    /**
     * transform ← (scale·statistics + ridge)^{-1/root} for every factor. A root that is not finite
     * or whose residual exceeds the threshold is dropped and the factor keeps its previous transform;
     * the maxFailures-th failure in a row of one factor is an error.
     */
    static void inverseRoots(String kind, List<Factor> factors, double scale, RootGuard guard) {
        for (List<Factor> group : groups(factors, true)) {
            Factor first = group.getFirst();
            int n = first.n, count = group.size();
            Backend b = first.statistics.backend();
            try (Scope s = Scope.open(kind + " roots")) {
                SymmetricMatrices.Roots result = SymmetricMatrices.inverseRoots(stack(group, scale),
                        RootSettings.of(guard.method(), first.root, guard.epsilon(), guard.relativeEpsilon()));
                Tensor roots = result.roots();
                float[] r = result.residuals().toFloatArray();
                for (int i = 0; i < count; i++) {
                    Factor f = group.get(i);
                    if (r[i] >= 0 && r[i] <= guard.residualThreshold()) {
                        b.copyBlock(roots, count, i, f.transform, 1, 0, 1, 1, n * n, false);
                        f.failures = 0;
                    } else if (++f.failures >= guard.maxFailures()) {
                        throw new IllegalStateException(kind + ": the inverse " + f.root + "th root of " + f.name + " (" + n + "x" + n
                                + ") failed " + f.failures + " times in a row (" + guard.method() + " residual " + r[i] + ", limit "
                                + guard.residualThreshold() + "). The statistics are NaN, infinite or too ill-conditioned: lower the"
                                + " learning rate, clip gradients, raise epsilon, or use the eigen root method.");
                    }
                }
            }
        }
    }

    /**
     * transform ← the eigenvectors of scale·statistics (SOAP's basis), as columns by ascending
     * eigenvalue. A decomposition with a non-finite value keeps the previous basis.
     */
    static void eigenbases(String kind, List<Factor> factors) {
        for (List<Factor> group : groups(factors, false)) {
            Factor first = group.getFirst();
            int n = first.n, count = group.size();
            Backend b = first.statistics.backend();
            try (Scope s = Scope.open(kind + " eigenbases")) {
                SymmetricMatrices.Eigen eigen = SymmetricMatrices.eigen(stack(group, 1));
                Tensor vectors = eigen.vectors();
                float[] v = eigen.values().toFloatArray();
                for (int i = 0; i < count; i++) {
                    boolean finite = true;
                    for (int j = 0; j < n; j++) finite &= Float.isFinite(v[i * n + j]);
                    if (finite) b.copyBlock(vectors, count, i, group.get(i).transform, 1, 0, 1, 1, n * n, false);
                }
            }
        }
    }

    /** The factors' statistics, times scale, as one (count, n, n) tensor in the current scope. */
    private static Tensor stack(List<Factor> group, double scale) {
        int n = group.getFirst().n, count = group.size();
        Backend b = group.getFirst().statistics.backend();
        Tensor stacked = b.allocate(Shape.of(count, n, n), DType.F32);
        for (int i = 0; i < count; i++) b.copyBlock(group.get(i).statistics, 1, 0, stacked, count, i, 1, 1, n * n, false);
        if (scale != 1) b.scalar(ScalarOp.MUL, stacked, (float) scale, stacked);
        return stacked;
    }

    private static List<List<Factor>> groups(List<Factor> factors, boolean byRoot) {
        Map<Long, List<Factor>> groups = new LinkedHashMap<>();
        for (Factor f : factors) groups.computeIfAbsent(((long) f.n << 32) | (byRoot ? f.root : 0), k -> new ArrayList<>()).add(f);
        return List.copyOf(groups.values());
    }
}
