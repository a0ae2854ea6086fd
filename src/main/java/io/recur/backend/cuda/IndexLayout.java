package io.recur.backend.cuda;

import io.recur.tensor.Shape;
import java.util.Arrays;

/**
 * Builds the kernels' Layout struct (kernels/common.cuh): an iteration space of up to 8 dimensions
 * with the element strides of two operands in it, 0 where an operand is broadcast. Size-1
 * dimensions are dropped and neighbours that are contiguous for both operands are merged, so most
 * layouts end with rank 1 or 2 and the kernels divide less.
 */
final class IndexLayout {
    static final int MAX_DIMS = 8;
    /** Ints in the packed struct: rank, sizes, strides of A, strides of B. */
    static final int STRUCT_INTS = 1 + 3 * MAX_DIMS;

    private IndexLayout() {}

    /** Layout for out = op(a, b) with numpy broadcasting. */
    static int[] binary(Shape a, Shape b, Shape out) {
        int[] dims = out.dims();
        return pack(dims, broadcastStrides(a, dims, 1), broadcastStrides(b, dims, 1), "binary " + a + ", " + b + " -> " + out);
    }

    /**
     * Layout for copying x broadcast to out, in 32-bit words: with wordsPerElement 2 (8-byte types)
     * a trailing dimension of 2 words is added to both.
     */
    static int[] broadcastTo(Shape x, Shape out, int wordsPerElement) {
        int[] dims = out.dims();
        int[] strides = broadcastStrides(x, dims, wordsPerElement);
        if (wordsPerElement > 1) {
            dims = append(dims, wordsPerElement);
            strides = append(strides, 1);
        }
        return pack(dims, strides, new int[dims.length], "broadcast " + x + " -> " + out);
    }

    /**
     * How sumTo walks x: for each element of out (contiguous), the kept dimensions give the start in x
     * and the reduced dimensions the positions summed. count is the number of positions per output.
     */
    record SumPlan(int[] kept, int[] reduced, long outputs, long count, boolean contiguousOutputs) {}

    static SumPlan sumTo(Shape x, Shape out) {
        int rank = Math.max(x.rank(), out.rank());
        int[] xd = leftPad(x.dims(), rank), od = leftPad(out.dims(), rank);
        int[] xs = contiguousStrides(xd, 1);
        int[] keptSize = new int[rank], keptStride = new int[rank], redSize = new int[rank], redStride = new int[rank];
        int kept = 0, red = 0;
        boolean innermostKept = false;
        for (int d = 0; d < rank; d++) {
            if (od[d] == xd[d]) {
                keptSize[kept] = xd[d];
                keptStride[kept++] = xs[d];
                if (xs[d] == 1 && xd[d] > 1) innermostKept = true;
            } else if (od[d] == 1) {
                redSize[red] = xd[d];
                redStride[red++] = xs[d];
            } else {
                throw new IllegalArgumentException("sumTo: " + x + " cannot be summed to " + out);
            }
        }
        long count = 1;
        for (int i = 0; i < red; i++) count *= redSize[i];
        String what = "sumTo " + x + " -> " + out;
        int[] k = pack(Arrays.copyOf(keptSize, kept), Arrays.copyOf(keptStride, kept), new int[kept], what);
        int[] r = pack(Arrays.copyOf(redSize, red), Arrays.copyOf(redStride, red), new int[red], what);
        return new SumPlan(k, r, out.size(), count, innermostKept);
    }

    /** Strides (in units of `unit` words per element) of an operand broadcast to outDims; 0 on broadcast dimensions. */
    static int[] broadcastStrides(Shape operand, int[] outDims, int unit) {
        int rank = outDims.length;
        if (operand.rank() > rank) throw new IllegalArgumentException("operand " + operand + " has more dimensions than " + Arrays.toString(outDims));
        int[] od = leftPad(operand.dims(), rank);
        int[] s = contiguousStrides(od, unit);
        for (int d = 0; d < rank; d++) {
            if (od[d] == 1 && outDims[d] != 1) s[d] = 0;
            else if (od[d] != outDims[d])
                throw new IllegalArgumentException("operand " + operand + " does not broadcast to " + Arrays.toString(outDims));
        }
        return s;
    }

    static int[] contiguousStrides(int[] dims, int unit) {
        int[] s = new int[dims.length];
        long stride = unit;
        for (int d = dims.length - 1; d >= 0; d--) {
            s[d] = (int) stride;
            stride *= dims[d];
        }
        return s;
    }

    static int[] leftPad(int[] dims, int rank) {
        int[] out = new int[rank];
        Arrays.fill(out, 1);
        System.arraycopy(dims, 0, out, rank - dims.length, dims.length);
        return out;
    }

    private static int[] append(int[] a, int v) {
        int[] out = Arrays.copyOf(a, a.length + 1);
        out[a.length] = v;
        return out;
    }

    /** Drops size-1 dimensions, merges contiguous neighbours and packs the struct; fails beyond 8 dimensions. */
    static int[] pack(int[] sizes, int[] strideA, int[] strideB, String what) {
        int n = 0;
        int[] sz = new int[sizes.length], sa = new int[sizes.length], sb = new int[sizes.length];
        for (int d = 0; d < sizes.length; d++) {
            if (sizes[d] == 1) continue;
            if (n > 0 && sa[n - 1] == (long) strideA[d] * sizes[d] && sb[n - 1] == (long) strideB[d] * sizes[d]) {
                sz[n - 1] *= sizes[d];  // the outer dimension steps exactly over the inner one: merge
                sa[n - 1] = strideA[d];
                sb[n - 1] = strideB[d];
            } else {
                sz[n] = sizes[d];
                sa[n] = strideA[d];
                sb[n] = strideB[d];
                n++;
            }
        }
        if (n > MAX_DIMS)
            throw new IllegalArgumentException(what + ": needs " + n + " dimensions after merging, the CUDA kernels support " + MAX_DIMS);
        int[] packed = new int[STRUCT_INTS];
        packed[0] = n;
        System.arraycopy(sz, 0, packed, 1, n);
        System.arraycopy(sa, 0, packed, 1 + MAX_DIMS, n);
        System.arraycopy(sb, 0, packed, 1 + 2 * MAX_DIMS, n);
        return packed;
    }
}
