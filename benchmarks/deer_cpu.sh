#!/usr/bin/env bash
# A GRU layer (batch 16, input 1) over T steps on the CPU backend, step by step against Newton's
# method on the trajectory (DEER, quasi-DEER, ELK, quasi-ELK; ParallelGruBenchmark, JMH, one call
# per measurement): forward and forward + backward, Newton iterations and peak memory per call.
# Writes benchmarks/results/deer-cpu.md and deer-cpu-forward.png / deer-cpu-forward-backward.png.
# About 20 minutes on 2 cores; needs ~12 GB of heap. Sized for that: see CASES below for what runs.
set -euo pipefail
cd "$(dirname "$0")/.."
export JAVA_HOME="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}"
OUT=benchmarks/results/deer-cpu.md
WORK=target/deer-bench
mkdir -p "$WORK" "$(dirname "$OUT")"

./mvnw -q -B test-compile dependency:build-classpath -Dmdep.outputFile="$WORK/classpath.txt" -Dmdep.includeScope=test
rm -rf "$WORK/classes" "$WORK/test-classes" "$WORK"/jmh-*.json   # a snapshot: rebuilding the checkout meanwhile cannot disturb the forks
cp -r target/classes target/test-classes "$WORK/"
CP="$WORK/test-classes:$WORK/classes:$(cat "$WORK/classpath.txt")"

# One JMH run per group: "warm-ups measurements JMH -p options". The full-Jacobian methods hold
# (T, n, n) per sequence, so n = 64 runs the diagonal ones only; T >= 1e5 only at n = 1 (the DEER
# paper's reference case), one cold call each; at T = 1e6 no sequential forward+backward (its tape
# would hold ~12 million nodes) and no ELK/quasi-ELK (the slowest of the four on this CPU).
CASES=(
  "3 3 -p length=1000 -p hidden=1,4,16 -p evaluation=sequential,deer,quasi-deer,elk,quasi-elk -p pass=forward,forwardBackward"
  "2 1 -p length=1000 -p hidden=64 -p evaluation=sequential,quasi-deer,quasi-elk -p pass=forward,forwardBackward"
  "1 1 -p length=10000 -p hidden=1,4,16 -p evaluation=sequential,deer,quasi-deer,elk,quasi-elk -p pass=forward,forwardBackward"
  "0 1 -p length=10000 -p hidden=64 -p evaluation=sequential,quasi-deer -p pass=forward,forwardBackward"
  "0 1 -p length=100000 -p hidden=1 -p evaluation=sequential,deer,quasi-deer,elk,quasi-elk -p pass=forward,forwardBackward"
  "0 1 -p length=1000000 -p hidden=1 -p evaluation=sequential,deer,quasi-deer -p pass=forward"
  "0 1 -p length=1000000 -p hidden=1 -p evaluation=deer,quasi-deer -p pass=forwardBackward"
)
LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)
START=$(date +%s)
: > "$WORK/jmh.log"
for i in "${!CASES[@]}"; do
  read -r WI MI PARAMS <<< "${CASES[$i]}"
  "$JAVA_HOME/bin/java" -Djmh.ignoreLock=true --enable-native-access=ALL-UNNAMED -cp "$CP" \
    org.openjdk.jmh.Main ParallelGruBenchmark -f 1 -wi "$WI" -i "$MI" $PARAMS -rf json -rff "$WORK/jmh-$i.json" \
    | tee -a "$WORK/jmh.log" | grep -E '^(Benchmark|ParallelGruBenchmark|PARALLEL-GRU)' || true
done
LOAD="$LOAD_BEFORE before, $(cut -d' ' -f1-3 /proc/loadavg) after"
MINUTES=$(( ($(date +%s) - START + 59) / 60 ))
"$JAVA_HOME/bin/java" -cp "$CP" io.recur.bench.ParallelGruChart benchmarks/results/deer-cpu "$WORK"/jmh-*.json

python3 - "$OUT" "$WORK/jmh.log" "$LOAD" "$MINUTES" "${CASES[@]}" "$WORK"/jmh-*.json <<'PYEOF'
import datetime, json, platform, subprocess, sys
out, log, load, minutes = sys.argv[1:5]
cases = [a for a in sys.argv[5:] if not a.endswith(".json")]
files = [a for a in sys.argv[5:] if a.endswith(".json")]
ms, calls = {}, {}
for f in files:
    for r in json.load(open(f)):
        p = r["params"]
        key = (p["evaluation"], int(p["length"]), int(p["hidden"]), p["pass"])
        ms[key] = r["primaryMetric"]["score"]
        calls[key] = len(r["primaryMetric"]["rawData"][0])
extra = {}   # the lines each trial prints after its measurements
for line in open(log):
    if line.startswith("PARALLEL-GRU "):
        w = line.split()
        fields = dict(x.split("=") for x in w[5:])
        extra[(w[1], int(w[2]), int(w[3]), w[4])] = fields
METHODS = ["sequential", "deer", "quasi-deer", "elk", "quasi-elk"]
def mib(b): return "%.0f MiB" % (int(b) / 2**20) if int(b) >= 2**20 else "%.2f MiB" % (int(b) / 2**20)
rows = ["| T | n | method | forward ms | ratio | forward+backward ms | ratio | Newton iterations | not converged | peak memory, forward | peak memory, forward+backward |",
        "|---:|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|"]
for T in sorted({k[1] for k in ms}):
    for n in sorted({k[2] for k in ms if k[1] == T}):
        for m in METHODS:
            f, fb = ms.get((m, T, n, "forward")), ms.get((m, T, n, "forwardBackward"))
            if f is None and fb is None: continue
            sf, sfb = ms.get(("sequential", T, n, "forward")), ms.get(("sequential", T, n, "forwardBackward"))
            ef, efb = extra.get((m, T, n, "forward"), {}), extra.get((m, T, n, "forwardBackward"), {})
            e = ef or efb
            def cell(v): return "%.0f" % v if v is not None and v >= 10 else ("%.1f" % v if v is not None else "–")
            def ratio(v, s): return "–" if v is None or s is None or m == "sequential" else "%.2f" % (v / s)
            its = "–" if m == "sequential" or not e else e["iterations"]
            nc = "–" if m == "sequential" or not e else e["notConverged"]
            rows.append("| %d | %d | %s | %s | %s | %s | %s | %s | %s | %s | %s |" % (T, n, m, cell(f), ratio(f, sf), cell(fb), ratio(fb, sfb), its, nc,
                        mib(ef["peakBytes"]) if ef else "–", mib(efb["peakBytes"]) if efb else "–"))
table = "\n".join(rows)
print(table)
cpu = next((l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo") if l.startswith("model name")), platform.processor())
cores = subprocess.run(["nproc"], capture_output=True, text=True).stdout.strip()
java = subprocess.run(["bash", "-c", '"$JAVA_HOME/bin/java" -version 2>&1 | head -1'], capture_output=True, text=True).stdout.strip()
seq = ms.get(("sequential", 10000, 1, "forward"))
step_us = "~%.0f µs" % (seq / 10000 * 1e3) if seq else "a long time"
group_lines = "\n".join("- `ParallelGruBenchmark -f 1 -wi %s -i %s %s`" % tuple(g.split(" ", 2)) for g in cases)
doc = f"""# Parallel-in-time GRU (DEER, quasi-DEER, ELK, quasi-ELK) on the CPU

A torch-style GRU layer (input 1, hidden n, batch 16, torch's initialization, inputs N(0, 1)) over
T steps on the CPU backend: step by step (`sequential`, the layer's own loop) against
`ParallelEvaluation` (Newton's method on the whole trajectory from zeros, tolerance 1e-4 on
max |Δh| for DEER/quasi-DEER and on the defect for ELK/quasi-ELK, damping 1e-6). "forward" runs
without the tape; "forward+backward" records the forward and backpropagates the outputs' sum
(implicit-function gradients for the parallel methods: one reverse linear scan). **ratio** is
parallel time / sequential time at the same T and n: below 1 the parallel method is faster.
Newton iterations are the mean per call; peak memory is the CPU backend's largest live total
during a call beyond the weights and the input (every storage counted; the JVM's own overhead not).
JMH single-shot time: the mean of the calls of each JMH run listed below, after its warm-up calls.

**This is a 2-core CPU**, shared with other jobs (load average: {load}), so single calls vary by
tens of percent. Parallel-in-time methods are made for GPUs: they trade T sequential steps for
O(log T) parallel depth at several times the arithmetic (each Newton iteration evaluates the cell
and its Jacobian at every step, then runs a scan; DEER's scan multiplies n×n matrices). Two cores
offer almost no parallelism, so they are not expected to win here by parallelism. Where they do
win below (ratio < 1, at the smallest n), it is because the sequential layer still runs a few
small operations per time step (the recurrent GEMM, the fused cell, slicing and stacking), each
with its own dispatch (and, with the tape, its own autograd node), while Newton's method runs a few
operations over all T steps at once: the saving is per-operation overhead, not arithmetic. As n grows the
Jacobians' arithmetic (n² per step for DEER, n per step for the quasi methods but with more
iterations) takes over and the ratio rises above 1. For reference, the DEER repository reports on a
V100 GPU at batch 16, hidden 1: 14× faster than sequential at T = 1e3 and ~286× at T = 1e5
(forward), and 68× for a GRU at T = 10,000.

Rows measured with a single call (n = 64, and T ≥ 1e5) are the noisiest: where such a row's
forward takes longer than its forward+backward, that is the machine, not the method.

{table}

Left out to fit about {minutes} minutes on this machine: T ≥ 1e5 above n = 1 (one cold call per
row at n = 1; the sequential loop alone takes {step_us} per step here), the sequential
forward+backward at T = 1e6 (its tape would hold ~12 million nodes), ELK and quasi-ELK at T = 1e6,
and DEER and ELK at n = 64 (full Jacobians are limited to n ≤ 32). Charts: [forward](deer-cpu-forward.png), [forward+backward](deer-cpu-forward-backward.png).

![forward](deer-cpu-forward.png)

- date: {datetime.datetime.now(datetime.timezone.utc).strftime('%Y-%m-%d %H:%M UTC')}
- machine: {cpu}, {cores} cores, {platform.system()} {platform.release()}
- Java: {java}
- command: `benchmarks/deer_cpu.sh`, which runs (JMH, `java -cp ... org.openjdk.jmh.Main ... -rf json`):
{group_lines}
"""
open(out, "w").write(doc)
print("written to", out)
PYEOF
