// The pointwise parts of torch's LSTM and GRU cells (Backend#lstmCell, #gruCell and their
// gradients): one thread per (row, hidden unit), grid-stride. The gates of unit j of a row lie
// hidden apart, so consecutive threads read consecutive floats of every gate block.
#include "common.cuh"
#include "ops.cuh"

__device__ __forceinline__ float sigmoidSlope(float s) { return s * (1.0f - s); }
__device__ __forceinline__ float tanhSlope(float t) { return 1.0f - t * t; }

// gh may be null (gx then holds the summed pre-activations); saved may be null (no backward follows).
extern "C" __global__ void lstm_cell_f32(const float* __restrict__ gx, const float* __restrict__ gh,
                                         const float* __restrict__ cPrev, int rows, int hidden,
                                         float* __restrict__ h, float* __restrict__ c, float* __restrict__ saved) {
    const long long units = (long long)rows * hidden;
    for (long long e = firstIndex(); e < units; e += gridStride()) {
        const long long row = e / hidden, j = e - row * hidden, x = row * 4 * hidden + j;
        float pre[4];
#pragma unroll
        for (int k = 0; k < 4; ++k) pre[k] = gx[x + k * hidden] + (gh != nullptr ? gh[x + k * hidden] : 0.0f);
        const float i = sigmoidf(pre[0]), f = sigmoidf(pre[1]), g = tanhf(pre[2]), o = sigmoidf(pre[3]);
        const float cn = f * cPrev[e] + i * g, tc = tanhf(cn);
        c[e] = cn;
        h[e] = o * tc;
        if (saved != nullptr) {
            float* s = saved + row * 5 * hidden + j;
            s[0] = i;
            s[hidden] = f;
            s[2 * hidden] = g;
            s[3 * hidden] = o;
            s[4 * hidden] = tc;
        }
    }
}

extern "C" __global__ void lstm_cell_backward_f32(const float* __restrict__ cPrev, const float* __restrict__ saved,
                                                  const float* __restrict__ dH, const float* __restrict__ dC, int rows,
                                                  int hidden, float* __restrict__ dGates, float* __restrict__ dCPrev) {
    const long long units = (long long)rows * hidden;
    for (long long e = firstIndex(); e < units; e += gridStride()) {
        const long long row = e / hidden, j = e - row * hidden;
        const float* s = saved + row * 5 * hidden + j;
        const float i = s[0], f = s[hidden], g = s[2 * hidden], o = s[3 * hidden], tc = s[4 * hidden];
        const float dh = dH[e], dc = dC[e] + dh * o * tanhSlope(tc);
        float* d = dGates + row * 4 * hidden + j;
        d[0] = dc * g * sigmoidSlope(i);
        d[hidden] = dc * cPrev[e] * sigmoidSlope(f);
        d[2 * hidden] = dc * i * tanhSlope(g);
        d[3 * hidden] = dh * tc * sigmoidSlope(o);
        dCPrev[e] = dc * f;
    }
}

// saved may be null (no backward follows).
extern "C" __global__ void gru_cell_f32(const float* __restrict__ gx, const float* __restrict__ gh,
                                        const float* __restrict__ hPrev, int rows, int hidden,
                                        float* __restrict__ h, float* __restrict__ saved) {
    const long long units = (long long)rows * hidden;
    for (long long e = firstIndex(); e < units; e += gridStride()) {
        const long long row = e / hidden, j = e - row * hidden, x = row * 3 * hidden + j;
        const float r = sigmoidf(gx[x] + gh[x]);
        const float z = sigmoidf(gx[x + hidden] + gh[x + hidden]);
        const float n = tanhf(gx[x + 2 * hidden] + r * gh[x + 2 * hidden]);
        h[e] = n + z * (hPrev[e] - n);  // (1 - z) n + z h_prev
        if (saved != nullptr) {
            saved[x] = r;
            saved[x + hidden] = z;
            saved[x + 2 * hidden] = n;
        }
    }
}

extern "C" __global__ void gru_cell_backward_f32(const float* __restrict__ gh, const float* __restrict__ hPrev,
                                                 const float* __restrict__ saved, const float* __restrict__ dH, int rows,
                                                 int hidden, float* __restrict__ dGx, float* __restrict__ dGh,
                                                 float* __restrict__ dHPrev) {
    const long long units = (long long)rows * hidden;
    for (long long e = firstIndex(); e < units; e += gridStride()) {
        const long long row = e / hidden, j = e - row * hidden, x = row * 3 * hidden + j;
        const float r = saved[x], z = saved[x + hidden], n = saved[x + 2 * hidden];
        const float dh = dH[e];
        const float dn = dh * (1.0f - z) * tanhSlope(n);
        const float dz = dh * (hPrev[e] - n) * sigmoidSlope(z);
        const float dr = dn * gh[x + 2 * hidden] * sigmoidSlope(r);
        dGx[x] = dr;
        dGx[x + hidden] = dz;
        dGx[x + 2 * hidden] = dn;
        dGh[x] = dr;
        dGh[x + hidden] = dz;
        dGh[x + 2 * hidden] = dn * r;
        dHPrev[e] = dh * z;
    }
}
