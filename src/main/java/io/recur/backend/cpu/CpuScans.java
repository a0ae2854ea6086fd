package io.recur.backend.cpu;

import static io.recur.backend.cpu.CpuStorage.f32;
import static io.recur.backend.cpu.CpuStorage.offset;
import static io.recur.backend.cpu.CpuStorage.requireSize;

import io.recur.tensor.Tensor;

/**
 * The backend's scans: diagonal and dense linear recurrences and their gradients, each an
 * instance of {@link AssociativeScan} (see {@link DiagonalRecurrence}, {@link MatrixRecurrence}).
 */
final class CpuScans {
    /**
     * Reduce work per step relative to scan work: the diagonal reduce reads a and b but writes
     * nothing (memory-bound, about 2/3 of a scan step); the dense one multiplies matrices (n³ per
     * step against n² for the scan).
     */
    private static final double DIAGONAL_REDUCE_COST = 0.7;

    private CpuScans() {}

    static void linearScan(Tensor a, Tensor b, Tensor h0, Tensor resets, int rows, int length, boolean reverse, Tensor h) {
        long size = (long) rows * length;
        requireSize(a, size, "linearScan a");
        requireSize(b, size, "linearScan b");
        requireSize(h, size, "linearScan h");
        if (h0 != null) requireSize(h0, rows, "linearScan h0");
        if (resets != null) requireSize(resets, size, "linearScan resets");
        var arrays = new DiagonalRecurrence.Arrays(f32(a), offset(a), arr(resets), off(resets), f32(b), offset(b),
                f32(h), offset(h), arr(h0), off(h0), null, 0, null, 0, null, 0);
        if (rowsSequential(rows, length)) {
            CpuParallel.forRange(rows, length, (r0, r1) -> DiagonalRecurrence.scanRows(arrays, r0, r1, length, reverse, false));
            return;
        }
        AssociativeScan.run(rows, length, DIAGONAL_REDUCE_COST, r -> DiagonalRecurrence.forward(arrays, r, length, reverse));
    }

    static void linearScanBackward(Tensor a, Tensor h, Tensor h0, Tensor resets, Tensor gradH, int rows, int length,
                                   boolean reverse, Tensor da, Tensor db, Tensor dh0) {
        long size = (long) rows * length;
        requireSize(a, size, "linearScanBackward a");
        requireSize(gradH, size, "linearScanBackward gradH");
        requireSize(db, size, "linearScanBackward db");
        if (da != null) {
            requireSize(da, size, "linearScanBackward da");
            if (h == null) throw new IllegalArgumentException("linearScanBackward: da needs the forward output h");
            requireSize(h, size, "linearScanBackward h");
        }
        if (h0 != null) requireSize(h0, rows, "linearScanBackward h0");
        if (dh0 != null) requireSize(dh0, rows, "linearScanBackward dh0");
        if (resets != null) requireSize(resets, size, "linearScanBackward resets");
        if (length == 0 && dh0 != null) java.util.Arrays.fill(f32(dh0), offset(dh0), offset(dh0) + rows, 0f);
        var arrays = new DiagonalRecurrence.Arrays(f32(a), offset(a), arr(resets), off(resets), f32(gradH), offset(gradH),
                f32(db), offset(db), arr(h0), off(h0), arr(h), off(h), arr(da), off(da), arr(dh0), off(dh0));
        if (rowsSequential(rows, length)) {
            CpuParallel.forRange(rows, length, (r0, r1) -> DiagonalRecurrence.scanRows(arrays, r0, r1, length, reverse, true));
            return;
        }
        AssociativeScan.run(rows, length, DIAGONAL_REDUCE_COST, r -> DiagonalRecurrence.gradient(arrays, r, length, reverse));
    }

    static void matrixScan(Tensor a, Tensor b, Tensor h0, int rows, int length, int n, boolean reverse, Tensor h) {
        checkMatrix("matrixScan", a, b, h0, rows, length, n, h);
        var arrays = new MatrixRecurrence.Arrays(f32(a), offset(a), f32(b), offset(b), f32(h), offset(h),
                arr(h0), off(h0), null, 0, null, 0, null, 0);
        AssociativeScan.run(rows, length, n, r -> MatrixRecurrence.forward(arrays, r, length, n, reverse));
    }

    static void matrixScanBackward(Tensor a, Tensor h, Tensor h0, Tensor gradH, int rows, int length, int n,
                                   boolean reverse, Tensor dA, Tensor db, Tensor dh0) {
        checkMatrix("matrixScanBackward", a, gradH, h0, rows, length, n, db);
        long vectors = (long) rows * length * n;
        if (dA != null) {
            requireSize(dA, vectors * n, "matrixScanBackward dA");
            if (h == null) throw new IllegalArgumentException("matrixScanBackward: dA needs the forward output h");
            requireSize(h, vectors, "matrixScanBackward h");
        }
        if (dh0 != null) requireSize(dh0, (long) rows * n, "matrixScanBackward dh0");
        if (length == 0 && dh0 != null) java.util.Arrays.fill(f32(dh0), offset(dh0), offset(dh0) + rows * n, 0f);
        var arrays = new MatrixRecurrence.Arrays(f32(a), offset(a), f32(gradH), offset(gradH), f32(db), offset(db),
                arr(h0), off(h0), arr(h), off(h), arr(dA), off(dA), arr(dh0), off(dh0));
        AssociativeScan.run(rows, length, n, r -> MatrixRecurrence.gradient(arrays, r, length, n, reverse));
    }

    private static void checkMatrix(String op, Tensor a, Tensor x, Tensor h0, int rows, int length, int n, Tensor out) {
        if (n < 1 || n > 32) throw new IllegalArgumentException(op + ": state size n must be in [1, 32], got " + n);
        long vectors = (long) rows * length * n;
        requireSize(a, vectors * n, op + " A");
        requireSize(x, vectors, op + " input");
        requireSize(out, vectors, op + " output");
        if (h0 != null) requireSize(h0, (long) rows * n, op + " h0");
    }

    /**
     * Whether AssociativeScan would scan whole rows (no time chunks): then the rows go through
     * {@link DiagonalRecurrence#scanRows}, several rows interleaved per loop.
     */
    private static boolean rowsSequential(int rows, int length) {
        return rows > 0 && length > 0
                && AssociativeScan.chunksPerRow(rows, length, DIAGONAL_REDUCE_COST, CpuParallel.THREADS) <= 1;
    }

    private static float[] arr(Tensor t) { return t == null ? null : f32(t); }

    private static int off(Tensor t) { return t == null ? 0 : offset(t); }
}
