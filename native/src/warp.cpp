// Warp operations. A lane parks with its operation and mask; the operation completes when every
// lane named in the mask waits at an operation of the same kind with the same mask (and width),
// and the last lane to arrive computes every participant's result. Anything else stays parked
// until the block is stuck, and diagnose() then says which lane disagreed.
#include "errors.h"

namespace recur_sim {

namespace {
constexpr uint64_t kUndefined = ~0ull;  // a shuffle from a lane outside the mask: NaN / -1

bool agrees(const WarpCall& a, const WarpCall& b) {
    return a.kind == b.kind && a.mask == b.mask && a.width == b.width;
}

bool isShuffle(int kind) { return kind == kShflIdx || kind == kShflUp || kind == kShflDown || kind == kShflXor; }

// Source lane of a shuffle, as PTX shfl.sync defines it for segments of `width` lanes: a source
// outside the caller's segment yields the caller's own value.
unsigned shuffleSource(const WarpCall& c, unsigned lane) {
    const int base = (int)(lane & ~(unsigned)(c.width - 1)), last = base + c.width - 1, l = (int)lane;
    int j;
    switch (c.kind) {
        case kShflIdx: j = base + (c.arg & (c.width - 1)); break;
        case kShflUp: j = l - c.arg; if (j < base) j = l; break;
        case kShflDown: j = l + c.arg; if (j > last) j = l; break;
        default: j = l ^ c.arg; if (j < 0 || j > last) j = l; break;
    }
    return (unsigned)j;
}

void complete(Block& b, unsigned warp, const WarpCall& op) {
    Fiber** lanes = b.fibers + warp * 32;
    unsigned preds = 0;
    for (unsigned m = op.mask; m; m &= m - 1) {
        const unsigned l = __builtin_ctz(m);
        if (lanes[l]->call.arg != 0) preds |= 1u << l;
    }
    for (unsigned m = op.mask; m; m &= m - 1) {
        const unsigned l = __builtin_ctz(m);
        WarpCall& c = lanes[l]->call;
        switch (op.kind) {
            case kBallot: c.result = preds; break;
            case kAny: c.result = preds != 0; break;
            case kAll: c.result = preds == op.mask; break;
            case kSyncWarp: c.result = 0; break;
            default: {
                const unsigned src = shuffleSource(c, l);
                c.result = (op.mask >> src & 1) ? lanes[src]->call.value : kUndefined;
            }
        }
    }
    b.warpWaiting[warp] &= ~op.mask;
    for (unsigned m = op.mask; m; m &= m - 1) wake(b, *lanes[__builtin_ctz(m)]);
}
}  // namespace

}  // namespace recur_sim

using namespace recur_sim;

extern "C" uint64_t recur_sim_warp(int kind, unsigned mask, uint64_t value, int arg, int width, const char* file,
                                   unsigned line) {
    Fiber& f = current();
    Block& b = *f.block;
    if (!(mask >> f.lane & 1))
        fail(f, std::string(warpKindName(kind)) + " with mask " + hexMask(mask) + " (" + siteName(file, line) +
                    ") does not name the calling lane " + std::to_string(f.lane));
    if (isShuffle(kind) && (width < 1 || width > 32 || (width & (width - 1)) != 0))
        fail(f, std::string(warpKindName(kind)) + " (" + siteName(file, line) + ") with width " + std::to_string(width) +
                    ", which is not a power of two up to 32");
    f.state = FiberState::AtWarp;
    f.file = file;
    f.line = line;
    f.call = WarpCall{kind, mask, arg, isShuffle(kind) ? width : 32, value, 0};
    --b.runnable;
    uint32_t& waiting = b.warpWaiting[f.warp];
    waiting |= 1u << f.lane;
    if ((waiting & mask) == mask) {
        bool all = true;
        for (unsigned m = mask; m && all; m &= m - 1) all = agrees(b.fibers[f.warp * 32 + __builtin_ctz(m)]->call, f.call);
        if (all) complete(b, f.warp, f.call);
    }
    park(f);
    return f.call.result;
}

extern "C" unsigned recur_sim_activemask(void) {
    const Fiber& f = current();
    const Block& b = *f.block;
    const unsigned present = b.n - f.warp * 32 >= 32 ? ~0u : (1u << (b.n - f.warp * 32)) - 1;
    return present & ~b.warpExited[f.warp];
}
