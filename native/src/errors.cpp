#include "errors.h"

#include <cstdio>
#include <cstring>

namespace recur_sim {

namespace {
std::string triple(const char* label, unsigned x, unsigned y, unsigned z) {
    char buf[96];
    std::snprintf(buf, sizeof buf, "%s (%u,%u,%u)", label, x, y, z);
    return buf;
}
}  // namespace

std::string blockName(const Block& b) {
    const KernelRecord& k = *b.launch->kernel;
    return k.module + "/" + k.display + " " + triple("block", b.idx.x, b.idx.y, b.idx.z);
}

std::string threadName(const Fiber& f) { return triple("thread", f.threadIdx.x, f.threadIdx.y, f.threadIdx.z); }

std::string siteName(const char* file, unsigned line) {
    const char* slash = std::strrchr(file, '/');
    return std::string(slash ? slash + 1 : file) + ":" + std::to_string(line);
}

std::string hexMask(unsigned mask) {
    char buf[16];
    std::snprintf(buf, sizeof buf, "0x%08x", mask);
    return buf;
}

const char* barrierName(int mode) {
    switch (mode) {
        case kBarrierCount: return "__syncthreads_count";
        case kBarrierAnd: return "__syncthreads_and";
        case kBarrierOr: return "__syncthreads_or";
        default: return "__syncthreads";
    }
}

const char* warpKindName(int kind) {
    switch (kind) {
        case kSyncWarp: return "__syncwarp";
        case kShflIdx: return "__shfl_sync";
        case kShflUp: return "__shfl_up_sync";
        case kShflDown: return "__shfl_down_sync";
        case kShflXor: return "__shfl_xor_sync";
        case kBallot: return "__ballot_sync";
        case kAny: return "__any_sync";
        case kAll: return "__all_sync";
        default: return "warp operation";
    }
}

void abandon(Fiber& f, std::string message) {
    Block& b = *f.block;
    b.failed = true;
    b.error = std::move(message);
    park(f);
    __builtin_unreachable();  // the scheduler never resumes a fiber of a failed block
}

void fail(Fiber& f, const std::string& what) { abandon(f, blockName(*f.block) + " " + threadName(f) + ": " + what); }

}  // namespace recur_sim
