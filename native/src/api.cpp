// The C interface of recur_sim_api.h: memory, and launches spread over worker threads.
#include <algorithm>
#include <atomic>
#include <cstdlib>
#include <cstring>
#include <mutex>
#include <string>
#include <thread>
#include "pool.h"
#include "recur_sim_api.h"
#include "scheduler.h"

using namespace recur_sim;

namespace {
std::mutex launchMutex;  // the worker pool runs one launch at a time

void report(char* err, size_t errLen, const std::string& message) {
    if (err == nullptr || errLen == 0) return;
    const size_t n = std::min(message.size(), errLen - 1);
    std::memcpy(err, message.data(), n);
    err[n] = '\0';
}

// Shared by the workers of one launch: the next block to take, and the error of the lowest
// failing block (so that a launch reports the same error whatever the timing).
struct LaunchState {
    std::atomic<uint64_t> next{0};
    std::atomic<bool> failed{false};
    std::mutex mutex;
    uint64_t failedBlock = UINT64_MAX;
    std::string error;

    void fail(uint64_t block, std::string message) {
        std::lock_guard lock(mutex);
        if (block < failedBlock) {
            failedBlock = block;
            error = std::move(message);
        }
        failed = true;
    }
};
}  // namespace

extern "C" {
void* recur_sim_malloc(size_t bytes) {
    const size_t size = (std::max<size_t>(bytes, 1) + 255) & ~size_t{255};
    void* p = std::aligned_alloc(256, size);
    if (p != nullptr) std::memset(p, 0, size);
    return p;
}

void recur_sim_free(void* ptr) { std::free(ptr); }

int recur_sim_launch(const void* kernel, unsigned grid_x, unsigned grid_y, unsigned grid_z, unsigned block_x,
                     unsigned block_y, unsigned block_z, unsigned dynamic_shared_bytes, void** args,
                     uint64_t order_seed, int workers, char* err, size_t err_len) {
    if (kernel == nullptr) {
        report(err, err_len, "recur_sim_launch: no kernel");
        return 1;
    }
    const auto* k = static_cast<const KernelRecord*>(kernel);
    const uint64_t threads = (uint64_t)block_x * block_y * block_z;
    const uint64_t blocks = (uint64_t)grid_x * grid_y * grid_z;
    if (threads == 0 || threads > 1024 || block_z > 64 || blocks == 0 || grid_y > 65535 || grid_z > 65535) {
        report(err, err_len, k->module + "/" + k->display + ": invalid launch geometry grid (" + std::to_string(grid_x) +
                                 "," + std::to_string(grid_y) + "," + std::to_string(grid_z) + ") block (" +
                                 std::to_string(block_x) + "," + std::to_string(block_y) + "," +
                                 std::to_string(block_z) + ")");
        return 1;
    }
    const LaunchSpec spec{k, dim3(grid_x, grid_y, grid_z), dim3(block_x, block_y, block_z), dynamic_shared_bytes,
                          args, order_seed};
    const uint64_t cores = std::max(1u, std::thread::hardware_concurrency());
    const int count = (int)std::min<uint64_t>(workers > 0 ? (uint64_t)workers : cores, blocks);

    std::lock_guard lock(launchMutex);
    LaunchState state;
    runOnWorkers(count - 1, [&] {
        Worker& worker = Worker::forThisThread();
        std::string error;
        for (uint64_t b; !state.failed && (b = state.next++) < blocks;)
            if (!worker.runBlock(spec, b, error)) state.fail(b, std::move(error));
    });
    if (!state.failed) return 0;
    report(err, err_len, state.error);
    return 1;
}
}
