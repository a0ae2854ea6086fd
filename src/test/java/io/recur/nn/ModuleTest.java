package io.recur.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.recur.backend.Backend;
import io.recur.backend.Backends;
import io.recur.tensor.MemoryTracker;
import io.recur.tensor.Scope;
import io.recur.tensor.Shape;
import io.recur.tensor.Tensor;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Names, order, state dicts, seeding, modes and ownership of the module tree. */
class ModuleTest {
    private final Backend cpu = Backends.cpu();

    @Test
    void namesAreHierarchicalAndInRegistrationOrder() {
        try (ResidualStack stack = ResidualStack.lstm(new Initializer(cpu, 1), 4, 2)) {
            List<String> expected = new ArrayList<>();
            for (int i = 0; i < 2; i++) {
                expected.add("layers." + i + ".norm.weight");
                for (String p : List.of("weight_ih_l0", "weight_hh_l0", "bias_ih_l0", "bias_hh_l0")) expected.add("layers." + i + ".mixer." + p);
            }
            expected.add("norm_f.weight");
            assertEquals(expected, List.copyOf(stack.namedParameters().keySet()));
            assertEquals(List.copyOf(stack.namedParameters().values()), stack.parameters());
            assertEquals(Shape.of(16, 4), stack.namedParameters().get("layers.1.mixer.weight_hh_l0").shape());
            assertEquals(2 * (4 + 2 * 64 + 2 * 16) + 4, stack.parameterCount());
        }
    }

    @Test
    void theSameSeedGivesTheSameParametersAndAnotherSeedDiffers() {
        try (LSTM a = new LSTM(new Initializer(cpu, 7), RecurrentConfig.of(3, 5, 2));
             LSTM b = new LSTM(new Initializer(cpu, 7), RecurrentConfig.of(3, 5, 2));
             LSTM c = new LSTM(new Initializer(cpu, 8), RecurrentConfig.of(3, 5, 2))) {
            for (String name : a.namedParameters().keySet()) {
                float[] va = a.namedParameters().get(name).toFloatArray();
                assertArrayEquals(va, b.namedParameters().get(name).toFloatArray(), name);
                assertFalse(java.util.Arrays.equals(va, c.namedParameters().get(name).toFloatArray()), name);
                float bound = (float) (1 / Math.sqrt(5));
                for (float v : va) assertTrue(v >= -bound && v <= bound, name + " value " + v + " outside torch's U(-1/sqrt(hidden), 1/sqrt(hidden))");
            }
            // Two weights of one module draw different numbers from the stream.
            assertFalse(java.util.Arrays.equals(a.namedParameters().get("bias_ih_l0").toFloatArray(), a.namedParameters().get("bias_hh_l0").toFloatArray()));
        }
    }

    @Test
    void loadStateDictCopiesAndNamesWhatDoesNotFit() {
        try (Linear a = new Linear(new Initializer(cpu, 1), 3, 2, true); Linear b = new Linear(new Initializer(cpu, 2), 3, 2, true);
             Scope s = Scope.open("test")) {
            a.loadStateDict(b.stateDict());
            assertArrayEquals(b.stateDict().get("weight").toFloatArray(), a.stateDict().get("weight").toFloatArray());
            assertTrue(a.stateDict().get("weight") != b.stateDict().get("weight"), "values are copied, not shared");

            Map<String, Tensor> bad = new LinkedHashMap<>(b.stateDict());
            bad.remove("bias");
            bad.put("extra", cpu.zeros(Shape.of(1)));
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> a.loadStateDict(bad));
            assertTrue(e.getMessage().contains("missing [bias]") && e.getMessage().contains("unexpected [extra]"), e.getMessage());

            Map<String, Tensor> wrongShape = new LinkedHashMap<>(b.stateDict());
            wrongShape.put("weight", cpu.zeros(Shape.of(3, 2)));
            e = assertThrows(IllegalArgumentException.class, () -> a.loadStateDict(wrongShape));
            assertTrue(e.getMessage().contains("'weight'") && e.getMessage().contains("[3, 2]") && e.getMessage().contains("[2, 3]"), e.getMessage());

            // Not strict: only the shared names are copied.
            a.loadStateDict(Map.of("bias", cpu.full(Shape.of(2), 4f)), false);
            assertArrayEquals(new float[] {4f, 4f}, a.stateDict().get("bias").toFloatArray());
        }
    }

    @Test
    void parametersOutliveStepScopesAndCloseWithTheModule() {
        long open = MemoryTracker.openTensors();
        Linear layer;
        try (Scope step = Scope.open("construction")) {
            layer = new Linear(new Initializer(cpu, 1), 3, 2, true);
        }
        assertFalse(layer.parameters().getFirst().isClosed(), "a scope open at construction must not free parameters");
        assertEquals(open + 2, MemoryTracker.openTensors());
        layer.close();
        assertEquals(open, MemoryTracker.openTensors());
        assertThrows(IllegalStateException.class, layer::parameters);
    }

    @Test
    void trainAndEvalReachEverySubmodule() {
        try (ResidualStack stack = ResidualStack.gru(new Initializer(cpu, 1), 4, 2)) {
            stack.eval();
            assertFalse(stack.children().get("layers").children().get("1").isTraining());
            stack.train(true);
            assertTrue(stack.children().get("norm_f").isTraining());
        }
    }

    @Test
    void withParametersRejectsUnknownNamesAndShapes() {
        try (Linear layer = new Linear(new Initializer(cpu, 1), 3, 2, true); Scope s = Scope.open("test")) {
            Tensor x = cpu.zeros(Shape.of(1, 3));
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> layer.withParameters(Map.of("wieght", cpu.zeros(Shape.of(2, 3))), () -> layer.forward(x)));
            assertTrue(e.getMessage().contains("wieght") && e.getMessage().contains("weight"), e.getMessage());
            e = assertThrows(IllegalArgumentException.class, () -> layer.withParameters(Map.of("bias", cpu.zeros(Shape.of(3))), () -> layer.forward(x)));
            assertTrue(e.getMessage().contains("[2]") && e.getMessage().contains("[3]"), e.getMessage());
        }
    }
}
