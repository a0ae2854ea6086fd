package io.recur.testing;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.recur.autograd.GradCheck;
import io.recur.autograd.Tape;
import io.recur.backend.Backend;
import io.recur.tensor.MemoryTracker;
import io.recur.tensor.Scope;
import io.recur.tensor.Shape;
import io.recur.tensor.Tensor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;

/**
 * Checks one differentiable operation on one backend against a float64 reference: the forward
 * value, then every differentiable input's gradient (from the tape, for a random output gradient W)
 * against central differences of sum(reference(x) * W) in float64. Also fails on leaked tensors.
 *
 * <pre>
 * OpCheck.named("mul").input(a).input(b)
 *     .run(backend, rand, t -> Arith.mul(t.get(0), t.get(1)), d -> d.get(0).zip(d.get(1), (x, y) -> x * y));
 * </pre>
 */
public final class OpCheck {
    private enum Kind { DIFFERENTIABLE, CONSTANT, INDEX }

    private final String name;
    private final List<D> inputs = new ArrayList<>();
    private final List<Kind> kinds = new ArrayList<>();
    private double forwardTolerance = 2e-4, gradientTolerance = 2e-3, floor = 1e-2;
    private int maxGradientSamples = 200;

    private OpCheck(String name) { this.name = name; }

    public static OpCheck named(String name) { return new OpCheck(name); }

    /** A float input whose gradient is checked. */
    public OpCheck input(D d) { return add(d, Kind.DIFFERENTIABLE); }

    /** A float input that is not differentiated. */
    public OpCheck constant(D d) { return add(d, Kind.CONSTANT); }

    /** An int32 input (indices, targets); the reference sees the values as doubles. */
    public OpCheck indices(int[] values, int... shape) {
        double[] v = new double[values.length];
        for (int i = 0; i < v.length; i++) v[i] = values[i];
        return add(new D(v, shape), Kind.INDEX);
    }

    /** Relative tolerances (with the absolute floor) for the forward value and the gradients. */
    public OpCheck tolerance(double forward, double gradient) {
        forwardTolerance = forward;
        gradientTolerance = gradient;
        return this;
    }

    public OpCheck floor(double f) { floor = f; return this; }

    /** Gradient elements checked per input (a random subset when larger): keeps big checks fast. */
    public OpCheck gradientSamples(int n) { maxGradientSamples = n; return this; }

    private OpCheck add(D d, Kind k) {
        inputs.add(d);
        kinds.add(k);
        return this;
    }

    public void run(Backend backend, Rand rand, Function<List<Tensor>, Tensor> op, Function<List<D>, D> reference) {
        String where = name + " on " + backend.name() + " with inputs " + inputs + rand.tag();
        long openBefore = MemoryTracker.openTensors();
        long storagesBefore = backend.memoryStats().liveStorages();
        try (Scope scope = Scope.open("opcheck")) {
            List<Tensor> tensors = new ArrayList<>();
            for (int i = 0; i < inputs.size(); i++) tensors.add(toTensor(backend, inputs.get(i), kinds.get(i)));
            Tensor out = op.apply(tensors);
            D expected = reference.apply(inputs);
            assertArrayEquals(expected.shape, out.shape().dims(), "output shape of " + where);
            GradCheck.Comparison fwd = GradCheck.compare(out.toFloatArray(), expected.data, floor);
            assertTrue(fwd.within(forwardTolerance), "forward of " + where + ": " + fwd);
            if (kinds.contains(Kind.DIFFERENTIABLE)) checkGradients(backend, rand, where, tensors, out, expected, reference);
        } finally {
            Tape.clear();
        }
        assertEquals(openBefore, MemoryTracker.openTensors(), "tensors leaked by " + where);
        assertEquals(storagesBefore, backend.memoryStats().liveStorages(), "storages leaked by " + where);
    }

    private void checkGradients(Backend backend, Rand rand, String where, List<Tensor> tensors, Tensor out,
                                D expected, Function<List<D>, D> reference) {
        D weights = rand.uniform(-1, 1, expected.shape);
        assertTrue(out.requiresGrad(), "output of " + where + " was not recorded on the tape");
        Tape.backward(out, weights.toTensor(backend));
        for (int i = 0; i < inputs.size(); i++) {
            if (kinds.get(i) != Kind.DIFFERENTIABLE) continue;
            Tensor grad = tensors.get(i).grad();
            assertTrue(grad != null, "no gradient reached input " + i + " of " + where);
            float[] actual = grad.toFloatArray();
            int[] at = sample(rand, actual.length);
            final int which = i;
            double[] numeric = GradCheck.numericGradient(x -> {
                List<D> perturbed = new ArrayList<>(inputs);
                perturbed.set(which, inputs.get(which).withData(x));
                return reference.apply(perturbed).dot(weights);
            }, inputs.get(i).data, 1e-6, at);
            float[] picked = new float[at.length];
            for (int j = 0; j < at.length; j++) picked[j] = actual[at[j]];
            GradCheck.Comparison c = GradCheck.compare(picked, numeric, floor);
            assertTrue(c.within(gradientTolerance), "gradient of input " + i + " of " + where + ": " + c
                    + (c.worstIndex() >= 0 ? " (element " + at[c.worstIndex()] + ")" : ""));
        }
    }

    private int[] sample(Rand rand, int n) {
        if (n <= maxGradientSamples) {
            int[] all = new int[n];
            for (int j = 0; j < n; j++) all[j] = j;
            return all;
        }
        int[] some = rand.ints(maxGradientSamples, n);
        Arrays.sort(some);
        return some;
    }

    private static Tensor toTensor(Backend backend, D d, Kind kind) {
        if (kind == Kind.INDEX) {
            int[] v = new int[d.data.length];
            for (int i = 0; i < v.length; i++) v[i] = (int) d.data[i];
            return backend.fromArray(v, Shape.of(d.shape));
        }
        Tensor t = d.toTensor(backend);
        return kind == Kind.DIFFERENTIABLE ? t.requiresGrad(true) : t;
    }
}
