// Shared memory. Static __shared__ arrays become thread_local: a worker thread runs one block at a
// time, so each block sees its own copy (left over from the worker's previous block, where CUDA
// leaves it undefined). Their indexing is bounds-checked by -fsanitize=bounds (see src/ubsan.cpp).
// Dynamic shared memory is the block's buffer from the launch, reached through a checked view.
#pragma once
#include <cstddef>
#include "sync.h"

extern "C" {
RECUR_SIM_EXPORT void* recur_sim_dynamic_shared(size_t* bytes);
[[noreturn]] RECUR_SIM_EXPORT void recur_sim_shared_out_of_range(long long index, size_t count, size_t elem_size);
}

namespace recur_sim {
template <class T>
struct SharedSpan {
    T* ptr;
    size_t count;
    T& operator[](long long i) const {
        if (i < 0 || (size_t)i >= count) recur_sim_shared_out_of_range(i, count, sizeof(T));
        return ptr[i];
    }
    operator T*() const { return ptr; }  // pointer arithmetic leaves the checked view
};

template <class T>
inline SharedSpan<T> dynamicShared() {
    size_t bytes;
    T* p = static_cast<T*>(recur_sim_dynamic_shared(&bytes));
    return SharedSpan<T>{p, bytes / sizeof(T)};
}
}  // namespace recur_sim

#define __shared__ static thread_local
// The portable spelling for kernels: under nvcc this is `extern __shared__ T name[]`.
#define RECUR_DYNAMIC_SHARED(T, name) const ::recur_sim::SharedSpan<T> name = ::recur_sim::dynamicShared<T>()
