package io.recur.nn;

import io.recur.tensor.Tensor;
import java.util.List;

/**
 * The carried state of a recurrent layer, as an ordered list of tensors: torch LSTM's (h, c), each
 * (num_layers, batch, hidden); GRU's h alone; LRU's complex state as (batch, N, 2) real/imag pairs.
 * A stack of layers concatenates its layers' parts in layer order.
 */
public record RecurrentState(List<Tensor> parts) {
    public RecurrentState {
        parts = List.copyOf(parts);
    }

    public static RecurrentState of(Tensor... parts) { return new RecurrentState(List.of(parts)); }

    public Tensor part(int i) { return parts.get(i); }

    public int size() { return parts.size(); }

    /** Parts [from, from + count) as a state of their own (one layer's share of a stack's state). */
    public RecurrentState sub(int from, int count) { return new RecurrentState(parts.subList(from, from + count)); }
}
