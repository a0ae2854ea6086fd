package io.recur.io;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads numpy's .npy format for integer arrays: little-endian int32 or int64 ('&lt;i4', '&lt;i8'),
 * C order, format versions 1 to 3. Enough for arrays of token ids written by np.save.
 */
public final class Npy {
    private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
    private static final Pattern DESCR = Pattern.compile("'descr'\\s*:\\s*'([^']*)'");
    private static final Pattern FORTRAN = Pattern.compile("'fortran_order'\\s*:\\s*(True|False)");
    private static final Pattern SHAPE = Pattern.compile("'shape'\\s*:\\s*\\(([^)]*)\\)");

    /** The values as int32 (int64 values must fit) and the shape. */
    public record IntArray(int[] shape, int[] values) {}

    private Npy() {}

    public static IntArray readInts(Path path) throws IOException {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(path);
        } catch (NoSuchFileException e) {
            throw new NoSuchFileException(path.toString(), null, "no such .npy file");
        }
        ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        if (bytes.length < 10 || !Arrays.equals(Arrays.copyOf(bytes, 6), MAGIC)) throw bad(path, "not a .npy file (no \\x93NUMPY magic)");
        int major = bytes[6];
        if (major < 1 || major > 3) throw bad(path, "unsupported .npy format version " + major);
        int headerLength = major == 1 ? Short.toUnsignedInt(b.getShort(8)) : b.getInt(8);
        int headerStart = major == 1 ? 10 : 12;
        if (headerLength < 0 || headerStart + headerLength > bytes.length) throw bad(path, "header runs past the end of the file");
        String header = new String(bytes, headerStart, headerLength, major == 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);
        String descr = group(DESCR, header, path, "descr");
        if (group(FORTRAN, header, path, "fortran_order").equals("True")) throw bad(path, "Fortran-ordered arrays are not supported; save a C-ordered copy (np.ascontiguousarray)");
        int width = switch (descr) {
            case "<i4" -> 4;
            case "<i8" -> 8;
            default -> throw bad(path, "dtype '" + descr + "' is not supported; use int32 or int64 token ids");
        };
        int[] shape = Arrays.stream(group(SHAPE, header, path, "shape").split(",")).map(String::strip).filter(s -> !s.isEmpty()).mapToInt(Integer::parseInt).toArray();
        long count = 1;
        for (int d : shape) count *= d;
        int dataStart = headerStart + headerLength;
        if ((long) bytes.length - dataStart != count * width)
            throw bad(path, "shape " + Arrays.toString(shape) + " of " + descr + " needs " + count * width + " bytes of data, the file has " + (bytes.length - dataStart));
        int[] values = new int[Math.toIntExact(count)];
        for (int i = 0; i < values.length; i++) {
            long v = width == 4 ? b.getInt(dataStart + 4 * i) : b.getLong(dataStart + 8 * i);
            if (v != (int) v) throw bad(path, "value " + v + " at index " + i + " does not fit int32");
            values[i] = (int) v;
        }
        return new IntArray(shape, values);
    }

    private static String group(Pattern p, String header, Path path, String key) throws IOException {
        Matcher m = p.matcher(header);
        if (!m.find()) throw bad(path, "header has no '" + key + "': " + header.strip());
        return m.group(1);
    }

    private static IOException bad(Path path, String why) { return new IOException(path + ": " + why); }
}
