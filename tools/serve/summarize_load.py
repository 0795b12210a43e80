#!/usr/bin/env python3
"""Markdown tables from a tools/serve/load_test.sh output folder. Usage: summarize_load.py OUT_DIR"""
import csv, glob, os, re, statistics, sys

out = sys.argv[1]

def fields(path):
    text = open(path).read()
    f = {}
    for tag in ("RESULT", "SERVER"):
        m = re.search(tag + r" (.*)", text)
        if m:
            for kv in m.group(1).split():
                k, v = kv.split("=")
                f[k] = float(v)
    return f

runs = {}
for path in glob.glob(os.path.join(out, "batch*-r*-c*.txt")):
    m = re.match(r"batch(\d+)-r(\d+)-c(\d+)\.txt", os.path.basename(path))
    runs.setdefault((int(m.group(1)), int(m.group(3))), []).append(fields(path))

def med(rs, k):
    return statistics.median(r[k] for r in rs)

def spread(rs, k, fmt):
    vals = sorted(r[k] for r in rs)
    return fmt.format(med(rs, k)) + (" [" + fmt.format(vals[0]) + "-" + fmt.format(vals[-1]) + "]" if len(vals) > 1 else "")

print("| --max-batch | connections | requests/s: median [min-max] | p50 ms | p99 ms | p99.9 ms | server cores | scoring share of server CPU | errors |")
print("|---|---|---|---|---|---|---|---|---|")
for (mode, c) in sorted(runs):
    rs = runs[(mode, c)]
    errors = sum(r["socket_errors"] + r["non2xx"] for r in rs)
    print(f"| {mode} | {c} | {spread(rs, 'rps', '{:,.0f}')} | {med(rs, 'p50_us')/1000:.2f} | {med(rs, 'p99_us')/1000:.2f} | "
          f"{med(rs, 'p999_us')/1000:.2f} | {med(rs, 'cores'):.2f} | {med(rs, 'scoring_share'):.2f} | {errors:.0f} |")

hold = os.path.join(out, "hold-c64.txt")
if os.path.exists(hold):
    f = fields(hold)
    rows = list(csv.DictReader(open(os.path.join(out, "hold-samples.csv"))))
    warm = [r for r in rows if int(r["second"]) > 10][:-1]  # after the 10 s wrk warm-up; the last sample falls after the run
    rss = [int(r["rss_kb"]) / 1024 for r in warm]
    cores = [float(r["cores"]) for r in warm]
    print()
    print(f"Hold, 64 connections: {f['requests']:,.0f} requests in {f['seconds']:.0f} s ({f['rps']:,.0f}/s), "
          f"p50 {f['p50_us']/1000:.2f} ms, p99 {f['p99_us']/1000:.2f} ms, p99.9 {f['p999_us']/1000:.2f} ms, "
          f"errors {f['socket_errors'] + f['non2xx']:.0f} (socket {f['socket_errors']:.0f}, non-2xx {f['non2xx']:.0f}).")
    if rss:
        first, last = statistics.mean(rss[:10]), statistics.mean(rss[-10:])
        print(f"Resident memory over {len(rss)} one-second samples: min {min(rss):.0f} MiB, max {max(rss):.0f} MiB, "
              f"first 10 s mean {first:.0f} MiB, last 10 s mean {last:.0f} MiB ({last - first:+.0f} MiB). "
              f"Server CPU: mean {statistics.mean(cores):.2f} cores, min {min(cores):.2f}, max {max(cores):.2f}.")
