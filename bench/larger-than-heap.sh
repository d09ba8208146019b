#!/usr/bin/env bash
# A synthetic data set larger than the trainer's heap, trained from Kafka with a capped heap: shows
# that the streaming trainer's memory stays bounded whatever the data set size (docs/benchmarks.md).
#
# Usage: bench/larger-than-heap.sh [GiB of train pixels, default 2] [trainer heap, default 1g]
# Images are 64x64x3 (12 KiB each), so 2 GiB is 174,763 images; one epoch of a narrow small-cnn.
# Prints the data size, the heap cap, the largest heap after a GC, the trainer's peak RSS and the
# training rate. Needs about 3x the data size free on disk under ${TMPDIR:-/tmp}.
set -euo pipefail
cd "$(dirname "$0")/.."
gib=${1:-2}
heap=${2:-1g}
height=64 width=64 channels=3
count=$(( gib * 1024 * 1024 * 1024 / (height * width * channels) ))

./memoscope --version >/dev/null   # builds the jar when needed
jar=cli/target/memoscope.jar
work=$(mktemp -d -t memoscope-heap.XXXXXX)
broker_pid=
cleanup() {
  [ -n "$broker_pid" ] && kill "$broker_pid" 2>/dev/null && wait "$broker_pid" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

java -jar "$jar" broker --port 0 --data-dir "$work/broker" >"$work/broker.out" 2>"$work/broker.err" &
broker_pid=$!
for _ in $(seq 1 120); do
  bootstrap=$(sed -n 's/^ *bootstrap: *//p' "$work/broker.out" | head -n 1)
  [ -n "$bootstrap" ] && break
  sleep 1
done
[ -n "${bootstrap:-}" ] || { echo "larger-than-heap: the broker did not start" >&2; cat "$work/broker.err" >&2; exit 1; }

echo "ingesting $count synthetic ${height}x${width}x${channels} images ($gib GiB of pixels) into $bootstrap ..."
java -Xmx1g -jar "$jar" ingest --source synthetic --dataset heap-test --count "$count" --test-count 256 \
  --height "$height" --width "$width" --channels "$channels" --bootstrap "$bootstrap" 2>"$work/ingest.err" \
  | tail -n 1
topic_bytes=$(du -sb "$work/broker" | cut -f1)

echo "training one epoch with -Xmx$heap ..."
status=0
/usr/bin/time -v -o "$work/time.txt" java -Xmx"$heap" -Xlog:gc:file="$work/gc.log" -jar "$jar" \
  train --dataset heap-test --run-id heap-test --epochs 1 --batch-size 128 --set model.width-scale=0.25 \
  --set eval.subset=256 --log-every 200 --checkpoint-dir "$work/runs" --bootstrap "$bootstrap" \
  >"$work/train.out" 2>"$work/train.err" || status=$?
if [ "$status" -ne 0 ]; then
  tail -n 20 "$work/train.err" >&2
  echo "larger-than-heap: training failed with exit code $status" >&2
  exit "$status"
fi

peak_heap_mib=$(grep -o -- '->[0-9]*M' "$work/gc.log" | tr -dc '0-9\n' | sort -n | tail -n 1)
rss_kib=$(sed -n 's/^\s*Maximum resident set size (kbytes): //p' "$work/time.txt")
cat "$work/train.out"
printf 'data on the broker   %8.2f GiB (%d train images)\n' "$(echo "$topic_bytes / 1073741824" | bc -l)" "$count"
printf 'trainer heap cap     %8s\n' "$heap"
printf 'largest heap after GC %7s MiB\n' "${peak_heap_mib:-?}"
printf 'trainer peak RSS     %8.0f MiB (heap + ND4J off-heap + JVM)\n' "$(echo "$rss_kib / 1024" | bc -l)"
grep -m1 'shuffle buffer' "$work/train.err" | sed 's/.*- /                     /' || true
