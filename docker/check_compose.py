#!/usr/bin/env python3
"""Checks the wiring of the resolved compose file (docker-compose config output on stdin):
what docker-compose config's schema does not check (condition values, device drivers, mounts),
and the safe defaults (docs/stack.md): published ports on BIND only, no Prometheus lifecycle API,
Grafana's admin password from the environment only, anonymous Grafana visitors read-only, Kafka's
host listener advertised on loopback.

Usage: docker-compose config | check_compose.py [BIND]
  BIND: the host address every published port must listen on (default 127.0.0.1, what
  MEMOSCOPE_BIND defaults to); validate.sh also runs it with MEMOSCOPE_BIND set, to show that the
  variable governs every port."""
import re
import sys

import yaml

services = yaml.safe_load(sys.stdin)["services"]
bind = sys.argv[1] if len(sys.argv) > 1 else "127.0.0.1"
# The file as written: the resolved config shows a password, not where it came from.
raw_services = yaml.safe_load(open("docker-compose.yml"))["services"]
problems = []


def need(ok, what):
    if not ok:
        problems.append(what)


def mounts(name):
    out = []
    for v in services[name].get("volumes", []):
        if isinstance(v, str):  # source:target[:mode]
            parts = v.split(":")
            out.append(":".join(parts[:2]))
        else:
            out.append(f"{v.get('source', '')}:{v.get('target', '')}")
    return out


def ports(name):
    """(host address, published port, container port) of each published port; the address is ""
    when the port listens on every interface."""
    out = []
    for p in services[name].get("ports", []):
        if isinstance(p, dict):  # Compose v2, and 1.29 for a port without an address
            out.append((p.get("host_ip", ""), str(p.get("published", "")), str(p.get("target"))))
        else:  # [address:][published:]target[/protocol]
            parts = str(p).split("/")[0].split(":")
            parts = [""] * (3 - len(parts)) + parts
            out.append(tuple(parts))
    return out


need(services["kafka"]["image"].startswith("apache/kafka:4."), "kafka runs apache/kafka:4.x")
need("healthcheck" in services["kafka"], "kafka has a healthcheck")
need(services["ingest"]["depends_on"]["kafka"]["condition"] == "service_healthy", "ingest waits for a healthy kafka")
for trainer in ("trainer", "trainer-gpu"):
    depends = services[trainer]["depends_on"]
    need(depends["ingest"]["condition"] == "service_completed_successfully", f"{trainer} waits for the ingest to complete")
    need(depends["kafka"]["condition"] == "service_healthy", f"{trainer} waits for a healthy kafka")
gpu = services["trainer-gpu"]
need(gpu.get("profiles") == ["gpu"], "trainer-gpu is in profile gpu only")
need(gpu["build"]["args"]["MAVEN_PROFILE"] == "cuda", "trainer-gpu's image is built with -Pcuda")
devices = gpu.get("deploy", {}).get("resources", {}).get("reservations", {}).get("devices", [])
need(any(d.get("driver") == "nvidia" for d in devices), "trainer-gpu reserves an nvidia device")
need(any(target == "9404" for _, _, target in ports("metrics")), "metrics publishes 9404")
need(services["metrics"]["command"][:1] == ["metrics"], "metrics runs `memoscope metrics`")
need(any(m.endswith(":/etc/prometheus/prometheus.yml") and "prometheus/prometheus.yml" in m
         for m in mounts("prometheus")), "prometheus mounts prometheus/prometheus.yml")
need(any(m.endswith(":/etc/prometheus/rules") and "prometheus/rules" in m for m in mounts("prometheus")),
     "prometheus mounts prometheus/rules at /etc/prometheus/rules (prometheus.yml's rule_files are relative)")
need(any(m.endswith(":/etc/grafana/provisioning") for m in mounts("grafana")), "grafana mounts grafana/provisioning")
need(any(m.endswith(":/var/lib/grafana/dashboards") for m in mounts("grafana")), "grafana mounts grafana/dashboards")

# Safe defaults. Every published port listens on BIND: an unauthenticated Kafka listener, the
# metrics service and Prometheus have no access control of their own.
for name in sorted(services):
    for host_ip, published, target in ports(name):
        need(host_ip == bind, f"{name} publishes {published or target} on {host_ip or 'every interface'}, not {bind}"
                              " (write the port as \"${MEMOSCOPE_BIND:-127.0.0.1}:PORT:PORT\")")
need(any(target == "9094" for _, _, target in ports("kafka")), "kafka publishes its host listener 9094")
advertised = services["kafka"]["environment"].get("KAFKA_ADVERTISED_LISTENERS", "")
need(re.search(r"(^|,)HOST://(localhost|127\.0\.0\.1):9094(,|$)", advertised) is not None,
     f"kafka advertises its host listener on loopback by default: {advertised}")
need(not any("lifecycle" in str(arg) for arg in services["prometheus"].get("command", [])),
     "prometheus has no --web.enable-lifecycle (anyone reaching it could shut it down)")
grafana_env = services["grafana"]["environment"]
raw_password = str(raw_services["grafana"]["environment"].get("GF_SECURITY_ADMIN_PASSWORD", ""))
need(re.fullmatch(r"\$\{GRAFANA_ADMIN_PASSWORD:\?[^}]+\}", raw_password) is not None,
     f"grafana's admin password is required from the environment, without a default: {raw_password!r}")
need(not any(k.startswith("GF_SECURITY_ADMIN_PASSWORD_") for k in grafana_env),
     "grafana's admin password has no second source")
need(grafana_env.get("GF_AUTH_ANONYMOUS_ENABLED") == "true", "grafana: anonymous access")
need(grafana_env.get("GF_AUTH_ANONYMOUS_ORG_ROLE") == "Viewer", "grafana: anonymous visitors are Viewers only")
need(str(grafana_env.get("GF_USERS_ALLOW_SIGN_UP")).lower() == "false", "grafana: no self sign-up")

for problem in problems:
    print("wiring: " + problem, file=sys.stderr)
sys.exit(1 if problems else 0)
