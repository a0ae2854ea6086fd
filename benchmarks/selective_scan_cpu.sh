#!/usr/bin/env bash
# The selective scan (Mamba S6) on the CPU backend at (batch 8, dim 1536, N 16), L = 512, 2048, 8192:
# forward, and forward + backward (SelectiveScanBenchmark, JMH, one call per measurement), with the
# bytes the forward saves for the backward against storing every state. Prints a table and writes it
# to benchmarks/results/selective-scan-cpu.md. About 6 minutes on 2 cores; needs ~5 GB of heap.
set -euo pipefail
cd "$(dirname "$0")/.."
export JAVA_HOME="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}"
OUT=benchmarks/results/selective-scan-cpu.md
WORK=target/selective-scan-bench
mkdir -p "$WORK" "$(dirname "$OUT")"

./mvnw -q -B test-compile dependency:build-classpath -Dmdep.outputFile="$WORK/classpath.txt" -Dmdep.includeScope=test
rm -rf "$WORK/classes" "$WORK/test-classes"   # a snapshot: rebuilding the checkout meanwhile cannot disturb the forks
cp -r target/classes target/test-classes "$WORK/"
JMH_ARGS="SelectiveScanBenchmark -f 1 -wi 1 -i 2 -rf json"
LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)
"$JAVA_HOME/bin/java" -Djmh.ignoreLock=true --enable-native-access=ALL-UNNAMED \
  -cp "$WORK/test-classes:$WORK/classes:$(cat "$WORK/classpath.txt")" \
  org.openjdk.jmh.Main $JMH_ARGS -rff "$WORK/jmh.json" | tee "$WORK/jmh.log" | grep -E '^(Benchmark|SelectiveScanBenchmark)' || true
LOAD="$LOAD_BEFORE before, $(cut -d' ' -f1-3 /proc/loadavg) after"

python3 - "$WORK/jmh.json" "$OUT" "java -cp ... org.openjdk.jmh.Main $JMH_ARGS" "$LOAD" <<'PYEOF'
import datetime, json, platform, subprocess, sys
jmh_file, out, jmh_cmd, load = sys.argv[1:5]
B, D, N, CHUNK = 8, 1536, 16, 512
ms = {}
for r in json.load(open(jmh_file)):
    ms[(int(r["params"]["length"]), r["params"]["pass"])] = (r["primaryMetric"]["score"], r["primaryMetric"]["rawData"][0])
def mb(x): return x / 2**20
rows = ["| L | forward ms | forward+backward ms | backward ms (difference) | steps·states per s (forward) | saved for backward | every state | saved / every |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|"]
for L in sorted({l for l, _ in ms}):
    f, fb = ms[(L, "forward")][0], ms[(L, "forwardBackward")][0]
    chunks = -(-L // CHUNK)
    saved, every = B * D * chunks * N * 4, B * D * L * N * 4
    rate = B * D * L * N / (f / 1e3)
    rows.append("| %d | %.0f | %.0f | %.0f | %.2f G | %.1f MiB | %.1f MiB | 1/%d |" % (L, f, fb, fb - f, rate / 1e9, mb(saved), mb(every), every // saved))
raw = "\n".join("- L %d %s: %s ms" % (l, p, ", ".join("%.0f" % x for x in v[1])) for (l, p), v in sorted(ms.items()))
table = "\n".join(rows)
print(table)
cpu = next((l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo") if l.startswith("model name")), platform.processor())
cores = subprocess.run(["nproc"], capture_output=True, text=True).stdout.strip()
java = subprocess.run(["bash", "-c", '"$JAVA_HOME/bin/java" -version 2>&1 | head -1'], capture_output=True, text=True).stdout.strip()
doc = f"""# Selective scan (Mamba S6) on the CPU

`CpuBackend.selectiveScan` / `selectiveScanBackward` at (batch {B}, dim {D}, N {N}) with the options
of a Mamba block: input-dependent B and C (one group), D, z gating, delta_bias with softplus; no
h0. Rows (batch, channel) run in parallel over the cores. The forward saves the state after every
chunk of {CHUNK} steps (the default); the backward recomputes each chunk's states from them.
JMH single-shot time, mean of 2 calls after 1 warm-up call (these calls take seconds).
Other processes on the machine slow it down (load average: {load}); on this shared 2-core
machine single calls varied up to 2x between runs (a repeated L = 2048 forward alone took 1.15 s),
so the individual calls are listed below.

{table}

"saved for backward" is the checkpoint tensor (batch, dim, ceil(L/{CHUNK}), N) in float32; "every
state" is what keeping x_t for every step would take, (batch, dim, L, N). The backward costs about
two forwards more: it recomputes the chunk's states, then runs the reverse recurrence.

Individual calls:
{raw}

- date: {datetime.datetime.now(datetime.timezone.utc).strftime('%Y-%m-%d %H:%M UTC')}
- machine: {cpu}, {cores} cores, {platform.system()} {platform.release()}
- Java: {java}
- command: `benchmarks/selective_scan_cpu.sh` (JMH part: `{jmh_cmd}`)
"""
open(out, "w").write(doc)
print("written to", out)
PYEOF
