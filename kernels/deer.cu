// Jacobians of recurrent cells for DEER/ELK, built in one pass; see Backend#rowScaledBlocks for the
// contract. Composing the same matrices from per-term tensor ops would read and write the whole
// output once per term.
//
// A block is (cols, rows, mats) threads: thread (x, y, z) owns element (r, col) = (blockIdx.y·rows
// + y, x) of matrices blockIdx.x·mats + z, then every gridDim.x·mats-th one. Where a whole matrix
// fits (cols = rows = side) consecutive threads write consecutive output elements, so writes are
// coalesced. An element's factor in each term (W_g[i][j], or 1 on the identity's diagonal) does not
// depend on the matrix: it is loaded once per thread, and each matrix then costs one coefficient
// load (shared by a row of threads) per term placed in the element's block.
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
    const int side = terms.blocks * n, count = terms.count;
    for (int r = blockIdx.y * blockDim.y + threadIdx.y; r < side; r += blockDim.y * gridDim.y) {
        const int a = r / n, i = r - a * n;
        for (int col = threadIdx.x; col < side; col += blockDim.x) {
            const int b = col / n, j = col - b * n;
            float factor[TERMS_MAX];
            unsigned used = 0;
            // Unrolled over the fixed maximum: the struct is read with constant indices and factor stays in registers.
#pragma unroll
            for (int k = 0; k < TERMS_MAX; ++k) {
                factor[k] = 0.0f;
                if (k >= count || terms.row[k] != a || terms.col[k] != b) continue;
                const int g = terms.weight[k];
                if (g < 0 && i != j) continue;  // off the identity's diagonal
                used |= 1u << k;
                factor[k] = g < 0 ? 1.0f : weight[((long long)g * n + i) * n + j];
            }
            for (long long m = (long long)blockIdx.x * blockDim.z + threadIdx.z; m < matrices;
                 m += (long long)gridDim.x * blockDim.z) {
                const float* c = coefficients + m * count * n + i;
                float sum = 0.0f;
#pragma unroll
                for (int k = 0; k < TERMS_MAX; ++k)
                    if (used & (1u << k)) sum += c[k * n] * factor[k];
                out[(m * side + r) * side + col] = sum;
            }
        }
    }
}
