#!/usr/bin/env bash
# Metrics HTTP server under load (docs/benchmarks.md, issue 14): runs MetricsUnderHistoryLoadTest
# (embedded broker, a run of 10,000 events, rounds of 50 concurrent /api/runs/{id} requests for
# 15 s while /metrics, /healthz and /readyz are asked every second, all on loopback) and prints
# its figures; the last line has /metrics p50/p99 and the history requests' latencies.
# Extra arguments go to Maven (e.g. -o for offline). Builds in target/ only; installs nothing.
set -euo pipefail
cd "$(dirname "$0")/.."
echo "machine: $(nproc) cores, $(uptime | sed 's/.*load average/load average/')"
rc=0
log=$(mktemp)
mvn -B -q -pl metrics -am test -Dtest=MetricsUnderHistoryLoadTest -Dsurefire.failIfNoSpecifiedTests=false "$@" \
  > "$log" 2>&1 || rc=$?
[ $rc -eq 0 ] || { sed 's/\x1b\[[0-9;]*m//g' "$log" | grep -E 'FAIL|Expecting|to be less' >&2 || true; }
rm -f "$log"
report=metrics/target/surefire-reports/io.memoscope.metrics.MetricsUnderHistoryLoadTest-output.txt
grep -h '^http load: /metrics latencies' "$report" || true
grep -h '^http load: [0-9]' "$report"
exit $rc
