#!/usr/bin/env python3
"""Markdown tables from run.sh's output folder: per endpoint and connection count, each server's
requests/s and latency percentiles round by round (r1 / r2 / ...), and the CPU the server used."""
import collections, re, sys
from pathlib import Path

out = Path(sys.argv[1])
rows = collections.defaultdict(dict)  # (endpoint, c, server) -> round -> fields
for f in out.glob("*-r*-*-c*.txt"):
    server, rnd, endpoint, c = re.fullmatch(r"([\w-]+?)-r(\d+)-(\w+)-c(\d+)\.txt", f.name).groups()
    text = f.read_text()
    fields = {}
    for tag in ("RESULT", "SERVERCPU"):
        m = re.search(tag + r" (.*)", text)
        if m: fields.update(kv.split("=") for kv in m.group(1).split())
    rows[(endpoint, int(c), server)][int(rnd)] = fields

def per_round(d, key, fmt):
    return " / ".join(fmt(float(d[r][key])) for r in sorted(d) if key in d[r])

ms = lambda us: f"{us / 1000:.2f}"
for endpoint in ("health", "classify"):
    keys = sorted(k for k in rows if k[0] == endpoint)
    if not keys: continue
    print(f"\n### {endpoint} (values per round: r1 / r2 ...)\n")
    print("| conns | server | requests/s | p50 ms | p99 ms | p99.9 ms | server cores | errors (socket, non-2xx) |")
    print("|---|---|---|---|---|---|---|---|")
    for k in keys:
        d = rows[k]
        errors = " / ".join(f"{d[r].get('socket_errors')}, {d[r].get('non2xx')}" for r in sorted(d))
        print(f"| {k[1]} | {k[2]} | {per_round(d, 'rps', lambda v: f'{v:,.0f}')} | {per_round(d, 'p50_us', ms)} | "
              f"{per_round(d, 'p99_us', ms)} | {per_round(d, 'p999_us', ms)} | {per_round(d, 'cores', lambda v: f'{v:.2f}')} | {errors} |")
