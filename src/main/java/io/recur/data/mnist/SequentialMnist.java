package io.recur.data.mnist;

import io.recur.data.Batch;
import io.recur.data.Example;
import io.recur.data.Inputs;
import io.recur.data.Metric;
import io.recur.data.RandomStream;
import io.recur.data.Split;
import io.recur.data.Targets;
import io.recur.data.Task;
import io.recur.data.TaskSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;

/**
 * Sequential MNIST (Le, Jaitly &amp; Hinton 2015): a digit read one pixel per step in raster order,
 * T = 784 steps of one feature (pixel / 255, in [0, 1]), classified 0-9 at the last step. Permuted
 * sMNIST reads the pixels in one fixed random order instead, which breaks the locality of
 * neighbouring rows and makes long-range memory necessary. Training visits the 8,000 training digits
 * in a new order each epoch (from the seed); validation and test go through theirs in a fixed order.
 *
 * <p>A shorter sequence reads several consecutive pixels (in the same order) per step: T = 28 steps
 * of 28 features is row-by-row MNIST, T = 196 reads 4 pixels per step. T must divide 784.
 */
public final class SequentialMnist implements Task {
    public static final String NAME = "smnist", PERMUTED_NAME = "psmnist";
    private static final int EPOCH_TAG = 1, PERMUTATION_TAG = 2;

    private final MnistDigits digits;
    private final int[] order; // order[p] = the p-th pixel read
    private final int length;  // steps per digit, order.length / length pixels each
    private final long seed;
    private final TaskSpec spec;
    private final int[][] splitDigits = new int[Split.values().length][];

    private SequentialMnist(MnistDigits digits, int[] order, int length, String name, long seed) {
        if (length < 1 || MnistDigits.PIXELS % length != 0)
            throw new IllegalArgumentException(name + ": seq_len " + length + " must divide the " + MnistDigits.PIXELS
                    + " pixels of a digit (e.g. 784 one pixel per step, 196 four, 28 one row per step)");
        this.digits = digits;
        this.order = order;
        this.length = length;
        this.seed = seed;
        this.spec = TaskSpec.features(name, length, MnistDigits.PIXELS / length, MnistDigits.CLASSES, Metric.SEQUENCE_ACCURACY);
        for (Split s : Split.values()) {
            splitDigits[s.ordinal()] = digits.split(s);
            if (splitDigits[s.ordinal()].length == 0) throw new IllegalArgumentException(name + ": the " + s + " split holds no digits (" + digits.count() + " in all)");
        }
    }

    /** Pixels in raster order, one per step. */
    public static SequentialMnist sequential(MnistDigits digits, long seed) { return sequential(digits, MnistDigits.PIXELS, seed); }

    /** Pixels in raster order over {@code length} steps (784 / length pixels per step). */
    public static SequentialMnist sequential(MnistDigits digits, int length, long seed) {
        int[] raster = new int[MnistDigits.PIXELS];
        for (int p = 0; p < raster.length; p++) raster[p] = p;
        return new SequentialMnist(digits, raster, length, NAME, seed);
    }

    /** Pixels in the fixed order drawn from {@code permutationSeed} (the same for every run that passes it), one per step. */
    public static SequentialMnist permuted(MnistDigits digits, long permutationSeed, long seed) {
        return permuted(digits, permutationSeed, MnistDigits.PIXELS, seed);
    }

    /** Permuted pixels over {@code length} steps. */
    public static SequentialMnist permuted(MnistDigits digits, long permutationSeed, int length, long seed) {
        int[] order = new RandomStream(permutationSeed, PERMUTATION_TAG, 0).permutation(MnistDigits.PIXELS);
        return new SequentialMnist(digits, order, length, PERMUTED_NAME, seed);
    }

    @Override public TaskSpec spec() { return spec; }

    @Override public OptionalLong size(Split split) { return OptionalLong.of(splitDigits[split.ordinal()].length); }

    /** The pixel read at each step. */
    public int[] pixelOrder() { return order.clone(); }

    @Override
    public Batch batch(Split split, long index, int batchSize) {
        long first = Task.firstExample(spec.name(), index, batchSize);
        int[] pool = splitDigits[split.ordinal()];
        List<Example> examples = new ArrayList<>(batchSize);
        long epoch = -1;
        int[] shuffle = null;
        for (int row = 0; row < batchSize; row++) {
            long id = first + row;
            int position = (int) (id % pool.length);
            if (split == Split.TRAIN) {
                if (id / pool.length != epoch) {
                    epoch = id / pool.length;
                    shuffle = new RandomStream(seed, EPOCH_TAG, epoch).permutation(pool.length);
                }
                position = shuffle[position];
            }
            examples.add(example(pool[position]));
        }
        return Batch.of(spec, examples);
    }

    /** Digit {@code digit} of the file as one sequence. */
    public Example example(int digit) {
        float[] x = new float[MnistDigits.PIXELS];
        for (int p = 0; p < x.length; p++) x[p] = digits.pixel(digit, order[p]) / 255f;
        int[] labels = Targets.unscoredLabels(length);
        labels[length - 1] = digits.label(digit);
        return new Example(new Inputs.Features(x, x.length / length), new Targets.Classes(labels));
    }
}
