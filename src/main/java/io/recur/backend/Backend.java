package io.recur.backend;

import io.recur.tensor.DType;
import io.recur.tensor.Shape;
import io.recur.tensor.Tensor;

/**
 * The service every compute backend provides: memory, transfers and the primitive kernels that the
 * differentiable operations in {@code io.recur.ops} are built from.
 *
 * <p>Conventions for every method:
 * <ul>
 * <li>All tensors are on this backend, contiguous row-major (a tensor may be a view at an offset into
 *     its storage). Outputs are allocated by the caller with the documented shape.</li>
 * <li>float32 unless stated; index tensors are int32.</li>
 * <li>An output may alias an input only where the method says so.</li>
 * <li>Callers (the ops layer) validate shapes and produce user-facing errors; backends may assume
 *     consistent arguments but must never read or write out of bounds.</li>
 * <li>Work is asynchronous on devices; {@link #toFloatArray} and friends synchronize.</li>
 * </ul>
 */
public interface Backend {

    /** "cpu", "cuda", or the name of another implementation. */
    String name();

    /** A human-readable one-line description (device name, threads...). */
    String description();

    /** Availability and details for `recur info`. */
    BackendStatus status();

    // ---- memory and transfers ------------------------------------------------------------------

    /** A new tensor with undefined contents. */
    Tensor allocate(Shape shape, DType dtype);

    default Tensor zeros(Shape shape) { return full(shape, 0f); }

    default Tensor full(Shape shape, float value) {
        Tensor t = allocate(shape, DType.F32);
        fill(t, value);
        return t;
    }

    Tensor fromArray(float[] data, Shape shape);

    Tensor fromArray(int[] data, Shape shape);

    Tensor fromArray(long[] data, Shape shape);

    float[] toFloatArray(Tensor t);

    int[] toIntArray(Tensor t);

    long[] toLongArray(Tensor t);

    /** dst = src, same dtype and size (shapes may differ). */
    void copy(Tensor src, Tensor dst);

    /** Every element of a float32 tensor set to value. */
    void fill(Tensor t, float value);

    /** Waits until all queued work on this backend is done. */
    void synchronize();

    MemoryStats memoryStats();

    // ---- linear algebra ------------------------------------------------------------------------

    /**
     * Batched GEMM on row-major matrices: for each i in [0, batch):
     * C_i = alpha * op(A_i) * op(B_i) + beta * C_i, where op(A_i) is m×k (A_i stored k×m if transA),
     * op(B_i) is k×n (B_i stored n×k if transB) and C_i is m×n. A_i starts strideA elements after
     * A_{i-1} (0 broadcasts one matrix over the batch); likewise B and C (strideC must not be 0
     * unless batch is 1). With beta = 0, C is not read (it may hold NaN).
     */
    void gemm(boolean transA, boolean transB, int batch, int m, int n, int k,
              float alpha, Tensor a, long strideA, Tensor b, long strideB,
              float beta, Tensor c, long strideC);

    // ---- elementwise ---------------------------------------------------------------------------

    /** y = op(x), same size; y may alias x. */
    void unary(UnaryOp op, Tensor x, Tensor y);

    /** dx = dy * op'(x), where y = op(x) is also given; dx may alias dy. */
    void unaryBackward(UnaryOp op, Tensor x, Tensor y, Tensor dy, Tensor dx);

    /** y = op(x, s), same size; y may alias x. */
    void scalar(ScalarOp op, Tensor x, float s, Tensor y);

    /**
     * out = op(a, b) with numpy broadcasting: a and b are broadcast to out's shape (ranks are aligned
     * at the right, size-1 dimensions repeat). out may alias a or b when it has the same shape.
     */
    void binary(BinaryOp op, Tensor a, Tensor b, Tensor out);

    /**
     * The gradient of binary(op, a, b) with respect to one operand: given dOut (shape of out),
     * writes into dInput (the shape of a if wrtA, else of b) the sum, over broadcast positions, of
     * dOut * d op / d operand. For MAX/MIN ties send the gradient to a.
     */
    void binaryBackward(BinaryOp op, Tensor a, Tensor b, Tensor dOut, boolean wrtA, Tensor dInput);

    /**
     * Sums x over the dimensions where out (broadcast-compatible with x, equal rank after left
     * padding with 1s) has size 1: out = sum over broadcast positions. Used for axis sums and for
     * reducing gradients of broadcast operands.
     */
    void sumTo(Tensor x, Tensor out);

    /** out = x broadcast (numpy rules) to out's shape. */
    void broadcastTo(Tensor x, Tensor out);

    /** Maximum over one axis: x viewed as (outer, n, inner) → out (outer, inner), argmax int32 (outer, inner) if not null. */
    void maxAxis(Tensor x, int outer, int n, int inner, Tensor out, Tensor argmax);

    // ---- softmax and losses --------------------------------------------------------------------

    /** Softmax (or log-softmax if log) over the last axis of x viewed as (rows, cols); y may alias x. */
    void softmax(Tensor x, int rows, int cols, boolean log, Tensor y);

    /** dx from y = softmax(x) (or log-softmax) and dy; dx may alias dy. */
    void softmaxBackward(Tensor y, Tensor dy, int rows, int cols, boolean log, Tensor dx);

    /**
     * Per-row cross-entropy of logits (rows, classes) with int32 targets (rows): losses[r] =
     * logsumexp(logits[r]) - logits[r, t_r], and 0 where t_r == ignoreIndex. A target outside
     * [0, classes) that is not ignoreIndex is the caller's error to check.
     */
    void crossEntropy(Tensor logits, Tensor targets, int rows, int classes, int ignoreIndex, Tensor losses);

    /** dLogits[r] = dLosses[r] * (softmax(logits[r]) - onehot(t_r)), 0 for ignored rows. */
    void crossEntropyBackward(Tensor logits, Tensor targets, Tensor dLosses, int rows, int classes,
                              int ignoreIndex, Tensor dLogits);

    // ---- indexing ------------------------------------------------------------------------------

    /**
     * Gathers along the middle axis: x viewed as (outer, n, inner), int32 index (outer, m, inner)
     * with values in [0, n) → out (outer, m, inner), out[o, j, i] = x[o, index[o, j, i], i].
     */
    void gather(Tensor x, int outer, int n, int inner, Tensor index, int m, Tensor out);

    /** The adjoint of gather: dx[o, index[o, j, i], i] += dOut[o, j, i]; dx is not cleared first. */
    void scatterAdd(Tensor dOut, int outer, int n, int inner, Tensor index, int m, Tensor dx);

    /** Row lookup: weight (vocab, dim), int32 indices (count) → out (count, dim). */
    void embedding(Tensor weight, Tensor indices, int count, int dim, Tensor out);

    /** dWeight[indices[i]] += dOut[i]; dWeight is not cleared first (repeated indices add up). */
    void embeddingBackward(Tensor dOut, Tensor indices, int count, int dim, Tensor dWeight);

    /**
     * Copies a block along a middle axis: src viewed as (outer, srcLen, inner), dst as
     * (outer, dstLen, inner); dst[o, dstStart + j, i] = src[o, srcStart + j, i] for j in [0, len).
     * Serves concat, split, slice and their gradients. With accumulate, adds instead of assigning.
     */
    void copyBlock(Tensor src, int srcLen, int srcStart, Tensor dst, int dstLen, int dstStart,
                   int outer, int len, int inner, boolean accumulate);

    /** Swaps two axes: src viewed as (p, m, q, n, r) → dst (p, n, q, m, r). */
    void transpose(Tensor src, int p, int m, int q, int n, int r, Tensor dst);

    // ---- normalisation -------------------------------------------------------------------------

    /**
     * RMSNorm over the last axis of x (rows, dim): y = x * rstd * weight with rstd = 1/sqrt(mean(x^2) + eps),
     * rstd (rows) saved for the backward.
     */
    void rmsNorm(Tensor x, Tensor weight, int rows, int dim, float eps, Tensor y, Tensor rstd);

    /** dx (overwritten) and dWeight (accumulated into) of RMSNorm. */
    void rmsNormBackward(Tensor x, Tensor weight, Tensor rstd, Tensor dy, int rows, int dim,
                         Tensor dx, Tensor dWeight);

    /** LayerNorm over the last axis: y = (x - mean) * rstd * weight + bias; mean and rstd (rows) saved. */
    void layerNorm(Tensor x, Tensor weight, Tensor bias, int rows, int dim, float eps,
                   Tensor y, Tensor mean, Tensor rstd);

    /** dx (overwritten), dWeight and dBias (accumulated into) of LayerNorm. */
    void layerNormBackward(Tensor x, Tensor weight, Tensor mean, Tensor rstd, Tensor dy, int rows, int dim,
                           Tensor dx, Tensor dWeight, Tensor dBias);

    // ---- scans (linear recurrences) ------------------------------------------------------------

    /**
     * Diagonal linear recurrence over time, on the time-last layout: row r (of batch × channels
     * rows) has its {@code length} steps contiguous, step t of row r at element r * length + t of a,
     * b, resets and h.
     *
     * <p>Forward ({@code reverse} false): h_t = a'_t h_{t-1} + b_t for t = 0 … length-1, with
     * h_{-1} = h0[r]. Reverse: h_t = a'_t h_{t+1} + b_t for t = length-1 … 0, with h_{length} = h0[r].
     * a'_t is a_t, or 0 where resets (rows, length) is nonzero: a reset step starts a new segment
     * and ignores the past. h0 (rows) and resets may be null (zero state; no resets). Accumulates in
     * float32. h must not alias an input.
     */
    void linearScan(Tensor a, Tensor b, Tensor h0, Tensor resets, int rows, int length, boolean reverse, Tensor h);

    /**
     * The gradient of {@link #linearScan} from gradH (the upstream gradient of h), in one call. In
     * the forward direction (mirrored for reverse): dh_t = gradH_t + a'_{t+1} dh_{t+1} (a reverse
     * scan; dh beyond the last step is 0), db_t = dh_t, da_t = dh_t h_{t-1} (0 at reset steps, and
     * h_{-1} = h0 or 0), dh0 = a'_0 dh_0. h is the forward's output; a, h0 and resets are the
     * forward's inputs. da (with h) and dh0 may be null when not wanted. db, da and dh0 are
     * overwritten and must not alias an input.
     */
    void linearScanBackward(Tensor a, Tensor h, Tensor h0, Tensor resets, Tensor gradH, int rows, int length,
                            boolean reverse, Tensor da, Tensor db, Tensor dh0);

    /**
     * Matrix-valued linear recurrence: for each of {@code rows} independent sequences,
     * h_t = A_t h_{t-1} + b_t (t = 0 … length-1, h_{-1} = h0) or, with reverse,
     * h_t = A_t h_{t+1} + b_t (t = length-1 … 0, h_{length} = h0). A is (rows, length, n, n)
     * row-major (A_t[i][j] at ((r * length + t) * n + i) * n + j), b and h are (rows, length, n),
     * h0 is (rows, n) or null (zero). 1 <= n <= 32. Accumulates in float32; h must not alias an input.
     */
    void matrixScan(Tensor a, Tensor b, Tensor h0, int rows, int length, int n, boolean reverse, Tensor h);

    /**
     * The gradient of {@link #matrixScan}, in one call: the adjoint (transposed, opposite-direction)
     * scan λ_t = gradH_t + A_{t+1}^T λ_{t+1} (forward direction; mirrored for reverse; λ beyond the
     * last step is 0) written to db, then dA_t = λ_t h_{t-1}^T (h_{-1} = h0 or 0) and
     * dh0 = A_0^T λ_0. dA (with h) and dh0 may be null when not wanted: with both null this is the
     * plain transposed reverse scan that DEER's gradient needs (λ in db). Outputs are overwritten
     * and must not alias an input.
     */
    void matrixScanBackward(Tensor a, Tensor h, Tensor h0, Tensor gradH, int rows, int length, int n, boolean reverse,
                            Tensor dA, Tensor db, Tensor dh0);

    // ---- DEER Jacobians ---------------------------------------------------------------------------

    /**
     * Block Jacobians of recurrent cells in one pass: for each of {@code matrices} matrices m, out[m]
     * (side × side, side = terms.blocks() · n) holds in block (a, b), rows [a·n, (a+1)·n) and columns
     * [b·n, (b+1)·n), the sum over the terms k placed there of diag(c[m, k]) W_k, where c is
     * coefficients (matrices, terms.count(), n) and W_k is rows [g·n, (g+1)·n) of weight (G·n, n) for
     * g = terms.weightBlock(k), or the identity for {@link BlockTerms#IDENTITY}. Blocks without terms are
     * zero. out is (matrices, side, side), overwritten; it must not alias an input.
     */
    void rowScaledBlocks(Tensor coefficients, Tensor weight, BlockTerms terms, int matrices, int n, Tensor out);

    // ---- fused recurrent cells (torch.nn.LSTM, torch.nn.GRU) -------------------------------------

    /**
     * The pointwise part of one LSTM step, for rows sequences of hidden units. gx and gh are
     * (rows, 4·hidden) gate pre-activations in torch's order i, f, g, o (the input and hidden
     * projections with their biases); gh may be null when gx already holds their sum. With
     * pre = gx + gh and σ the logistic function:
     * <pre>
     *   c = σ(f) c_prev + σ(i) tanh(g),   h = σ(o) tanh(c)
     * </pre>
     * cPrev, h and c are (rows, hidden). saved (rows, 5·hidden), or null when no backward follows,
     * receives σ(i), σ(f), tanh(g), σ(o), tanh(c) (blocks of hidden per row) for
     * {@link #lstmCellBackward}. Outputs must not alias inputs.
     */
    void lstmCell(Tensor gx, Tensor gh, Tensor cPrev, int rows, int hidden, Tensor h, Tensor c, Tensor saved);

    /**
     * The gradient of {@link #lstmCell} from dH and dC (the upstream gradients of h and c, (rows,
     * hidden)), with the forward's cPrev and saved: dGates (rows, 4·hidden), the gradient of the
     * pre-activations (hence of gx and of gh), and dCPrev (rows, hidden) = dc σ(f), where
     * dc = dC + dH σ(o) (1 − tanh²(c)). Outputs are overwritten and must not alias an input.
     */
    void lstmCellBackward(Tensor cPrev, Tensor saved, Tensor dH, Tensor dC, int rows, int hidden, Tensor dGates, Tensor dCPrev);

    /**
     * The pointwise part of one GRU step as torch.nn.GRU, for rows sequences of hidden units: gx
     * (rows, 3·hidden) is x W_ihᵀ + b_ih and gh (rows, 3·hidden) is h W_hhᵀ + b_hh, gates in the
     * order r, z, n (so b_hn stays inside the reset product):
     * <pre>
     *   r = σ(gx_r + gh_r),   z = σ(gx_z + gh_z),   n = tanh(gx_n + r gh_n),   h = (1 − z) n + z h_prev
     * </pre>
     * hPrev and h are (rows, hidden). saved (rows, 3·hidden), or null when no backward follows,
     * receives r, z, n for {@link #gruCellBackward}. Outputs must not alias inputs.
     */
    void gruCell(Tensor gx, Tensor gh, Tensor hPrev, int rows, int hidden, Tensor h, Tensor saved);

    /**
     * The gradient of {@link #gruCell} from dH (rows, hidden), with the forward's gh, hPrev and
     * saved: dGx and dGh (rows, 3·hidden; equal except in the n block, where dGh_n = dGx_n r) and
     * dHPrev (rows, hidden) = dH z. Outputs are overwritten and must not alias an input.
     */
    void gruCellBackward(Tensor gh, Tensor hPrev, Tensor saved, Tensor dH, int rows, int hidden,
                         Tensor dGx, Tensor dGh, Tensor dHPrev);

    // ---- e-prop (spiking networks) ----------------------------------------------------------------

    /**
     * One time step of an LSNN fused with e-prop's trace update (see {@link EPropStepArgs} for the
     * tensors). Per sequence b and neuron j, from the old state: v = α v0 + (1 − α) current − thr z0,
     * a = ρ a0 + z0, s = (v − thr − β_j a)/thr (β_j = 0 for LIF), z = H(s) unless r0 > 0,
     * ψ = (γ/thr) max(0, 1 − |s|) unless r0 > 0, r = z ? refractorySteps : max(0, r0 − 1). Per
     * synapse j ← i (presynaptic input x_i, or the spike z0 of neuron i − F): ev = α ev0 + (1 − α) in;
     * for ALIF j, adapt = (ρ − β psi0) adapt + psi0 ev0; e = ψ (ev − β_j adapt); before that,
     * grad += signal · filtered; then filtered = κ filtered + e and eSum += e (both summed over b).
     */
    void epropStep(EPropStepArgs args);

    // ---- RG-LRU and causal conv1d (Griffin, Mamba) ----------------------------------------------

    /**
     * Griffin's Real-Gated Linear Recurrent Unit (recurrentgemma's RGLRU) with its gates and scan fused,
     * on the channels-last layout the models use: x, gateXPre, gateAPre and h are (batch, length,
     * width), element (b, t, c) at (b * length + t) * width + c. For every element, with σ the
     * logistic function and softplus(Λ) = log(1 + e^Λ) (Λ itself above 20):
     * <pre>
     *   gx = σ(gateXPre), ga = σ(gateAPre), log a = -8 · ga · softplus(lambda[c]), a = exp(log a),
     *   multiplier = sqrt(1 - a²); at a reset step (resets[b, t] != 0) a = 0 and multiplier = 1;
     *   h_t = a · h_{t-1} + multiplier · gx · x_t, with h_{-1} = h0[b, c].
     * </pre>
     * The gate pre-activations are the block-diagonal projections of the layer's input (computed by
     * the caller). lambda is (width); h0 (batch, width) or null (zeros); resets (batch, length) or
     * null (no resets). Accumulates in float32. h must not alias an input.
     */
    void rgLru(Tensor x, Tensor gateXPre, Tensor gateAPre, Tensor lambda, Tensor resets, Tensor h0,
               int batch, int length, int width, Tensor h);

    /**
     * The gradient of {@link #rgLru} from gradH (the upstream gradient of h), in one call: the reverse
     * scan dh_t = gradH_t + a_{t+1} dh_{t+1} (0 past the end), with each step's gates recomputed from
     * the inputs, gives dx, dGateXPre and dGateAPre (same layout as x), dh0 = a_0 dh_0 (batch, width)
     * and dLambda (width), the sum over batch and time. As recurrentgemma's SqrtBoundDerivative, the
     * derivative of the multiplier sqrt(u), u = 1 - a², is taken as 1 / sqrt(max(4u, 1e-6)) (at most
     * 1000), so it stays finite as a → 1. Reset steps pass no gradient to a (nor to gateAPre or
     * lambda). h is the forward's output. dLambda and dh0 may be null when not wanted. Outputs are
     * overwritten and must not alias an input.
     */
    void rgLruBackward(Tensor x, Tensor gateXPre, Tensor gateAPre, Tensor lambda, Tensor resets, Tensor h0, Tensor h,
                       Tensor gradH, int batch, int length, int width,
                       Tensor dx, Tensor dGateXPre, Tensor dGateAPre, Tensor dLambda, Tensor dh0);

    /**
     * Causal depthwise 1-D convolution of every channel with its own kernelWidth taps (2 … 4), as
     * mamba's causal_conv1d and recurrentgemma's Conv1D:
     * <pre>
     *   out[b, c, t] = act(bias[c] + Σ_{k < W} w[c, k] · xx[b, c, t + k]),   W = kernelWidth,
     * </pre>
     * where xx is x preceded along time by the W - 1 inputs of state (the inputs before this chunk,
     * oldest first; zeros when state is null), and act is SiLU (z · σ(z)) if silu, else identity.
     * Layouts: channelsLast: x and out (batch, length, channels), weight (W, channels), state
     * (batch, W - 1, channels), as recurrentgemma; otherwise x and out (batch, channels, length),
     * weight (channels, W), state (batch, channels, W - 1), as mamba. bias (channels) may be null.
     * out must not alias an input.
     */
    void causalConv1d(Tensor x, Tensor weight, Tensor bias, Tensor state, int batch, int channels, int length,
                      int kernelWidth, boolean channelsLast, boolean silu, Tensor out);

    /**
     * The gradients of {@link #causalConv1d} (with the same arguments) from gradOut: dx (x's shape),
     * dWeight (weight's shape) and dBias (channels), summed over batch and time, and dState
     * (state's shape). dBias and dState may be null when not wanted (dState does not depend on the
     * state's values: with a null state it is the gradient of its zeros). The pre-activation is recomputed. Outputs are
     * overwritten and must not alias an input.
     */
    void causalConv1dBackward(Tensor x, Tensor weight, Tensor bias, Tensor state, Tensor gradOut, int batch, int channels,
                              int length, int kernelWidth, boolean channelsLast, boolean silu,
                              Tensor dx, Tensor dWeight, Tensor dBias, Tensor dState);

    // ---- selective scan (Mamba S6) -------------------------------------------------------------

    /**
     * The selective scan forward (see {@link SelectiveScanArgs} for the definition and shapes),
     * without writing any per-step state: out (batch, dim, L) = y · silu(z) (y without z);
     * checkpoints (the args' checkpointShape, or null when no backward will follow) the state after
     * each chunk of args.chunkLength() steps; lastState (batch, dim, N) or null. States and sums
     * accumulate in float32. Outputs must not alias inputs.
     */
    void selectiveScan(SelectiveScanArgs args, Tensor out, Tensor checkpoints, Tensor lastState);

    /**
     * The gradients of {@link #selectiveScan} from dOut (batch, dim, L) and dLastState (batch, dim,
     * N; null for zero), recomputing each chunk's states from the forward's checkpoints (same args,
     * same chunk length) and walking the chunks in reverse: dx_t = dOut_t' C_t + exp(δ_{t+1} A) dx_{t+1}
     * (dOut' gated by silu(z)), then du, dDelta, dA, dB, dC, dD, dz, dDeltaBias and dh0 into grads
     * (see {@link SelectiveScanGrads}; everything is overwritten).
     */
    void selectiveScanBackward(SelectiveScanArgs args, Tensor checkpoints, Tensor dOut, Tensor dLastState,
                               SelectiveScanGrads grads);

    // ---- local attention (Griffin) --------------------------------------------------------------

    /**
     * Causal sliding-window multi-query attention, without forming the T×T matrix: query row t of
     * head h attends to the keys of positions [max(0, t − window + 1), t] (window keys, its own
     * included), shared by all heads:
     * <pre>
     *   s_tj = scale · q[b, t, h, :] · k[b, j, :],   out[b, t, h, :] = Σ_j softmax_j(s_tj) v[b, j, :],
     *   lse[b, h, t] = log Σ_j exp(s_tj)   (kept for the backward)
     * </pre>
     * q and out (batch, length, heads, headDim), k and v (batch, length, headDim). Accumulates in
     * float32 (float64 on the CPU). Outputs must not alias inputs.
     */
    void localAttention(Tensor q, Tensor k, Tensor v, int batch, int length, int heads, int headDim, int window, float scale,
                        Tensor out, Tensor lse);

    /**
     * The gradients of {@link #localAttention} from dOut (out's shape), recomputing each
     * probability from the saved lse: with D_t = dOut_t · out_t, ds_tj = p_tj (dOut_t · v_j − D_t);
     * dq_t = scale Σ_j ds_tj k_j, dk_j = scale Σ_{t,h} ds_tj q_t, dv_j = Σ_{t,h} p_tj dOut_t. dq, dk
     * and dv (the shapes of q, k, v) are overwritten.
     */
    void localAttentionBackward(Tensor q, Tensor k, Tensor v, Tensor out, Tensor lse, Tensor dOut, int batch, int length,
                                int heads, int headDim, int window, float scale, Tensor dq, Tensor dk, Tensor dv);

    // ---- symmetric matrices (Shampoo, SOAP) ------------------------------------------------------

    /**
     * Inverse p-th roots of a batch of symmetric positive semi-definite matrices, as
     * {@link RootSettings} defines them: a (batch, n, n) → roots (batch, n, n), roots_i ≈
     * (A_i + r_i I)^{-1/p}, and residuals (batch): the method's own measure of failure, max|M − I|
     * at the end of the coupled Newton iteration, or ‖off-diagonal‖_F / ‖A‖_F after the Jacobi sweeps
     * of the eigen method; NaN when the root is not finite. Only the symmetric part of each A_i is
     * read. The CPU computes in float64. Outputs must not alias a.
     */
    void inverseRoots(Tensor a, int batch, int n, RootSettings settings, Tensor roots, Tensor residuals);

    /**
     * Eigendecomposition of a batch of symmetric matrices by cyclic Jacobi: a (batch, n, n) →
     * eigenvalues (batch, n) ascending, eigenvectors (batch, n, n) with the unit eigenvector of
     * eigenvalue j in column j (A_i = V_i diag(λ_i) V_iᵀ; signs are arbitrary). Only the symmetric
     * part of each A_i is read. The CPU computes in float64. Outputs must not alias a.
     */
    void symmetricEigen(Tensor a, int batch, int n, Tensor eigenvalues, Tensor eigenvectors);

    // ---- ELK's Kalman gains ---------------------------------------------------------------------

    /**
     * The data-independent part of ELK's Kalman filter and Rauch–Tung–Striebel smoother for
     * h_t = J_t h_{t-1} + b_t + w_t, w_t ~ N(0, I), observed as y_t = h_t + v_t, v_t ~ N(0, σ² I),
     * with h_{-1} known (P_{-1} = 0): per row of the batch and step t,
     * <pre>
     *   P̂_t = J_t P_{t-1} J_tᵀ + I,   keep_t = I − K_t = σ² (P̂_t + σ² I)⁻¹,   P_t = keep_t P̂_t,
     *   smootherGain_t = G_t = P_t J_{t+1}ᵀ P̂_{t+1}⁻¹   (0 at t = length − 1).
     * </pre>
     * jacobian, keep and smootherGain are (batch, length, n, n). The CPU runs the recursion in time
     * in float64; CUDA runs it in parallel over time (an associative scan of Särkkä and
     * García-Fernández's filtering elements), in float64 inside the kernels, for n ≤ 32. Outputs
     * must not alias the jacobian.
     */
    void kalmanGains(Tensor jacobian, int batch, int length, int n, double observationVariance, Tensor keep, Tensor smootherGain);

    // ---- composed Möbius maps (quasi-ELK's variances) --------------------------------------------

    /**
     * The values of a scalar recursion of Möbius maps from 0: per row of the batch and channel,
     * <pre>
     *   p_t = (m11_t p_{t-1} + m12_t) / (m21_t p_{t-1} + m22_t),   p_{-1} = 0,
     * </pre>
     * the Riccati recursion of a scalar Kalman filter's variance. m11 … m22 and out are
     * (batch, length, channels), entries ≥ 0 and m22 > 0 (then every denominator is positive).
     * The CPU runs the recursion in time in float64; CUDA runs it in parallel over time (a block
     * scan of the maps' 2×2 matrices, each product divided by the sum of its entries so that
     * thousands of steps neither overflow nor vanish). out must not alias the inputs.
     */
    void mobiusPrefix(Tensor m11, Tensor m12, Tensor m21, Tensor m22, int batch, int length, int channels, Tensor out);

    // ---- random numbers (Philox4x32-10; identical streams on every backend) ---------------------

    /**
     * Uniform floats in [lo, hi): element i uses word i%4 of Philox4x32-10 at counter
     * (offset + i/4) with key = seed; see {@link io.recur.random.Philox}.
     */
    void randomUniform(Tensor t, long seed, long offset, float lo, float hi);

    /** Normal floats (Box-Muller over word pairs of the same counters as randomUniform). */
    void randomNormal(Tensor t, long seed, long offset, float mean, float std);

    /**
     * Inverted dropout: y[i] = x[i] / (1 - p) if uniform(seed, offset)[i] >= p, else 0. Applied to
     * dy with the same seed and offset it is its own backward. y may alias x.
     */
    void dropout(Tensor x, float p, long seed, long offset, Tensor y);
}
