// Out-of-range indexing. Kernels are compiled with -fsanitize=bounds, which makes g++ check every
// index into an array of known size (static __shared__ arrays, local arrays, the inner dimensions
// of pointer-to-array parameters) and call these handlers; they turn the report into a simulator
// error of the running fiber instead of linking libubsan. Dynamic shared memory is checked by
// SharedSpan (sim/shared.h), which calls recur_sim_shared_out_of_range.
#include <cstdio>
#include "errors.h"

namespace {
// The layouts g++ passes to the handlers (the UBSan runtime ABI).
struct SourceLocation { const char* file; uint32_t line, column; };
struct TypeDescriptor { uint16_t kind, info; char name[1]; };
struct OutOfBoundsData { SourceLocation loc; const TypeDescriptor* array; const TypeDescriptor* index; };

// Integer values no wider than a pointer are passed inline; wider ones by address.
long long indexValue(const TypeDescriptor& t, uintptr_t v) {
    const unsigned bits = 1u << (t.info >> 1);
    const bool isSigned = t.info & 1;
    if (bits > 64) return (long long)*reinterpret_cast<const uint64_t*>(v);
    if (bits == 64) return (long long)v;
    const uint64_t x = v & ((1ull << bits) - 1);
    return isSigned && (x >> (bits - 1)) ? (long long)(x | ~((1ull << bits) - 1)) : (long long)x;
}

[[noreturn]] void outOfBounds(const OutOfBoundsData* d, uintptr_t index) {
    using namespace recur_sim;
    fail(current(), "out-of-range index " + std::to_string(indexValue(*d->index, index)) + " into " + d->array->name +
                        " (" + siteName(d->loc.file, d->loc.line) + ")");
}
}  // namespace

extern "C" {
RECUR_SIM_EXPORT void __ubsan_handle_out_of_bounds(const OutOfBoundsData* d, uintptr_t index) { outOfBounds(d, index); }
RECUR_SIM_EXPORT void __ubsan_handle_out_of_bounds_abort(const OutOfBoundsData* d, uintptr_t index) {
    outOfBounds(d, index);
}

RECUR_SIM_EXPORT void recur_sim_shared_out_of_range(long long index, size_t count, size_t elemSize) {
    recur_sim::fail(recur_sim::current(), "out-of-range index " + std::to_string(index) + " into dynamic shared memory of " +
                                              std::to_string(count) + " elements of " + std::to_string(elemSize) +
                                              " bytes");
}

RECUR_SIM_EXPORT void* recur_sim_dynamic_shared(size_t* bytes) {
    const recur_sim::Block& b = *recur_sim::current().block;
    *bytes = b.dynamicSharedBytes;
    return b.dynamicShared;
}
}
