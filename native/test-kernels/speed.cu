// The simulator's speed benchmark: 256 threads per block, four barriers and ten shuffles per
// thread. out[b] = sum over the block of x[i] * x[255 - i within the block].
extern "C" __global__ void speed(const float* x, float* out) {
    __shared__ float s[256];
    __shared__ float warpSums[8];
    const int t = threadIdx.x, lane = t & 31, warp = t >> 5;
    const float v = x[blockIdx.x * 256 + t];
    s[t] = v;
    __syncthreads();
    float p = v * s[255 - t];
    for (int offset = 16; offset > 0; offset >>= 1) p += __shfl_xor_sync(0xffffffffu, p, offset);
    if (lane == 0) warpSums[warp] = p;
    __syncthreads();
    if (warp == 0) {
        float w = lane < 8 ? warpSums[lane] : 0.0f;
        for (int offset = 16; offset > 0; offset >>= 1) w += __shfl_down_sync(0xffffffffu, w, offset);
        if (lane == 0) s[0] = w;
    }
    __syncthreads();
    const float total = s[0];
    __syncthreads();
    if (t == 0) out[blockIdx.x] = total;
}
