package io.recur.data.mnist;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * The IDX format of LeCun's original MNIST files, for unsigned bytes: the magic number
 * 0x00 0x00 0x08 (= uint8) and the number of dimensions, each dimension as a big-endian int32,
 * then the values row-major. Other tools read these files as they read MNIST.
 */
public record IdxFile(int[] dims, byte[] values) {
    private static final int UBYTE = 0x08;

    public IdxFile {
        long n = 1;
        for (int d : dims) {
            if (d < 0) throw new IllegalArgumentException("negative IDX dimension in " + Arrays.toString(dims));
            n *= d;
        }
        if (n != values.length) throw new IllegalArgumentException("IDX dimensions " + Arrays.toString(dims) + " hold " + n + " values, got " + values.length);
    }

    public static IdxFile read(Path file) throws IOException {
        try (InputStream raw = Files.newInputStream(file); DataInputStream in = new DataInputStream(new java.io.BufferedInputStream(raw))) {
            int magic = in.readInt();
            if ((magic >>> 8) != UBYTE || (magic & 0xFF) < 1)
                throw new IOException(file + " is not an unsigned-byte IDX file (magic 0x" + Integer.toHexString(magic) + ", expected 0x000008nn)");
            int[] dims = new int[magic & 0xFF];
            long n = 1;
            for (int i = 0; i < dims.length; i++) {
                dims[i] = in.readInt();
                if (dims[i] < 0) throw new IOException(file + ": negative dimension " + dims[i]);
                n *= dims[i];
            }
            if (n > Integer.MAX_VALUE) throw new IOException(file + ": " + n + " values is too many to load");
            byte[] values = new byte[(int) n];
            try {
                in.readFully(values);
            } catch (java.io.EOFException e) {
                throw new IOException(file + " is truncated: its header promises " + n + " values", e);
            }
            if (in.read() != -1) throw new IOException(file + " has bytes after its " + n + " values");
            return new IdxFile(dims, values);
        }
    }

    /** Writes through a temporary file and a rename, so a reader never sees half a file. */
    public void write(Path file) throws IOException {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        try (OutputStream raw = Files.newOutputStream(tmp); DataOutputStream out = new DataOutputStream(new java.io.BufferedOutputStream(raw))) {
            out.writeInt(UBYTE << 8 | dims.length);
            for (int d : dims) out.writeInt(d);
            out.write(values);
        }
        Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }
}
