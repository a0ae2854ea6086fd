// What the generated registry of a kernel library uses: a launcher per kernel that unpacks a
// cuLaunchKernel-style argument array (args[i] points at parameter i) into a typed call, and a
// static object that registers a module's kernels with the runtime while the library is loaded.
#pragma once
#include <cstddef>
#include <type_traits>
#include <utility>
#include "sync.h"

namespace recur_sim {
using Launcher = void (*)(void** args);

struct KernelEntry {
    const char* entry;    // PTX .entry name (mangled for C++ kernels)
    const char* display;  // demangled name without parameters, for messages
    Launcher launch;
};

template <class... A, std::size_t... I>
inline void invokeWith(void (*f)(A...), void** args, std::index_sequence<I...>) {
    f(*static_cast<std::remove_cvref_t<A>*>(args[I])...);
}

template <class... A>
inline void invoke(void (*f)(A...), void** args) {
    invokeWith(f, args, std::index_sequence_for<A...>{});
}

template <auto F>
void launch(void** args) { invoke(F, args); }
}  // namespace recur_sim

extern "C" {
RECUR_SIM_EXPORT void recur_sim_register_module(const char* module, const recur_sim::KernelEntry* entries, int count);
RECUR_SIM_EXPORT void recur_sim_unregister_module(const recur_sim::KernelEntry* entries);
}

namespace recur_sim {
struct ModuleRegistration {
    const KernelEntry* entries;
    ModuleRegistration(const char* module, const KernelEntry* e, int count) : entries(e) {
        recur_sim_register_module(module, e, count);
    }
    ~ModuleRegistration() { recur_sim_unregister_module(entries); }
};
}  // namespace recur_sim
