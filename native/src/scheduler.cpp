#include "scheduler.h"

#include <algorithm>
#include <cstring>
#include "errors.h"

namespace recur_sim {

namespace {
// splitmix64: decorrelates (seed, block) pairs into independent shuffle streams.
uint64_t mix(uint64_t x) {
    x += 0x9e3779b97f4a7c15ull;
    x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ull;
    x = (x ^ (x >> 27)) * 0x94d049bb133111ebull;
    return x ^ (x >> 31);
}

void fiberMain(Fiber* f) {
    Block& b = *f->block;
    b.launch->kernel->launch(b.launch->args);
    f->state = FiberState::Exited;
    --b.runnable;
    --b.live;
    b.warpExited[f->warp] |= 1u << f->lane;
    park(*f);
    __builtin_unreachable();
}
}  // namespace

void park(Fiber& f) { recur_sim_switch(&f.sp, f.block->schedulerSp); }

Worker& Worker::forThisThread() {
    static thread_local Worker worker;
    return worker;
}

bool Worker::runBlock(const LaunchSpec& L, uint64_t linear, std::string& error) {
    const unsigned n = L.block.x * L.block.y * L.block.z;
    Fiber** fibers = stacks_.reserve(n);
    if (fibers == nullptr) {
        error = "cannot map fiber stacks for " + std::to_string(n) + " threads";
        return false;
    }
    Block b{};
    b.launch = &L;
    b.idx = uint3{(unsigned)(linear % L.grid.x), (unsigned)(linear / L.grid.x % L.grid.y),
                  (unsigned)(linear / ((uint64_t)L.grid.x * L.grid.y))};
    b.fibers = fibers;
    b.n = n;
    b.runnable = b.live = n;
    b.warpWaiting.assign((n + 31) / 32, 0);
    b.warpExited.assign((n + 31) / 32, 0);
    if (L.dynamicSharedBytes > 0) {
        dynamicShared_.resize(L.dynamicSharedBytes + 16);
        // Poisoned: all-ones bytes read as NaN or -1, so reading before writing shows.
        std::memset(dynamicShared_.data(), 0xff, dynamicShared_.size());
        b.dynamicShared = dynamicShared_.data() + (-reinterpret_cast<uintptr_t>(dynamicShared_.data()) & 15);
        b.dynamicSharedBytes = L.dynamicSharedBytes;
    }
    for (unsigned i = 0; i < n; ++i) {
        Fiber& f = *fibers[i];
        f.threadIdx = uint3{i % L.block.x, i / L.block.x % L.block.y, i / (L.block.x * L.block.y)};
        f.blockIdx = b.idx;
        f.blockDim = L.block;
        f.gridDim = L.grid;
        f.block = &b;
        f.state = FiberState::Runnable;
        f.id = i;
        f.lane = i % 32;
        f.warp = i / 32;
        initialFrame(f, fiberMain);
    }

    order_.resize(n);
    for (unsigned i = 0; i < n; ++i) order_[i] = i;
    const bool shuffled = L.orderSeed != 0;
    uint64_t rng = mix(L.orderSeed ^ mix(linear));

    while (b.live > 0) {
        if (b.runnable == 0) {
            error = diagnose(b);
            return false;
        }
        if (shuffled) {
            for (unsigned i = n - 1; i > 0; --i) {  // Fisher-Yates with a fresh draw per round
                rng = mix(rng);
                std::swap(order_[i], order_[rng % (i + 1)]);
            }
        }
        for (unsigned i : order_) {
            Fiber& f = *fibers[i];
            if (f.state != FiberState::Runnable) continue;
            recur_sim_switch(&b.schedulerSp, f.sp);
            if (b.failed) {
                error = std::move(b.error);
                return false;
            }
        }
    }
    return true;
}

}  // namespace recur_sim
