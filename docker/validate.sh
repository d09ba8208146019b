#!/usr/bin/env bash
# Validates the docker-compose stack's files without a Docker engine:
#   - docker-compose.yml, with and without the gpu profile (docker-compose config -q), and its
#     wiring (docker/check_compose.py: conditions, GPU reservation, mounts, ports)
#   - its safe defaults (docs/stack.md): every published port on 127.0.0.1 unless MEMOSCOPE_BIND
#     says otherwise, no Prometheus lifecycle API, no Grafana admin password without
#     GRAFANA_ADMIN_PASSWORD, anonymous Grafana visitors read-only, Kafka's host listener on loopback
#   - prometheus/prometheus.yml, as mounted in compose and rendered for a loopback target (promtool)
#   - the alerting rules prometheus/rules/memoscope.yml: promtool check rules, and their unit
#     tests prometheus/rules/memoscope.test.yml (promtool test rules)
#   - the Grafana provisioning YAML and dashboard JSON parse, and every dashboard PromQL
#     expression parses (docker/dashboard_rules.py + promtool check rules)
#   - the image's entrypoint script parses (bash -n)
# Needs Debian's docker-compose (1.29) and prometheus (promtool) packages. Exit 0 when all pass.
set -euo pipefail
cd "$(dirname "$0")/.."

missing=()
command -v docker-compose >/dev/null 2>&1 || missing+=("docker-compose (Debian package docker-compose)")
command -v promtool >/dev/null 2>&1 || missing+=("promtool (Debian package prometheus)")
command -v python3 >/dev/null 2>&1 || missing+=("python3")
if ((${#missing[@]})); then
  printf 'validate.sh: missing %s\n' "${missing[@]}" >&2
  exit 1
fi

failed=0
check() {
  local what=$1
  shift
  local output
  if output=$("$@" 2>&1); then
    echo "ok    $what"
  else
    echo "FAIL  $what" >&2
    printf '%s\n' "$output" | sed 's/^/      /' >&2
    failed=1
  fi
}

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# docker-compose as a user who set nothing but the required password would run it: the caller's
# MEMOSCOPE_* settings and any .env file stay out, so that the defaults are what is checked.
unset MEMOSCOPE_BIND MEMOSCOPE_KAFKA_HOST
export GRAFANA_ADMIN_PASSWORD=validate-only
: >"$tmp/empty.env"
compose() { docker-compose --env-file "$tmp/empty.env" -f docker-compose.yml "$@"; }
compose_services() {
  local services
  services=$(compose --profile gpu config --services | sort | tr "\n" " ")
  [ "$services" = "grafana ingest kafka metrics prometheus trainer trainer-gpu " ] || { echo "services: $services"; return 1; }
}
# compose_wiring [BIND]: with MEMOSCOPE_BIND=BIND, every published port must listen on BIND.
compose_wiring() {
  MEMOSCOPE_BIND=${1:-} compose --profile gpu config | python3 docker/check_compose.py "${1:-127.0.0.1}"
}
compose_needs_password() {
  local output
  if output=$(unset GRAFANA_ADMIN_PASSWORD; compose config -q 2>&1); then
    echo "docker-compose config succeeded without GRAFANA_ADMIN_PASSWORD: Grafana's admin password has a default"
    return 1
  fi
  grep -q GRAFANA_ADMIN_PASSWORD <<<"$output" || { echo "$output"; return 1; }
}

check "docker-compose.yml" compose config -q
compose_secured() {
  local merged
  merged=$(MEMOSCOPE_EXTERNAL_BOOTSTRAP=broker1.example.org:9093 compose -f docker/secured-cluster.yml config) || return 1
  grep -q "MEMOSCOPE_SETTINGS: /etc/memoscope/secrets/client.properties" <<<"$merged" \
    && grep -q "MEMOSCOPE_BOOTSTRAP: broker1.example.org:9093" <<<"$merged" || { echo "$merged"; return 1; }
  if compose -f docker/secured-cluster.yml config -q >/dev/null 2>&1; then
    echo "the secured override merged without MEMOSCOPE_EXTERNAL_BOOTSTRAP"
    return 1
  fi
}
check "docker/secured-cluster.yml over docker-compose.yml" compose_secured
check "docker-compose.yml --profile gpu" compose --profile gpu config -q
check "docker-compose.yml services" compose_services
check "docker-compose.yml wiring and safe defaults (ports on 127.0.0.1)" compose_wiring
check "docker-compose.yml: MEMOSCOPE_BIND=0.0.0.0 opens every port" compose_wiring 0.0.0.0
check "docker-compose.yml: no Grafana admin password without GRAFANA_ADMIN_PASSWORD" compose_needs_password
check "prometheus/prometheus.yml" promtool check config prometheus/prometheus.yml
check "prometheus/render-local.sh 19404" bash -c "
  prometheus/render-local.sh 19404 '$tmp/local.yml' && grep -q '\"127.0.0.1:19404\"' '$tmp/local.yml' \
    && grep -qF '\"$PWD/prometheus/rules/memoscope.yml\"' '$tmp/local.yml' && promtool check config '$tmp/local.yml'"
check "prometheus/rules/memoscope.yml" promtool check rules prometheus/rules/memoscope.yml
check "prometheus/rules/memoscope.test.yml (promtool test rules)" promtool test rules prometheus/rules/memoscope.test.yml
check "grafana provisioning YAML and dashboard JSON" python3 - <<'PY'
import glob, json, sys
try:
    import yaml
except ImportError:
    yaml = None
files = sorted(glob.glob("grafana/provisioning/*/*.yml"))
assert len(files) >= 2, files
for f in files:
    text = open(f).read()
    if yaml:
        doc = yaml.safe_load(text)
        assert doc.get("apiVersion") == 1, f
    else:
        assert "apiVersion: 1" in text, f
dashboards = sorted(glob.glob("grafana/dashboards/*.json"))
assert dashboards, "no dashboard"
for f in dashboards:
    d = json.load(open(f))
    assert d.get("uid") and d.get("panels"), f
PY
check "grafana dashboard PromQL parses (promtool check rules)" bash -c "
  python3 docker/dashboard_rules.py '$tmp/dashboard-rules.yml' && promtool check rules '$tmp/dashboard-rules.yml'"
check "docker/entrypoint.sh" bash -n docker/entrypoint.sh

if ((failed)); then
  echo "validate.sh: some checks failed" >&2
  exit 1
fi
echo "validate.sh: the stack's files are valid (the stack itself was not started: no Docker engine needed or used)"
