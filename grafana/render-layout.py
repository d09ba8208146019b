#!/usr/bin/env python3
"""Draws the Grafana dashboard's panel layout (gridPos of every panel, its title and its queries)
as an SVG, for the README: there is no Grafana server on the build machine to take a screenshot.
Usage: grafana/render-layout.py [dashboard.json] [out.svg]"""
import html
import json
import sys

source = sys.argv[1] if len(sys.argv) > 1 else "grafana/dashboards/memoscope-memorization.json"
target = sys.argv[2] if len(sys.argv) > 2 else "docs/grafana-layout.svg"
dashboard = json.load(open(source, encoding="utf-8"))
unit_x, unit_y, pad = 40, 28, 6  # Grafana's grid: 24 columns; rows of ~30 px
panels = dashboard["panels"]
height = max(p["gridPos"]["y"] + p["gridPos"]["h"] for p in panels) * unit_y + 60
width = 24 * unit_x
out = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
       f'font-family="DejaVu Sans, sans-serif">',
       f'<rect width="{width}" height="{height}" fill="#111217"/>',
       f'<text x="12" y="30" fill="#ccccdc" font-size="18">{html.escape(dashboard["title"])}'
       f'  ·  run: [multi-select]  ·  annotations: '
       f'{html.escape(", ".join(a["name"] for a in dashboard["annotations"]["list"] if a.get("expr")))}</text>']
for p in panels:
    g = p["gridPos"]
    x, y = g["x"] * unit_x + pad, g["y"] * unit_y + 48 + pad
    w, h = g["w"] * unit_x - 2 * pad, g["h"] * unit_y - 2 * pad
    out.append(f'<rect x="{x}" y="{y}" width="{w}" height="{h}" rx="4" fill="#181b1f" stroke="#2c3235"/>')
    out.append(f'<text x="{x + 10}" y="{y + 22}" fill="#ccccdc" font-size="14" font-weight="bold">'
               f'{html.escape(p["title"])}</text>')
    for i, t in enumerate(p.get("targets", [])):
        expr = t.get("expr", "").replace('{run=~"$run"', "{…").replace(', mode=', " mode=")
        out.append(f'<text x="{x + 10}" y="{y + 46 + i * 18}" fill="#8e8e8e" font-size="11" '
                   f'font-family="DejaVu Sans Mono, monospace">{html.escape(expr[:70])}</text>')
out.append("</svg>")
open(target, "w", encoding="utf-8").write("\n".join(out) + "\n")
print(f"wrote {target}: {len(panels)} panels")
