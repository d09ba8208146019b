#!/usr/bin/env bash
# Ingest throughput vs Kafka's ProducerPerformance on the same embedded broker (docs/benchmarks.md).
# Needs Debian's dataset-fashion-mnist. Usage: bench/ingest.sh [rounds, default 7]
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -B -q -DskipTests install -pl ingest -am >/dev/null
mvn -B -q -pl ingest exec:java -Dexec.classpathScope=test \
  -Dexec.mainClass=io.memoscope.ingest.bench.IngestBenchmark -Dexec.args="${1:-7}" 2>&1 \
  | sed -u 's/\x1b\[[0-9;]*m//g'   # Maven's colour resets would follow the verdict line
