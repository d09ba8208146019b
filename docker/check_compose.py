#!/usr/bin/env python3
"""Checks the wiring of the resolved compose file (docker-compose config output on stdin):
what docker-compose config's schema does not check (condition values, device drivers, mounts)."""
import sys

import yaml

services = yaml.safe_load(sys.stdin)["services"]
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
    out = []
    for p in services[name].get("ports", []):
        out.append(str(p) if not isinstance(p, dict) else f"{p.get('published')}:{p.get('target')}")
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
need(any(p.endswith(":9404") for p in ports("metrics")), "metrics publishes 9404")
need(services["metrics"]["command"][:1] == ["metrics"], "metrics runs `memoscope metrics`")
need(any(m.endswith(":/etc/prometheus/prometheus.yml") and "prometheus/prometheus.yml" in m
         for m in mounts("prometheus")), "prometheus mounts prometheus/prometheus.yml")
need(any(m.endswith(":/etc/grafana/provisioning") for m in mounts("grafana")), "grafana mounts grafana/provisioning")
need(any(m.endswith(":/var/lib/grafana/dashboards") for m in mounts("grafana")), "grafana mounts grafana/dashboards")
need(services["grafana"]["environment"].get("GF_AUTH_ANONYMOUS_ENABLED") == "true", "grafana: anonymous access")
need(services["grafana"]["environment"].get("GF_AUTH_ANONYMOUS_ORG_ROLE") == "Viewer", "grafana: anonymous viewers")

for problem in problems:
    print("wiring: " + problem, file=sys.stderr)
sys.exit(1 if problems else 0)
