#!/usr/bin/env bash
# What one training setting costs end to end: `memoscope train` with its defaults against the same
# run with SETTING, on the embedded broker, rounds alternating in one run; each round times two
# whole runs (start-up, streaming, evaluation, checkpoints included) and the statistic is the
# median of the rounds' own ratios, with min–max (docs/benchmarks.md).
# Usage: bench/setting-cost.sh SETTING [rounds] [epochs] [images]
#   bench/setting-cost.sh probe.every=1 5 3 10000     # a probe at every evaluation
#   bench/setting-cost.sh eval.subset=1000 5 3 10000  # the evaluation subset before it became 2,000
# Data: Fashion-MNIST when Debian's dataset-fashion-mnist is installed, else the synthetic set.
set -euo pipefail
cd "$(dirname "$0")/.."
setting=${1:?usage: bench/setting-cost.sh KEY=VALUE [rounds] [epochs] [images]}
rounds=${2:-5}
epochs=${3:-3}
images=${4:-10000}
[ -f cli/target/memoscope.jar ] || ./memoscope --version >/dev/null
memoscope() { java -jar cli/target/memoscope.jar "$@"; }
# The broker is started without the function, so that $! is the JVM itself and the trap stops it.
port=${BENCH_PORT:-19097}
bootstrap=127.0.0.1:$port
work=$(mktemp -d)
java -jar cli/target/memoscope.jar broker --temporary --port "$port" >"$work/broker.log" 2>&1 &
broker=$!
trap 'kill $broker 2>/dev/null; rm -rf "$work"' EXIT
memoscope check --bootstrap "$bootstrap" --timeout 60s >/dev/null 2>&1
if [ -d /usr/share/datasets/fashion-mnist ]; then
  source=(--source idx --limit "$images"); data="Fashion-MNIST, $images training images"
else
  source=(--source synthetic --count "$images"); data="synthetic, $images training images"
fi
memoscope ingest --bootstrap "$bootstrap" --dataset bench "${source[@]}" >/dev/null 2>&1

seconds() { # run id, extra train arguments
  local start=$EPOCHREALTIME
  memoscope train --bootstrap "$bootstrap" --dataset bench --epochs "$epochs" --run-id "$1" \
    --checkpoint-dir "$work/runs" "${@:2}" >"$work/$1.log" 2>&1 || { cat "$work/$1.log" >&2; exit 1; }
  python3 -c "print(f'{$EPOCHREALTIME - $start:.2f}')"
}

echo "memoscope train, $epochs epochs of $data, defaults vs $setting, $rounds rounds"
ratios=()
for round in $(seq "$rounds"); do
  base=$(seconds "defaults-$round")
  with=$(seconds "setting-$round" --set "$setting")
  ratio=$(python3 -c "print(f'{$with / $base:.3f}')")
  echo "round $round: defaults $base s, $setting $with s, ratio $ratio"
  ratios+=("$ratio")
done
python3 - "${ratios[@]}" <<'PY'
import statistics, sys
r = [float(x) for x in sys.argv[1:]]
print(f"time with the setting / without: median {statistics.median(r):.3f} (min {min(r):.3f}, max {max(r):.3f}) over {len(r)} paired rounds")
PY
