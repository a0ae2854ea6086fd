#!/usr/bin/env bash
# Packs everything needed to check the CUDA backend on a Linux GPU host that has an NVIDIA driver but
# no Java: a jlinked Java 25 runtime, the jars (main, tests, dependencies, JUnit console launcher),
# the kernel sources the PTX tests compare against, and run.sh.
#   benchmarks/gpu-bundle.sh OUT_TAR      e.g. bundle/recur-gpu-check.tar.gz
# On the GPU host: tar xzf recur-gpu-check.tar.gz && recur-gpu-check/run.sh OUT_DIR
set -euo pipefail
out_tar=$(realpath -m "${1:?usage: gpu-bundle.sh OUT_TAR}")
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
export JAVA_HOME=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}
junit_platform=1.14.1   # the platform release that goes with JUnit Jupiter 5.14.1 (pom)

stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT
dir="$stage/recur-gpu-check"
mkdir -p "$dir/lib" "$dir/launcher"

# The launcher script the jar plugin copies may not exist in every checkout; the bundle does not need it.
skip_launcher=(); [ -f src/main/sh/recur ] || skip_launcher=(-Dmaven.antrun.skip=true)
./mvnw -q -B package -DskipTests "${skip_launcher[@]}"
./mvnw -q -B test-compile
# JUnit's own jars come from the console launcher, which bundles them; two copies would clash.
# OpenBLAS (20 MB of natives) stays out: the GPU host checks CUDA, and the CPU backend falls back to
# its own GEMM there, which keeps the bundle small enough to carry.
./mvnw -q -B dependency:copy-dependencies -DincludeScope=test -DoutputDirectory="$dir/lib" \
  -DexcludeGroupIds=org.junit.jupiter,org.junit.platform,org.opentest4j,org.apiguardian \
  -DexcludeArtifactIds=openblas
./mvnw -q -B dependency:copy -Dartifact=org.junit.platform:junit-platform-console-standalone:$junit_platform \
  -DoutputDirectory="$dir/launcher"
cp target/recur-*.jar "$dir/lib/recur.jar"
"$JAVA_HOME/bin/jar" cf "$dir/lib/recur-tests.jar" -C target/test-classes .
mkdir -p "$dir/kernels" && cp kernels/*.cu kernels/*.cuh "$dir/kernels/"

# Modules the jars use (jdeps), plus what is reached without a static reference: jdk.zipfs lets the
# console launcher scan the test jar.
deps=$("$JAVA_HOME/bin/jdeps" -q --multi-release 25 --ignore-missing-deps --print-module-deps \
  --class-path "$dir/lib/*:$dir/launcher/*" "$dir"/lib/recur*.jar "$dir"/launcher/*.jar 2>/dev/null || true)
modules="java.base,java.logging,java.management,java.xml,jdk.unsupported,jdk.zipfs${deps:+,$deps}"
# Uncompressed modules: the tar.gz compresses them better than jlink's own zip (32 vs 39 MB).
"$JAVA_HOME/bin/jlink" --add-modules "$modules" --strip-debug --no-man-pages --no-header-files \
  --compress=zip-0 --output "$dir/runtime"

cat > "$dir/run.sh" <<'RUN'
#!/usr/bin/env bash
# Runs the test suite with CUDA required, then a short benchmark; writes summary.txt and logs to OUT_DIR.
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
out=$(realpath -m "${1:?usage: run.sh OUT_DIR}")
mkdir -p "$out"
cd "$here"   # the PTX tests read kernels/ from the working directory
java=(runtime/bin/java --enable-native-access=ALL-UNNAMED --sun-misc-unsafe-memory-access=allow -Xmx6g)
require=${RECUR_REQUIRE:-cuda}   # RECUR_REQUIRE=none lets the GPU tests skip (for a dry run without a GPU)
cp=$(printf "%s:" lib/*.jar)   # the launcher does not expand wildcards

{ command -v nvidia-smi >/dev/null && nvidia-smi || echo "nvidia-smi: not found"; } > "$out/nvidia-smi.txt" 2>&1

"${java[@]}" -Drecur.backend.require="$require" -jar launcher/junit-platform-console-standalone-*.jar execute \
  --class-path "$cp" --scan-class-path lib/recur-tests.jar --reports-dir "$out/junit" --details=tree \
  --disable-banner --disable-ansi-colors --fail-if-no-tests > "$out/tests.log" 2>&1
tests_rc=$?
"${java[@]}" -cp "$cp" io.recur.backend.cuda.CudaBenchmark "$out/benchmark.txt" > "$out/benchmark.log" 2>&1
bench_rc=$?
# The scan against copy bandwidth (target: >= 0.70x of copy for T >= 4096).
"${java[@]}" -cp "$cp" io.recur.cli.Main bench scan --backend cuda --scan-shapes 8x1536x2048,8x1536x4096,8x1536x65536,1x64x1000000 \
  --out "$out/bench-scan.md" > "$out/bench-scan.log" 2>&1 || bench_rc=1
# Every kernel family on the GPU and the CPU (whose GEMM here is the pure-Java one: the bundle
# leaves OpenBLAS out), with the speedup over the CPU; bench.json, bench.md, bench.png.
"${java[@]}" -cp "$cp" io.recur.cli.Main bench all --backend cpu,cuda --out "$out/bench-all" > "$out/bench-all.log" 2>&1 || bench_rc=1
# A GRU layer evaluated by DEER/ELK against step by step on the GPU (the DEER paper's reference
# case, batch 16 and hidden 1, up to T = 1e6; then larger states at T = 1e4), capped in time.
deer=(timeout 300 "${java[@]}" -cp "$cp" org.openjdk.jmh.Main ParallelGruBenchmark -f 1 -wi 1 -i 2 -p backend=cuda -rf json)
"${deer[@]}" -rff "$out/deer-gpu-1.json" -p hidden=1 -p length=1000,10000,100000,1000000 -p evaluation=deer,quasi-deer,elk,quasi-elk \
  -p pass=forward,forwardBackward > "$out/deer-gpu.log" 2>&1 || bench_rc=1
"${deer[@]}" -rff "$out/deer-gpu-2.json" -p hidden=1 -p length=1000,10000,100000 -p evaluation=sequential \
  -p pass=forward,forwardBackward >> "$out/deer-gpu.log" 2>&1 || bench_rc=1
"${deer[@]}" -rff "$out/deer-gpu-3.json" -p hidden=4,16 -p length=10000 -p evaluation=sequential,deer,quasi-deer,elk,quasi-elk \
  -p pass=forward,forwardBackward >> "$out/deer-gpu.log" 2>&1 || bench_rc=1
"${deer[@]}" -rff "$out/deer-gpu-4.json" -p hidden=64 -p length=10000 -p evaluation=sequential,quasi-deer,quasi-elk \
  -p pass=forward,forwardBackward >> "$out/deer-gpu.log" 2>&1 || bench_rc=1   # full Jacobians need n <= 32

{
  echo "recur GPU check, $(date -u +%FT%TZ) on $(hostname)"
  grep -m1 -E "NVIDIA-SMI|Driver Version" "$out/nvidia-smi.txt" || true
  echo
  echo "tests (exit $tests_rc):"
  grep -E "tests (successful|skipped|failed|aborted|found)" "$out/tests.log" | sed 's/^[[:space:]│]*/  /'
  grep -E "✘" "$out/tests.log" | head -40 | sed 's/^/  /'
  echo
  echo "benchmark (exit $bench_rc):"
  sed 's/^/  /' "$out/benchmark.txt" 2>/dev/null || tail -5 "$out/benchmark.log"
  sed 's/^/  /' "$out/bench-scan.md" 2>/dev/null || tail -5 "$out/bench-scan.log"
  sed 's/^/  /' "$out/bench-all/bench.md" 2>/dev/null || tail -5 "$out/bench-all.log"
  echo "DEER/ELK GRU on the GPU (JMH ms per call; PARALLEL-GRU lines: iterations, memory):"
  grep -E "^(ParallelGruBenchmark|PARALLEL-GRU)" "$out/deer-gpu.log" | sed 's/^/  /' || tail -5 "$out/deer-gpu.log"
} > "$out/summary.txt"
cat "$out/summary.txt"
[ $tests_rc -eq 0 ] && [ $bench_rc -eq 0 ]
RUN
chmod +x "$dir/run.sh"

mkdir -p "$(dirname "$out_tar")"
tar -C "$stage" -czf "$out_tar" recur-gpu-check
echo "gpu-bundle: $out_tar ($(du -h "$out_tar" | cut -f1))"
