package io.recur.backend.cuda;

/**
 * Every kernel the backend launches: the PTX module (kernels/MODULE.cu) and the extern "C" entry
 * name. A test checks each against the entries of the PTX in the jar, so a renamed kernel fails the
 * build rather than a launch.
 */
public enum Kernel {
    FILL("elementwise", "fill_f32"),
    UNARY("elementwise", "unary_f32"),
    UNARY_BACKWARD("elementwise", "unary_backward_f32"),
    SCALAR("elementwise", "scalar_f32"),
    BINARY("broadcast", "binary_f32"),
    BINARY_BACKWARD("broadcast", "binary_backward_f32"),
    BROADCAST_TO("broadcast", "broadcast_to_u32"),
    SUM_TO_THREAD("reduction", "sum_to_thread_f32"),
    SUM_TO_BLOCK("reduction", "sum_to_block_f32"),
    MAX_AXIS("reduction", "max_axis_f32"),
    SOFTMAX("softmax", "softmax_f32"),
    SOFTMAX_BACKWARD("softmax", "softmax_backward_f32"),
    CROSS_ENTROPY("softmax", "cross_entropy_f32"),
    CROSS_ENTROPY_BACKWARD("softmax", "cross_entropy_backward_f32"),
    GATHER("indexing", "gather_f32"),
    SCATTER_ADD("indexing", "scatter_add_f32"),
    EMBEDDING("indexing", "embedding_f32"),
    EMBEDDING_BACKWARD("indexing", "embedding_backward_f32"),
    COPY_BLOCK("indexing", "copy_block_u32"),
    TRANSPOSE("indexing", "transpose_u32"),
    TRANSPOSE_TILED("indexing", "transpose_tiled_u32"),
    NORM_FORWARD("norm", "norm_forward_f32"),
    NORM_BACKWARD("norm", "norm_backward_f32"),
    NORM_AFFINE_GRAD("norm", "norm_affine_grad_f32"),
    RANDOM_UNIFORM("random", "random_uniform_f32"),
    RANDOM_NORMAL("random", "random_normal_f32"),
    DROPOUT("random", "dropout_f32"),
    SGEMM("gemm", "sgemm_f32"),
    LINEAR_SCAN("scan", "linear_scan_f32"),
    LINEAR_SCAN_BACKWARD("scan", "linear_scan_backward_f32"),
    LINEAR_SCAN_REDUCE("scan", "linear_scan_reduce_f32"),
    LINEAR_SCAN_CARRY("scan", "linear_scan_carry_f32"),
    MATRIX_SCAN("scan", "matrix_scan_f32"),
    MATRIX_SCAN_BACKWARD("scan", "matrix_scan_backward_f32"),
    // ---- RG-LRU and causal conv1d ----
    RGLRU_FORWARD("rglru", "rglru_forward_f32"),
    RGLRU_BACKWARD("rglru", "rglru_backward_f32"),
    RGLRU_REDUCE("rglru", "rglru_reduce_f32"),
    CONV1D_FORWARD("conv1d", "conv1d_forward_f32"),
    CONV1D_BACKWARD("conv1d", "conv1d_backward_f32"),
    // ---- selective scan (Mamba S6) ----
    SELECTIVE_SCAN_FWD("selective_scan", "selective_scan_fwd_f32"),
    SELECTIVE_SCAN_BWD("selective_scan", "selective_scan_bwd_f32"),
    // ---- local attention (Griffin) ----
    LOCAL_ATTENTION_FORWARD("local_attention", "local_attention_forward_f32"),
    LOCAL_ATTENTION_BACKWARD_DQ("local_attention", "local_attention_backward_dq_f32"),
    LOCAL_ATTENTION_BACKWARD_DKDV("local_attention", "local_attention_backward_dkdv_f32"),
    // ---- inverse roots and eigendecompositions (Shampoo, SOAP) ----
    INVERSE_ROOT_NEWTON("roots", "inverse_root_newton_f32"),
    INVERSE_ROOT_EIGEN("roots", "inverse_root_eigen_f32"),
    SYMMETRIC_EIGEN("roots", "symmetric_eigen_f32"),
    // ---- ELK's Kalman gains, parallel in time ----
    KALMAN_ELEMENTS("kalman", "kalman_elements_f64"),
    KALMAN_COMBINE("kalman", "kalman_combine_f64"),
    KALMAN_GAINS("kalman", "kalman_gains_f32"),
    // ---- composed Möbius maps (quasi-ELK's variances), parallel in time ----
    MOBIUS_PREFIX("mobius", "mobius_prefix_f32"),
    // ---- fused recurrent cells (torch.nn.LSTM, torch.nn.GRU) ----
    LSTM_CELL("cells", "lstm_cell_f32"),
    LSTM_CELL_BACKWARD("cells", "lstm_cell_backward_f32"),
    GRU_CELL("cells", "gru_cell_f32"),
    GRU_CELL_BACKWARD("cells", "gru_cell_backward_f32"),
    // ---- e-prop (spiking networks) ----
    EPROP_STEP("eprop", "eprop_step_f32"),
    // ---- DEER Jacobians ----
    ROW_SCALED_BLOCKS("deer", "row_scaled_blocks_f32");

    private final String module;
    private final String entry;

    Kernel(String module, String entry) {
        this.module = module;
        this.entry = entry;
    }

    public String module() { return module; }

    public String entry() { return entry; }
}
