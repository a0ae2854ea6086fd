// What the test kernels need beyond CUDA itself, spelled so that nvcc and the simulator both
// compile them (the simulator header defines RECUR_DYNAMIC_SHARED itself).
#pragma once
#ifndef RECUR_DYNAMIC_SHARED
#define RECUR_DYNAMIC_SHARED(T, name) extern __shared__ T name[]
#endif
