package io.recur.backend.cuda;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.recur.tensor.Shape;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** The packed layouts address the same elements as plain numpy broadcasting, checked by emulating the kernels' walk. */
class IndexLayoutTest {
    /** layoutOffsets of kernels/common.cuh: {offset A, offset B} at position i. */
    static long[] offsets(int[] layout, long i) {
        int rank = layout[0];
        long a = 0, b = 0;
        for (int d = rank - 1; d >= 0; d--) {
            int size = layout[1 + d];
            long c = i % size;
            i /= size;
            a += c * layout[1 + IndexLayout.MAX_DIMS + d];
            b += c * layout[1 + 2 * IndexLayout.MAX_DIMS + d];
        }
        return new long[] {a, b};
    }

    /** Flat index into operand (right-aligned, size-1 dims repeating) of the out position given by coordinates. */
    static long naiveOffset(int[] operand, int[] outCoord) {
        long off = 0;
        int shift = outCoord.length - operand.length;
        for (int d = 0; d < operand.length; d++) off = off * operand[d] + (operand[d] == 1 ? 0 : outCoord[d + shift]);
        return off;
    }

    static int[] unravel(long i, int[] dims) {
        int[] c = new int[dims.length];
        for (int d = dims.length - 1; d >= 0; d--) { c[d] = (int) (i % dims[d]); i /= dims[d]; }
        return c;
    }

    static int[] randomShape(Random rnd, int rank) {
        int[] d = new int[rank];
        for (int i = 0; i < rank; i++) d[i] = 1 + rnd.nextInt(4);
        return d;
    }

    /** A broadcast partner of out: some dims set to 1, some leading dims dropped. */
    static int[] partner(Random rnd, int[] out) {
        int drop = rnd.nextInt(out.length + 1);
        int[] p = new int[out.length - drop];
        for (int i = 0; i < p.length; i++) p[i] = rnd.nextInt(3) == 0 ? 1 : out[i + drop];
        return p;
    }

    @Test
    void binaryLayoutsMatchNumpyBroadcasting() {
        Random rnd = new Random(1);
        for (int trial = 0; trial < 300; trial++) {
            int[] out = randomShape(rnd, 1 + rnd.nextInt(6));
            int[] a = partner(rnd, out), b = partner(rnd, out);
            int[] layout = IndexLayout.binary(Shape.of(a), Shape.of(b), Shape.of(out));
            long n = Shape.of(out).size();
            for (long i = 0; i < n; i++) {
                int[] c = unravel(i, out);
                assertArrayEquals(new long[] {naiveOffset(a, c), naiveOffset(b, c)}, offsets(layout, i));
            }
        }
    }

    @Test
    void contiguousDimensionsMerge() {
        int[] l = IndexLayout.binary(Shape.of(2, 3, 4), Shape.of(2, 3, 4), Shape.of(2, 3, 4));
        assertEquals(1, l[0]);
        assertEquals(24, l[1]);
        l = IndexLayout.binary(Shape.of(5, 6, 7), Shape.of(7), Shape.of(5, 6, 7));
        assertEquals(2, l[0], "bias over a batch: (30, 7) with b repeating rows");
        assertArrayEquals(new int[] {30, 7}, new int[] {l[1], l[2]});
    }

    @Test
    void tooManyDimensionsFailNamingTheShapes() {
        int[] a = {2, 1, 2, 1, 2, 1, 2, 1, 2, 1}, b = {1, 2, 1, 2, 1, 2, 1, 2, 1, 2}, out = {2, 2, 2, 2, 2, 2, 2, 2, 2, 2};
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> IndexLayout.binary(Shape.of(a), Shape.of(b), Shape.of(out)));
        assertEquals(true, e.getMessage().contains("[2, 1, 2"), e.getMessage());
    }

    @Test
    void sumPlansVisitExactlyThePositionsThatBroadcastToEachOutput() {
        Random rnd = new Random(2);
        for (int trial = 0; trial < 300; trial++) {
            int[] x = randomShape(rnd, 1 + rnd.nextInt(6));
            int[] out = partner(rnd, x);
            IndexLayout.SumPlan plan = IndexLayout.sumTo(Shape.of(x), Shape.of(out));
            long outputs = Shape.of(out).size();
            assertEquals(outputs, plan.outputs());
            List<TreeSet<Long>> expected = new ArrayList<>();
            for (long o = 0; o < outputs; o++) expected.add(new TreeSet<>());
            for (long i = 0; i < Shape.of(x).size(); i++) expected.get((int) naiveOffset(out, unravel(i, x))).add(i);
            for (long o = 0; o < outputs; o++) {
                TreeSet<Long> got = new TreeSet<>();
                long base = offsets(plan.kept(), o)[0];
                for (long r = 0; r < plan.count(); r++) got.add(base + offsets(plan.reduced(), r)[0]);
                assertEquals(expected.get((int) o), got, "x " + java.util.Arrays.toString(x) + " out " + java.util.Arrays.toString(out));
            }
        }
    }

    @Test
    void broadcastOf8ByteElementsMovesWordPairs() {
        int[] l = IndexLayout.broadcastTo(Shape.of(3, 1), Shape.of(3, 4), 2);
        for (long w = 0; w < 24; w++) {
            long element = w / 2, row = element / 4;
            assertEquals(row * 2 + w % 2, offsets(l, w)[0]);
        }
    }
}
