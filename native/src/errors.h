// Simulator errors: messages that name the kernel, the block and the thread, and the way a fiber
// abandons its block when it detects one.
#pragma once
#include <string>
#include "block.h"

namespace recur_sim {

std::string blockName(const Block& b);                 // "module/kernel block (x,y,z)"
std::string threadName(const Fiber& f);                // "thread (x,y,z)"
std::string siteName(const char* file, unsigned line); // "file.cu:12" (directory dropped)
std::string hexMask(unsigned mask);                    // "0x0000ffff"
const char* barrierName(int mode);                     // "__syncthreads_count"
const char* warpKindName(int kind);                    // "__shfl_down_sync"

// Records message as the block's error and leaves the fiber parked for good; the scheduler then
// abandons the block.
[[noreturn]] void abandon(Fiber& f, std::string message);

// abandon() with "<block> <thread>: what", for errors that belong to the calling thread.
[[noreturn]] void fail(Fiber& f, const std::string& what);

}  // namespace recur_sim
