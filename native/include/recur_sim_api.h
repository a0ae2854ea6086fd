// The C interface of the kernel simulator: what the Java side (io.recur.backend.cuda.SimDriver)
// calls through the FFM API. Every CUDA thread of a launch runs as its own fiber on the CPU.
// Functions returning int give 0 on success, or nonzero with a UTF-8 message in err (NUL-terminated,
// truncated to err_len) that names the kernel, the block and the thread where that applies.
#pragma once
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

// Device memory is host memory: 256-byte aligned, zero-filled; NULL when exhausted.
void* recur_sim_malloc(size_t bytes);
void recur_sim_free(void* ptr);

// A kernel by its PTX entry name (the name cuModuleGetFunction takes; mangled for templates) in the
// module compiled from kernels/<module>.cu (or a test kernel file). NULL if there is no such kernel.
const void* recur_sim_find_kernel(const char* module, const char* entry);

// Every registered kernel, for coverage checks: index i in [0, recur_sim_kernel_count()).
int recur_sim_kernel_count(void);
const char* recur_sim_kernel_module(int i);
const char* recur_sim_kernel_entry(int i);

// Runs a kernel to completion, cuLaunchKernel-style: args[i] points at the value of parameter i.
// order_seed 0 resumes fibers in ascending thread order after every barrier and warp operation;
// any other value shuffles that order with this seed (to expose races). workers is the number of
// OS threads that run blocks concurrently (0 = all cores). Errors: barrier divergence (threads at
// different barriers, or exited while others wait), a warp operation whose mask disagrees with the
// lanes that call it, out-of-range indexing of shared arrays, deadlock.
int recur_sim_launch(const void* kernel,
                     unsigned grid_x, unsigned grid_y, unsigned grid_z,
                     unsigned block_x, unsigned block_y, unsigned block_z,
                     unsigned dynamic_shared_bytes, void** args,
                     uint64_t order_seed, int workers,
                     char* err, size_t err_len);

#ifdef __cplusplus
}
#endif
