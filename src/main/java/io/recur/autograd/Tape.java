package io.recur.autograd;

import io.recur.backend.BinaryOp;
import io.recur.tensor.Scope;
import io.recur.tensor.Tensor;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Records differentiable operations on this thread, in order, and runs them backwards.
 *
 * <p>An operation is recorded when recording is on and one of its inputs requires a gradient; its
 * output then requires one too. {@link #backward} walks the records in reverse, accumulates
 * gradients of tensors used several times, adds leaf gradients into {@link Tensor#grad()}, and
 * releases every saved tensor. Raw views such as {@link Tensor#reshape} are not recorded: the ops
 * layer's versions are.
 */
public final class Tape {
    private static final ThreadLocal<Tape> CURRENT = ThreadLocal.withInitial(Tape::new);

    private record Node(String op, Tensor[] outputs, Tensor[] inputs, OutputsBackward backward, Context ctx) {}

    private final List<Node> nodes = new ArrayList<>();
    private final Set<Tensor> produced = Collections.newSetFromMap(new IdentityHashMap<>());
    private int noGradDepth;

    private Tape() {}

    private static Tape current() { return CURRENT.get(); }

    /** True unless inside {@link #noGrad()}. */
    public static boolean isGradEnabled() { return current().noGradDepth == 0; }

    /** Turns recording off on this thread until the returned handle is closed (nests). */
    public static NoGrad noGrad() {
        Tape t = current();
        t.noGradDepth++;
        return () -> t.noGradDepth--;
    }

    /** Handle of a no-grad region. */
    public interface NoGrad extends AutoCloseable {
        @Override void close();
    }

    /** Whether an operation on these inputs must be recorded. */
    public static boolean needsRecording(Tensor... inputs) {
        if (!isGradEnabled()) return false;
        for (Tensor t : inputs) if (t != null && t.requiresGrad()) return true;
        return false;
    }

    /**
     * Records output = op(inputs) if {@link #needsRecording} says so, saving shared views of the
     * given tensors for the backward; returns output either way.
     */
    public static Tensor record(String op, Tensor output, Backward backward, Tensor[] inputs, Tensor... saved) {
        recordOutputs(op, new Tensor[] {output}, (ctx, g) -> backward.apply(ctx, g[0]), inputs, saved);
        return output;
    }

    /**
     * Records an operation with several outputs (distinct tensors, none an input), as {@link #record}
     * does one: its backward runs once, after every use of every output, with each output's
     * gradient, or null for an output that received none (it runs if at least one did).
     */
    public static void recordOutputs(String op, Tensor[] outputs, OutputsBackward backward, Tensor[] inputs, Tensor... saved) {
        if (!needsRecording(inputs)) return;
        boolean[] needs = new boolean[inputs.length];
        for (int i = 0; i < inputs.length; i++) needs[i] = inputs[i] != null && inputs[i].requiresGrad();
        Tensor[] keep = new Tensor[saved.length];
        for (int i = 0; i < saved.length; i++) keep[i] = saved[i] == null ? null : saved[i].sharedView();
        Tape t = current();
        t.nodes.add(new Node(op, outputs.clone(), inputs.clone(), backward, new Context(keep, needs)));
        for (Tensor output : outputs) {
            t.produced.add(output);
            output.requiresGrad(true);
        }
    }

    /** Number of operations recorded and not yet run backwards on this thread. */
    public static int size() { return current().nodes.size(); }

    /** backward from a one-element loss (its gradient is 1). */
    public static void backward(Tensor loss) {
        if (loss.size() != 1)
            throw new IllegalArgumentException("backward(loss) needs a one-element loss, got shape " + loss.shape() + "; pass the output gradient explicitly");
        try (Scope s = Scope.open("backward-seed")) {
            backward(loss, loss.backend().full(loss.shape(), 1f));
        }
    }

    /** backward from output with the given gradient of the same shape. */
    public static void backward(Tensor output, Tensor gradOutput) {
        if (!gradOutput.shape().equals(output.shape()))
            throw new IllegalArgumentException("gradient shape " + gradOutput.shape() + " differs from output shape " + output.shape());
        if (!output.requiresGrad())
            throw new IllegalStateException("backward on a tensor that does not require a gradient: no recorded operation leads to it from a parameter");
        current().run(output, gradOutput);
    }

    /** Drops all records and releases their saved tensors without computing gradients. */
    public static void clear() { current().reset(); }

    private void run(Tensor output, Tensor gradOutput) {
        Map<Tensor, Tensor> grads = new IdentityHashMap<>();
        grads.put(output, gradOutput);
        // Sums this backward allocated and has not handed to a backward yet: only the map refers to
        // them, so a further gradient of the same tensor is added into them in place. A weight used
        // at every step of a recurrence would otherwise cost a weight-sized allocation per step.
        Set<Tensor> ownSums = Collections.newSetFromMap(new IdentityHashMap<>());
        try (NoGrad ng = noGrad(); Scope scope = Scope.open("backward")) {
            for (int n = nodes.size() - 1; n >= 0; n--) {
                Node node = nodes.get(n);
                Tensor[] g = new Tensor[node.outputs.length];
                boolean any = false;
                for (int o = 0; o < g.length; o++) {
                    g[o] = grads.remove(node.outputs[o]);
                    if (g[o] != null) ownSums.remove(g[o]);   // handed out: a backward may return it as it is
                    any |= g[o] != null;
                }
                if (!any) continue;
                Tensor[] inGrads = node.backward.apply(node.ctx, g);
                if (inGrads.length != node.inputs.length)
                    throw new IllegalStateException("backward of " + node.op + " returned " + inGrads.length + " gradients for " + node.inputs.length + " inputs");
                for (int i = 0; i < inGrads.length; i++) {
                    Tensor in = node.inputs[i];
                    if (in == null || !in.requiresGrad() || inGrads[i] == null) continue;
                    if (!inGrads[i].shape().equals(in.shape()))
                        throw new IllegalStateException("backward of " + node.op + " gave gradient " + inGrads[i].shape() + " for input " + i + " of shape " + in.shape());
                    grads.merge(in, inGrads[i], (sofar, more) -> accumulate(sofar, more, ownSums));
                }
            }
            for (Map.Entry<Tensor, Tensor> e : grads.entrySet()) {
                if (!produced.contains(e.getKey())) accumulateLeaf(e.getKey(), e.getValue());
            }
        } finally {
            reset();
        }
    }

    /** sofar + more: into sofar where this backward owns it, else into a new sum that it then owns. */
    private static Tensor accumulate(Tensor sofar, Tensor more, Set<Tensor> ownSums) {
        if (ownSums.contains(sofar)) {
            sofar.backend().binary(BinaryOp.ADD, sofar, more, sofar);
            return sofar;
        }
        Tensor s = sofar.backend().allocate(sofar.shape(), sofar.dtype());
        sofar.backend().binary(BinaryOp.ADD, sofar, more, s);
        ownSums.add(s);
        return s;
    }

    /** Leaf gradients are owned by the leaf; a fresh copy, since g may be shared with other entries. */
    private static void accumulateLeaf(Tensor leaf, Tensor g) {
        Tensor existing = leaf.grad();
        if (existing != null) {
            leaf.backend().binary(BinaryOp.ADD, existing, g, existing);
            return;
        }
        Tensor copy = g.backend().allocate(g.shape(), g.dtype());
        g.backend().copy(g, copy);
        leaf.setGrad(copy);
    }

    private void reset() {
        for (Node n : nodes) n.ctx.release();
        nodes.clear();
        produced.clear();
    }
}
