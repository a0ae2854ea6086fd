package io.recur.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NpyTest {
    private static Path write(Path dir, String descr, String shape, boolean fortran, long[] values, int width) throws IOException {
        String header = "{'descr': '" + descr + "', 'fortran_order': " + (fortran ? "True" : "False") + ", 'shape': " + shape + ", }\n";
        ByteBuffer b = ByteBuffer.allocate(10 + header.length() + width * values.length).order(ByteOrder.LITTLE_ENDIAN);
        b.put(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0}).putShort((short) header.length()).put(header.getBytes());
        for (long v : values) { if (width == 4) b.putInt((int) v); else b.putLong(v); }
        Path p = dir.resolve(descr.replace('<', 'l') + ".npy");
        Files.write(p, b.array());
        return p;
    }

    @Test
    void readsInt32AndInt64(@TempDir Path dir) throws IOException {
        long[] v = {0, 1, 2, 3, 4, 70000};
        for (var c : new Object[][] {{"<i4", 4}, {"<i8", 8}}) {
            Npy.IntArray a = Npy.readInts(write(dir, (String) c[0], "(2, 3)", false, v, (int) c[1]));
            assertArrayEquals(new int[] {2, 3}, a.shape());
            assertArrayEquals(new int[] {0, 1, 2, 3, 4, 70000}, a.values());
        }
    }

    @Test
    void rejectsWhatItCannotRead(@TempDir Path dir) throws IOException {
        assertMessage(() -> Npy.readInts(write(dir, "<f4", "(2,)", false, new long[] {1, 2}, 4)), "dtype '<f4' is not supported");
        assertMessage(() -> Npy.readInts(write(dir, "<i8", "(2,)", true, new long[] {1, 2}, 8)), "Fortran-ordered");
        assertMessage(() -> Npy.readInts(write(dir, "<i8", "(3,)", false, new long[] {1, 2}, 8)), "needs 24 bytes of data, the file has 16");
        assertMessage(() -> Npy.readInts(write(dir, "<i8", "(1,)", false, new long[] {1L << 40}, 8)), "does not fit int32");
        Path text = dir.resolve("x.npy");
        Files.writeString(text, "hello world");
        assertMessage(() -> Npy.readInts(text), "not a .npy file");
    }

    private static void assertMessage(org.junit.jupiter.api.function.Executable e, String part) {
        var ex = assertThrows(IOException.class, e);
        assertTrue(ex.getMessage().contains(part), ex.getMessage());
    }
}
