package io.recur.data.synthetic;

import io.recur.data.Example;
import io.recur.data.ExampleGenerator;
import io.recur.data.Inputs;
import io.recur.data.Metric;
import io.recur.data.RandomStream;
import io.recur.data.TaskSpec;
import io.recur.data.Targets;

/**
 * The adding problem (Hochreiter &amp; Schmidhuber 1997, in the form of Le, Jaitly &amp; Hinton 2015
 * and Arjovsky et al. 2016): two features per step, a value uniform in [0, 1) and a marker that is
 * 1 at exactly two steps, one in each half of the sequence. The target, scored at the last step
 * only, is the sum of the two marked values (MSE; always predicting 1 scores about 0.167).
 */
public record AddingProblem(int length) implements ExampleGenerator {
    public static final String NAME = "adding";

    public AddingProblem {
        if (length < 2) throw new IllegalArgumentException(NAME + ": length must hold one marked step per half (>= 2), got " + length);
    }

    /** T = 200, one of the lengths of Le et al. (150-400) and Arjovsky et al. (100-750). */
    public static AddingProblem standard() { return new AddingProblem(200); }

    @Override
    public TaskSpec spec() { return TaskSpec.features(NAME, length, 2, 0, Metric.MSE); }

    @Override
    public Example generate(RandomStream random) {
        float[] x = new float[2 * length];
        for (int t = 0; t < length; t++) x[2 * t] = random.nextFloat();
        int half = length / 2;
        int first = random.nextInt(half), second = random.nextInt(half, length);
        x[2 * first + 1] = 1f;
        x[2 * second + 1] = 1f;
        float[] target = new float[length], mask = new float[length];
        target[length - 1] = x[2 * first] + x[2 * second];
        mask[length - 1] = 1f;
        return new Example(new Inputs.Features(x, 2), new Targets.Values(target, mask));
    }
}
