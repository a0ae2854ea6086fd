// The built-in variables of a CUDA thread. Every fiber's stack lives in a region aligned to
// kFiberSpan whose first page holds that fiber's header, so the running fiber finds its own
// threadIdx by masking the stack pointer: no thread-local lookup on the hot path.
#pragma once
#include <cstdint>
#include "types.h"

namespace recur_sim {

inline constexpr std::uintptr_t kFiberSpan = 64 * 1024;  // header page, guard page, stack

struct FiberHeader {
    uint3 threadIdx;
    uint3 blockIdx;
    dim3 blockDim;
    dim3 gridDim;
};

// Valid only inside a kernel, i.e. on a fiber stack.
__attribute__((always_inline)) inline const FiberHeader& self() {
    std::uintptr_t sp;
    asm("mov %%rsp, %0" : "=r"(sp));
    return *reinterpret_cast<const FiberHeader*>(sp & ~(kFiberSpan - 1));
}

}  // namespace recur_sim

inline constexpr int warpSize = 32;
