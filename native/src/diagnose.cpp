// Explains a stuck block: no fiber is runnable, yet some have not returned. Barriers and warp
// operations complete as soon as they can, so whatever still waits disagrees with someone.
#include "errors.h"
#include "scheduler.h"

namespace recur_sim {

namespace {
std::string laneName(const Fiber& f) { return "lane " + std::to_string(f.lane) + " (" + threadName(f) + ")"; }

std::string waitName(const Fiber& f) {
    if (f.state == FiberState::AtBarrier) return std::string(barrierName(f.barrier)) + " (" + siteName(f.file, f.line) + ")";
    return std::string(warpKindName(f.call.kind)) + " with mask " + hexMask(f.call.mask) + " (" + siteName(f.file, f.line) + ")";
}

// The first lane named in w's mask that keeps w's operation from completing, and why.
std::string warpDisagreement(const Block& b, const Fiber& w) {
    const std::string head = blockName(b) + " " + threadName(w) + ": " + waitName(w);
    for (unsigned m = w.call.mask; m; m &= m - 1) {
        const unsigned id = w.warp * 32 + __builtin_ctz(m);
        if (id >= b.n)
            return head + " names lane " + std::to_string(id % 32) + ", which does not exist (the block has " +
                   std::to_string(b.n) + " threads)";
        const Fiber& o = *b.fibers[id];
        switch (o.state) {
            case FiberState::Exited:
                return head + " names " + laneName(o) + ", which has exited";
            case FiberState::AtBarrier:
                return head + ": deadlock: it waits for " + laneName(o) + ", which waits at " + waitName(o);
            case FiberState::AtWarp:
                if (o.call.kind != w.call.kind || o.call.mask != w.call.mask || o.call.width != w.call.width)
                    return head + " names " + laneName(o) + ", which waits at " + waitName(o);
                break;
            case FiberState::Runnable:
                break;
        }
    }
    return head + ": deadlock: no thread can make progress";
}
}  // namespace

std::string diagnose(const Block& b) {
    const Fiber *waiter = nullptr, *exited = nullptr;
    for (unsigned i = 0; i < b.n; ++i) {
        const Fiber& f = *b.fibers[i];
        if (f.state == FiberState::AtWarp) return warpDisagreement(b, f);
        if (f.state == FiberState::AtBarrier && waiter == nullptr) waiter = &f;
        if (f.state == FiberState::Exited && exited == nullptr) exited = &f;
    }
    if (waiter != nullptr && exited != nullptr)
        return blockName(b) + ": barrier divergence: " + threadName(*waiter) + " waits at " + waitName(*waiter) +
               " while " + threadName(*exited) + " has exited";
    return blockName(b) + ": deadlock: no thread can make progress";
}

}  // namespace recur_sim
