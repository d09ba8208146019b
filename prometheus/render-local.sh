#!/usr/bin/env bash
# Writes prometheus/prometheus.yml with its scrape target moved from metrics:9404 (compose) to
# 127.0.0.1:PORT, and its rules file (rules/memoscope.yml, relative to the config) made absolute
# (this folder's rules/memoscope.yml), for a Prometheus started by hand, by a test or by
# `memoscope demo --prometheus` on this machine, whatever folder the rendered config is written to.
# Usage: prometheus/render-local.sh PORT [OUT]   (OUT defaults to stdout)
set -euo pipefail
port=${1:?usage: render-local.sh PORT [OUT]}
case $port in
  '' | *[!0-9]*) echo "render-local.sh: PORT must be a number, got '$port'" >&2; exit 2 ;;
esac
here="$(cd "$(dirname "$0")" && pwd)"
for wanted in '"metrics:9404"' '"rules/memoscope.yml"'; do
  grep -q "$wanted" "$here/prometheus.yml" || {
    echo "render-local.sh: $wanted not found in $here/prometheus.yml" >&2
    exit 1
  }
done
# The path goes into a double-quoted YAML string and a sed replacement: refuse what would need escaping.
case $here in
  *[\"\\\&\|]* | *$'\n'*) echo "render-local.sh: cannot write the path $here into the config" >&2; exit 1 ;;
esac
rendered=$(sed -e "s/\"metrics:9404\"/\"127.0.0.1:$port\"/" \
  -e "s|\"rules/memoscope.yml\"|\"$here/rules/memoscope.yml\"|" "$here/prometheus.yml")
if [ $# -ge 2 ]; then printf '%s\n' "$rendered" >"$2"; else printf '%s\n' "$rendered"; fi
