#include "stacks.h"

#include <sys/mman.h>
#include <unistd.h>
#include <cstring>
#include <new>

extern "C" void recur_sim_fiber_start();

namespace recur_sim {

namespace {
constexpr size_t kPage = 4096;
static_assert(sizeof(Fiber) <= kPage, "the fiber header must fit its page");
}  // namespace

StackPool::~StackPool() {
    for (const Mapping& m : mappings_) munmap(m.base, m.bytes);
}

Fiber** StackPool::reserve(unsigned n) {
    if (n <= fibers_.size()) return fibers_.data();
    const size_t add = n - fibers_.size();
    const size_t bytes = add * kFiberSpan + kFiberSpan;  // slack for alignment, trimmed below
    void* raw = mmap(nullptr, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    if (raw == MAP_FAILED) return nullptr;
    const uintptr_t start = reinterpret_cast<uintptr_t>(raw);
    const uintptr_t aligned = (start + kFiberSpan - 1) & ~(kFiberSpan - 1);
    const uintptr_t end = aligned + add * kFiberSpan;
    if (aligned > start) munmap(raw, aligned - start);
    if (start + bytes > end) munmap(reinterpret_cast<void*>(end), start + bytes - end);
    for (size_t i = 0; i < add; ++i) {  // fails when the process runs out of memory map entries
        if (mprotect(reinterpret_cast<char*>(aligned + i * kFiberSpan) + kPage, kPage, PROT_NONE) != 0) {
            munmap(reinterpret_cast<void*>(aligned), add * kFiberSpan);
            return nullptr;
        }
    }
    mappings_.push_back({reinterpret_cast<void*>(aligned), add * kFiberSpan});
    for (size_t i = 0; i < add; ++i) fibers_.push_back(new (reinterpret_cast<char*>(aligned + i * kFiberSpan)) Fiber());
    return fibers_.data();
}

void initialFrame(Fiber& f, void (*entry)(Fiber*)) {
    // Mirrors what recur_sim_switch pops: control words, r15, r14, r13, r12, rbx, rbp, return
    // address. The frame is 64 bytes from a 16-byte aligned sp, so the trampoline starts with
    // rsp % 16 == 0 and its call gives the entry the alignment the ABI promises.
    char* top = reinterpret_cast<char*>(&f) + kFiberSpan;
    uint64_t* frame = reinterpret_cast<uint64_t*>(top - 128);
    uint32_t mxcsr;
    uint16_t fpucw;
    asm volatile("stmxcsr %0" : "=m"(mxcsr));
    asm volatile("fnstcw %0" : "=m"(fpucw));
    std::memset(frame, 0, 64);
    std::memcpy(reinterpret_cast<char*>(frame), &mxcsr, 4);
    std::memcpy(reinterpret_cast<char*>(frame) + 4, &fpucw, 2);
    frame[3] = reinterpret_cast<uint64_t>(&f);      // r13: the entry's argument
    frame[4] = reinterpret_cast<uint64_t>(entry);   // r12: the entry
    frame[6] = 0;                                   // rbp: ends frame-pointer walks
    frame[7] = reinterpret_cast<uint64_t>(&recur_sim_fiber_start);
    f.sp = frame;
}

}  // namespace recur_sim
