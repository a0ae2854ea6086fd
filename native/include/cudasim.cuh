// Force-included (g++ -include) before every kernel source: makes a .cu file ordinary C++20 that
// runs on the simulator's fibers. See native/README.md.
#pragma once
#include <cfloat>
#include <climits>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <type_traits>

#define RECUR_SIM 1
#define __global__
#define __device__
#define __host__
#define __constant__ static
#define __forceinline__ inline __attribute__((always_inline))
#define __noinline__ __attribute__((noinline))
#define __launch_bounds__(...)
// __restrict__ is a g++ keyword already.

#include "sim/types.h"
#include "sim/fiber_header.h"
#include "sim/sync.h"
#include "sim/atomics.h"
#include "sim/math.h"
#include "sim/shared.h"
#include "sim/launch.h"

#define threadIdx (::recur_sim::self().threadIdx)
#define blockIdx (::recur_sim::self().blockIdx)
#define blockDim (::recur_sim::self().blockDim)
#define gridDim (::recur_sim::self().gridDim)
