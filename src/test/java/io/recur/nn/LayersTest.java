package io.recur.nn;

import io.recur.backend.Backend;
import io.recur.testing.D;
import io.recur.testing.NormReference;
import io.recur.testing.OpCheck;
import io.recur.testing.Rand;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Each layer's forward and its gradients (input and parameters) against float64 references, via withParameters. */
class LayersTest {
    private static final String BACKENDS = "io.recur.testing.TestBackends#all";

    @ParameterizedTest @MethodSource(BACKENDS)
    void linear(Backend backend) {
        Rand rand = Rand.fresh();
        try (Linear layer = new Linear(new Initializer(backend, 1), 5, 3, true)) {
            OpCheck.named("Linear(5, 3)").input(rand.uniform(-1, 1, 2, 4, 5)).input(rand.uniform(-1, 1, 3, 5)).input(rand.uniform(-1, 1, 3))
                    .run(backend, rand, t -> layer.withParameters(Map.of("weight", t.get(1), "bias", t.get(2)), () -> layer.forward(t.get(0))),
                            d -> linear(d.get(0), d.get(1), d.get(2)));
        }
        try (Linear layer = new Linear(new Initializer(backend, 1), 4, 2, false)) {
            OpCheck.named("Linear(4, 2) without bias").input(rand.uniform(-1, 1, 3, 4)).input(rand.uniform(-1, 1, 2, 4))
                    .run(backend, rand, t -> layer.withParameters(Map.of("weight", t.get(1)), () -> layer.forward(t.get(0))),
                            d -> linear(d.get(0), d.get(1), null));
        }
    }

    @ParameterizedTest @MethodSource(BACKENDS)
    void embedding(Backend backend) {
        Rand rand = Rand.fresh();
        try (Embedding layer = new Embedding(new Initializer(backend, 1), 7, 3)) {
            OpCheck.named("Embedding(7, 3)").input(rand.uniform(-1, 1, 7, 3)).indices(new int[] {0, 6, 2, 2, 5, 0}, 2, 3)
                    .run(backend, rand, t -> layer.withParameters(Map.of("weight", t.get(0)), () -> layer.forward(t.get(1))), d -> {
                        D w = d.get(0), ids = d.get(1), out = D.zeros(2, 3, 3);
                        for (int i = 0; i < 6; i++) System.arraycopy(w.data, (int) ids.data[i] * 3, out.data, i * 3, 3);
                        return out;
                    });
        }
    }

    @ParameterizedTest @MethodSource(BACKENDS)
    void norms(Backend backend) {
        Rand rand = Rand.fresh();
        Initializer init = new Initializer(backend, 1);
        try (RMSNorm rms = new RMSNorm(init, 9, 1e-5f); LayerNorm ln = new LayerNorm(init, 9, 1e-5f)) {
            OpCheck.named("RMSNorm(9)").input(rand.uniform(-2, 2, 2, 3, 9)).input(rand.uniform(0.5, 1.5, 9))
                    .run(backend, rand, t -> rms.withParameters(Map.of("weight", t.get(1)), () -> rms.forward(t.get(0))),
                            d -> NormReference.rmsNorm(d.get(0), d.get(1), 1e-5f));
            OpCheck.named("LayerNorm(9)").input(rand.uniform(-2, 2, 4, 9)).input(rand.uniform(0.5, 1.5, 9)).input(rand.uniform(-1, 1, 9))
                    .run(backend, rand, t -> ln.withParameters(Map.of("weight", t.get(1), "bias", t.get(2)), () -> ln.forward(t.get(0))),
                            d -> NormReference.layerNorm(d.get(0), d.get(1), d.get(2), 1e-5f));
        }
    }

    @ParameterizedTest @MethodSource(BACKENDS)
    void sequentialChainsLayers(Backend backend) {
        Rand rand = Rand.fresh();
        Initializer init = new Initializer(backend, 1);
        try (Sequential seq = new Sequential(new Linear(init, 4, 6, true), new RMSNorm(init, 6, 1e-5f), new Linear(init, 6, 2, false))) {
            OpCheck.named("Linear → RMSNorm → Linear").input(rand.uniform(-1, 1, 3, 4)).input(rand.uniform(-1, 1, 6, 4))
                    .input(rand.uniform(-1, 1, 6)).input(rand.uniform(0.5, 1.5, 6)).input(rand.uniform(-1, 1, 2, 6))
                    .run(backend, rand, t -> seq.withParameters(Map.of("0.weight", t.get(1), "0.bias", t.get(2), "1.weight", t.get(3),
                                    "2.weight", t.get(4)), () -> seq.forward(t.get(0))),
                            d -> linear(NormReference.rmsNorm(linear(d.get(0), d.get(1), d.get(2)), d.get(3), 1e-5f), d.get(4), null));
        }
    }

    /** x (…, in) W(out, in)ᵀ + b in float64. */
    static D linear(D x, D w, D b) {
        int in = w.shape[1], out = w.shape[0], rows = x.size() / in;
        int[] shape = x.shape.clone();
        shape[shape.length - 1] = out;
        D y = D.zeros(shape);
        for (int r = 0; r < rows; r++)
            for (int o = 0; o < out; o++) {
                double s = b == null ? 0 : b.data[o];
                for (int i = 0; i < in; i++) s += x.data[r * in + i] * w.data[o * in + i];
                y.data[r * out + o] = s;
            }
        return y;
    }
}
