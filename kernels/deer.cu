// Jacobians of recurrent cells for DEER/ELK, built in one pass; see Backend#rowScaledBlocks for the
// contract. One thread per output element, consecutive threads on consecutive elements (coalesced
// writes, and coalesced reads of the weight rows); each element sums its block's terms in order.
// Composing the same matrix from per-term tensor ops would read and write the whole output once per
// term.
#include "common.cuh"

#define TERMS_MAX 16  // BlockTerms.MAX_TERMS

// Where each term goes, passed by value (as the host packs it): term k adds diag(c_k) W_g to block
// (row[k], col[k]), g = weight[k], or diag(c_k) alone where weight[k] < 0.
struct BlockTerms {
    int count;
    int blocks;
    int row[TERMS_MAX];
    int col[TERMS_MAX];
    int weight[TERMS_MAX];
};

extern "C" __global__ void row_scaled_blocks_f32(const float* __restrict__ coefficients, const float* __restrict__ weight,
                                                 int matrices, int n, BlockTerms terms, float* __restrict__ out) {
    const int side = terms.blocks * n;
    const long long perMatrix = (long long)side * side, total = matrices * perMatrix;
    for (long long e = firstIndex(); e < total; e += gridStride()) {
        const long long m = e / perMatrix;
        const int within = (int)(e - m * perMatrix), r = within / side, col = within - r * side;
        const int a = r / n, i = r - a * n, b = col / n, j = col - b * n;
        const float* c = coefficients + m * terms.count * n + i;
        float sum = 0.0f;
        // Unrolled over the fixed maximum so that the struct is read with constant indices.
#pragma unroll
        for (int k = 0; k < TERMS_MAX; ++k) {
            if (k >= terms.count || terms.row[k] != a || terms.col[k] != b) continue;
            const int g = terms.weight[k];
            if (g < 0) {
                if (i == j) sum += c[k * n];
            } else {
                sum += c[k * n] * weight[((long long)g * n + i) * n + j];
            }
        }
        out[e] = sum;
    }
}
