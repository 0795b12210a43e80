#!/usr/bin/env python3
"""The speed issue's figures over a run of sittings: median, range and how many sittings met each target.

Usage: python3 tools/perf/medians.py [--from Z] [--to LAST]

Reads the table "Every sitting at a glance" of docs/performance-history.md (one column per sitting,
one row per figure, each cell that sitting's median ratio, "**" marking a met target) and prints the
rows of docs/performance.md's "Where it stands" for the sittings FROM..TO (default: Z, the first on
the kernels of today, to the last column). Why a script: the medians were recomputed by hand after
every sitting, and one slip would have put a wrong figure in the README. Python 3 standard library only.
"""
import argparse
import os
import re
import statistics
import sys

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
HISTORY = os.path.join(REPO, "docs", "performance-history.md")
# The ratio rows of the issue, by the start of their name in the table, and their targets.
TARGETS = [
    ("One review, b=1, 1 thread", 1.4),
    ("Typical review", 3.0),
    ("One review, b=1, 2 threads", 2.0),
    ("Batch 256, 2 threads", 2.0),
    ("Training, batch 64, 2 threads", 1.5),
    ("Training 1 -> 2 threads", 1.8),
]


def table(path):
    """The header's sitting names and the rows (name -> cells), cells aligned with the names."""
    lines = open(path, encoding="utf-8").read().split("\n")
    start = next(i for i, line in enumerate(lines) if line.startswith("| figure | A | B |"))
    names = [c.strip().split(" ")[0] for c in lines[start].split("|")[2:-2]]  # drop "figure" and "target"
    rows = {}
    for line in lines[start + 2:]:
        if not line.startswith("|"):
            break
        cells = [c.strip() for c in line.split("|")]
        rows[cells[1]] = cells[2:-2]
    for row, cells in rows.items():
        if len(cells) != len(names):
            sys.exit(f"{path}: row '{row}' has {len(cells)} cells for {len(names)} sittings")
    return names, rows


def ratio(cell):
    m = re.fullmatch(r"\**([0-9.]+)x\**", cell)
    return float(m.group(1)) if m else None


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--from", dest="first", default="Z")
    ap.add_argument("--to", dest="last")
    args = ap.parse_args()
    names, rows = table(HISTORY)
    last = args.last or names[-1]
    if args.first not in names or last not in names:
        sys.exit(f"no sitting {args.first if args.first not in names else last}; the table has {', '.join(names)}")
    a, b = names.index(args.first), names.index(last)
    if a > b:
        sys.exit(f"--from {args.first} comes after --to {last} in the table")
    print(f"sittings {args.first} to {last}: {b - a + 1}")
    print("| figure | target | median | sittings' range | sittings meeting it |")
    print("|---|---|---|---|---|")
    for prefix, target in TARGETS:
        row = next((cells for name, cells in rows.items() if name.startswith(prefix)), None)
        if row is None:
            sys.exit(f"no row '{prefix}' in the table")
        values = [ratio(c) for c in row[a:b + 1]]
        missing = [names[a + i] for i, v in enumerate(values) if v is None]
        if missing:
            sys.exit(f"'{prefix}': no ratio for sitting(s) {', '.join(missing)}")
        met = sum(v >= target for v in values)
        print(f"| {prefix} | >= {target:g}x | {statistics.median(values):.2f}x | {min(values):.2f}-{max(values):.2f}x | {met} of {len(values)} |")


if __name__ == "__main__":
    main()
