#!/usr/bin/env python3
"""Writes every PromQL expression of the Grafana dashboards (panel targets and annotations), with
the dashboard variables filled in, as Prometheus recording rules, so that `promtool check rules`
parses them: a syntax error in a dashboard query fails validate.sh. Usage: dashboard_rules.py OUT"""
import glob
import json
import re
import sys

VARIABLES = {"run": ".*"}

rules = []


def add(where, expr):
    for name, value in VARIABLES.items():
        expr = re.sub(r"\$\{" + name + r"\}|\$" + name + r"(?![A-Za-z0-9_])", value, expr)
    rules.append({"record": f"dashboard:query_{len(rules) + 1}", "expr": expr, "labels": {"where": where}})


def panels(items):
    for panel in items:
        yield panel
        yield from panels(panel.get("panels", []))


for path in sorted(glob.glob("grafana/dashboards/*.json")):
    dashboard = json.load(open(path))
    for panel in panels(dashboard.get("panels", [])):
        for target in panel.get("targets", []):
            if target.get("expr"):
                add(f"{path} panel {panel.get('id')} {target.get('refId')}", target["expr"])
    for annotation in dashboard.get("annotations", {}).get("list", []):
        if annotation.get("expr"):
            add(f"{path} annotation {annotation.get('name')}", annotation["expr"])

if not rules:
    sys.exit("no dashboard expressions found")
json.dump({"groups": [{"name": "dashboard-queries", "rules": rules}]}, open(sys.argv[1], "w"), indent=1)
print(f"{len(rules)} expressions")
