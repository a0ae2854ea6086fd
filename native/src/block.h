// The runtime's view of one block in flight: its fibers (one per CUDA thread), what each waits
// for, and the state of the block's barrier and warps. A worker thread runs one block at a time;
// everything here is touched only by that worker, so nothing needs locking.
#pragma once
#include <cstdint>
#include <string>
#include <vector>
#include "sim/fiber_header.h"
#include "sim/launch.h"
#include "sim/sync.h"

namespace recur_sim {

struct KernelRecord {
    std::string module, entry, display;
    Launcher launch;
    const KernelEntry* owner;  // the registering library's table, for unregistering
};

enum class FiberState : uint8_t { Runnable, AtBarrier, AtWarp, Exited };

// A pending warp operation of one lane.
struct WarpCall {
    int kind;
    unsigned mask;
    int arg;    // source lane, delta, lane mask or predicate, by kind
    int width;  // segment width of shuffles (32 for the others)
    uint64_t value;
    uint64_t result;
};

struct Block;

// Lives in the header page of its stack region; FiberHeader first, so self() can find it.
struct Fiber : FiberHeader {
    Block* block;
    void* sp;  // saved stack pointer while not running
    FiberState state;
    unsigned id, lane, warp;   // linear thread id, lane and warp within the block
    const char* file;          // call site of the barrier or warp operation it waits at
    unsigned line;
    int barrier;               // BarrierMode it waits at
    WarpCall call;
};

struct LaunchSpec {
    const KernelRecord* kernel;
    dim3 grid, block;
    unsigned dynamicSharedBytes;
    void** args;
    uint64_t orderSeed;
};

struct Block {
    const LaunchSpec* launch;
    uint3 idx;
    Fiber** fibers;
    unsigned n;
    void* schedulerSp;
    unsigned runnable, live;

    // The barrier: how many wait, where the first one waits, and the first thread elsewhere.
    unsigned arrived;
    int accumulated, result;
    const char* siteFile;
    unsigned siteLine;
    bool diverged;

    std::vector<uint32_t> warpWaiting;  // per warp: lanes parked at a warp operation
    std::vector<uint32_t> warpExited;   // per warp: lanes whose thread returned

    void* dynamicShared;
    size_t dynamicSharedBytes;

    bool failed;
    std::string error;
};

// The fiber running on this worker (valid only on a fiber stack).
inline Fiber& current() { return const_cast<Fiber&>(static_cast<const Fiber&>(self())); }

// Hands control back to the block's scheduler until someone makes f runnable again.
void park(Fiber& f);

// Makes a parked fiber runnable again.
inline void wake(Block& b, Fiber& f) {
    f.state = FiberState::Runnable;
    ++b.runnable;
}

}  // namespace recur_sim
