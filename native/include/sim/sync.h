// Barriers and warp operations. Each call parks the calling fiber in the runtime until its
// partners arrive; call sites come from std::source_location, so barrier divergence and mask
// errors can name the file and line.
#pragma once
#include <cstdint>
#include <cstring>
#include <source_location>
#include <type_traits>

#define RECUR_SIM_EXPORT __attribute__((visibility("default")))

namespace recur_sim {
enum BarrierMode : int { kBarrierPlain, kBarrierCount, kBarrierAnd, kBarrierOr };
enum WarpKind : int { kSyncWarp, kShflIdx, kShflUp, kShflDown, kShflXor, kBallot, kAny, kAll };
using Site = std::source_location;
}  // namespace recur_sim

extern "C" {
RECUR_SIM_EXPORT int recur_sim_barrier(int mode, int pred, const char* file, unsigned line);
// value: the lane's operand bits; arg: source lane, delta, lane mask or predicate, by kind.
RECUR_SIM_EXPORT uint64_t recur_sim_warp(int kind, unsigned mask, uint64_t value, int arg, int width,
                                         const char* file, unsigned line);
RECUR_SIM_EXPORT unsigned recur_sim_activemask(void);
}

namespace recur_sim {
template <class T>
inline T warpValue(WarpKind kind, unsigned mask, T var, int arg, int width, const Site& at) {
    static_assert(std::is_trivially_copyable_v<T> && sizeof(T) <= 8, "shuffled values are at most 64 bits");
    uint64_t bits = 0;
    std::memcpy(&bits, &var, sizeof(T));
    bits = recur_sim_warp(kind, mask, bits, arg, width, at.file_name(), at.line());
    T out;
    std::memcpy(&out, &bits, sizeof(T));
    return out;
}
}  // namespace recur_sim

inline void __syncthreads(recur_sim::Site at = recur_sim::Site::current()) {
    recur_sim_barrier(recur_sim::kBarrierPlain, 1, at.file_name(), at.line());
}
inline int __syncthreads_count(int pred, recur_sim::Site at = recur_sim::Site::current()) {
    return recur_sim_barrier(recur_sim::kBarrierCount, pred != 0, at.file_name(), at.line());
}
inline int __syncthreads_and(int pred, recur_sim::Site at = recur_sim::Site::current()) {
    return recur_sim_barrier(recur_sim::kBarrierAnd, pred != 0, at.file_name(), at.line());
}
inline int __syncthreads_or(int pred, recur_sim::Site at = recur_sim::Site::current()) {
    return recur_sim_barrier(recur_sim::kBarrierOr, pred != 0, at.file_name(), at.line());
}

inline void __syncwarp(unsigned mask = 0xffffffffu, recur_sim::Site at = recur_sim::Site::current()) {
    recur_sim_warp(recur_sim::kSyncWarp, mask, 0, 0, warpSize, at.file_name(), at.line());
}

template <class T>
inline T __shfl_sync(unsigned mask, T var, int srcLane, int width = warpSize, recur_sim::Site at = recur_sim::Site::current()) {
    return recur_sim::warpValue(recur_sim::kShflIdx, mask, var, srcLane, width, at);
}
template <class T>
inline T __shfl_up_sync(unsigned mask, T var, unsigned delta, int width = warpSize, recur_sim::Site at = recur_sim::Site::current()) {
    return recur_sim::warpValue(recur_sim::kShflUp, mask, var, (int)delta, width, at);
}
template <class T>
inline T __shfl_down_sync(unsigned mask, T var, unsigned delta, int width = warpSize, recur_sim::Site at = recur_sim::Site::current()) {
    return recur_sim::warpValue(recur_sim::kShflDown, mask, var, (int)delta, width, at);
}
template <class T>
inline T __shfl_xor_sync(unsigned mask, T var, int laneMask, int width = warpSize, recur_sim::Site at = recur_sim::Site::current()) {
    return recur_sim::warpValue(recur_sim::kShflXor, mask, var, laneMask, width, at);
}

inline unsigned __ballot_sync(unsigned mask, int pred, recur_sim::Site at = recur_sim::Site::current()) {
    return (unsigned)recur_sim_warp(recur_sim::kBallot, mask, 0, pred != 0, warpSize, at.file_name(), at.line());
}
inline int __any_sync(unsigned mask, int pred, recur_sim::Site at = recur_sim::Site::current()) {
    return (int)recur_sim_warp(recur_sim::kAny, mask, 0, pred != 0, warpSize, at.file_name(), at.line());
}
inline int __all_sync(unsigned mask, int pred, recur_sim::Site at = recur_sim::Site::current()) {
    return (int)recur_sim_warp(recur_sim::kAll, mask, 0, pred != 0, warpSize, at.file_name(), at.line());
}

// The lanes of the calling warp that have not exited (hardware gives the currently converged
// lanes; fibers have no notion of convergence, so this is the widest mask that can be valid).
inline unsigned __activemask() { return recur_sim_activemask(); }
