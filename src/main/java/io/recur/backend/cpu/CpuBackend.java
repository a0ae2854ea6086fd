package io.recur.backend.cpu;

/** PLACEHOLDER: the CPU backend is being written. */
public abstract class CpuBackend implements io.recur.backend.Backend {
}
