#!/usr/bin/env python3
"""Parses Prometheus text exposition (stdin) with the official client's parser
(python3-prometheus-client) and prints it as JSON:
  {"types": {"<family>": "gauge"|"counter"|...}, "samples": [[name, {labels}, value or null for NaN], ...]}
The parser names a counter family without its _total suffix. Exits non-zero on text the
parser refuses, or on a family declared twice."""
import json
import math
import sys

from prometheus_client.parser import text_string_to_metric_families

types = {}
samples = []
for family in text_string_to_metric_families(sys.stdin.read()):
    if family.name in types:
        sys.exit(f"family {family.name} declared twice")
    types[family.name] = family.type
    for s in family.samples:
        samples.append([s.name, s.labels, None if math.isnan(s.value) else s.value])
json.dump({"types": types, "samples": samples}, sys.stdout)
