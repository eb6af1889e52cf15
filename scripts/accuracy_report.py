#!/usr/bin/env python3
"""Turns `iotawatt accuracy --json` into a Markdown table and an SVG chart.

    ./build/iotawatt accuracy --json | python3 scripts/accuracy_report.py --svg docs/accuracy.svg

Each cell is "mean / worst (sd)" in percent over every channel of every seed: the mean error,
the worst channel of any seed (what the point is judged on) and the standard deviation. The
chart shows the worst |error| per test point on a log scale, one bar per column, with the
target of each point as a tick; creep rows show the energy registered.
"""
import argparse
import json
import math
import sys

COLUMNS = [("continuous", "ideal", "catalog", False), ("roundrobin", "ideal", "catalog", False),
           ("continuous", "12bit", "catalog", False), ("continuous", "12bit", "catalog", True),
           ("roundrobin", "12bit", "catalog", True), ("continuous", "12bit", "real", False),
           ("continuous", "12bit", "real", True)]
TITLES = ["continuous, ideal ADC", "round robin, ideal ADC", "continuous, 12-bit, uncalibrated",
          "continuous, 12-bit, calibrated", "round robin, 12-bit, calibrated",
          "real sensors, 12-bit, uncalibrated", "real sensors, 12-bit, calibrated"]
COLORS = ["#1b7837", "#b2182b", "#bdbdbd", "#5aae61", "#ef8a62", "#7f7f7f", "#2166ac"]


def rows(points):
    table, order = {}, []
    for p in points:
        if p["name"] not in table:
            table[p["name"]] = {}
            order.append(p["name"])
        table[p["name"]][(p["mode"], p["adc"], p["sensors"], p["calibrated"])] = p
    return [(name, table[name]) for name in order]


def cell(p):
    if p is None:
        return ""
    if p["name"].startswith("creep"):
        text = f"{p['measured_wh']:.6f} Wh"
    else:
        text = f"{p['mean_pct']:+.3f} / {p['error_pct']:+.3f} ({p['spread_pct']:.3f})"
    return text if p["pass"] else f"**{text} FAIL**"


def markdown(points):
    out = ["| point | " + " | ".join(TITLES) + " | target |", "|---" * (len(TITLES) + 2) + "|"]
    for name, r in rows(points):
        limits = [f"{r[c]['limit_pct']:g} %" if r[c]["limit_pct"] is not None else "report"
                  for c in COLUMNS if c in r]
        target = "0 Wh" if name.startswith("creep") else " / ".join(limits)
        out.append(f"| {name} | " + " | ".join(cell(r.get(c)) for c in COLUMNS) + f" | {target} |")
    return "\n".join(out)


def svg(points):
    data = [(n, r) for n, r in rows(points) if not n.startswith("creep")]
    lo, hi = 1e-4, 10.0
    left, width, bar, gap, top = 170, 560, 5, 8, 40
    per = len(COLUMNS) * bar + gap
    height = top + len(data) * per + 100

    def x(v):
        v = min(max(abs(v), lo), hi)
        return left + width * (math.log10(v) - math.log10(lo)) / (math.log10(hi) - math.log10(lo))

    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{left + width + 40}" height="{height}" '
             'font-family="sans-serif" font-size="11">',
             f'<rect width="100%" height="100%" fill="white"/>',
             f'<text x="{left}" y="18" font-size="13">|energy error| per test point (log scale), '
             'worst channel of every seed; ticks: target</text>']
    for decade in range(-4, 2):
        vx = x(10 ** decade)
        parts.append(f'<line x1="{vx:.1f}" y1="{top - 6}" x2="{vx:.1f}" y2="{height - 86}" stroke="#ddd"/>')
        parts.append(f'<text x="{vx:.1f}" y="{height - 72}" text-anchor="middle">{10 ** decade:g} %</text>')
    y = top
    for name, r in data:
        parts.append(f'<text x="{left - 6}" y="{y + len(COLUMNS) * bar / 2 + 4}" text-anchor="end">{name}</text>')
        for i, c in enumerate(COLUMNS):
            p = r.get(c)
            if p is None:
                continue
            parts.append(f'<rect x="{left}" y="{y + i * bar}" width="{x(p["error_pct"]) - left:.1f}" '
                         f'height="{bar - 1}" fill="{COLORS[i]}"/>')
            if p["limit_pct"]:
                lx = x(p["limit_pct"])
                parts.append(f'<line x1="{lx:.1f}" y1="{y + i * bar}" x2="{lx:.1f}" y2="{y + (i + 1) * bar}" '
                             'stroke="black" stroke-width="2"/>')
        y += per
    for i, title in enumerate(TITLES):
        lx = left + (i % 2) * 280 - 120
        ly = height - 50 + (i // 2) * 14
        parts.append(f'<rect x="{lx}" y="{ly - 9}" width="10" height="10" fill="{COLORS[i]}"/>')
        parts.append(f'<text x="{lx + 14}" y="{ly}">{title}</text>')
    parts.append("</svg>")
    return "\n".join(parts)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--svg", help="also write the chart to this file")
    args = parser.parse_args()
    points = json.load(sys.stdin)["points"]
    print(markdown(points))
    if args.svg:
        with open(args.svg, "w") as f:
            f.write(svg(points))


if __name__ == "__main__":
    main()
