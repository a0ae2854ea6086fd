// e-prop for a recurrent spiking network (LSNN): one time step of the neurons fused with the
// eligibility-trace update and the gradient accumulation; see Backend#epropStep for the contract.
// One thread per synapse (j <- i) loops over the batch, so it alone owns that synapse's traces,
// gradient and eligibility sum: no atomics. Every thread of neuron j recomputes the neuron's step
// (a few flops) from the old state, and the thread with i == 0 writes it; the presynaptic trace of
// i is written by the thread with j == 0. Old and new state are separate buffers, so no thread
// reads what another writes in the same launch.
#include "common.cuh"

extern "C" __global__ void eprop_step_f32(
        const float* __restrict__ current, const float* __restrict__ x,
        const float* __restrict__ v0, const float* __restrict__ a0, const float* __restrict__ z0,
        const float* __restrict__ r0, const float* __restrict__ psi0,
        float* __restrict__ v1, float* __restrict__ a1, float* __restrict__ z1, float* __restrict__ r1,
        float* __restrict__ psi1, const float* __restrict__ ev0, float* __restrict__ ev1,
        float* __restrict__ adapt, float* __restrict__ filtered, const float* __restrict__ signal,
        float* __restrict__ grad, float* __restrict__ eSum,
        int batch, int neurons, int lif, int inputs, int pre, int refractorySteps, int flush,
        float alpha, float rho, float kappa, float thr, float beta, float gamma) {
    const long long synapses = (long long)neurons * pre;
    for (long long s = firstIndex(); s < synapses; s += gridStride()) {
        const int j = (int)(s / pre), i = (int)(s % pre);
        const float betaJ = j < lif ? 0.0f : beta;
        float g = 0.0f, es = 0.0f;
        for (int b = 0; b < batch; ++b) {
            const long long bj = (long long)b * neurons + j, bji = bj * pre + i;
            const float fe = filtered[bji];
            g += signal[bj] * fe;  // the previous step's learning signal meets the previous F_kappa(e)
            if (flush) continue;
            const float zOld = z0[bj];
            const float v = alpha * v0[bj] + (1.0f - alpha) * current[bj] - thr * zOld;
            const float a = rho * a0[bj] + zOld;
            const float scaled = (v - thr - betaJ * a) / thr;
            const bool frozen = r0[bj] > 0.0f;
            const float z = !frozen && scaled > 0.0f ? 1.0f : 0.0f;
            const float psi = frozen ? 0.0f : gamma * fmaxf(0.0f, 1.0f - fabsf(scaled)) / thr;
            if (i == 0) {
                v1[bj] = v;
                a1[bj] = a;
                z1[bj] = z;
                psi1[bj] = psi;
                r1[bj] = z != 0.0f ? (float)refractorySteps : fmaxf(0.0f, r0[bj] - 1.0f);
            }
            const long long bi = (long long)b * pre + i;
            const float evOld = ev0[bi];
            const float in = i < inputs ? x[(long long)b * inputs + i] : z0[(long long)b * neurons + (i - inputs)];
            const float ev = alpha * evOld + (1.0f - alpha) * in;
            if (j == 0) ev1[bi] = ev;
            float e = psi * ev;
            if (j >= lif) {
                const long long at = ((long long)b * (neurons - lif) + (j - lif)) * pre + i;
                const float p0 = psi0[bj];
                const float ea = (rho - beta * p0) * adapt[at] + p0 * evOld;
                adapt[at] = ea;
                e = psi * (ev - beta * ea);
            }
            filtered[bji] = kappa * fe + e;
            es += e;
        }
        grad[s] += g;
        eSum[s] += es;
    }
}
