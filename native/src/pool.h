// OS worker threads for the blocks of a launch. The calling thread is always one of the workers;
// extra ones are kept alive between launches, each with its own fiber stacks.
#pragma once
#include <functional>

namespace recur_sim {

// Runs job on the calling thread and on `extra` pool threads at once; returns when all are done.
// One caller at a time (recur_sim_launch serializes launches).
void runOnWorkers(int extra, const std::function<void()>& job);

}  // namespace recur_sim
