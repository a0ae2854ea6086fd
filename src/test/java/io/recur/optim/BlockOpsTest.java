package io.recur.optim;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.recur.backend.Backend;
import io.recur.tensor.Shape;
import io.recur.tensor.Tensor;
import io.recur.testing.BackendFixture;
import io.recur.testing.D;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The block machinery of Shampoo and SOAP on every backend, against index loops: a 5×3×7 tensor
 * cut into blocks of at most 4 along its first and last dimensions (a rank-3 block with three
 * modes), each block cut out and written back, its mode statistics and its mode products.
 */
class BlockOpsTest {
    @ParameterizedTest @MethodSource("io.recur.testing.TestBackends#all")
    void blocksStatisticsAndModeProductsMatchLoops(Backend backend) {
        int[] shape = {5, 3, 7};
        try (BackendFixture f = BackendFixture.on(backend)) {
            BlockLayout layout = BlockLayout.of(shape, 4, false);
            assertEquals(4, layout.blocks().size());
            D x = f.rand.normal(shape);
            Tensor full = f.view(x), rebuilt = backend.zeros(Shape.of(shape));
            for (BlockLayout.Block block : layout.blocks()) {
                int[] d = block.dims();
                double[] expected = new double[(int) block.size()];
                for (int i = 0; i < d[0]; i++)
                    for (int j = 0; j < d[1]; j++)
                        for (int k = 0; k < d[2]; k++)
                            expected[(i * d[1] + j) * d[2] + k] = x.data[((block.rowStart() + i) * 3 + j) * 7 + block.lastStart() + k];
                Tensor part = BlockOps.extract(full, layout, block);
                f.assertClose(expected, part.toFloatArray(), 0, 0, "block at " + block.rowStart() + "," + block.lastStart());
                BlockOps.insert(part, rebuilt, layout, block);
                for (int mode = 0; mode < 3; mode++) checkMode(f, block, mode, expected, part);
            }
            f.assertClose(x.data, rebuilt.toFloatArray(), 0, 0, "blocks written back");
        }
    }

    private static void checkMode(BackendFixture f, BlockLayout.Block block, int mode, double[] x, Tensor part) {
        int n = block.dims()[mode], outer = block.outer(mode), inner = block.inner(mode);
        D start = f.rand.normal(n, n), matrix = f.rand.normal(n, n);
        double beta = 0.7, alpha = 0.4;
        double[] stats = start.data.clone();
        for (int a = 0; a < n; a++)
            for (int b = 0; b < n; b++) {
                double s = 0;
                for (int o = 0; o < outer; o++)
                    for (int r = 0; r < inner; r++) s += x[(o * n + a) * inner + r] * x[(o * n + b) * inner + r];
                stats[a * n + b] = beta * start.data[a * n + b] + alpha * s;
            }
        Tensor statistics = f.view(start);
        BlockOps.accumulateStatistics(part, block, mode, statistics, (float) beta, (float) alpha);
        f.assertClose(stats, statistics.toFloatArray(), 1e-5, 1e-5, "statistics of mode " + mode);
        for (boolean transpose : new boolean[] {false, true}) {
            double[] product = new double[x.length];
            for (int o = 0; o < outer; o++)
                for (int a = 0; a < n; a++)
                    for (int r = 0; r < inner; r++) {
                        double s = 0;
                        for (int b = 0; b < n; b++)
                            s += (transpose ? matrix.data[b * n + a] : matrix.data[a * n + b]) * x[(o * n + b) * inner + r];
                        product[(o * n + a) * inner + r] = s;
                    }
            Tensor got = BlockOps.modeProduct(part, block, mode, f.view(matrix), transpose);
            f.assertClose(product, got.toFloatArray(), 1e-5, 1e-5, "mode-" + mode + " product" + (transpose ? " (transposed)" : ""));
        }
    }
}
