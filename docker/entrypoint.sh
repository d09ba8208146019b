#!/usr/bin/env bash
# Entrypoint of the memoscope image. Runs any memoscope command (`ingest …`, `train …`,
# `metrics …`, `--help`), plus the two one-shot steps of the docker-compose demo:
#
#   demo-ingest  ingests Fashion-MNIST when its IDX files are mounted at $MEMOSCOPE_DATA_DIR,
#                else a synthetic Fashion-MNIST-style set (28x28x1, 10 classes), and says which;
#                records the data set's name in $MEMOSCOPE_STATE_DIR/dataset for demo-train
#   demo-train   trains a small run on that data set (checkpoints under $MEMOSCOPE_STATE_DIR/runs)
#
# Kafka: MEMOSCOPE_BOOTSTRAP (host:port), read by every command. JVM options: MEMOSCOPE_JAVA_OPTS.
set -euo pipefail

jar=${MEMOSCOPE_JAR:-/opt/memoscope/memoscope.jar}
state=${MEMOSCOPE_STATE_DIR:-/var/lib/memoscope}
data=${MEMOSCOPE_DATA_DIR:-/data/fashion-mnist}

log() { echo "memoscope-demo: $*" >&2; }

memoscope() {
  # shellcheck disable=SC2086 # MEMOSCOPE_JAVA_OPTS is a list of options
  java ${MEMOSCOPE_JAVA_OPTS:-} -jar "$jar" "$@"
}

exec_memoscope() {
  # shellcheck disable=SC2086
  exec java ${MEMOSCOPE_JAVA_OPTS:-} -jar "$jar" "$@"
}

demo_ingest() {
  mkdir -p "$state"
  local dataset
  if compgen -G "$data/train-images-idx3-ubyte*" >/dev/null; then
    dataset=${MEMOSCOPE_DEMO_DATASET:-fashion-mnist}
    log "found Fashion-MNIST IDX files in $data: ingesting them as data set '$dataset'" \
        "(at most ${MEMOSCOPE_DEMO_LIMIT:-10000} images per split)"
    memoscope ingest --source idx --dir "$data" --dataset "$dataset" \
      --limit "${MEMOSCOPE_DEMO_LIMIT:-10000}" --recreate "$@"
  else
    dataset=${MEMOSCOPE_DEMO_DATASET:-fashion-mnist-synthetic}
    log "no Fashion-MNIST IDX files (train-images-idx3-ubyte[.gz], …) in $data:" \
        "ingesting a SYNTHETIC Fashion-MNIST-style data set instead (28x28x1 images, 10 classes," \
        "${MEMOSCOPE_DEMO_COUNT:-6000} train images) as data set '$dataset'." \
        "Mount the real files at $data to train on Fashion-MNIST."
    memoscope ingest --source synthetic --dataset "$dataset" --classes 10 --height 28 --width 28 \
      --channels 1 --count "${MEMOSCOPE_DEMO_COUNT:-6000}" --recreate "$@"
  fi
  printf '%s\n' "$dataset" >"$state/dataset.tmp"
  mv "$state/dataset.tmp" "$state/dataset"
}

demo_train() {
  local dataset=${MEMOSCOPE_DEMO_DATASET:-}
  if [ -z "$dataset" ]; then
    if [ ! -s "$state/dataset" ]; then
      log "no $state/dataset: run demo-ingest first (or set MEMOSCOPE_DEMO_DATASET)"
      exit 1
    fi
    dataset=$(cat "$state/dataset")
  fi
  local run_args=()
  if [ -n "${MEMOSCOPE_DEMO_RUN_TAG:-}" ]; then
    run_args=(--run-id "$dataset-$MEMOSCOPE_DEMO_RUN_TAG-$(date -u +%Y%m%d-%H%M%S)")
  fi
  log "training on data set '$dataset' (${MEMOSCOPE_DEMO_EPOCHS:-30} epochs)"
  exec_memoscope train --dataset "$dataset" --epochs "${MEMOSCOPE_DEMO_EPOCHS:-30}" \
    --checkpoint-dir "$state/runs" --log-every 10 --ratio-every 50 "${run_args[@]}" "$@"
}

case "${1:-}" in
  demo-ingest) shift; demo_ingest "$@" ;;
  demo-train) shift; demo_train "$@" ;;
  *) exec_memoscope "$@" ;;
esac
