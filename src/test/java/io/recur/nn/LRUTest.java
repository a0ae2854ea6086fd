package io.recur.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.recur.autograd.GradCheck;
import io.recur.autograd.Tape;
import io.recur.backend.Backend;
import io.recur.backend.Backends;
import io.recur.tensor.Scope;
import io.recur.tensor.Shape;
import io.recur.tensor.Tensor;
import io.recur.testing.D;
import io.recur.testing.OpCheck;
import io.recur.testing.Rand;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** LRU against a float64 sequential complex recurrence, forward and gradients of every parameter, input and state. */
class LRUTest {
    private static final String BACKENDS = "io.recur.testing.TestBackends#all";
    private static final List<String> NAMES = List.of("nu_log", "theta_log", "gamma_log", "B_re", "B_im", "C_re", "C_im", "D");
    private static final int BATCH = 2, STEPS = 5, H = 3, N = 4;

    @ParameterizedTest @MethodSource(BACKENDS)
    void matchesTheSequentialComplexRecurrence(Backend backend) {
        Rand rand = Rand.fresh();
        try (LRU lru = new LRU(new Initializer(backend, rand.nextLong()), new LRUConfig(H, N, 0.5, 0.95, Math.PI))) {
            OpCheck check = OpCheck.named("LRU").input(rand.uniform(-1, 1, BATCH, STEPS, H)).input(rand.uniform(-1, 1, BATCH, N, 2));
            for (Tensor p : lru.parameters()) check.input(D.of(p));
            check.run(backend, rand, t -> {
                Map<String, Tensor> params = new LinkedHashMap<>();
                for (int i = 0; i < NAMES.size(); i++) params.put(NAMES.get(i), t.get(i + 2));
                return lru.withParameters(params, () -> lru.forward(t.get(0), RecurrentState.of(t.get(1))).output());
            }, d -> reference(d, false));
        }
    }

    @ParameterizedTest @MethodSource(BACKENDS)
    void finalStateAndStepsAgreeWithTheReference(Backend backend) {
        Rand rand = Rand.fresh();
        try (LRU lru = new LRU(new Initializer(backend, 5), LRUConfig.of(H, N)); Scope s = Scope.open("test");
             Tape.NoGrad off = Tape.noGrad()) {
            D u = rand.uniform(-1, 1, BATCH, STEPS, H);
            List<D> inputs = new java.util.ArrayList<>(List.of(u, D.zeros(BATCH, N, 2)));
            for (Tensor p : lru.parameters()) inputs.add(D.of(p));
            SequenceOutput whole = lru.forward(u.toTensor(backend), null);
            assertClose(reference(inputs, true), whole.state().part(0), "final state" + rand.tag());
            // Step by step from the zero state reproduces every output and the final state.
            RecurrentState state = RecurrentState.of(backend.zeros(Shape.of(BATCH, N, 2)));
            float[] y = whole.output().toFloatArray();
            for (int t = 0; t < STEPS; t++) {
                D ut = D.zeros(BATCH, H);
                for (int b = 0; b < BATCH; b++) System.arraycopy(u.data, (b * STEPS + t) * H, ut.data, b * H, H);
                SequenceOutput o = lru.step(ut.toTensor(backend), state);
                float[] yt = o.output().toFloatArray();
                for (int b = 0; b < BATCH; b++)
                    for (int i = 0; i < H; i++) assertEquals(y[(b * STEPS + t) * H + i], yt[b * H + i], 1e-5, "step " + t);
                state = o.state();
            }
            assertArrayEquals(whole.state().part(0).toFloatArray(), state.part(0).toFloatArray(), 1e-5f);
        }
    }

    /** The ring initialisation: |λ| within [r_min, r_max], phases within [0, max_phase), γ = sqrt(1 - |λ|²). */
    @Test
    void ringInitialisation() {
        Backend cpu = Backends.cpu();
        try (LRU lru = new LRU(new Initializer(cpu, 3), new LRUConfig(8, 64, 0.9, 0.999, 0.5))) {
            Map<String, Tensor> p = lru.namedParameters();
            float[] nu = p.get("nu_log").toFloatArray(), theta = p.get("theta_log").toFloatArray(), gamma = p.get("gamma_log").toFloatArray();
            for (int k = 0; k < 64; k++) {
                double r = Math.exp(-Math.exp(nu[k])), phase = Math.exp(theta[k]);
                assertTrue(r >= 0.9 - 1e-6 && r <= 0.999 + 1e-6, "modulus " + r);
                assertTrue(phase >= 0 && phase < 0.5 + 1e-6, "phase " + phase);
                assertEquals(Math.sqrt(1 - r * r), Math.exp(gamma[k]), 1e-4);
            }
            assertEquals(List.of(Shape.of(64), Shape.of(64), Shape.of(64), Shape.of(64, 8), Shape.of(64, 8), Shape.of(8, 64), Shape.of(8, 64), Shape.of(8)),
                    lru.parameters().stream().map(Tensor::shape).toList());
        }
    }

    private static void assertClose(D expected, Tensor actual, String what) {
        assertArrayEquals(expected.shape, actual.shape().dims(), what);
        GradCheck.Comparison c = GradCheck.compare(actual.toFloatArray(), expected.data, 1e-2);
        assertTrue(c.within(1e-4), what + ": " + c);
    }

    /** inputs: u (B, T, H), h0 (B, N, 2), then the parameters in NAMES order; returns y, or the final state. */
    static D reference(List<D> in, boolean finalState) {
        D u = in.get(0), h0 = in.get(1), nu = in.get(2), theta = in.get(3), gammaLog = in.get(4);
        D bRe = in.get(5), bIm = in.get(6), cRe = in.get(7), cIm = in.get(8), d = in.get(9);
        D y = D.zeros(BATCH, STEPS, H), last = D.zeros(BATCH, N, 2);
        for (int b = 0; b < BATCH; b++) {
            double[] re = new double[N], im = new double[N];
            for (int k = 0; k < N; k++) { re[k] = h0.data[(b * N + k) * 2]; im[k] = h0.data[(b * N + k) * 2 + 1]; }
            for (int t = 0; t < STEPS; t++) {
                int row = (b * STEPS + t) * H;
                for (int k = 0; k < N; k++) {
                    double mod = Math.exp(-Math.exp(nu.data[k])), ph = Math.exp(theta.data[k]), g = Math.exp(gammaLog.data[k]);
                    double lr = mod * Math.cos(ph), li = mod * Math.sin(ph), bur = 0, bui = 0;
                    for (int j = 0; j < H; j++) { bur += bRe.data[k * H + j] * u.data[row + j]; bui += bIm.data[k * H + j] * u.data[row + j]; }
                    double nr = lr * re[k] - li * im[k] + g * bur, ni = lr * im[k] + li * re[k] + g * bui;
                    re[k] = nr;
                    im[k] = ni;
                }
                for (int i = 0; i < H; i++) {
                    double s = d.data[i] * u.data[row + i];
                    for (int k = 0; k < N; k++) s += cRe.data[i * N + k] * re[k] - cIm.data[i * N + k] * im[k];
                    y.data[row + i] = s;
                }
            }
            for (int k = 0; k < N; k++) { last.data[(b * N + k) * 2] = re[k]; last.data[(b * N + k) * 2 + 1] = im[k]; }
        }
        return finalState ? last : y;
    }
}
