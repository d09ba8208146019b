#!/usr/bin/env bash
# Writes prometheus/prometheus.yml with its scrape target moved from metrics:9404 (compose) to
# 127.0.0.1:PORT, for a Prometheus started by hand or by a test on this machine.
# Usage: prometheus/render-local.sh PORT [OUT]   (OUT defaults to stdout)
set -euo pipefail
port=${1:?usage: render-local.sh PORT [OUT]}
case $port in
  '' | *[!0-9]*) echo "render-local.sh: PORT must be a number, got '$port'" >&2; exit 2 ;;
esac
here="$(cd "$(dirname "$0")" && pwd)"
grep -q '"metrics:9404"' "$here/prometheus.yml" || {
  echo "render-local.sh: target metrics:9404 not found in $here/prometheus.yml" >&2
  exit 1
}
rendered=$(sed "s/\"metrics:9404\"/\"127.0.0.1:$port\"/" "$here/prometheus.yml")
if [ $# -ge 2 ]; then printf '%s\n' "$rendered" >"$2"; else printf '%s\n' "$rendered"; fi
