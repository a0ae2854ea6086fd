package io.recur.backend.cpu;

import io.recur.backend.EPropStepArgs;
import io.recur.tensor.Tensor;

/**
 * The CPU reference of e-prop's fused step (Backend#epropStep), in float32 as the kernel
 * (kernels/eprop.cu) computes it: per synapse j ← i, a loop over the batch.
 */
final class CpuEProp {
    private CpuEProp() {}

    /** A tensor's floats with its offset, for indexing. */
    private record View(float[] a, int off) {
        static View of(Tensor t) { return new View(CpuStorage.f32(t), CpuStorage.offset(t)); }

        float get(long i) { return a[off + (int) i]; }

        void set(long i, float v) { a[off + (int) i] = v; }
    }

    static void step(EPropStepArgs p) {
        View current = View.of(p.current()), x = View.of(p.x()), v0 = View.of(p.v0()), a0 = View.of(p.a0()), z0 = View.of(p.z0()),
                r0 = View.of(p.r0()), psi0 = View.of(p.psi0()), v1 = View.of(p.v1()), a1 = View.of(p.a1()), z1 = View.of(p.z1()),
                r1 = View.of(p.r1()), psi1 = View.of(p.psi1()), ev0 = View.of(p.ev0()), ev1 = View.of(p.ev1()),
                adapt = View.of(p.adapt()), filtered = View.of(p.filtered()), signal = View.of(p.signal()),
                grad = View.of(p.grad()), eSum = View.of(p.eSum());
        int n = p.neurons(), pre = p.presynaptic(), lif = p.lif(), inputs = p.inputs();
        float alpha = p.alpha(), rho = p.rho(), kappa = p.kappa(), thr = p.threshold(), beta = p.beta(), gamma = p.gamma();
        for (int j = 0; j < n; j++) {
            float betaJ = j < lif ? 0f : beta;
            for (int i = 0; i < pre; i++) {
                float g = 0f, es = 0f;
                for (int b = 0; b < p.batch(); b++) {
                    long bj = (long) b * n + j, bji = bj * pre + i;
                    float fe = filtered.get(bji);
                    g += signal.get(bj) * fe;
                    if (p.flush()) continue;
                    float zOld = z0.get(bj);
                    float v = alpha * v0.get(bj) + (1f - alpha) * current.get(bj) - thr * zOld;
                    float a = rho * a0.get(bj) + zOld;
                    float scaled = (v - thr - betaJ * a) / thr;
                    boolean frozen = r0.get(bj) > 0f;
                    float z = !frozen && scaled > 0f ? 1f : 0f;
                    float psi = frozen ? 0f : gamma * Math.max(0f, 1f - Math.abs(scaled)) / thr;
                    if (i == 0) {
                        v1.set(bj, v);
                        a1.set(bj, a);
                        z1.set(bj, z);
                        psi1.set(bj, psi);
                        r1.set(bj, z != 0f ? p.refractorySteps() : Math.max(0f, r0.get(bj) - 1f));
                    }
                    long bi = (long) b * pre + i;
                    float evOld = ev0.get(bi);
                    float in = i < inputs ? x.get((long) b * inputs + i) : z0.get((long) b * n + (i - inputs));
                    float ev = alpha * evOld + (1f - alpha) * in;
                    if (j == 0) ev1.set(bi, ev);
                    float e = psi * ev;
                    if (j >= lif) {
                        long at = ((long) b * (n - lif) + (j - lif)) * pre + i;
                        float p0 = psi0.get(bj);
                        float ea = (rho - beta * p0) * adapt.get(at) + p0 * evOld;
                        adapt.set(at, ea);
                        e = psi * (ev - beta * ea);
                    }
                    filtered.set(bji, kappa * fe + e);
                    es += e;
                }
                long s = (long) j * pre + i;
                grad.set(s, grad.get(s) + g);
                eSum.set(s, eSum.get(s) + es);
            }
        }
    }
}
