#!/usr/bin/env bash
# Streamed vs in-memory training throughput, same model and steps, one JVM (docs/benchmarks.md).
# Usage: bench/streaming.sh [samples, default 12000] [rounds, default 5]
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -B -q -DskipTests install -pl cli -am >/dev/null
mvn -B -q -pl cli exec:java -Dexec.classpathScope=test \
  -Dexec.mainClass=io.memoscope.cli.bench.StreamingBenchmark -Dexec.args="${1:-12000} ${2:-5}" 2>&1 \
  | sed -u 's/\x1b\[[0-9;]*m//g'   # Maven's colour resets would follow the verdict line
