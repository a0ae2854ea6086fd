// Atomics on global and shared memory. Blocks run concurrently on several OS threads, so these
// are real atomic read-modify-writes; each returns the old value, as CUDA's do.
#pragma once
#include <atomic>

namespace recur_sim {
template <class T>
inline std::atomic_ref<T> atomicRef(T* p) { return std::atomic_ref<T>(*p); }

template <class T>
inline T atomicUpdate(T* p, auto f) {  // compare-exchange loop for operations atomic_ref lacks
    std::atomic_ref<T> a(*p);
    T old = a.load(std::memory_order_relaxed);
    while (!a.compare_exchange_weak(old, f(old), std::memory_order_seq_cst, std::memory_order_relaxed)) {}
    return old;
}
}  // namespace recur_sim

#define RECUR_SIM_ATOMIC_ARITH(T)                                                                        \
    inline T atomicAdd(T* p, T v) { return recur_sim::atomicRef(p).fetch_add(v); }                       \
    inline T atomicExch(T* p, T v) { return recur_sim::atomicRef(p).exchange(v); }                        \
    inline T atomicMax(T* p, T v) { return recur_sim::atomicUpdate(p, [v](T o) { return o < v ? v : o; }); } \
    inline T atomicMin(T* p, T v) { return recur_sim::atomicUpdate(p, [v](T o) { return v < o ? v : o; }); }
RECUR_SIM_ATOMIC_ARITH(int)
RECUR_SIM_ATOMIC_ARITH(unsigned int)
RECUR_SIM_ATOMIC_ARITH(unsigned long long)
RECUR_SIM_ATOMIC_ARITH(long long)
#undef RECUR_SIM_ATOMIC_ARITH

inline float atomicAdd(float* p, float v) { return recur_sim::atomicRef(p).fetch_add(v); }
inline double atomicAdd(double* p, double v) { return recur_sim::atomicRef(p).fetch_add(v); }
inline float atomicExch(float* p, float v) { return recur_sim::atomicRef(p).exchange(v); }

#define RECUR_SIM_ATOMIC_BITS(T)                                                      \
    inline T atomicSub(T* p, T v) { return recur_sim::atomicRef(p).fetch_sub(v); }     \
    inline T atomicAnd(T* p, T v) { return recur_sim::atomicRef(p).fetch_and(v); }     \
    inline T atomicOr(T* p, T v) { return recur_sim::atomicRef(p).fetch_or(v); }       \
    inline T atomicXor(T* p, T v) { return recur_sim::atomicRef(p).fetch_xor(v); }     \
    inline T atomicCAS(T* p, T compare, T v) {                                         \
        recur_sim::atomicRef(p).compare_exchange_strong(compare, v);                   \
        return compare;                                                                \
    }
RECUR_SIM_ATOMIC_BITS(int)
RECUR_SIM_ATOMIC_BITS(unsigned int)
RECUR_SIM_ATOMIC_BITS(unsigned long long)
#undef RECUR_SIM_ATOMIC_BITS

// CUDA's wrapping increment/decrement: ((old >= limit) ? 0 : old + 1) and its mirror.
inline unsigned int atomicInc(unsigned int* p, unsigned int limit) {
    return recur_sim::atomicUpdate(p, [limit](unsigned int o) { return o >= limit ? 0u : o + 1; });
}
inline unsigned int atomicDec(unsigned int* p, unsigned int limit) {
    return recur_sim::atomicUpdate(p, [limit](unsigned int o) { return (o == 0 || o > limit) ? limit : o - 1; });
}

inline void __threadfence() { std::atomic_thread_fence(std::memory_order_seq_cst); }
inline void __threadfence_block() { std::atomic_signal_fence(std::memory_order_seq_cst); }
inline void __threadfence_system() { std::atomic_thread_fence(std::memory_order_seq_cst); }
