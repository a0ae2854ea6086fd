// Exercises the simulator through its C interface only: planted bugs must give their errors,
// correct kernels their results under every resume order, and errors must not break later
// launches. Prints the speed kernel's time. Exit status 0 when everything passes.
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <initializer_list>
#include <string>
#include <vector>
#include "recur_sim_api.h"

namespace {
int failures = 0;

void check(bool ok, const std::string& what) {
    std::printf("%s %s\n", ok ? "ok  " : "FAIL", what.c_str());
    if (!ok) ++failures;
}

template <class T>
T* deviceArray(size_t n, T value = T()) {
    T* p = static_cast<T*>(recur_sim_malloc(n * sizeof(T)));
    for (size_t i = 0; i < n; ++i) p[i] = value;
    return p;
}

struct Geometry {
    unsigned gx = 1, gy = 1, gz = 1, bx = 32, by = 1, bz = 1, dynamicShared = 0;
};

// "" on success, the error message otherwise.
std::string launch(const char* module, const char* entry, Geometry g, std::initializer_list<void*> args,
                   uint64_t seed = 0, int workers = 1) {
    const void* k = recur_sim_find_kernel(module, entry);
    if (k == nullptr) return std::string("no kernel ") + module + "/" + entry;
    std::vector<void*> a(args);
    char err[1024];
    err[0] = '\0';
    const int rc = recur_sim_launch(k, g.gx, g.gy, g.gz, g.bx, g.by, g.bz, g.dynamicShared, a.data(), seed, workers, err,
                                    sizeof err);
    return rc == 0 ? std::string() : std::string(err[0] ? err : "error without a message");
}

void expectError(const char* entry, Geometry g, std::initializer_list<void*> args,
                 std::initializer_list<const char*> fragments, uint64_t seed = 0) {
    const std::string msg = launch("bugs", entry, g, args, seed);
    bool ok = !msg.empty();
    for (const char* f : fragments) ok = ok && msg.find(f) != std::string::npos;
    check(ok, std::string(entry) + " (seed " + std::to_string(seed) + ") -> " + (msg.empty() ? "no error" : msg));
}

void testPlantedBugs() {
    float* out = deviceArray<float>(256);
    float* x = deviceArray<float>(256, 1.0f);
    for (uint64_t seed : {0, 1}) {
        expectError("divergent_barriers", {1, 1, 1, 64}, {&out},
                    {"bugs/divergent_barriers block (0,0,0)", "barrier divergence", "thread (0,0,0) waits at __syncthreads (bugs.cu:",
                     "while thread (32,0,0) waits at __syncthreads (bugs.cu:"}, seed);
        int n = 200;
        expectError("exit_before_barrier", {2, 1, 1, 128}, {&x, &out, &n},
                    {"block (1,0,0)", "barrier divergence", "waits at __syncthreads (bugs.cu:", "while thread (72,0,0) has exited"}, seed);
        expectError("shfl_mask_excludes_caller", {1, 1, 1, 32}, {&out},
                    {"__shfl_sync with mask 0x0000ffff (bugs.cu:", seed == 0 ? "thread (16,0,0)" : "does not name the calling lane",
                     seed == 0 ? "does not name the calling lane 16" : "does not name the calling lane"}, seed);
        expectError("shfl_mask_names_exited", {1, 1, 1, 32}, {&out},
                    {"thread (0,0,0)", "__shfl_down_sync with mask 0xffffffff (bugs.cu:", "names lane 16 (thread (16,0,0)), which has exited"}, seed);
        expectError("deadlock_syncwarp", {1, 1, 1, 64}, {&out},
                    {"thread (0,0,0)", "__syncwarp with mask 0xffffffff (bugs.cu:", "deadlock",
                     "waits for lane 16 (thread (16,0,0)), which waits at __syncthreads (bugs.cu:"}, seed);
        expectError("shared_out_of_range", {1, 1, 1, 32}, {&out},
                    {"thread (31,0,0)", "out-of-range index 32 into 'float [32]' (bugs.cu:"}, seed);
        expectError("dynamic_shared_out_of_range", {1, 1, 1, 32, 1, 1, 32 * sizeof(float)}, {&out},
                    {"thread (31,0,0)", "out-of-range index 32 into dynamic shared memory of 32 elements of 4 bytes"}, seed);
    }

    // The race: right in ascending order, wrong in a shuffled one.
    const int blocks = 8;
    float* xs = deviceArray<float>(blocks * 256, 1.0f);
    float* sums = deviceArray<float>(blocks);
    auto raceIsRight = [&](uint64_t seed) {
        const std::string msg = launch("bugs", "race_sum", {blocks, 1, 1, 256}, {&xs, &sums}, seed);
        bool right = msg.empty();
        for (int b = 0; b < blocks; ++b) right = right && sums[b] == 256.0f;
        return right;
    };
    check(raceIsRight(0), "race_sum is right in ascending order");
    check(!raceIsRight(1) && !raceIsRight(2), "race_sum is wrong under order seeds 1 and 2");
    recur_sim_free(xs);
    recur_sim_free(sums);
    recur_sim_free(out);
    recur_sim_free(x);
}

void testBlockSum(uint64_t seed, int workers) {
    const int n = 1000, threads = 128, blocks = (n + threads - 1) / threads;
    float* x = deviceArray<float>(n);
    for (int i = 0; i < n; ++i) x[i] = (float)((i * 37) % 11) - 5.0f;
    float* sums = deviceArray<float>(blocks);
    int* counts = deviceArray<int>(blocks);
    float* total = deviceArray<float>(1);
    unsigned* positives = deviceArray<unsigned>(1);
    const std::string msg = launch("reference", "block_sum", {(unsigned)blocks, 1, 1, threads},
                                   {&x, (void*)&n, &sums, &counts, &total, &positives}, seed, workers);
    bool ok = msg.empty();
    float expectTotal = 0.0f;
    unsigned expectPositives = 0;
    for (int b = 0; b < blocks; ++b) {
        float s = 0.0f;
        int c = 0;
        for (int i = b * threads; i < std::min(n, (b + 1) * threads); ++i) { s += x[i]; c += x[i] > 0.0f; }
        ok = ok && sums[b] == s && counts[b] == c;
        expectTotal += s;
        expectPositives += c;
    }
    ok = ok && *total == expectTotal && *positives == expectPositives;
    check(ok, "block_sum (barriers, shuffles, ballot, atomics) seed " + std::to_string(seed) + " workers " +
                  std::to_string(workers) + (msg.empty() ? "" : ": " + msg));
    for (void* p : {(void*)x, (void*)sums, (void*)counts, (void*)total, (void*)positives}) recur_sim_free(p);
}

void testSegmentScan(uint64_t seed) {
    const int blocks = 3;
    int* x = deviceArray<int>(blocks * 32);
    for (int i = 0; i < blocks * 32; ++i) x[i] = (i * 7) % 13;
    int* out = deviceArray<int>(blocks * 64);
    const std::string msg = launch("reference", "segment_scan", {blocks, 1, 1, 32, 1, 1, 32 * sizeof(int)}, {&x, &out}, seed);
    bool ok = msg.empty();
    for (int b = 0; b < blocks; ++b) {
        bool any = false;
        int scan[32];
        for (int l = 0; l < 32; ++l) {
            scan[l] = x[b * 32 + l] + ((l & 7) ? scan[l - 1] : 0);
            any = any || scan[l] > 100;
        }
        for (int l = 0; l < 32; ++l) {
            ok = ok && out[(b * 32 + l) * 2] == scan[l];
            ok = ok && out[(b * 32 + l) * 2 + 1] == scan[(l & ~7) + 7] + 1000 * any + 10000;
        }
    }
    check(ok, "segment_scan (shfl_up/shfl with width, any/all, dynamic shared) seed " + std::to_string(seed) +
                  (msg.empty() ? "" : ": " + msg));
    recur_sim_free(x);
    recur_sim_free(out);
}

void testTransposeAndNames() {
    const int rows = 45, cols = 70;
    int* in = deviceArray<int>(rows * cols);
    for (int i = 0; i < rows * cols; ++i) in[i] = i;
    int* out = deviceArray<int>(rows * cols, -1);
    int r = rows, c = cols;
    std::string msg = launch("reference", "transpose_tiled", {(cols + 31) / 32, (rows + 31) / 32, 1, 32, 8}, {&in, &r, &c, &out}, 3, 0);
    bool ok = msg.empty();
    for (int i = 0; i < rows && ok; ++i)
        for (int j = 0; j < cols; ++j) ok = ok && out[j * rows + i] == in[i * cols + j];
    check(ok, "transpose_tiled with (32, 8) blocks, 45 x 70" + (msg.empty() ? "" : ": " + msg));

    float* f = deviceArray<float>(40, 2.0f);
    int* k = deviceArray<int>(40);
    int n = 40;
    msg = launch("reference", "_Z5scaleIfLi3EEvPT_i", {2, 1, 1, 32}, {&f, &n});
    check(msg.empty() && f[0] == 6.0f && f[39] == 6.0f, "template instance scale<float, 3> by its mangled name " + msg);
    msg = launch("reference", "_Z4fillPfi", {2, 1, 1, 32}, {&f, &n});
    msg += launch("reference", "_Z4fillPii", {2, 1, 1, 32}, {&k, &n});
    check(msg.empty() && f[39] == 1.5f && k[39] == 7, "overloads fill(float*) and fill(int*) " + msg);
    check(recur_sim_find_kernel("reference", "no_such_kernel") == nullptr, "unknown kernel gives NULL");
    bool listed = false;
    for (int i = 0; i < recur_sim_kernel_count(); ++i)
        listed = listed || (std::strcmp(recur_sim_kernel_module(i), "bugs") == 0 && std::strcmp(recur_sim_kernel_entry(i), "race_sum") == 0);
    check(listed, "registry lists bugs/race_sum among " + std::to_string(recur_sim_kernel_count()) + " kernels");
    msg = launch("reference", "_Z4fillPfi", {1, 1, 1, 2048}, {&f, &n});
    check(msg.find("invalid launch geometry") != std::string::npos, "2048 threads per block rejected: " + msg);
    recur_sim_free(in);
    recur_sim_free(out);
    recur_sim_free(f);
    recur_sim_free(k);
}

// Two product kernels from libkernels, against plain loops: shared tiles, block reductions.
void testProductKernels() {
    const int m = 70, n = 45, k = 33;
    float* A = deviceArray<float>(m * k);
    float* B = deviceArray<float>(k * n);
    float* C = deviceArray<float>(m * n);
    for (int i = 0; i < m * k; ++i) A[i] = (float)(i % 5) - 2.0f;
    for (int i = 0; i < k * n; ++i) B[i] = (float)(i % 3) - 1.0f;
    int zero = 0, one = 1, mm = m, nn = n, kk = k;
    float alpha = 1.0f, beta = 0.0f;
    long long stride = 0;
    std::string msg = launch("gemm", "sgemm_f32", {(n + 63) / 64, (m + 63) / 64, 1, 256},
                             {&zero, &zero, &one, &mm, &nn, &kk, &alpha, &A, &stride, &B, &stride, &beta, &C, &stride}, 5, 0);
    bool ok = msg.empty();
    for (int i = 0; i < m && ok; ++i)
        for (int j = 0; j < n; ++j) {
            float e = 0.0f;
            for (int p = 0; p < k; ++p) e += A[i * k + p] * B[p * n + j];
            ok = ok && C[i * n + j] == e;
        }
    check(ok, "gemm/sgemm_f32 70 x 33 x 45" + (msg.empty() ? "" : ": " + msg));

    const int rows = 3, cols = 100;
    float* x = deviceArray<float>(rows * cols);
    float* y = deviceArray<float>(rows * cols);
    for (int i = 0; i < rows * cols; ++i) x[i] = std::sin((float)i);
    int r = rows, c = cols, log = 0;
    msg = launch("softmax", "softmax_f32", {2, 1, 1, 64}, {&x, &r, &c, &log, &y}, 9, 1);
    ok = msg.empty();
    for (int i = 0; i < rows && ok; ++i) {
        double mx = -1e30, sum = 0.0;
        for (int j = 0; j < cols; ++j) mx = std::max(mx, (double)x[i * cols + j]);
        for (int j = 0; j < cols; ++j) sum += std::exp(x[i * cols + j] - mx);
        for (int j = 0; j < cols; ++j) ok = ok && std::fabs(y[i * cols + j] - std::exp(x[i * cols + j] - mx) / sum) < 1e-6;
    }
    check(ok, "softmax/softmax_f32 3 x 100, 2 blocks of 64 (grid-stride rows)" + (msg.empty() ? "" : ": " + msg));
    for (void* p : {(void*)A, (void*)B, (void*)C, (void*)x, (void*)y}) recur_sim_free(p);
}

void testSpeed() {
    const unsigned blocks = 1024;
    float* x = deviceArray<float>(blocks * 256);
    for (unsigned i = 0; i < blocks * 256; ++i) x[i] = (float)(i % 7);
    float* out = deviceArray<float>(blocks);
    for (int workers : {1, 0}) {
        launch("speed", "speed", {blocks, 1, 1, 256}, {&x, &out}, 0, workers);  // warm: stacks mapped
        const auto t0 = std::chrono::steady_clock::now();
        const std::string msg = launch("speed", "speed", {blocks, 1, 1, 256}, {&x, &out}, 0, workers);
        const double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
        bool ok = msg.empty();
        for (unsigned b = 0; b < blocks && ok; ++b) {
            float e = 0.0f;
            for (int t = 0; t < 256; ++t) e += x[b * 256 + t] * x[b * 256 + 255 - t];
            ok = out[b] == e;
        }
        std::printf("speed: %u blocks x 256 threads, workers=%d: %.3f s (%.0f ns per thread)\n", blocks, workers, s,
                    s * 1e9 / (blocks * 256.0));
        check(ok, "speed kernel result, workers " + std::to_string(workers) + (msg.empty() ? "" : ": " + msg));
    }
    recur_sim_free(x);
    recur_sim_free(out);
}
}  // namespace

int main() {
    testPlantedBugs();
    for (uint64_t seed : {0, 1, 2}) {
        testBlockSum(seed, 1);
        testSegmentScan(seed);
    }
    testBlockSum(7, 0);
    testTransposeAndNames();
    testProductKernels();
    testSpeed();
    std::printf("%s (%d failures)\n", failures == 0 ? "sim_selftest passed" : "sim_selftest FAILED", failures);
    return failures == 0 ? 0 : 1;
}
