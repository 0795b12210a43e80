#!/usr/bin/env python3
"""Compare JMH JSON results of two builds (A = before, B = after) over several alternated rounds.

    python3 jmh/compare.py --before a-1.json a-2.json a-3.json --after b-1.json b-2.json b-3.json

For every benchmark + parameter combination it prints the median score of each side over the
rounds (one score per file = JMH's mean over that run's forks and iterations), the ratio
median(after) / median(before), and the min-max spread of the per-round ratios after_i / before_i
(files paired in the order given, so pass them in round order). For AverageTime scores a ratio
above 1 means the after build is slower. A change is only flagged when the whole spread lies on
one side of 1 +/- the --threshold (default 5%); everything else is reported as noise.
Standard library only.
"""
import argparse
import json
import statistics
import sys


def load(paths):
    """key -> list of (score, unit, alloc B/op or None), one entry per file, in file order."""
    runs = {}
    for path in paths:
        with open(path) as f:
            results = json.load(f)
        for r in results:
            params = r.get("params") or {}
            key = r["benchmark"].rsplit(".", 2)[-2] + "." + r["benchmark"].rsplit(".", 1)[-1]
            if params:
                key += " " + " ".join(f"{k}={params[k]}" for k in sorted(params))
            pm = r["primaryMetric"]
            alloc = (r.get("secondaryMetrics") or {}).get("gc.alloc.rate.norm", {}).get("score")
            runs.setdefault(key, []).append((pm["score"], pm["scoreUnit"], alloc))
    return runs


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--before", nargs="+", required=True, help="JMH -rf json files of build A, in round order")
    ap.add_argument("--after", nargs="+", required=True, help="JMH -rf json files of build B, in round order")
    ap.add_argument("--threshold", type=float, default=0.05, help="relative change to flag (default 0.05)")
    args = ap.parse_args()

    before, after = load(args.before), load(args.after)
    keys = [k for k in before if k in after]
    missing = sorted(set(before) ^ set(after))
    if not keys:
        sys.exit("no benchmark appears in both sets")

    width = max(len(k) for k in keys)
    print(f"{'benchmark':<{width}}  {'before':>12}  {'after':>12}  unit   {'ratio':>6}  {'min-max':>13}  "
          f"{'B/op after':>11}  verdict")
    for key in keys:
        a, b = before[key], after[key]
        a_scores, b_scores = [s for s, _, _ in a], [s for s, _, _ in b]
        unit = a[0][1]
        med_a, med_b = statistics.median(a_scores), statistics.median(b_scores)
        ratio = med_b / med_a
        if len(a_scores) == len(b_scores):
            per_round = [y / x for x, y in zip(a_scores, b_scores)]
        else:  # unpaired: every cross pair
            per_round = [y / x for x in a_scores for y in b_scores]
        lo, hi = min(per_round), max(per_round)
        if lo > 1 + args.threshold:
            verdict = "SLOWER" if "/op" in unit else "HIGHER"
        elif hi < 1 - args.threshold:
            verdict = "faster" if "/op" in unit else "lower"
        else:
            verdict = "~ (noise)"
        allocs = [x for _, _, x in b if x is not None]
        alloc = f"{statistics.median(allocs):11.0f}" if allocs else f"{'-':>11}"
        print(f"{key:<{width}}  {med_a:12.3f}  {med_b:12.3f}  {unit:<5}  {ratio:6.3f}  "
              f"{lo:6.3f}-{hi:<6.3f}  {alloc}  {verdict}")
    print(f"\n{len(args.before)} before / {len(args.after)} after file(s); ratio = median(after)/median(before);"
          f" min-max over {'paired rounds' if len(args.before) == len(args.after) else 'all cross pairs'}.")
    if missing:
        print("only on one side (ignored): " + ", ".join(missing))


if __name__ == "__main__":
    main()
