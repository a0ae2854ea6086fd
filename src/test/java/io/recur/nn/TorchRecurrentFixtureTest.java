package io.recur.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.recur.autograd.GradCheck;
import io.recur.autograd.Tape;
import io.recur.backend.Backend;
import io.recur.io.SafeTensors;
import io.recur.ops.Arith;
import io.recur.ops.Reduce;
import io.recur.tensor.MemoryTracker;
import io.recur.tensor.Scope;
import io.recur.tensor.Tensor;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * LSTM and GRU against PyTorch: fixtures written by src/test/resources/fixtures/make_torch_fixtures.py
 * (2 layers, odd sizes, with and without bias, batch-first and time-major, nonzero initial states)
 * hold torch's weights, inputs, outputs, final states and the float64 gradients of a weighted sum of
 * outputs and final states. The module loads the weights by torch's names and must reproduce all of it.
 */
class TorchRecurrentFixtureTest {
    private static final double TOLERANCE = 1e-4, FLOOR = 1e-2;

    static Stream<Arguments> cases() {
        List<String> fixtures = List.of("lstm_2layer_batch_first", "gru_2layer_batch_first",
                "lstm_2layer_time_major_nobias", "gru_2layer_time_major_nobias");
        return io.recur.testing.TestBackends.all().stream().flatMap(b -> fixtures.stream().map(f -> Arguments.of(b, f)));
    }

    @ParameterizedTest(name = "{1} on {0}")
    @MethodSource("cases")
    void matchesTorch(Backend backend, String fixture) throws Exception {
        long open = MemoryTracker.openTensors();
        Path file = Path.of("src/test/resources/fixtures", fixture + ".safetensors");
        try (SafeTensors.Contents f = SafeTensors.read(file, backend); TorchRecurrent rnn = build(backend, f.metadata());
             Scope step = Scope.open("step")) {
            boolean lstm = rnn instanceof LSTM;
            Map<String, Tensor> weights = new LinkedHashMap<>();
            for (String name : rnn.namedParameters().keySet()) weights.put(name, f.get(name));
            rnn.loadStateDict(weights);

            Tensor x = f.get("x").requiresGrad(true), h0 = f.get("h0").requiresGrad(true);
            Tensor c0 = lstm ? f.get("c0").requiresGrad(true) : null;
            SequenceOutput out = rnn.forward(x, lstm ? RecurrentState.of(h0, c0) : RecurrentState.of(h0));
            close(fixture, backend, "output", out.output(), f.get("out"));
            close(fixture, backend, "h_n", out.state().part(0), f.get("h_n"));
            if (lstm) close(fixture, backend, "c_n", out.state().part(1), f.get("c_n"));

            Tensor loss = Arith.add(Reduce.sum(Arith.mul(out.output(), f.get("w_out"))), Reduce.sum(Arith.mul(out.state().part(0), f.get("w_h"))));
            if (lstm) loss = Arith.add(loss, Reduce.sum(Arith.mul(out.state().part(1), f.get("w_c"))));
            Tape.backward(loss);
            close(fixture, backend, "grad x", x.grad(), f.get("grad.x"));
            close(fixture, backend, "grad h0", h0.grad(), f.get("grad.h0"));
            if (lstm) close(fixture, backend, "grad c0", c0.grad(), f.get("grad.c0"));
            for (Map.Entry<String, Tensor> p : rnn.namedParameters().entrySet())
                close(fixture, backend, "grad " + p.getKey(), p.getValue().grad(), f.get("grad." + p.getKey()));
        } finally {
            Tape.clear();
        }
        assertEquals(open, MemoryTracker.openTensors(), "tensors leaked by " + fixture + " on " + backend.name());
    }

    private static TorchRecurrent build(Backend backend, Map<String, String> meta) {
        RecurrentConfig config = new RecurrentConfig(Integer.parseInt(meta.get("input_size")), Integer.parseInt(meta.get("hidden_size")),
                Integer.parseInt(meta.get("num_layers")), Boolean.parseBoolean(meta.get("bias").toLowerCase()),
                Boolean.parseBoolean(meta.get("batch_first").toLowerCase()));
        Initializer init = new Initializer(backend, 99);
        return switch (meta.get("kind")) {
            case "lstm" -> new LSTM(init, config);
            case "gru" -> new GRU(init, config);
            default -> throw new IllegalArgumentException("fixture kind " + meta.get("kind"));
        };
    }

    private static void close(String fixture, Backend backend, String what, Tensor actual, Tensor expected) {
        assertNotNull(actual, what + " missing for " + fixture + " on " + backend.name());
        assertArrayEquals(expected.shape().dims(), actual.shape().dims(), what + " shape, " + fixture);
        float[] e = expected.toFloatArray();
        double[] ed = new double[e.length];
        for (int i = 0; i < e.length; i++) ed[i] = e[i];
        GradCheck.Comparison c = GradCheck.compare(actual.toFloatArray(), ed, FLOOR);
        assertTrue(c.within(TOLERANCE), what + " of " + fixture + " on " + backend.name() + ": " + c);
    }
}
