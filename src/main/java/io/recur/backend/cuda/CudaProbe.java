package io.recur.backend.cuda;

import io.recur.backend.Backend;
import io.recur.backend.BackendStatus;

/** PLACEHOLDER until the CUDA backend lands: reports CUDA as unavailable. */
public final class CudaProbe {
    private CudaProbe() {}

    public static BackendStatus status() { return BackendStatus.unavailable("cuda", "CUDA backend not built yet"); }

    public static Backend backend() { throw new IllegalStateException(status().reason()); }
}
