#!/usr/bin/env bash
# Metrics service latency (docs/benchmarks.md): events at a fixed rate through the embedded broker
# and `memoscope metrics`; prints p50/p99 delay from event timestamp to value on /metrics, and losses.
# Usage: bench/metrics.sh [events/s, default 10000] [seconds measured, default 30] [runs, default 4]
#                         [warm-up s, default 10] [service: jvm (default) | process]
#   jvm:     the service runs inside the benchmark's JVM, beside the broker.
#   process: the service is started as its own JVM through ./memoscope, the way users start it,
#            once the broker has been running (warmed) for 15 s: a cold start of the service alone.
#            MEMOSCOPE_JAVA_OPTS reaches that JVM as it does any `memoscope` command.
# Builds the modules it needs in target/ only (nothing is installed into the local repository);
# `process` also builds the launcher jar, cli/target/memoscope.jar, if it is missing or stale.
set -euo pipefail
cd "$(dirname "$0")/.."
service="in-jvm"
case "${5:-jvm}" in
  jvm) ;;
  process)
    ./memoscope --version >/dev/null
    service="$PWD/memoscope" ;;
  *) echo "bench/metrics.sh: the fifth argument is jvm or process, not '$5'" >&2; exit 2 ;;
esac
mvn -B -q -pl metrics -am -Pbench -DskipTests \
  -Dbench.args="${1:-10000} ${2:-30} ${3:-4} ${4:-10} $service" verify 2>&1 \
  | sed -u 's/\x1b\[[0-9;]*m//g'   # Maven's colour resets would follow the verdict line
