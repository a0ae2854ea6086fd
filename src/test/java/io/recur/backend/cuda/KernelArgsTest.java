package io.recur.backend.cuda;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class KernelArgsTest {
    @Test
    void keepsParametersInOrderWithTheirKindsAndSizes() {
        int[] layout = {1, 2, 3};
        KernelArgs args = new KernelArgs().pointer(0x7f00_0000_1000L).i32(-7).i64(1L << 40).f32(-0.5f).flag(true).intStruct(layout);
        layout[0] = 99;  // the struct was copied
        assertEquals(6, args.size());
        assertEquals(KernelArgs.Kind.POINTER, args.get(0).kind());
        assertEquals(0x7f00_0000_1000L, args.get(0).bits());
        assertEquals(-7, args.get(1).intValue());
        assertEquals(1L << 40, args.get(2).bits());
        assertEquals(-0.5f, args.get(3).floatValue());
        assertEquals(1, args.get(4).intValue());
        assertArrayEquals(new int[] {1, 2, 3}, args.get(5).ints());
        assertArrayEquals(new int[] {8, 4, 8, 4, 4, 12}, args.all().stream().mapToInt(KernelArgs.Arg::bytes).toArray());
        assertEquals("[0x7f0000001000, -7, 1099511627776L, -0.5f, 1, [1, 2, 3]]", args.toString());
    }

    @Test
    void floatBitsSurviveIncludingNaNAndNegativeZero() {
        KernelArgs args = new KernelArgs().f32(-0.0f).f32(Float.intBitsToFloat(0x7fc00001));
        assertEquals(Float.floatToRawIntBits(-0.0f), (int) args.get(0).bits());
        assertEquals(0x7fc00001, (int) args.get(1).bits());
    }
}
