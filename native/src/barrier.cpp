// __syncthreads and its reducing forms. The barrier completes when every thread of the block waits
// at it; the last one to arrive checks that all wait at the same call site and wakes them all.
// Threads that returned while others wait leave it incomplete, which diagnose() reports.
#include <cstring>
#include "errors.h"

namespace recur_sim {

namespace {
bool sameSite(const char* f1, unsigned l1, const char* f2, unsigned l2) {
    return l1 == l2 && (f1 == f2 || std::strcmp(f1, f2) == 0);
}

[[noreturn]] void divergence(Fiber& last, const Block& b) {
    // Name the lowest thread at each of two different sites, whatever order they arrived in.
    const Fiber& first = *b.fibers[0];
    const Fiber* other = nullptr;
    for (unsigned i = 1; i < b.n && other == nullptr; ++i) {
        const Fiber& f = *b.fibers[i];
        if (!sameSite(f.file, f.line, first.file, first.line)) other = &f;
    }
    abandon(last, blockName(b) + ": barrier divergence: " + threadName(first) + " waits at " + barrierName(first.barrier) + " (" +
                   siteName(first.file, first.line) + ") while " + threadName(*other) + " waits at " +
                   barrierName(other->barrier) + " (" + siteName(other->file, other->line) + ")");
}
}  // namespace

}  // namespace recur_sim

using namespace recur_sim;

extern "C" int recur_sim_barrier(int mode, int pred, const char* file, unsigned line) {
    Fiber& f = current();
    Block& b = *f.block;
    f.state = FiberState::AtBarrier;
    f.file = file;
    f.line = line;
    f.barrier = mode;
    --b.runnable;
    if (b.arrived == 0) {
        b.siteFile = file;
        b.siteLine = line;
        b.diverged = false;
    } else if (!sameSite(file, line, b.siteFile, b.siteLine)) {
        b.diverged = true;
    }
    b.accumulated += pred;
    if (++b.arrived == b.n) {
        if (b.diverged) divergence(f, b);
        b.result = mode == kBarrierAnd ? b.accumulated == (int)b.n
                 : mode == kBarrierOr  ? b.accumulated > 0
                                       : b.accumulated;
        b.arrived = 0;
        b.accumulated = 0;
        for (unsigned i = 0; i < b.n; ++i) wake(b, *b.fibers[i]);
    }
    park(f);
    return b.result;  // stays valid until this thread itself reaches the next barrier
}
