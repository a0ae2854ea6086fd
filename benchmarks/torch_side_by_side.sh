#!/usr/bin/env bash
# Recur's CPU backend beside PyTorch on the CPU (Debian's python3-torch), same machine, same sizes,
# same thread count: an LSTM training step, a Mamba block forward+backward (torch: the sequential
# scan as a Python loop), char-LM training steps with an LSTM and a GRU. The two alternate, Recur
# then torch, for ROUNDS rounds, so a busy moment on the shared machine falls on both. Prints the
# table and writes it to benchmarks/results/torch-side-by-side.md. Takes about 5 minutes.
# Recur: benchmarks/jmh/io/recur/bench/TorchSideBySideBenchmark.java; torch: benchmarks/torch_side_by_side.py.
set -euo pipefail
cd "$(dirname "$0")/.."
export JAVA_HOME="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}"
PY=/usr/bin/python3            # Debian's python with Debian's torch, not a pyenv python on PATH
THREADS="${THREADS:-2}"
ROUNDS="${ROUNDS:-3}"
WORKLOADS="lstm-step mamba-block charlm-lstm charlm-gru"
OUT=benchmarks/results/torch-side-by-side.md
WORK=target/torch-side-by-side
mkdir -p "$WORK" "$(dirname "$OUT")"
rm -f "$WORK"/jmh-*.json "$WORK"/torch-*.tsv
# OpenBLAS serves both sides (Recur's GEMMs, torch's through Debian's build); both get the same threads.
export OPENBLAS_NUM_THREADS="$THREADS"
# torch's OpenMP threads spin at every barrier; on a machine shared with other work that spinning
# made its LSTM steps 3-30x slower and erratic, so they sleep instead (torch's best here).
TORCH_ENV="OMP_WAIT_POLICY=PASSIVE"

dpkg -s libopenblas0-pthread >/dev/null 2>&1 || { echo "needs libopenblas0-pthread (apt-get install libopenblas0-pthread)" >&2; exit 1; }
"$PY" -c 'import torch' || { echo "needs Debian's python3-torch under $PY (apt-get install python3-torch)" >&2; exit 1; }

./mvnw -q -B test-compile dependency:build-classpath -Dmdep.outputFile="$WORK/classpath.txt" -Dmdep.includeScope=test
CP="target/test-classes:target/classes:$(cat "$WORK/classpath.txt")"
# Recur's CPU backend sizes its own fork-join pool by the processors the JVM sees: the same count.
JVM_ARGS="-XX:ActiveProcessorCount=$THREADS"
JMH_ARGS="-f 1 -wi 3 -i 5 -w 1s -r 1s -jvmArgsAppend $JVM_ARGS"
LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)

for r in $(seq 1 "$ROUNDS"); do
  echo "round $r/$ROUNDS: Recur"
  "$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED -cp "$CP" org.openjdk.jmh.Main TorchSideBySideBenchmark \
    $JMH_ARGS -rf json -rff "$WORK/jmh-$r.json" > "$WORK/jmh-$r.log"
  echo "round $r/$ROUNDS: torch"
  env $TORCH_ENV "$PY" benchmarks/torch_side_by_side.py $WORKLOADS --threads "$THREADS" --seconds 5 > "$WORK/torch-$r.tsv"
done

"$PY" - "$WORK" "$ROUNDS" "$OUT" "$THREADS" "$JMH_ARGS" "$LOAD_BEFORE before, $(cut -d' ' -f1-3 /proc/loadavg) after" "$TORCH_ENV" <<'PYEOF'
import json, platform, statistics, subprocess, sys, datetime
import torch
work, rounds, out, threads, jmh_args, load, torch_env = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4], sys.argv[5], sys.argv[6], sys.argv[7]
recur, torch_ms = {}, {}
for r in range(1, rounds + 1):
    for res in json.load(open(f"{work}/jmh-{r}.json")):
        # each JMH iteration's mean ms per step, every round pooled
        recur.setdefault(res["params"]["workload"], []).extend(v for fork in res["primaryMetric"]["rawData"] for v in fork)
    for line in open(f"{work}/torch-{r}.tsv"):
        name, ms, _ = line.split("\t")
        torch_ms.setdefault(name, []).append(float(ms))
what = {
    "lstm-step": ("LSTM training step: linear in (32) → LSTM (128) → head (10) → cross entropy → backward → AdamW", "B 32, T 128", 1.0),
    "mamba-block": ("Mamba block x + mixer(RMSNorm(x)), forward + backward of the sum (torch: sequential scan in Python)", "B 4, L 256, d_model 64, d_state 16", 0.2),
    "charlm-lstm": ("char-LM training step: embedding (256) → LSTM (128) → head (256) → cross entropy → backward → AdamW", "B 32, T 128", 1.0),
    "charlm-gru": ("char-LM training step: embedding (256) → GRU (128) → head (256) → cross entropy → backward → AdamW", "B 32, T 128", 1.0),
}
rows = ["| workload | sizes | Recur ms/step | torch ms/step | Recur/torch | target | met |", "|---|---|---:|---:|---:|---:|:---:|"]
for name, (desc, sizes, target) in what.items():
    a, b = statistics.median(recur[name]), statistics.median(torch_ms[name])
    rows.append(f"| {name}: {desc} | {sizes} | {a:.1f} | {b:.1f} | {a / b:.2f}× | ≤ {target}× | {'yes' if a / b <= target else 'no'} |")
per_round = ["| workload | Recur per round (mean of 5 × 1 s) | torch per round (median) |", "|---|---|---|"]
for name in what:
    rr = [statistics.mean(recur[name][i * 5:(i + 1) * 5]) for i in range(rounds)]
    per_round.append(f"| {name} | {', '.join('%.1f' % v for v in rr)} | {', '.join('%.1f' % v for v in torch_ms[name])} |")
table, detail = "\n".join(rows), "\n".join(per_round)
print(table)
cpu = next((l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo") if l.startswith("model name")), platform.processor())
cores = subprocess.run(["nproc"], capture_output=True, text=True).stdout.strip()
java = subprocess.run(["bash", "-c", '"$JAVA_HOME/bin/java" -version 2>&1 | head -1'], capture_output=True, text=True).stdout.strip()
doc = f"""# Recur's CPU backend beside PyTorch on the CPU

The same workloads, sizes and float32 data in each, on the same machine with the same thread count
({threads}), alternating Recur and torch for {rounds} rounds. Recur: `TorchSideBySideBenchmark` (JMH,
3 × 1 s warm-up, 5 × 1 s measured per round; the median of all measured iterations, each a mean ms
per step). torch: `benchmarks/torch_side_by_side.py` (3 s warm-up, then steps timed one by one for
5 s per round; the median of the rounds' medians). Ratio = Recur's time / torch's; lower is better.
Parameters start from each library's own initialisation; the sums are the same, the values differ.

{table}

Per round (ms/step):

{detail}

- date: {datetime.datetime.now(datetime.timezone.utc).strftime('%Y-%m-%d %H:%M UTC')}
- machine: {cpu}, {cores} cores, {platform.system()} {platform.release()}; load average {load} (shared with other users)
- Java: {java}; torch {torch.__version__} (default threads here: {torch.get_num_threads()}; set to {threads})
- threads: torch.set_num_threads({threads}); Recur's pool {threads} (-XX:ActiveProcessorCount); OPENBLAS_NUM_THREADS={threads} for both; torch also runs with {torch_env} (see the script)
- command: `benchmarks/torch_side_by_side.sh` (JMH part: `java … org.openjdk.jmh.Main TorchSideBySideBenchmark {jmh_args}`)
"""
open(out, "w").write(doc)
print("written to", out)
PYEOF
