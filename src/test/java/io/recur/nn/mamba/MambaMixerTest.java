package io.recur.nn.mamba;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.recur.autograd.GradCheck;
import io.recur.autograd.Tape;
import io.recur.backend.Backend;
import io.recur.backend.Backends;
import io.recur.nn.Initializer;
import io.recur.nn.RecurrentState;
import io.recur.nn.SequenceOutput;
import io.recur.tensor.Scope;
import io.recur.tensor.Shape;
import io.recur.tensor.Tensor;
import io.recur.testing.D;
import io.recur.testing.OpCheck;
import io.recur.testing.Rand;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The mixer against a float64 mamba_ssm reference (forward, gradients, carried state) on every backend. */
class MambaMixerTest {
    private static final String BACKENDS = "io.recur.testing.TestBackends#all";
    private static final int BATCH = 2, L = 5, D_MODEL = 4, D_STATE = 3;
    private static final MambaConfig CONFIG = MambaConfig.of(D_MODEL, 1, 8).withSsm(SsmConfig.defaults().withDState(D_STATE));
    private static final List<String> NAMES = List.of("A_log", "D", "in_proj.weight", "conv1d.weight", "conv1d.bias",
            "x_proj.weight", "dt_proj.weight", "dt_proj.bias", "out_proj.weight");

    @ParameterizedTest @MethodSource(BACKENDS)
    void forwardAndGradientsMatchTheReference(Backend backend) {
        Rand rand = Rand.fresh();
        try (MambaMixer mixer = new MambaMixer(new Initializer(backend, rand.nextLong()), CONFIG)) {
            assertEquals(NAMES, List.copyOf(mixer.namedParameters().keySet()));
            OpCheck check = OpCheck.named("MambaMixer").input(rand.uniform(-1, 1, BATCH, L, D_MODEL));
            for (Tensor p : mixer.parameters()) check.input(perturbed(rand, D.of(p)));
            check.run(backend, rand, t -> withParams(mixer, t, () -> mixer.forward(t.get(0), null).output()),
                    d -> MambaMixerReference.forward(d, D_STATE, CONFIG.dtRank()).y());
        }
    }

    /** The LTI ablation (fixed B, C and Δ per channel): forward and gradients of every parameter. */
    @ParameterizedTest @MethodSource(BACKENDS)
    void ltiVariantMatchesTheReference(Backend backend) {
        Rand rand = Rand.fresh();
        MambaConfig lti = CONFIG.withSsm(CONFIG.ssmCfg().withSelective(false));
        try (MambaMixer mixer = new MambaMixer(new Initializer(backend, rand.nextLong()), lti)) {
            List<String> names = List.copyOf(mixer.namedParameters().keySet());
            assertEquals(List.of("B", "C", "dt_bias", "A_log", "D", "in_proj.weight", "conv1d.weight", "conv1d.bias", "out_proj.weight"), names);
            OpCheck check = OpCheck.named("MambaMixer (LTI)").input(rand.uniform(-1, 1, BATCH, L, D_MODEL));
            for (Tensor p : mixer.parameters()) check.input(perturbed(rand, D.of(p)));
            check.run(backend, rand, t -> {
                Map<String, Tensor> params = new LinkedHashMap<>();
                for (int i = 0; i < names.size(); i++) params.put(names.get(i), t.get(i + 1));
                return mixer.withParameters(params, () -> mixer.forward(t.get(0), null).output());
            }, MambaMixerReference::forwardLti);
        }
    }

    /** From a given state: output and the gradients of both state parts. */
    @ParameterizedTest @MethodSource(BACKENDS)
    void continuesFromAGivenStateWithGradients(Backend backend) {
        Rand rand = Rand.fresh();
        int e = CONFIG.dInner();
        try (MambaMixer mixer = new MambaMixer(new Initializer(backend, rand.nextLong()), CONFIG)) {
            OpCheck check = OpCheck.named("MambaMixer from a state").input(rand.uniform(-1, 1, BATCH, L, D_MODEL));
            for (Tensor p : mixer.parameters()) check.constant(D.of(p));
            check.input(rand.uniform(-1, 1, BATCH, e, 3)).input(rand.uniform(-1, 1, BATCH, e, D_STATE));
            check.run(backend, rand, t -> withParams(mixer, t, () -> mixer.forward(t.get(0), RecurrentState.of(t.get(10), t.get(11))).output()),
                    d -> MambaMixerReference.forward(d, D_STATE, CONFIG.dtRank()).y());
        }
    }

    @ParameterizedTest @MethodSource(BACKENDS)
    void finalStateMatchesTheReference(Backend backend) {
        Rand rand = Rand.fresh();
        try (MambaMixer mixer = new MambaMixer(new Initializer(backend, rand.nextLong()), CONFIG);
             Scope s = Scope.open("test"); Tape.NoGrad off = Tape.noGrad()) {
            List<D> in = new ArrayList<>(List.of(rand.uniform(-1, 1, BATCH, L, D_MODEL)));
            for (Tensor p : mixer.parameters()) in.add(D.of(p));
            SequenceOutput o = mixer.forward(in.get(0).toTensor(backend), null);
            MambaMixerReference.Output ref = MambaMixerReference.forward(in, D_STATE, CONFIG.dtRank());
            assertClose(ref.convState(), o.state().part(0), "conv_state" + rand.tag());
            assertClose(ref.ssmState(), o.state().part(1), "ssm_state" + rand.tag());
        }
    }

    /** mamba_ssm's initial values: A = -(1..N) per channel, D = 1, softplus(dt_proj.bias) log-uniform in [dt_min, dt_max]. */
    @Test
    void referenceInitialisation() {
        MambaConfig config = MambaConfig.of(64, 4, 8);
        try (MambaMixer mixer = new MambaMixer(new Initializer(Backends.cpu(), 3), config)) {
            Map<String, Tensor> p = mixer.namedParameters();
            float[] aLog = p.get("A_log").toFloatArray(), d = p.get("D").toFloatArray(), dtBias = p.get("dt_proj.bias").toFloatArray();
            for (int c = 0; c < config.dInner(); c++) {
                for (int s = 0; s < 16; s++) assertEquals(-(s + 1), -Math.exp(aLog[c * 16 + s]), 1e-4);
                assertEquals(1f, d[c]);
                double dt = Math.log1p(Math.exp(dtBias[c]));
                assertTrue(dt >= 0.001 * 0.999 && dt <= 0.1 * 1.001, "softplus(dt_proj.bias) = " + dt + " outside [dt_min, dt_max]");
            }
            double dtBound = 1 / Math.sqrt(config.dtRank()), outBound = 1 / Math.sqrt(config.dInner()) / Math.sqrt(4);
            assertWithin(p.get("dt_proj.weight"), dtBound);
            assertWithin(p.get("out_proj.weight"), outBound);
            assertWithin(p.get("conv1d.weight"), 0.5);
        }
    }

    @Test
    void namesTheShapeOfAWrongInputOrState() {
        try (MambaMixer mixer = new MambaMixer(new Initializer(Backends.cpu(), 1), CONFIG); Scope s = Scope.open("test")) {
            Backend cpu = Backends.cpu();
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> mixer.forward(cpu.zeros(Shape.of(2, 5, 3)), null));
            assertTrue(e.getMessage().contains("(batch, L, 4)"), e.getMessage());
            e = assertThrows(IllegalArgumentException.class,
                    () -> mixer.forward(cpu.zeros(Shape.of(2, 5, 4)), RecurrentState.of(cpu.zeros(Shape.of(2, 8, 2)), cpu.zeros(Shape.of(2, 8, 3)))));
            assertTrue(e.getMessage().contains("conv_state"), e.getMessage());
        }
    }

    /** Initial values moved off their structured inits so the check sees generic values (A_log = log 1 = 0 exactly, D = 1…). */
    private static D perturbed(Rand rand, D p) {
        return p.map(v -> v + rand.uniform(-0.1, 0.1));
    }

    private static Tensor withParams(MambaMixer mixer, List<Tensor> t, java.util.function.Supplier<Tensor> body) {
        Map<String, Tensor> params = new LinkedHashMap<>();
        for (int i = 0; i < NAMES.size(); i++) params.put(NAMES.get(i), t.get(i + 1));
        return mixer.withParameters(params, body);
    }

    private static void assertWithin(Tensor t, double bound) {
        for (float v : t.toFloatArray()) assertTrue(Math.abs(v) <= bound * (1 + 1e-6), "value " + v + " outside ±" + bound);
    }

    static void assertClose(D expected, Tensor actual, String what) {
        assertArrayEquals(expected.shape, actual.shape().dims(), what);
        GradCheck.Comparison c = GradCheck.compare(actual.toFloatArray(), expected.data, 1e-2);
        assertTrue(c.within(1e-4), what + ": " + c);
    }
}
