package io.recur.ops;

import static io.recur.ops.ShapesTest.assertMessage;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.recur.backend.Backend;
import io.recur.ops.CausalConv1d.Layout;
import io.recur.tensor.Scope;
import io.recur.tensor.Shape;
import io.recur.tensor.Tensor;
import io.recur.testing.Conv1dReference;
import io.recur.testing.D;
import io.recur.testing.OpCheck;
import io.recur.testing.Rand;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Causal conv1d as a differentiable op in both layouts, and streaming with a carried state. */
class CausalConv1dTest {
    private static final String BACKENDS = "io.recur.testing.TestBackends#all";

    @ParameterizedTest @MethodSource(BACKENDS)
    void gradientsOfEveryInput(Backend backend) {
        Rand rand = Rand.fresh();
        int batch = 2, channels = 3, length = 6;
        for (Layout layout : Layout.values())
            for (int width = 2; width <= 4; width++) {
                boolean silu = width != 3;
                final int w = width;
                OpCheck.named("causalConv1d " + layout + " W=" + width + (silu ? " silu" : ""))
                        .input(in(layout, rand.normal(batch, channels, length))).input(in(layout, rand.uniform(-1, 1, channels, width)))
                        .input(rand.normal(channels)).input(in(layout, rand.normal(batch, channels, width - 1)))
                        .run(backend, rand, t -> CausalConv1d.step(t.get(0), t.get(1), t.get(2), t.get(3), silu, layout).out(),
                                d -> in(layout, conv(out(layout, d.get(0)), out(layout, d.get(1)), d.get(2), out(layout, d.get(3)), w, silu)));
            }
        OpCheck.named("causalConv1d without bias or state").input(rand.normal(1, 4, 2)).input(rand.uniform(-1, 1, 2, 2))
                .run(backend, rand, t -> CausalConv1d.conv1d(t.get(0), t.get(1), null, true, Layout.CHANNELS_LAST),
                        d -> in(Layout.CHANNELS_LAST, conv(d.get(0).swapLastTwo(), d.get(1).swapLastTwo(), null, null, 2, true)));
    }

    /** Generation: one step at a time (and in uneven chunks), each with the state the last returned, equals the whole. */
    @ParameterizedTest @MethodSource(BACKENDS)
    void streamingEqualsTheWholeSequence(Backend backend) {
        Rand rand = Rand.fresh();
        int batch = 2, channels = 5, length = 9;
        int[][] chunkings = {{1, 1, 1, 1, 1, 1, 1, 1, 1}, {2, 1, 4, 2}};
        for (Layout layout : Layout.values())
            for (int width = 2; width <= 4; width++)
                for (int[] chunks : chunkings)
                    try (Scope s = Scope.open("stream")) {
                        int axis = layout == Layout.CHANNELS_LAST ? 1 : 2;
                        Tensor x = in(layout, rand.normal(batch, channels, length)).toTensor(backend);
                        Tensor weight = in(layout, rand.uniform(-1, 1, channels, width)).toTensor(backend);
                        Tensor bias = rand.normal(channels).toTensor(backend);
                        float[] whole = CausalConv1d.conv1d(x, weight, bias, true, layout).toFloatArray();
                        List<Tensor> outs = new ArrayList<>();
                        Tensor state = null;
                        int start = 0;
                        for (int n : chunks) {
                            CausalConv1d.Step step = CausalConv1d.step(Shapes.slice(x, axis, start, start + n), weight, bias, state, true, layout);
                            outs.add(step.out());
                            state = step.state();
                            start += n;
                        }
                        float[] streamed = Shapes.concat(outs, axis).toFloatArray();
                        for (int i = 0; i < whole.length; i++)
                            assertEquals(whole[i], streamed[i], 1e-6 * (1 + Math.abs(whole[i])),
                                    layout + " W=" + width + " chunks " + java.util.Arrays.toString(chunks) + " element " + i + rand.tag());
                        float[] lastInputs = Shapes.slice(x, axis, length - (width - 1), length).toFloatArray();
                        assertArrayEquals(lastInputs, state.toFloatArray(), "final state = last W-1 inputs" + rand.tag());
                    }
    }

    /** The carried state is differentiable: a stream of two chunks has the whole sequence's gradients. */
    @ParameterizedTest @MethodSource(BACKENDS)
    void gradientsFlowThroughTheCarriedState(Backend backend) {
        Rand rand = Rand.fresh();
        int batch = 2, channels = 3, length = 5, width = 4;
        Layout layout = Layout.CHANNELS_FIRST;
        OpCheck.named("causalConv1d stream of 2 + 3 steps").input(rand.normal(batch, channels, length))
                .input(rand.uniform(-1, 1, channels, width)).input(rand.normal(channels))
                .run(backend, rand, t -> {
                    CausalConv1d.Step first = CausalConv1d.step(Shapes.slice(t.get(0), 2, 0, 2), t.get(1), t.get(2), null, false, layout);
                    CausalConv1d.Step second = CausalConv1d.step(Shapes.slice(t.get(0), 2, 2, 5), t.get(1), t.get(2), first.state(), false, layout);
                    return Shapes.concat(List.of(first.out(), second.out()), 2);
                }, d -> conv(d.get(0), d.get(1), d.get(2), null, width, false));
    }

    @ParameterizedTest @MethodSource(BACKENDS)
    void badArgumentsAreNamed(Backend backend) {
        try (Scope s = Scope.open("test")) {
            Tensor x = backend.zeros(Shape.of(2, 5, 7)), w = backend.zeros(Shape.of(5, 4));
            Layout first = Layout.CHANNELS_FIRST, last = Layout.CHANNELS_LAST;
            assertMessage(() -> CausalConv1d.conv1d(backend.zeros(Shape.of(5, 7)), w, null, false, first), "causalConv1d", "(batch, channels, T)", "[5, 7]");
            assertMessage(() -> CausalConv1d.conv1d(x, backend.zeros(Shape.of(4, 5)), null, false, first), "causalConv1d", "(channels, W)", "[4, 5]");
            assertMessage(() -> CausalConv1d.conv1d(x, backend.zeros(Shape.of(4, 5)), null, false, last), "causalConv1d", "(W, channels)", "channels = 7");
            assertMessage(() -> CausalConv1d.conv1d(x, backend.zeros(Shape.of(5, 5)), null, false, first), "causalConv1d", "2 … 4", "5");
            assertMessage(() -> CausalConv1d.conv1d(x, w, backend.zeros(Shape.of(7)), false, first), "causalConv1d", "bias must be [5]");
            assertMessage(() -> CausalConv1d.step(x, w, null, backend.zeros(Shape.of(2, 5, 4)), false, first), "causalConv1d",
                    "state must be [2, 5, 3]", "[2, 5, 4]");
            assertMessage(() -> CausalConv1d.conv1d(x, w, null, false, null), "causalConv1d", "layout is null");
        }
    }

    // ---- references -----------------------------------------------------------------------------

    /** The float64 conv on channels-first values. */
    private static D conv(D x, D w, D bias, D state, int width, boolean silu) {
        int batch = x.shape[0], channels = x.shape[1], length = x.shape[2];
        return new D(Conv1dReference.forward(x.data, w.data, bias == null ? null : bias.data, state == null ? null : state.data,
                batch, channels, length, width, silu), x.shape);
    }

    /** A channels-first value (or (channels, W) weight) in the layout. */
    private static D in(Layout layout, D channelsFirst) { return layout == Layout.CHANNELS_LAST ? channelsFirst.swapLastTwo() : channelsFirst; }

    /** A value of the layout back in channels-first form. */
    private static D out(Layout layout, D d) { return layout == Layout.CHANNELS_LAST ? d.swapLastTwo() : d; }
}
