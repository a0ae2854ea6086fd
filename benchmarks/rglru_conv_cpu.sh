#!/usr/bin/env bash
# The CPU backend's fused RG-LRU and causal conv1d, forward and forward + backward, at (batch 8,
# width 1536, T in 512, 2048, 8192) (RgLruConvBenchmark, JMH). Prints a table and writes it to
# benchmarks/results/rglru-conv-cpu.md. About 4-5 minutes on 2 cores; needs ~6 GB of heap.
set -euo pipefail
cd "$(dirname "$0")/.."
export JAVA_HOME="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}"
OUT=benchmarks/results/rglru-conv-cpu.md
WORK=target/rglru-conv-bench
mkdir -p "$WORK" "$(dirname "$OUT")"

./mvnw -q -B test-compile dependency:build-classpath -Dmdep.outputFile="$WORK/classpath.txt" -Dmdep.includeScope=test
JMH_ARGS="RgLruConvBenchmark -f 1 -wi 1 -i 3 -rf json"
LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)
START=$(date +%s)
"$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED -cp "target/test-classes:target/classes:$(cat "$WORK/classpath.txt")" \
  org.openjdk.jmh.Main $JMH_ARGS -rff "$WORK/jmh.json" | tee "$WORK/jmh.log" | grep -E '^(Benchmark|RgLruConvBenchmark)' || true
LOAD="$LOAD_BEFORE before, $(cut -d' ' -f1-3 /proc/loadavg) after"
ELAPSED=$(( $(date +%s) - START ))

python3 - "$WORK/jmh.json" "$OUT" "java -cp ... org.openjdk.jmh.Main $JMH_ARGS" "$LOAD" "$ELAPSED" <<'PYEOF'
import datetime, json, platform, subprocess, sys
jmh_file, out, jmh_cmd, load, elapsed = sys.argv[1:6]
B, W = 8, 1536
ms, err = {}, {}
for r in json.load(open(jmh_file)):
    key = (r["benchmark"].rsplit(".", 1)[1], int(r["params"]["length"]))
    ms[key], err[key] = r["primaryMetric"]["score"], r["primaryMetric"]["scoreError"]
# bytes each call must move at least (float32): inputs read once, outputs written once
traffic = {
    "rgLruForward": 4,                       # x, gate_x, gate_a read; h written
    "rgLruForwardBackward": 4 + 9,           # + x, gates, h, gradH read; dx, dgate_x, dgate_a written
    "conv1dChannelsLastForward": 2,          # x read, out written
    "conv1dChannelsLastForwardBackward": 2 + 3,
    "conv1dChannelsFirstForward": 2,
    "conv1dChannelsFirstForwardBackward": 2 + 3,
}
names = {
    "rgLruForward": "RG-LRU forward", "rgLruForwardBackward": "RG-LRU forward + backward",
    "conv1dChannelsLastForward": "conv1d W=4, channels-last, forward",
    "conv1dChannelsLastForwardBackward": "conv1d W=4, channels-last, forward + backward",
    "conv1dChannelsFirstForward": "conv1d W=4 + SiLU, channels-first, forward",
    "conv1dChannelsFirstForwardBackward": "conv1d W=4 + SiLU, channels-first, forward + backward",
}
lengths = sorted({l for _, l in ms})
rows = ["| operation | T | ms | ± (99.9%) | ns / element | GB/s (min. traffic) |", "|---|---:|---:|---:|---:|---:|"]
for b in names:
    for l in lengths:
        if (b, l) not in ms: continue
        t = ms[(b, l)]
        n = B * W * l
        e = err[(b, l)]
        rows.append("| %s | %d | %.1f | %s | %.2f | %.2f |" % (names[b], l, t, "%.0f" % e if e == e else "–", t * 1e6 / n,
                                                         traffic[b] * 4 * n / (t / 1e3) / 1e9))
table = "\n".join(rows)
print(table)
cpu = next((l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo") if l.startswith("model name")), platform.processor())
cores = subprocess.run(["nproc"], capture_output=True, text=True).stdout.strip()
java = subprocess.run(["bash", "-c", '"$JAVA_HOME/bin/java" -version 2>&1 | head -1'], capture_output=True, text=True).stdout.strip()
doc = f"""# RG-LRU and causal conv1d on the CPU

`CpuBackend.rgLru`/`rgLruBackward` and `causalConv1d`/`causalConv1dBackward` (the Backend SPI, no
tape) at batch {B}, width {W}, float32. RG-LRU: channels-last (batch, T, width), gates fused into the
scan, h0 given, no resets; rows of (batch element, 64-channel tile) in parallel over the cores.
conv1d: kernel width 4 with bias, channels-last without activation (recurrentgemma's Conv1D) and
channels-first with SiLU (mamba's causal_conv1d), no carried state. ns / element is per element of
(batch, T, width); GB/s counts only the bytes each call must read and write once (RG-LRU forward
16 B per element, forward + backward 52 B; conv forward 8 B, forward + backward 20 B). JMH average
time, 3 × 1 s iterations after 1 warm-up iteration (a single call when it takes longer).
Other processes on the machine slow everything down (load average: {load}); the ±
column is JMH's 99.9% interval over the 3 iterations: where it exceeds the time itself the machine
was too busy for that row to mean more than its order of magnitude.

{table}

- date: {datetime.datetime.now(datetime.timezone.utc).strftime('%Y-%m-%d %H:%M UTC')}
- machine: {cpu}, {cores} cores, {platform.system()} {platform.release()}
- Java: {java}
- command: `benchmarks/rglru_conv_cpu.sh` (JMH part: `{jmh_cmd}`), {elapsed} s
"""
open(out, "w").write(doc)
print("written to", out)
PYEOF
