#!/usr/bin/env bash
# Trainer throughput: DL4J (memoscope train's default network: small-cnn with batch norm, SGD
# Nesterov, one random-label head, an evaluation per round; batch 128, random 28x28x1 data)
# against PyTorch on the same network, batch and thread count, rounds alternating in one run;
# the last line is the median of the rounds' ratios (docs/benchmarks.md). Needs Debian's
# python3-torch (apt-get install python3-torch).
# Usage: bench/trainer.sh [key=value ...]   e.g. network=plain threads=2 batch=512 helpers=off
#   keys: threads torch-threads batch steps warmup rounds helpers cache workspaces padding torch
#         model network eval
#
# PyTorch's dense layers run on whatever libblas.so.3 Debian provides; the default (libblas3) is
# the reference BLAS, which would hand DL4J an easy win. So PyTorch gets an OpenBLAS: $TORCH_BLAS_DIR
# if set, else Debian's libopenblas0-pthread if installed, else that package unpacked (not
# installed: the system's BLAS is left alone) into ~/.cache/memoscope.
set -euo pipefail
cd "$(dirname "$0")/.."
if ! /usr/bin/python3 -c 'import torch' 2>/dev/null; then
  echo "bench/trainer.sh: Debian's /usr/bin/python3 has no torch; apt-get install -y python3-torch" >&2
  exit 1
fi

openblas_dir() {
  local system=/usr/lib/x86_64-linux-gnu/openblas-pthread
  local cache="${XDG_CACHE_HOME:-$HOME/.cache}/memoscope/openblas"
  if [[ -n "${TORCH_BLAS_DIR:-}" ]]; then
    echo "$TORCH_BLAS_DIR"
  elif [[ -e "$system/libblas.so.3" ]]; then
    echo "$system"
  else
    if [[ ! -e "$cache$system/libblas.so.3" ]]; then
      mkdir -p "$cache"
      (cd "$cache" && apt-get download libopenblas0-pthread >/dev/null 2>&1 \
        && dpkg -x libopenblas0-pthread_*.deb . && rm -f libopenblas0-pthread_*.deb) || true
    fi
    if [[ -e "$cache$system/libblas.so.3" ]]; then
      echo "$cache$system"
    else
      echo "bench/trainer.sh: no OpenBLAS for PyTorch; it runs on the reference BLAS" >&2
    fi
  fi
}

blas=$(openblas_dir)
mvn -B -q -DskipTests install -pl trainer -am >/dev/null
# Debian's python3, not the first on PATH (a pyenv one without torch).
exec mvn -B -q -pl trainer exec:java -Dexec.classpathScope=test \
  -Dexec.mainClass=io.memoscope.trainer.bench.TrainerBenchmark \
  -Dexec.args="python=/usr/bin/python3 torch-script=$PWD/bench/pytorch_small_cnn.py torch-blas=$blas $*"
