#!/usr/bin/env bash
# Metrics service latency (docs/benchmarks.md): events at a fixed rate through the embedded broker
# and `memoscope metrics`; prints p50/p99 delay from event timestamp to value on /metrics, and losses.
# Usage: bench/metrics.sh [events/s, default 10000] [seconds measured, default 30] [runs, default 4] [warm-up s, default 10]
# Builds the modules it needs in target/ only (nothing is installed into the local repository).
set -euo pipefail
cd "$(dirname "$0")/.."
exec mvn -B -q -pl metrics -am -Pbench -DskipTests \
  -Dbench.args="${1:-10000} ${2:-30} ${3:-4} ${4:-10}" verify
