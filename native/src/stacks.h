// Fiber stacks, allocated once per worker thread and reused by every block it runs. Each fiber
// owns one kFiberSpan-aligned region: [header page | guard page | stack], so a stack overflow
// faults on the guard page instead of overwriting the header or a neighbour.
#pragma once
#include <vector>
#include "block.h"

namespace recur_sim {

extern "C" void recur_sim_switch(void** save_sp, void* next_sp);

class StackPool {
public:
    StackPool() = default;
    StackPool(const StackPool&) = delete;
    StackPool& operator=(const StackPool&) = delete;
    ~StackPool();

    // At least n fibers, constructed in their regions' header pages; fails only when mmap does.
    Fiber** reserve(unsigned n);

private:
    struct Mapping { void* base; size_t bytes; };
    std::vector<Mapping> mappings_;
    std::vector<Fiber*> fibers_;
};

// Prepares f's stack so that switching to f.sp calls entry(&f) on it.
void initialFrame(Fiber& f, void (*entry)(Fiber*));

}  // namespace recur_sim
