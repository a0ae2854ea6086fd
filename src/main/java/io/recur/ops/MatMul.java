package io.recur.ops;

import io.recur.autograd.Tape;
import io.recur.backend.BinaryOp;
import io.recur.tensor.DType;
import io.recur.tensor.Shape;
import io.recur.tensor.Tensor;

/**
 * Matrix products with numpy semantics: operands of rank >= 2 hold matrices in their last two
 * dimensions and broadcast over the leading (batch) dimensions. Gradients are GEMMs, summed over
 * the batch dimensions an operand was broadcast along.
 */
public final class MatMul {
    private MatMul() {}

    public static Tensor matmul(Tensor a, Tensor b) { return matmul(a, b, false, false); }

    /** op(a) · op(b), where op transposes the last two dimensions when the flag is set. */
    public static Tensor matmul(Tensor a, Tensor b, boolean transA, boolean transB) {
        String name = "matmul";
        Checks.sameBackend(name, a, b);
        Checks.dtype(name, "a", a, DType.F32);
        Checks.dtype(name, "b", b, DType.F32);
        matrixRank(name, "a", a);
        matrixRank(name, "b", b);
        int m = transA ? a.dim(-1) : a.dim(-2), ka = transA ? a.dim(-2) : a.dim(-1);
        int kb = transB ? b.dim(-1) : b.dim(-2), n = transB ? b.dim(-2) : b.dim(-1);
        if (ka != kb)
            throw new IllegalArgumentException(name + ": inner dimensions differ: a " + a.shape() + (transA ? " (transposed)" : "")
                    + " has " + ka + " columns but b " + b.shape() + (transB ? " (transposed)" : "") + " has " + kb
                    + " rows; check the operand order or the transpose flags");
        Shape batch = Broadcasting.shape(name + " batch dimensions", Broadcasting.leading(a.shape(), 2), Broadcasting.leading(b.shape(), 2));
        Tensor out = Outputs.f32(a.backend(), Broadcasting.append(batch, m, n));
        Gemms.product(a, transA, b, transB, out);
        return Tape.record(name, out, (ctx, g) -> new Tensor[] {
                ctx.needsGrad(0) ? gradA(ctx.saved(0), transA, ctx.saved(1), transB, g) : null,
                ctx.needsGrad(1) ? gradB(ctx.saved(0), transA, ctx.saved(1), transB, g) : null}, new Tensor[] {a, b}, a, b);
    }

    /**
     * torch.nn.functional.linear: y = x · weightᵀ + bias for x (…, in), weight (out, in) and bias
     * (out) or null; y has shape (…, out). The leading dimensions of x form the rows of one GEMM.
     */
    public static Tensor linear(Tensor x, Tensor weight, Tensor bias) {
        String name = "linear";
        Checks.sameBackend(name, x, weight, bias);
        Checks.dtype(name, "x", x, DType.F32);
        Checks.dtype(name, "weight", weight, DType.F32);
        Checks.rankAtLeast(name, "x", x, 1);
        if (weight.rank() != 2)
            throw new IllegalArgumentException(name + ": weight must be a matrix (out_features, in_features), got " + weight.shape());
        int in = weight.dim(1), outFeatures = weight.dim(0);
        if (x.dim(-1) != in)
            throw new IllegalArgumentException(name + ": x " + x.shape() + " has " + x.dim(-1) + " features but weight " + weight.shape()
                    + " expects " + in + " (weight is (out_features, in_features))");
        if (bias != null) {
            Checks.dtype(name, "bias", bias, DType.F32);
            if (!bias.shape().equals(Shape.of(outFeatures)))
                throw new IllegalArgumentException(name + ": bias must have shape [" + outFeatures + "] to match weight " + weight.shape() + ", got " + bias.shape());
        }
        Tensor y = Outputs.f32(x.backend(), x.shape().with(-1, outFeatures));
        Gemms.rowsTimes(x, weight, true, y);
        if (bias != null) x.backend().binary(BinaryOp.ADD, y, bias, y);
        return Tape.record(name, y, (ctx, g) -> {
            Tensor xs = ctx.saved(0), w = ctx.saved(1);
            Tensor dx = null, dw = null;
            if (ctx.needsGrad(0)) {
                dx = Outputs.like(xs);
                Gemms.rowsTimes(g, w, false, dx);
            }
            if (ctx.needsGrad(1)) {
                dw = Outputs.like(w);
                Gemms.foldedProduct(g, xs, dw);
            }
            Tensor db = ctx.needsGrad(2) ? Grads.reduceTo(g, Shape.of(outFeatures)) : null;
            return new Tensor[] {dx, dw, db};
        }, new Tensor[] {x, weight, bias}, x, weight);
    }

    private static void matrixRank(String op, String what, Tensor t) {
        if (t.rank() < 2)
            throw new IllegalArgumentException(op + ": " + what + " needs rank >= 2 (matrices in the last two dimensions), got shape "
                    + t.shape() + "; reshape a vector to (1, n) or (n, 1)");
    }

    /** d a for c = op(a) op(b): g op(b)ᵀ, or op(b) gᵀ when a is stored transposed. */
    private static Tensor gradA(Tensor a, boolean tA, Tensor b, boolean tB, Tensor g) {
        Tensor full = Outputs.f32(g.backend(), Broadcasting.append(Broadcasting.leading(g.shape(), 2), a.dim(-2), a.dim(-1)));
        if (!tA) Gemms.product(g, false, b, !tB, full);
        else Gemms.product(b, tB, g, true, full);
        return reduceBatch(full, a.shape());
    }

    /** d b for c = op(a) op(b): op(a)ᵀ g, or gᵀ op(a) when b is stored transposed. */
    private static Tensor gradB(Tensor a, boolean tA, Tensor b, boolean tB, Tensor g) {
        if (!tA && Gemms.batchSize(b) == 1 && Gemms.batchSize(a) == Gemms.batchSize(g)) {
            // One b for the whole batch (e.g. (B, T, D) @ (D, E)): sum over the batch inside one GEMM.
            Tensor db = Outputs.like(b);
            if (!tB) Gemms.foldedProduct(a, g, db);
            else Gemms.foldedProduct(g, a, db);
            return db;
        }
        Tensor full = Outputs.f32(g.backend(), Broadcasting.append(Broadcasting.leading(g.shape(), 2), b.dim(-2), b.dim(-1)));
        if (!tB) Gemms.product(a, !tA, g, false, full);
        else Gemms.product(g, true, a, tA, full);
        return reduceBatch(full, b.shape());
    }

    /** A per-batch gradient summed to the operand's shape (its broadcast batch dimensions). */
    private static Tensor reduceBatch(Tensor full, Shape operand) {
        Tensor r = Grads.reduceTo(full, operand);
        if (r != full) full.close();
        return r;
    }
}
