package io.recur.optim;

import io.recur.backend.Backend;
import io.recur.backend.BinaryOp;
import io.recur.backend.ScalarOp;
import io.recur.tensor.DType;
import io.recur.tensor.Scope;
import io.recur.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.ToIntFunction;

/**
 * One parameter of a Kronecker-factored optimizer (Shampoo, SOAP): its {@link BlockLayout}, one
 * {@link Factor} per preconditioned mode of each block, and parameter-shaped buffers (graft,
 * momentum, moments) made as zeros.
 */
final class BlockedParameter {
    final String name;
    final Tensor parameter;
    final double weightDecay;
    final BlockLayout layout;
    final List<String> bufferNames;
    final Tensor[] buffers;
    /** Per block, per mode: the factor, or null for a mode without one. */
    private final List<Factor[]> blockFactors = new ArrayList<>();

    /** rootOf gives the inverse-root exponent of a block's factors. */
    BlockedParameter(String name, Tensor parameter, double weightDecay, BlockLayout layout, List<String> bufferNames,
                     ToIntFunction<BlockLayout.Block> rootOf) {
        this.name = name;
        this.parameter = parameter;
        this.weightDecay = weightDecay;
        this.layout = layout;
        this.bufferNames = List.copyOf(bufferNames);
        Backend b = parameter.backend();
        this.buffers = new Tensor[bufferNames.size()];
        for (int i = 0; i < buffers.length; i++) buffers[i] = OwnedTensors.unscoped(b.zeros(parameter.shape()));
        for (int j = 0; j < layout.blocks().size(); j++) {
            BlockLayout.Block block = layout.blocks().get(j);
            Factor[] factors = new Factor[block.dims().length];
            for (int i = 0; i < factors.length; i++)
                if (block.preconditioned()[i])
                    factors[i] = new Factor(b, name + ".block" + j + ".mode" + i, i, block.dims()[i], rootOf.applyAsInt(block));
            blockFactors.add(factors);
        }
    }

    /** The buffer of this name. */
    Tensor buffer(String bufferName) {
        int i = bufferNames.indexOf(bufferName);
        if (i < 0) throw new IllegalStateException(name + " has no buffer " + bufferName);
        return buffers[i];
    }

    /** Every factor, block by block. */
    List<Factor> factors() {
        List<Factor> all = new ArrayList<>();
        for (Factor[] fs : blockFactors) for (Factor f : fs) if (f != null) all.add(f);
        return all;
    }

    /** The transforms of block j by mode (null where a mode has no factor). */
    Tensor[] transforms(int block) {
        Factor[] fs = blockFactors.get(block);
        Tensor[] t = new Tensor[fs.length];
        for (int i = 0; i < fs.length; i++) t[i] = fs[i] == null ? null : fs[i].transform;
        return t;
    }

    /** statistics ← beta·statistics + alpha·G_(i) G_(i)ᵀ for every factor, from the current gradient. */
    void accumulateStatistics(float alpha, float beta) {
        if (blockFactors.stream().allMatch(fs -> java.util.Arrays.stream(fs).allMatch(java.util.Objects::isNull))) return;
        try (Scope s = Scope.open(name + " statistics")) {
            Tensor g = parameter.grad().reshape(layout.merged());
            for (int j = 0; j < blockFactors.size(); j++) {
                BlockLayout.Block block = layout.blocks().get(j);
                Tensor gb = BlockOps.extract(g, layout, block);
                for (Factor f : blockFactors.get(j))
                    if (f != null) BlockOps.accumulateStatistics(gb, block, f.mode, f.statistics, beta, alpha);
            }
        }
    }

    /** p ← p·(1 − lr·wd) − lr·direction (direction in the merged or the parameter's shape). */
    void applyStep(Tensor direction, double lr) { applyStep(direction, lr, lr); }

    /** p ← p·(1 − decayRate·wd) − lr·direction: Adam-style optimizers scale the step, not the decay. */
    void applyStep(Tensor direction, double lr, double decayRate) {
        Backend b = parameter.backend();
        if (weightDecay > 0) b.scalar(ScalarOp.MUL, parameter, (float) (1 - decayRate * weightDecay), parameter);
        try (Tensor d = direction.reshape(parameter.shape().dims()); Tensor scaled = b.allocate(parameter.shape(), DType.F32)) {
            b.scalar(ScalarOp.MUL, d, (float) lr, scaled);
            b.binary(BinaryOp.SUB, parameter, scaled, parameter);
        }
    }

    /** Adds "{name}.{buffer}", "{factor}.statistics" and "{factor}.{transformName}" to out. */
    void putState(Map<String, Tensor> out, String transformName) {
        for (int i = 0; i < buffers.length; i++) out.put(name + "." + bufferNames.get(i), buffers[i]);
        for (Factor f : factors()) {
            out.put(f.name + ".statistics", f.statistics);
            out.put(f.name + "." + transformName, f.transform);
        }
    }

    void reset() {
        for (Tensor t : buffers) t.backend().fill(t, 0f);
        for (Factor f : factors()) f.reset();
    }

    void close() {
        for (Tensor t : buffers) t.close();
        for (Factor f : factors()) f.close();
    }
}
