package io.recur.data.synthetic;

import io.recur.data.Example;
import io.recur.data.ExampleGenerator;
import io.recur.data.Inputs;
import io.recur.data.Metric;
import io.recur.data.RandomStream;
import io.recur.data.TaskSpec;
import io.recur.data.Targets;

/**
 * Evidence (cue) accumulation, the e-prop paper's task (Bellec et al. 2020, after Morcos &amp; Harvey
 * 2016): 40 Poisson input channels in four groups of 10: left cues, right cues, the recall cue, and
 * background noise. Seven cues, each 100 ms of 40 Hz spikes on the left or the right group with
 * 50 ms of silence after it; then a delay; then the recall cue, 150 ms at 40 Hz; the noise group
 * fires at 10 Hz throughout. The label (0 left, 1 right), scored at the last step only, is the side
 * that got more cues.
 *
 * <p>The paper's trial is 2250 steps of 1 ms (cues 1050 ms, delay 1050 ms, recall 150 ms). A shorter
 * {@code length} keeps those proportions with longer steps (2250 / length ms each), so spike counts
 * per cue stay about the same; each phase lasts at least one step.
 */
public record EvidenceAccumulation(int length) implements ExampleGenerator {
    public static final String NAME = "evidence";
    public static final int CHANNELS = 40, GROUP = 10, CUES = 7, PAPER_LENGTH = 2250;
    static final int LEFT = 0, RIGHT = GROUP, RECALL = 2 * GROUP, NOISE = 3 * GROUP;
    static final double CUE_HZ = 40, NOISE_HZ = 10;

    public EvidenceAccumulation {
        if (length < minimumLength())
            throw new IllegalArgumentException(NAME + ": length must be >= " + minimumLength() + " (seven cues with gaps, a delay and a recall cue), got " + length);
    }

    public static EvidenceAccumulation paper() { return new EvidenceAccumulation(PAPER_LENGTH); }

    /** Seven one-step cues with one-step gaps, one step of delay, one of recall. */
    public static int minimumLength() { return 2 * CUES + 2; }

    /** Duration of one step in ms. */
    double stepMs() { return (double) PAPER_LENGTH / length; }

    /** Steps a cue lasts. */
    int cueSteps() { return Math.max(1, (int) Math.round(100 / stepMs())); }

    /** Steps of silence after each cue. */
    int gapSteps() { return Math.max(1, (int) Math.round(50 / stepMs())); }

    /** Steps of the recall cue, at the end. */
    int recallSteps() {
        int wanted = Math.max(1, (int) Math.round(150 / stepMs()));
        return Math.min(wanted, length - CUES * (cueSteps() + gapSteps()) - 1);
    }

    /** First step of cue c. */
    int cueStart(int c) { return c * (cueSteps() + gapSteps()); }

    @Override
    public TaskSpec spec() { return TaskSpec.features(NAME, length, CHANNELS, 2, Metric.TOKEN_ACCURACY); }

    @Override
    public Example generate(RandomStream random) {
        float[] x = new float[length * CHANNELS];
        double cue = PoissonSpikes.perStep(CUE_HZ, stepMs());
        int right = 0;
        for (int c = 0; c < CUES; c++) {
            boolean isRight = random.nextInt(2) == 1;
            if (isRight) right++;
            int group = isRight ? RIGHT : LEFT;
            PoissonSpikes.fill(x, CHANNELS, group, group + GROUP, cueStart(c), cueStart(c) + cueSteps(), cue, random);
        }
        PoissonSpikes.fill(x, CHANNELS, RECALL, RECALL + GROUP, length - recallSteps(), length, cue, random);
        PoissonSpikes.fill(x, CHANNELS, NOISE, NOISE + GROUP, 0, length, PoissonSpikes.perStep(NOISE_HZ, stepMs()), random);
        int[] labels = Targets.unscoredLabels(length);
        labels[length - 1] = right > CUES / 2 ? 1 : 0;
        return new Example(new Inputs.Features(x, CHANNELS), new Targets.Classes(labels));
    }
}
