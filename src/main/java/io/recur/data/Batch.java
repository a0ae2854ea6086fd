package io.recur.data;

import io.recur.backend.Backend;
import io.recur.tensor.Shape;
import io.recur.tensor.Tensor;
import java.util.List;

/**
 * {@code size} examples of one task, row-major on the host: inputs (size, length) token ids or
 * (size, length, features) values, targets (size, length). The tensor methods copy them to a
 * backend as plain tensors (no gradients); the caller or the open Scope closes them.
 */
public record Batch(TaskSpec spec, int size, Inputs inputs, Targets targets) {
    public Batch {
        int length = spec.sequenceLength();
        if (size < 1) throw new IllegalArgumentException(spec.name() + ": batch size must be at least 1, got " + size);
        int perRow = spec.tokenInputs() ? 1 : spec.inputFeatures();
        if (inputs.elements() != (long) size * length * perRow)
            throw new IllegalArgumentException(spec.name() + ": " + inputs.elements() + " input values for " + size + " × " + length + " × " + perRow);
        if (targets.positions() != (long) size * length)
            throw new IllegalArgumentException(spec.name() + ": " + targets.positions() + " targets for " + size + " × " + length);
        checkKinds(spec, inputs, targets);
    }

    /** Stacks examples into a batch, checking each against the spec. */
    public static Batch of(TaskSpec spec, List<Example> examples) {
        return new Batch(spec, examples.size(),
                Inputs.concat(examples.stream().map(Example::inputs).toList()),
                Targets.concat(examples.stream().map(Example::targets).toList()));
    }

    /** int32 (size, length) token ids, or float32 (size, length, features). */
    public Tensor inputs(Backend backend) {
        int length = spec.sequenceLength();
        return switch (inputs) {
            case Inputs.Tokens t -> backend.fromArray(t.ids(), Shape.of(size, length));
            case Inputs.Features f -> backend.fromArray(f.values(), Shape.of(size, length, f.width()));
        };
    }

    /** int32 (size, length) labels with {@link Targets#IGNORE}, or float32 (size, length) values. */
    public Tensor targets(Backend backend) {
        Shape shape = Shape.of(size, spec.sequenceLength());
        return switch (targets) {
            case Targets.Classes c -> backend.fromArray(c.labels(), shape);
            case Targets.Values v -> backend.fromArray(v.values(), shape);
        };
    }

    /** float32 (size, length): 1 where a position is scored, 0 elsewhere. */
    public Tensor scoredMask(Backend backend) {
        float[] mask = new float[targets.positions()];
        for (int p = 0; p < mask.length; p++) mask[p] = targets.scored(p) ? 1f : 0f;
        return backend.fromArray(mask, Shape.of(size, spec.sequenceLength()));
    }

    /** Number of scored positions in the batch. */
    public long scoredCount() {
        long n = 0;
        for (int p = 0; p < targets.positions(); p++) if (targets.scored(p)) n++;
        return n;
    }

    private static void checkKinds(TaskSpec spec, Inputs inputs, Targets targets) {
        switch (inputs) {
            case Inputs.Tokens t -> {
                if (!spec.tokenInputs()) throw new IllegalArgumentException(spec.name() + " reads features, the batch holds tokens");
                for (int id : t.ids())
                    if (id < 0 || id >= spec.vocabSize()) throw new IllegalArgumentException(spec.name() + ": token " + id + " outside vocabulary [0, " + spec.vocabSize() + ")");
            }
            case Inputs.Features f -> {
                if (f.width() != spec.inputFeatures())
                    throw new IllegalArgumentException(spec.name() + " reads " + (spec.tokenInputs() ? "tokens" : spec.inputFeatures() + " features") + ", the batch holds " + f.width() + " features");
            }
        }
        switch (targets) {
            case Targets.Classes c -> {
                if (!spec.classification()) throw new IllegalArgumentException(spec.name() + " has real-valued targets, the batch holds class labels");
                for (int label : c.labels())
                    if (label != Targets.IGNORE && (label < 0 || label >= spec.numClasses()))
                        throw new IllegalArgumentException(spec.name() + ": label " + label + " outside [0, " + spec.numClasses() + ")");
            }
            case Targets.Values v -> {
                if (spec.classification()) throw new IllegalArgumentException(spec.name() + " has class targets, the batch holds real values");
            }
        }
    }
}
