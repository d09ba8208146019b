#!/usr/bin/env bash
# Trainer throughput: DL4J (memoscope train's default network: small-cnn with batch norm, SGD
# Nesterov, one random-label head, an evaluation per round; batch 128, random 28x28x1 data)
# against PyTorch on the same network, batch and thread count, rounds alternating in one run;
# the last line is the median of the rounds' ratios (docs/benchmarks.md). Needs Debian's
# python3-torch (apt-get install python3-torch).
# Usage: bench/trainer.sh [key=value ...]   e.g. network=plain threads=2 batch=512 helpers=off
#   keys: threads torch-threads batch steps warmup rounds helpers cache workspaces padding torch
#         model network eval taps heads   (e.g. taps=all heads=mlp: heads at every tap, MLP heads)
#        bench/trainer.sh e2e [rounds] [epochs] [images]   (defaults 5, 5, 8192)
#   end to end: a whole `memoscope train` with its defaults, streamed from the embedded broker
#   (Fashion-MNIST, Debian's dataset-fashion-mnist), against the PyTorch script's whole run of the
#   same network on the same images in memory, evaluation included; wall time of each process,
#   rounds alternating, 1 thread each; last line: median of the rounds' ratios (min–max).
#        bench/trainer.sh profile [epochs] [images]   (defaults 5, 8192)
#   where the time of one such `memoscope train` goes (Java Flight Recorder, bench/jfr_breakdown.py).
#        bench/trainer.sh profile-pytorch [steps]   (default 50)
#   where PyTorch's training step of the same network goes, per operator (torch.profiler).
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

# Starts an embedded broker (port $BENCH_PORT, default 19099) in a temporary folder $work and
# ingests the first $1 Fashion-MNIST training and test images as data set "e2e".
e2e_broker() {
  local images=$1
  data=/usr/share/datasets/fashion-mnist
  [ -d "$data" ] || { echo "bench/trainer.sh: needs Debian's dataset-fashion-mnist" >&2; exit 1; }
  [ -f cli/target/memoscope.jar ] || ./memoscope --version >/dev/null
  port=${BENCH_PORT:-19099}
  work=$(mktemp -d)
  java -jar cli/target/memoscope.jar broker --temporary --port "$port" >"$work/broker.log" 2>&1 &
  local broker=$!
  trap 'kill '"$broker"' 2>/dev/null; rm -rf '"$work" EXIT
  java -jar cli/target/memoscope.jar check --bootstrap "127.0.0.1:$port" --timeout 60s >/dev/null 2>&1
  java -jar cli/target/memoscope.jar ingest --bootstrap "127.0.0.1:$port" --source idx --dataset e2e \
    --limit "$images" >/dev/null 2>&1
}

# Where a default run's training thread spends its time: one `memoscope train` of the end-to-end
# set-up under Java Flight Recorder, its samples sorted by bench/jfr_breakdown.py.
profile() {
  local epochs=${1:-5} images=${2:-8192}
  e2e_broker "$images"
  OMP_NUM_THREADS=1 java -XX:StartFlightRecording=filename="$work/train.jfr",settings=profile \
    -jar cli/target/memoscope.jar train --bootstrap "127.0.0.1:$port" --dataset e2e --epochs "$epochs" \
    --run-id profile --checkpoint-dir "$work/runs" 2>&1 | grep "^run profile:"
  jfr print --stack-depth 128 --events jdk.ExecutionSample,jdk.NativeMethodSample,jdk.GarbageCollection \
    "$work/train.jfr" >"$work/train.txt"
  bench/jfr_breakdown.py "$work/train.txt"
}

end_to_end() {
  local rounds=${1:-5} epochs=${2:-5} images=${3:-8192}
  e2e_broker "$images"
  echo "memoscope train (defaults, streamed) vs PyTorch (same network, in memory): $epochs epochs of $images" \
    "Fashion-MNIST images, evaluation each epoch, 1 thread each, $rounds rounds"
  local ratios=() round start memoscope torch
  for round in $(seq "$rounds"); do
    start=$EPOCHREALTIME
    OMP_NUM_THREADS=1 java -jar cli/target/memoscope.jar train --bootstrap "127.0.0.1:$port" --dataset e2e \
      --epochs "$epochs" --run-id "e2e-$round" --checkpoint-dir "$work/runs" >"$work/train-$round.log" 2>&1 \
      || { cat "$work/train-$round.log" >&2; exit 1; }
    memoscope=$(python3 -c "print(f'{$EPOCHREALTIME - $start:.2f}')")
    start=$EPOCHREALTIME
    LD_LIBRARY_PATH="$blas${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}" OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1 \
      /usr/bin/python3 bench/pytorch_small_cnn.py --e2e "$data" --images "$images" --epochs "$epochs" \
      --threads 1 >"$work/torch-$round.log" 2>&1 || { cat "$work/torch-$round.log" >&2; exit 1; }
    torch=$(python3 -c "print(f'{$EPOCHREALTIME - $start:.2f}')")
    ratios+=("$(python3 -c "print(f'{$torch / $memoscope:.3f}')")")
    echo "round $round: memoscope train $memoscope s, pytorch $torch s, speed ratio ${ratios[-1]}"
  done
  python3 - "${ratios[@]}" <<'PY'
import statistics, sys
r = [float(x) for x in sys.argv[1:]]
print(f"ratio memoscope / pytorch (speed, end to end): median {statistics.median(r):.3f} (min {min(r):.3f}, max {max(r):.3f}) over {len(r)} paired rounds")
PY
}

if [[ "${1:-}" == e2e ]]; then
  shift
  end_to_end "$@"
  exit 0
fi
if [[ "${1:-}" == profile-pytorch ]]; then
  LD_LIBRARY_PATH="$blas${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}" OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1 \
    /usr/bin/python3 bench/pytorch_small_cnn.py --threads 1 --eval 0 --profile "${2:-50}"
  exit 0
fi
if [[ "${1:-}" == profile ]]; then
  shift
  profile "$@"
  exit 0
fi

mvn -B -q -DskipTests install -pl trainer -am >/dev/null
# Debian's python3, not the first on PATH (a pyenv one without torch).
mvn -B -q -pl trainer exec:java -Dexec.classpathScope=test \
  -Dexec.mainClass=io.memoscope.trainer.bench.TrainerBenchmark \
  -Dexec.args="python=/usr/bin/python3 torch-script=$PWD/bench/pytorch_small_cnn.py torch-blas=$blas $*" 2>&1 \
  | sed -u 's/\x1b\[[0-9;]*m//g'   # Maven's colour resets would follow the verdict line
