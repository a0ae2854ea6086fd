// Runs blocks on the calling OS thread: each CUDA thread of a block is a fiber, resumed in rounds
// (ascending thread order, or a fresh shuffle per round when the launch has an order seed) until
// all have returned, or nothing can run and the block is diagnosed.
#pragma once
#include <string>
#include <vector>
#include "block.h"
#include "stacks.h"

namespace recur_sim {

class Worker {
public:
    // Runs block `linear` (x fastest) of the launch; false with the message in error on failure.
    bool runBlock(const LaunchSpec& launch, uint64_t linear, std::string& error);

    static Worker& forThisThread();  // one per OS thread, stacks kept for its lifetime

private:
    StackPool stacks_;
    std::vector<unsigned> order_;
    std::vector<unsigned char> dynamicShared_;
};

// Why a block in which no fiber can run is stuck (see diagnose.cpp).
std::string diagnose(const Block& b);

}  // namespace recur_sim
