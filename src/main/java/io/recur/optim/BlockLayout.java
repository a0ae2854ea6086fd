package io.recur.optim;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * How Shampoo and SOAP see one parameter: its shape with size-1 dimensions dropped and small
 * neighbours merged (a (4, 8, 64) tensor is a 32×64 matrix), then cut into blocks of at most
 * blockSize along the first and the last dimension. Each dimension of a block up to blockSize gets a
 * preconditioner (a "mode"); a middle dimension larger than blockSize (only a tensor of rank three
 * or more after merging has one) is left unpreconditioned. Vectors (one dimension left) get no
 * preconditioner at all: they take the graft's step.
 *
 * @param merged the merged shape (a vector's is its length)
 * @param blocks the blocks in row-major order of their positions; empty for a vector
 */
record BlockLayout(int[] merged, List<Block> blocks) {
    /**
     * One block: rows [rowStart, rowStart + dims[0]) of the first dimension, everything of the
     * middle ones, and [lastStart, lastStart + dims[k-1]) of the last.
     */
    record Block(int rowStart, int lastStart, int[] dims, boolean[] preconditioned) {
        /** Number of preconditioned modes: k in the exponent 1/(2k). */
        int order() {
            int k = 0;
            for (boolean p : preconditioned) if (p) k++;
            return k;
        }

        long size() {
            long s = 1;
            for (int d : dims) s *= d;
            return s;
        }

        /** The product of the dimensions before mode i. */
        int outer(int mode) { return product(dims, 0, mode); }

        /** The product of the dimensions after mode i. */
        int inner(int mode) { return product(dims, mode + 1, dims.length); }
    }

    static int product(int[] dims, int from, int to) {
        int p = 1;
        for (int i = from; i < to; i++) p *= dims[i];
        return p;
    }

    /** True when some block has a preconditioned mode. */
    boolean preconditioned() {
        for (Block b : blocks) if (b.order() > 0) return true;
        return false;
    }

    /** The layout of a parameter of this shape; oneSided preconditions the first mode only. */
    static BlockLayout of(int[] shape, int blockSize, boolean oneSided) {
        if (blockSize < 1) throw new IllegalArgumentException("block size must be >= 1, got " + blockSize);
        int[] merged = merge(shape, blockSize);
        if (merged.length < 2) return new BlockLayout(merged, List.of());
        int k = merged.length, first = merged[0], last = merged[k - 1];
        List<Block> blocks = new ArrayList<>();
        for (int r = 0; r < first; r += blockSize)
            for (int c = 0; c < last; c += blockSize) {
                int[] dims = merged.clone();
                dims[0] = Math.min(blockSize, first - r);
                dims[k - 1] = Math.min(blockSize, last - c);
                boolean[] pre = new boolean[k];
                for (int i = 0; i < k; i++) pre[i] = dims[i] <= blockSize && (!oneSided || i == 0);
                blocks.add(new Block(r, c, dims, pre));
            }
        return new BlockLayout(merged, List.copyOf(blocks));
    }

    /**
     * Drops size-1 dimensions, then merges neighbours, leftmost first, while their product stays
     * within maxSize and at least two dimensions remain (so a matrix stays a matrix).
     */
    static int[] merge(int[] shape, int maxSize) {
        List<Integer> dims = new ArrayList<>();
        for (int d : shape) if (d != 1) dims.add(d);
        if (dims.isEmpty()) return new int[] {1};
        boolean merged = true;
        while (merged && dims.size() > 2) {
            merged = false;
            for (int i = 0; i + 1 < dims.size(); i++)
                if ((long) dims.get(i) * dims.get(i + 1) <= maxSize) {
                    dims.set(i, dims.get(i) * dims.remove(i + 1));
                    merged = true;
                    break;
                }
        }
        return dims.stream().mapToInt(Integer::intValue).toArray();
    }

    @Override
    public String toString() { return "BlockLayout" + Arrays.toString(merged) + " in " + blocks.size() + " blocks"; }
}
