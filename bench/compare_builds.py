#!/usr/bin/env python3
"""Runs the same Google Benchmark binaries of two builds side by side and prints a table.

The runs alternate (base, head, head, base, ...), so both builds see the same machine load;
each cell is the median CPU time per iteration over the rounds, and the ratio is head / base
(below 1: head is faster).

  bench/compare_builds.py BASE_BUILD_DIR HEAD_BUILD_DIR [--rounds 5] [--bench measure_bench ...]
"""
import argparse
import json
import os
import statistics
import subprocess
import sys


def run(binary):
    out = subprocess.run([binary, "--benchmark_format=json", "--benchmark_min_time=0.3"],
                         check=True, capture_output=True, text=True).stdout
    return {b["name"]: b["cpu_time"] for b in json.loads(out)["benchmarks"]}, json.loads(out)["benchmarks"][0]["time_unit"]


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("base")
    ap.add_argument("head")
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--bench", nargs="+", default=["measure_bench", "query_bench"])
    args = ap.parse_args()
    if args.rounds < 1:
        sys.exit("compare_builds: --rounds must be at least 1")
    print("| benchmark | base | head | head / base |")
    print("|---|---|---|---|")
    for bench in args.bench:
        paths = {side: os.path.join(getattr(args, side), "bench", bench) for side in ("base", "head")}
        for side, path in paths.items():
            if not os.access(path, os.X_OK):
                sys.exit(f"compare_builds: {path} is missing (build the {side} tree's {bench} target)")
        times = {"base": {}, "head": {}}
        unit = ""
        for r in range(args.rounds):
            order = ("base", "head") if r % 2 == 0 else ("head", "base")
            for side in order:
                result, unit = run(paths[side])
                for name, t in result.items():
                    times[side].setdefault(name, []).append(t)
            print(f"{bench}: round {r + 1} of {args.rounds}", file=sys.stderr)
        for name in times["base"]:
            if name not in times["head"]:
                continue
            b = statistics.median(times["base"][name])
            h = statistics.median(times["head"][name])
            print(f"| {bench} {name} | {b:.4g} {unit} | {h:.4g} {unit} | {h / b:.3f} |")


if __name__ == "__main__":
    main()
