package io.recur.optim;

import io.recur.backend.Backend;
import io.recur.backend.BinaryOp;
import io.recur.backend.ScalarOp;
import io.recur.backend.UnaryOp;
import io.recur.tensor.DType;
import io.recur.tensor.Shape;
import io.recur.tensor.Tensor;
import java.util.List;
import java.util.Map;

/**
 * SOAP (Vyas et al. 2024): Adam run in the eigenbasis of Shampoo's factors. Parameters are merged
 * and blocked as in {@link Shampoo}; each mode i of a block keeps F_i ← β_s F_i + (1 − β_s)·G_(i) G_(i)ᵀ
 * and an orthonormal basis Q_i, the eigenvectors of F_i, recomputed (by the batched Jacobi
 * eigendecomposition of {@link Backend#symmetricEigen}) at step 1 and every precondition_frequency
 * steps after. The step, with t counted from 1:
 * <pre>
 *   m ← β1 m + (1 − β1) g                          (the parameter's own coordinates)
 *   per block: G' = G ×₁ Q₁ᵀ ×₂ Q₂ᵀ …,  v ← β2 v + (1 − β2) G'²   (v in the rotated coordinates)
 *              d = (M' / (√v + ε)) ×₁ Q₁ ×₂ Q₂ …   with M' = M ×₁ Q₁ᵀ …
 *   p ← p·(1 − lr·wd) − lr·√(1 − β2ᵗ)/(1 − β1ᵗ) · d
 * </pre>
 * The factors are updated with the current gradient before the basis is refreshed, so the first
 * step already runs in the eigenbasis of G₁G₁ᵀ (the reference implementation skips its first update
 * instead), and the basis is a full eigendecomposition each time (the reference refines it by one
 * power step and a QR). Vectors and unpreconditioned modes use the identity: a vector gets AdamW,
 * except that ε is added before the bias correction (as in the reference).
 */
public final class Soap extends BlockedOptimizer {
    /** Hyperparameters. */
    public record Settings(double beta1, double beta2, double shampooBeta, double eps, int preconditionFrequency, int blockSize,
                           boolean biasCorrection) {
        public Settings {
            if (!(beta1 >= 0 && beta1 < 1) || !(beta2 >= 0 && beta2 < 1))
                throw new IllegalArgumentException("SOAP: betas must be in [0, 1), got " + beta1 + ", " + beta2);
            if (!(shampooBeta >= 0 && shampooBeta < 1)) throw new IllegalArgumentException("SOAP: shampoo beta must be in [0, 1), got " + shampooBeta);
            if (!(eps > 0)) throw new IllegalArgumentException("SOAP: eps must be > 0, got " + eps);
            if (preconditionFrequency < 1) throw new IllegalArgumentException("SOAP: precondition_frequency must be >= 1, got " + preconditionFrequency);
            if (blockSize < 1) throw new IllegalArgumentException("SOAP: max block size must be >= 1, got " + blockSize);
        }

        /** The reference's defaults: betas (0.95, 0.95), factor beta 0.95, eps 1e-8, basis every 10 steps; blocks of 1024. */
        public static Settings defaults() { return new Settings(0.95, 0.95, 0.95, 1e-8, 10, 1024, true); }

        public Settings withFrequency(int frequency) {
            return new Settings(beta1, beta2, shampooBeta, eps, frequency, blockSize, biasCorrection);
        }

        public Settings withBlockSize(int size) {
            return new Settings(beta1, beta2, shampooBeta, eps, preconditionFrequency, size, biasCorrection);
        }
    }

    private static final String EXP_AVG = "exp_avg", EXP_AVG_SQ = "exp_avg_sq";

    private final Settings settings;

    public Soap(List<ParameterGroup> groups, Settings settings) {
        super("SOAP", "basis");
        this.settings = settings;
        for (Map.Entry<String, ParameterGroup.Entry> e : ParameterGroup.entries("SOAP", groups).entrySet()) {
            Tensor p = e.getValue().tensor();
            slots.add(new BlockedParameter(e.getKey(), p, e.getValue().weightDecay(),
                    BlockLayout.of(p.shape().dims(), settings.blockSize(), false), List.of(EXP_AVG, EXP_AVG_SQ), block -> 1));
        }
    }

    public Settings settings() { return settings; }

    @Override
    protected float[] statisticsWeights() {
        double beta = settings.shampooBeta();
        return new float[] {(float) (1 - beta), (float) beta};
    }

    @Override
    protected void refresh(List<Factor> factors, long step) {
        if ((step - 1) % settings.preconditionFrequency() == 0) FactorRefresh.eigenbases("SOAP", factors);
    }

    @Override
    protected void update(BlockedParameter s, double lr, long steps) {
        Backend b = s.parameter.backend();
        Tensor grad = s.parameter.grad(), m = s.buffer(EXP_AVG);
        float beta1 = (float) settings.beta1(), beta2 = (float) settings.beta2();
        Tensor scaled = b.allocate(grad.shape(), DType.F32);
        b.scalar(ScalarOp.MUL, m, beta1, m);
        b.scalar(ScalarOp.MUL, grad, 1 - beta1, scaled);
        b.binary(BinaryOp.ADD, m, scaled, m);
        Tensor direction = b.allocate(grad.shape(), DType.F32);
        if (s.layout.blocks().isEmpty()) {
            adam(grad, m, s.buffer(EXP_AVG_SQ), direction);
        } else {
            Tensor g = grad.reshape(s.layout.merged()), mm = m.reshape(s.layout.merged());
            Tensor v = s.buffer(EXP_AVG_SQ).reshape(s.layout.merged()), d = direction.reshape(s.layout.merged());
            for (int j = 0; j < s.layout.blocks().size(); j++) {
                BlockLayout.Block block = s.layout.blocks().get(j);
                Tensor[] q = s.transforms(j);
                Tensor gr = BlockOps.allModes(BlockOps.extract(g, s.layout, block), block, q, true);
                Tensor mr = BlockOps.allModes(BlockOps.extract(mm, s.layout, block), block, q, true);
                Tensor vb = BlockOps.extract(v, s.layout, block), nr = b.allocate(Shape.of(block.dims()), DType.F32);
                adam(gr, mr, vb, nr);
                BlockOps.insert(vb, v, s.layout, block);
                BlockOps.insert(BlockOps.allModes(nr, block, q, false), d, s.layout, block);
            }
        }
        double stepSize = settings.biasCorrection() ? Math.sqrt(1 - Math.pow(settings.beta2(), steps)) / (1 - Math.pow(settings.beta1(), steps)) : 1;
        s.applyStep(direction, lr * stepSize, lr);
    }

    /** v ← β2 v + (1 − β2) g²; out = m / (√v + ε). */
    private void adam(Tensor g, Tensor m, Tensor v, Tensor out) {
        Backend b = g.backend();
        float beta2 = (float) settings.beta2();
        b.unary(UnaryOp.SQUARE, g, out);
        b.scalar(ScalarOp.MUL, out, 1 - beta2, out);
        b.scalar(ScalarOp.MUL, v, beta2, v);
        b.binary(BinaryOp.ADD, v, out, v);
        b.unary(UnaryOp.SQRT, v, out);
        b.scalar(ScalarOp.ADD, out, (float) settings.eps(), out);
        b.binary(BinaryOp.DIV, m, out, out);
    }
}
