#!/usr/bin/env bash
# Compiles kernels/*.cu to PTX (compute_75) and assembles each for sm_90 to keep a register/spill report.
#   build-ptx.sh OUT_DIR [strict]   build into OUT_DIR (Maven calls this in generate-resources)
#   build-ptx.sh --update           rewrite the committed copies in kernels/ptx/
# The committed PTX lets a machine without nvcc build a GPU-capable jar. With nvcc present the fresh
# PTX is used; in strict mode (CI) a difference from the committed copy fails the build. Without nvcc
# the committed copy is used, and the build fails if its recorded source hash no longer matches.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
committed="$here/ptx"
update=false
if [ "${1:-}" = "--update" ]; then update=true; out=$(mktemp -d); strict=false
else out=${1:?usage: build-ptx.sh OUT_DIR [strict] | --update}; strict=${2:-false}; fi
[ "${CI:-}" = "true" ] && strict=true   # CI insists that the committed PTX is what its nvcc makes
mkdir -p "$out"   # nvcc exits 0 and writes nothing when the output folder is missing

source_hash() {  # the .cu file and every shared header it may include
  cat "$1" "$here"/*.cuh 2>/dev/null | sha256sum | cut -d' ' -f1
}

shopt -s nullglob
sources=("$here"/*.cu)
if [ ${#sources[@]} -eq 0 ]; then echo "build-ptx: no kernels"; exit 0; fi

if ! command -v nvcc >/dev/null 2>&1; then
  $update && { echo "build-ptx: --update needs nvcc on PATH" >&2; exit 1; }
  for cu in "${sources[@]}"; do
    name=$(basename "$cu" .cu)
    if [ ! -f "$committed/$name.ptx" ]; then
      echo "build-ptx: kernels/ptx/$name.ptx is missing and nvcc is not installed; run kernels/build-ptx.sh --update on a machine with CUDA 13" >&2; exit 1
    fi
    if [ "$(cat "$committed/$name.sha256" 2>/dev/null)" != "$(source_hash "$cu")" ]; then
      echo "build-ptx: kernels/ptx/$name.ptx is stale (kernels/$name.cu or a header changed since it was built); run kernels/build-ptx.sh --update with nvcc" >&2; exit 1
    fi
    cp "$committed/$name.ptx" "$out/"
  done
  echo "build-ptx: nvcc not found; using the ${#sources[@]} committed PTX files"
  exit 0
fi

stale=()
for cu in "${sources[@]}"; do
  name=$(basename "$cu" .cu)
  # No -lineinfo by default: line info embeds absolute paths (and names hashed from them), so the
  # PTX would depend on where the checkout lives. For profiling: RECUR_NVCC_FLAGS=-lineinfo.
  nvcc -ptx -arch=compute_75 -std=c++17 -O3 ${RECUR_NVCC_FLAGS:-} -I "$here" -o "$out/$name.ptx" "$cu"
  [ -s "$out/$name.ptx" ] || { echo "build-ptx: nvcc wrote no $out/$name.ptx" >&2; exit 1; }
  ptxas -arch=sm_90 -v -o /dev/null "$out/$name.ptx" > "$out/$name.ptxas.txt" 2>&1
  if grep -E "[1-9][0-9]* bytes spill" "$out/$name.ptxas.txt" >/dev/null; then
    echo "build-ptx: WARNING register spills in $name (see $out/$name.ptxas.txt):"
    grep -B1 -E "[1-9][0-9]* bytes spill" "$out/$name.ptxas.txt" | sed 's/^/  /'
  fi
  if $update; then
    mkdir -p "$committed"; cp "$out/$name.ptx" "$committed/"; source_hash "$cu" > "$committed/$name.sha256"
  elif ! cmp -s "$out/$name.ptx" "$committed/$name.ptx" \
       || [ "$(cat "$committed/$name.sha256" 2>/dev/null)" != "$(source_hash "$cu")" ]; then
    stale+=("$name")
  fi
done
if $update; then
  for ptx in "$committed"/*.ptx; do   # drop copies whose source is gone
    name=$(basename "$ptx" .ptx); [ -f "$here/$name.cu" ] || rm -f "$ptx" "$committed/$name.sha256"
  done
  echo "build-ptx: updated kernels/ptx (${#sources[@]} kernels)"; exit 0
fi
if [ ${#stale[@]} -gt 0 ]; then
  msg="committed PTX differs from this nvcc's output for: ${stale[*]}"
  if [ "$strict" = "true" ]; then
    echo "build-ptx: ERROR $msg; run kernels/build-ptx.sh --update and commit kernels/ptx" >&2; exit 1
  fi
  echo "build-ptx: note: $msg (using the fresh PTX)"
fi
echo "build-ptx: compiled ${#sources[@]} kernels with $(nvcc --version | grep -o 'release [0-9.]*')"
