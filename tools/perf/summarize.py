#!/usr/bin/env python3
"""Side-by-side figures from one tools/perf/side_by_side.sh folder: markdown tables and an SVG chart.

Usage: python3 tools/perf/summarize.py OUT [--svg PATH] [--md PATH]
  OUT    the folder side_by_side.sh wrote (ours_rN.json, ours_t1_rN.json, ort_rN.jsonl, torch_rN.jsonl, ...)
  --svg  the latency-vs-length chart (default: docs/perf-latency-vs-length.svg in the repository;
         OUT/perf-latency-vs-length.svg for a SMOKE=1 folder, whose numbers must not reach the docs)
  --md   the tables (default: OUT/summary.md); they are printed too

Every figure is a speed ratio within one sitting: how many times faster vector-lstm is than the best
peer of the same round (peer time / our time for latencies, our rate / peer rate for throughputs),
then the median over the rounds with its min-max spread. Python 3 standard library only.
"""
import argparse
import glob
import json
import os
import re
import statistics
import sys

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
T = 500
TYPICAL_REAL = 230  # score_latency_typical_b1: 270 pads, then 230 ids
ORT, TORCH = "ONNX Runtime Java", "PyTorch 2.13"


# ---------------------------------------------------------------- reading one sitting

def read_jsonl(path):
    out = []
    if not os.path.exists(path):
        return out
    with open(path) as f:
        for line in f:
            line = line.strip()
            if line.startswith("{"):
                try:
                    out.append(json.loads(line))
                except json.JSONDecodeError:
                    pass
    return out


def read_ours(path):
    """name -> median of a ./lstm bench JSON file (skipped benchmarks left out), plus its machine."""
    if not os.path.exists(path):
        return {}, {}
    with open(path) as f:
        report = json.load(f)
    values = {b["name"]: b["median"] for b in report.get("benchmarks", []) if not b.get("skipped") and "median" in b}
    return values, report.get("machine", {})


def read_round_trips(path):
    """name -> the core-to-core round trip a two-thread benchmark measured in its own JVM, right before its samples."""
    if not os.path.exists(path):
        return {}
    with open(path) as f:
        report = json.load(f)
    return {b["name"]: b["coreRoundTripNs"] for b in report.get("benchmarks", [])
            if not b.get("skipped") and b.get("coreRoundTripNs") is not None}


class Round:
    """Every figure of one round, by key: ('ours', benchmark name), ('ours_t1', name), (peer, what, threads[, batch])."""

    def __init__(self, folder, n):
        self.n = n
        self.values = {}
        ours, self.machine = read_ours(os.path.join(folder, f"ours_r{n}.json"))
        self.round_trips = read_round_trips(os.path.join(folder, f"ours_r{n}.json"))
        for name, v in ours.items():
            self.values[("ours", name)] = v
        ours_t1, _ = read_ours(os.path.join(folder, f"ours_t1_r{n}.json"))
        for name, v in ours_t1.items():
            self.values[("ours_t1", name)] = v
        self.versions = {}
        for d in read_jsonl(os.path.join(folder, f"ort_r{n}.jsonl")):
            b = d.get("bench")
            if b == "env":
                self.versions[ORT] = d.get("ort")
            elif b == "ort_vs_torch_check":
                self.values[(ORT, "check")] = d.get("max_abs_diff_prob")
            elif b == "ort_java_latency_b1":
                self.values[(ORT, "latency", d["intra_op_threads"])] = d["us_median"] / 1000
            elif b == "ort_java_batch_infer":
                self.values[(ORT, "batch", d["intra_op_threads"], d["batch"])] = d["samples_per_s_median"]
        for d in read_jsonl(os.path.join(folder, f"torch_r{n}.jsonl")):
            b = d.get("bench")
            if b == "env":
                self.versions[TORCH] = d.get("torch")
            elif b == "torch_train":
                self.values[(TORCH, "train", d["threads"])] = d["samples_per_s_median"]
            elif b == "torch_latency_b1":
                self.values[(TORCH, "latency", d["threads"])] = d["us_median"] / 1000
            elif b == "torch_batch_infer":
                self.values[(TORCH, "batch", d["threads"], d["batch"])] = d["samples_per_s_median"]

    def get(self, key):
        return self.values.get(key)


def rounds_in(folder):
    ns = set()
    for path in glob.glob(os.path.join(folder, "*_r*.json*")):
        m = re.search(r"_r(\d+)\.jsonl?$", path)
        if m:
            ns.add(int(m.group(1)))
    return [Round(folder, n) for n in sorted(ns)]


# ---------------------------------------------------------------- the figures

def figures():
    """(title, unit, higher is better, our key, [(peer label, key)], target, note)."""
    return [
        ("One review, b=1, 1 thread, T=500", "ms", False, ("ours", "score_latency_t500_b1"),
         [(ORT + " 1 thread", (ORT, "latency", 1)), (TORCH + " 1 thread", (TORCH, "latency", 1))], 1.4,
         "500 random non-zero ids: every step is real work for every engine."),
        ("One review, b=1, 2 threads, T=500", "ms", False, ("ours", "score_latency_t500_b1_2threads"),
         [(ORT + " 2 threads", (ORT, "latency", 2)), (TORCH + " 2 threads", (TORCH, "latency", 2))], 2.0,
         "Ours: Sequential.newScorer(2), the units split between two threads."),
        ("Typical review (270 pads + 230 ids), b=1, 1 thread", "ms", False, ("ours", "score_latency_typical_b1"),
         [(ORT + " 1 thread, T=500", (ORT, "latency", 1)), (TORCH + " 1 thread, T=500", (TORCH, "latency", 1))], 3.0,
         "The peers' figure is their T=500 latency: ORT and PyTorch run all 500 steps of a padded input "
         "(the padding costs them as much as real ids), while ours skips the shared padding prefix."),
        ("Batch 256, 2 threads", "reviews/s", True, ("ours", "score_throughput_b256"),
         [(ORT + " 2 threads", (ORT, "batch", 2, 256)), (TORCH + " 2 threads", (TORCH, "batch", 2, 256))], 2.0,
         "T=500, random ids; ours: predict(x, 256) on 512 reviews."),
        ("Training, batch 64, 2 threads", "samples/s", True, ("ours", "train_throughput_b64"),
         [(TORCH + " 2 threads", (TORCH, "train", 2))], 1.5,
         "Forward, BCE, backward, Adam; T=500, random ids. ONNX Runtime does not train."),
        ("Training, batch 64, 1 thread", "samples/s", True, ("ours_t1", "train_throughput_b64"),
         [(TORCH + " 1 thread", (TORCH, "train", 1))], None,
         "No target in the issue for one thread; it gives the 1 -> 2 thread scaling below."),
    ]


def fmt(v, unit):
    if v is None:
        return "—"
    if unit == "ms":
        return f"{v:.3f}" if v < 10 else f"{v:.1f}"
    return f"{v:,.0f}"


def short(label):
    return "ORT" if label.startswith(ORT) else "PyTorch" if label.startswith(TORCH) else label


def rounds_text(n):
    return f"{n} round" + ("" if n == 1 else "s")


def ratio_text(r):
    return "—" if r is None else f"{r:.2f}x"


def speedup(ours, peer, higher_better):
    if ours is None or peer is None or ours <= 0 or peer <= 0:
        return None
    return ours / peer if higher_better else peer / ours


def spread(ratios):
    rs = [r for r in ratios if r is not None]
    if not rs:
        return None, None, None
    return statistics.median(rs), min(rs), max(rs)


def verdict(med, lo, target):
    if target is None:
        return "—"
    if med is None:
        return "not measured"
    if med >= target:
        return "**yes**" + (" (every round)" if lo >= target else f" (median; lowest round {lo:.2f}x)")
    return "no"


def figure_section(title, unit, higher, ours_key, peers, target, note, rounds):
    lines = [f"### {title} ({unit}, {'higher' if higher else 'lower'} is better)", ""]
    head = "| round | vector-lstm | " + " | ".join(p for p, _ in peers) + " | best peer | vector-lstm vs best |"
    lines += [head, "|" + "---|" * (4 + len(peers))]
    ratios = []
    for r in rounds:
        ours = r.get(ours_key)
        vals = [(label, r.get(key)) for label, key in peers]
        # a round that misses a peer has no best peer: it is left out rather than compared with the others
        complete = all(v is not None for _, v in vals)
        best = (max if higher else min)(vals, key=lambda lv: lv[1]) if complete else None
        ratio = speedup(ours, best[1], higher) if best else None
        ratios.append(ratio)
        lines.append(f"| {r.n} | {fmt(ours, unit)} | " + " | ".join(fmt(v, unit) for _, v in vals)
                     + f" | {short(best[0]) if best else 'a peer is missing'} | {ratio_text(ratio)} |")
    med, lo, hi = spread(ratios)
    lines += ["", f"Median ratio **{ratio_text(med)}**" + (f" (min {lo:.2f}x, max {hi:.2f}x over {rounds_text(sum(r is not None for r in ratios))})" if med else "")
              + (f"; target >= {target}x: {verdict(med, lo, target)}" if target else "") + ".", "", f"Note: {note}", ""]
    return lines, (title, med, lo, hi, target, ratios)


def scaling_section(rounds):
    """Our training speed-up from 1 to 2 threads (the issue's >= 1.8x), with PyTorch's beside it."""
    lines = ["### Training, 1 -> 2 threads (speed-up of the same engine)", "",
             "| round | vector-lstm 1 thread | 2 threads | speed-up | PyTorch 1 thread | 2 threads | speed-up |", "|---|---|---|---|---|---|---|"]
    ratios = []
    for r in rounds:
        o1, o2 = r.get(("ours_t1", "train_throughput_b64")), r.get(("ours", "train_throughput_b64"))
        p1, p2 = r.get((TORCH, "train", 1)), r.get((TORCH, "train", 2))
        s, ps = speedup(o2, o1, True), speedup(p2, p1, True)
        ratios.append(s)
        lines.append(f"| {r.n} | {fmt(o1, 'samples/s')} | {fmt(o2, 'samples/s')} | {ratio_text(s)} | {fmt(p1, 'samples/s')} | {fmt(p2, 'samples/s')} | {ratio_text(ps)} |")
    med, lo, hi = spread(ratios)
    lines += ["", f"Median speed-up **{ratio_text(med)}**" + (f" (min {lo:.2f}x, max {hi:.2f}x)" if med else "")
              + f"; target >= 1.8x: {verdict(med, lo, 1.8)}.", ""]
    return lines, ("Training scaling 1 -> 2 threads (ours)", med, lo, hi, 1.8, ratios)


def round_trip_section(folder, rounds):
    """The core-to-core round trip (vectorlstm.bench.CoreRoundTrip) at each round's start and in the
    two-thread benchmark's own JVM, beside our two-thread latency: the host can move the vCPUs in the
    20 s between the two (sitting AJ: 538 ns at the start, 210 ns in the benchmark)."""
    rows = []
    for r in rounds:
        probe = read_jsonl(os.path.join(folder, f"rtt_r{r.n}.jsonl"))
        at_start = probe[-1].get("ns_median") if probe else None
        in_bench = r.round_trips.get("score_latency_t500_b1_2threads")
        if at_start is None and in_bench is None:
            continue
        rows.append(f"| {r.n} | {fmt(at_start, 'ns')} | {fmt(in_bench, 'ns')} | {fmt(r.get(('ours', 'score_latency_t500_b1_2threads')), 'ms')} |")
    if not rows:
        return []
    return ["### Core-to-core round trip", "",
            "Two threads handing a counter back and forth (`vectorlstm.bench.CoreRoundTrip`): at the round's start"
            " (median of 15 samples of 20,000 round trips), and in the two-thread benchmark's own JVM after its warm-up,"
            " just before its samples (`coreRoundTripNs` in our JSON). The two-thread scorer meets once per step, so"
            " its latency moves with this.", "",
            "| round | at the round's start (ns) | before the two-thread samples (ns) | vector-lstm, one review on 2 threads (ms) |",
            "|---|---|---|---|"] + rows + [""]


def loads_section(folder):
    rows = read_jsonl(os.path.join(folder, "loads.jsonl"))
    if not rows:
        return []
    lines = ["### Load average (1, 5, 15 min) before and after each run", "", "| run | seconds | before | after |", "|---|---|---|---|"]
    for d in rows:
        lines.append(f"| {d['run']} | {d['seconds']} | {', '.join(map(str, d['load_before']))} | {', '.join(map(str, d['load_after']))} |")
    return lines + [""]


def summarize(folder, rounds, meta):
    machine = next((r.machine for r in rounds if r.machine), {})
    versions = {}
    for r in rounds:
        versions.update({k: v for k, v in r.versions.items() if v})
    train_only = meta.get("figures") == "train"
    lines = [f"# Side by side: vector-lstm vs {TORCH if train_only else ORT + ' and ' + TORCH}", ""]
    if meta.get("smoke"):
        lines += ["**SMOKE RUN (SMOKE=1): tiny settings, these numbers are not measurements.**", ""]
    order = "ours (2 threads, then 1), then PyTorch; training only (FIGURES=train)" if train_only else "ours, then ORT, then PyTorch"
    lines += [f"Folder `{folder}`; started {meta.get('started', '?')}; {len(rounds)} round(s), each: {order}.",
              f"vector-lstm {meta.get('commit', '?')}" + (f" with {meta['dirty_files']} modified files" if meta.get("dirty_files") else "")
              + (f"; machine: {machine.get('cores')} cores, {machine.get('cpu')}, {machine.get('vectorBits')}-bit vectors, JDK {machine.get('jdk')}" if machine else ""),
              ("Peer: " if train_only else f"Peers: {ORT} {versions.get(ORT, '?')}, ") + f"{TORCH} ({versions.get(TORCH, '?')}, pip wheel, tuned malloc), from `../shared/anchors`.",
              "Ratios are how many times faster vector-lstm is than the best peer of the same round (>1: faster).", ""]
    sections, summary = [], []
    for fig in figures():
        if not any(r.get(fig[3]) is not None for r in rounds):
            continue  # not measured in this sitting (FIGURES=train)
        sec, row = figure_section(*fig, rounds)
        sections += sec
        summary.append((row, fig[1], fig[3], fig[4]))
    sec, scaling = scaling_section(rounds)
    sections += sec
    lines += ["| figure | vector-lstm (median) | best peer (median) | ratio: median [min-max] | target | met |", "|---|---|---|---|---|---|"]
    for (title, med, lo, hi, target, _), unit, ours_key, peers in summary:
        ours = [r.get(ours_key) for r in rounds]
        ours_med = statistics.median([v for v in ours if v is not None]) if any(v is not None for v in ours) else None
        peer_meds = []
        for label, key in peers:
            vs = [r.get(key) for r in rounds if r.get(key) is not None]
            if vs:
                peer_meds.append((label, statistics.median(vs)))
        higher = unit != "ms"
        best = (max if higher else min)(peer_meds, key=lambda lv: lv[1]) if peer_meds else None
        rng = f"{ratio_text(med)} [{lo:.2f}-{hi:.2f}]" if med else "—"
        lines.append(f"| {title} | {fmt(ours_med, unit)} {unit} | {fmt(best[1], unit) + ' ' + unit + ' (' + best[0] + ')' if best else '—'} | {rng} | "
                     f"{'>= ' + str(target) + 'x' if target else '—'} | {verdict(med, lo, target)} |")
    title, med, lo, hi, target, _ = scaling
    lines.append(f"| {title} | | | {ratio_text(med) + f' [{lo:.2f}-{hi:.2f}]' if med else '—'} | >= 1.8x | {verdict(med, lo, target)} |")
    lines.append("")
    checks = [r.get((ORT, "check")) for r in rounds if r.get((ORT, "check")) is not None]
    if checks:
        lines += [f"ORT vs PyTorch check (same weights, 8 padded inputs): max |prob difference| {max(checks):.1e}.", ""]
    return lines + ["## Per figure", ""] + sections + round_trip_section(folder, rounds) + loads_section(folder)


# ---------------------------------------------------------------- the chart

def nice_step(span, ticks=6):
    raw = span / ticks
    mag = 10 ** int(f"{raw:e}".split("e")[1])
    for m in (1, 2, 2.5, 5, 10):
        if raw <= m * mag:
            return m * mag
    return 10 * mag


def esc(s):
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def chart_data(rounds):
    """Our series (real length -> per-round medians) at 1 and 2 threads, and the peers' flat lines."""
    lengths = {int(m.group(1)) for r in rounds for key in r.values
               if key[0] == "ours" and (m := re.fullmatch(r"score_latency_real(\d+)_b1(?:_2threads)?", key[1]))}
    ours = {}
    for threads, suffix in ((1, ""), (2, "_2threads")):
        points = {}
        for n in sorted(set(lengths) | {T, TYPICAL_REAL}):
            vals = []
            for r in rounds:
                v = r.get(("ours", f"score_latency_real{n}_b1{suffix}"))
                if v is None and n == T:
                    v = r.get(("ours", f"score_latency_t{T}_b1{suffix}"))
                if v is None and n == TYPICAL_REAL and threads == 1:
                    v = r.get(("ours", "score_latency_typical_b1"))
                if v is not None:
                    vals.append(v)
            if vals:
                points[n] = vals
        ours[threads] = points
    flat = []
    for peer in (ORT, TORCH):
        for threads in (1, 2):
            vals = [r.get((peer, "latency", threads)) for r in rounds if r.get((peer, "latency", threads)) is not None]
            if vals:
                flat.append((peer, threads, statistics.median(vals), min(vals), max(vals)))
    return ours, flat


def svg_chart(rounds, meta, versions):
    ours, flat = chart_data(rounds)
    W, H = 900, 560
    left, right, top, bottom = 78, 290, 70, 78
    pw, ph = W - left - right, H - top - bottom
    # a peer far above everything else (a disturbed 2-thread run) would flatten the rest: it goes off the scale
    ours_max = max([max(v) for pts in ours.values() for v in pts.values()] + [0.1])
    limit = 2.5 * max([ours_max] + [min(med for *_, med, _, _ in flat)] if flat else [ours_max])
    ymax_data = max([ours_max] + [med for *_, med, _, _ in flat if med <= limit])
    step = nice_step(ymax_data * 1.08)
    ymax = step * (int(ymax_data * 1.08 / step) + 1)

    def x(n):
        return left + pw * n / T

    def y(ms):
        return top + ph * (1 - min(ms, ymax) / ymax)

    colors = {(ORT, 1): "#d62728", (ORT, 2): "#d62728", (TORCH, 1): "#ff7f0e", (TORCH, 2): "#ff7f0e"}
    ours_colors = {1: "#1f77b4", 2: "#2ca02c"}
    o = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{W}" height="{H}" viewBox="0 0 {W} {H}" '
         f'font-family="DejaVu Sans, Arial, Helvetica, sans-serif" font-size="13">',
         f'<rect width="{W}" height="{H}" fill="white"/>',
         f'<text x="{left}" y="26" font-size="17" font-weight="bold">Single-review latency against real length (seed model, T = 500)</text>',
         f'<text x="{left}" y="46" font-size="12" fill="#444">{esc(subtitle(rounds, meta))}</text>']
    # grid and axes
    yt = 0.0
    while yt <= ymax + 1e-9:
        o.append(f'<line x1="{left}" y1="{y(yt):.1f}" x2="{left + pw}" y2="{y(yt):.1f}" stroke="#e5e5e5"/>')
        o.append(f'<text x="{left - 8}" y="{y(yt) + 4:.1f}" text-anchor="end">{yt:g}</text>')
        yt += step
    for n in range(0, T + 1, 50):
        o.append(f'<line x1="{x(n):.1f}" y1="{top}" x2="{x(n):.1f}" y2="{top + ph}" stroke="{"#e5e5e5" if n % 100 == 0 else "#f3f3f3"}"/>')
        if n % 100 == 0:
            o.append(f'<text x="{x(n):.1f}" y="{top + ph + 18}" text-anchor="middle">{n}</text>')
    o.append(f'<line x1="{x(TYPICAL_REAL):.1f}" y1="{top}" x2="{x(TYPICAL_REAL):.1f}" y2="{top + ph}" stroke="#888" stroke-dasharray="2 4"/>')
    o.append(f'<text x="{x(TYPICAL_REAL) + 5:.1f}" y="{top + ph - 8}" font-size="11" fill="#555">typical review: 230 real</text>')
    o.append(f'<rect x="{left}" y="{top}" width="{pw}" height="{ph}" fill="none" stroke="#333"/>')
    o.append(f'<text x="{left + pw / 2:.1f}" y="{H - 40}" text-anchor="middle">real tokens in a review pre-padded to 500 steps (the rest is padding id 0)</text>')
    o.append(f'<text x="{left + pw / 2:.1f}" y="{H - 22}" text-anchor="middle" font-size="11" fill="#555">'
             f'0 = all padding, 500 = no padding; a median IMDB review has about 230 real tokens</text>')
    o.append(f'<text transform="translate(22 {top + ph / 2:.1f}) rotate(-90)" text-anchor="middle">latency per review, batch 1 (ms)</text>')
    # peers: flat lines over the whole range (they run all 500 steps of the padded input)
    legend = []
    for peer, threads, med, lo, hi in flat:
        c, dash = colors[(peer, threads)], ("" if threads == 1 else ' stroke-dasharray="7 5"')
        off = med > ymax
        yy = y(med) + (3 if off else 0)
        o.append(f'<line x1="{x(0):.1f}" y1="{yy:.1f}" x2="{x(T):.1f}" y2="{yy:.1f}" stroke="{c}" stroke-width="2"{dash}/>')
        version = versions.get(peer)
        label = (f"{peer}{' ' + version if version and peer == ORT else ''}, {threads} thread{'s' if threads > 1 else ''}: "
                 f"{med:.2f} ms{' (off the scale)' if off else ''}")
        if off:
            o.append(f'<text x="{x(T) - 6:.1f}" y="{yy + 15:.1f}" text-anchor="end" font-size="11" fill="{c}">'
                     f'{esc(peer)}, {threads} threads: {med:.2f} ms, off the scale</text>')
        legend.append((f'<line x1="0" y1="0" x2="26" y2="0" stroke="{c}" stroke-width="2"{dash}/>', label))
    # ours: points (median of the rounds' medians), with the min-max of the rounds as bars
    for threads, pts in ours.items():
        if not pts:
            continue
        c = ours_colors[threads]
        meds = [(n, statistics.median(v), min(v), max(v)) for n, v in sorted(pts.items())]
        o.append('<polyline fill="none" stroke="{}" stroke-width="2.5" points="{}"/>'.format(
            c, " ".join(f"{x(n):.1f},{y(m):.1f}" for n, m, _, _ in meds)))
        for n, m, lo, hi in meds:
            if hi > lo:
                o.append(f'<line x1="{x(n):.1f}" y1="{y(lo):.1f}" x2="{x(n):.1f}" y2="{y(hi):.1f}" stroke="{c}" stroke-width="1.5"/>')
            marker = (f'<circle cx="{x(n):.1f}" cy="{y(m):.1f}" r="4.5" fill="{c}"/>' if threads == 1 else
                      f'<rect x="{x(n) - 4:.1f}" y="{y(m) - 4:.1f}" width="8" height="8" fill="{c}"/>')
            o.append(marker)
        at500 = dict((n, m) for n, m, _, _ in meds).get(T)
        label = f"vector-lstm, {threads} thread{'s' if threads > 1 else ''}" + (f": {at500:.2f} ms at 500" if at500 else "")
        mk = ('<circle cx="13" cy="0" r="4.5" fill="{}"/>' if threads == 1 else '<rect x="9" y="-4" width="8" height="8" fill="{}"/>').format(c)
        legend.insert(threads - 1, (f'<line x1="0" y1="0" x2="26" y2="0" stroke="{c}" stroke-width="2.5"/>' + mk, label))
    lx, ly = left + pw + 18, top + 8
    for i, (sym, label) in enumerate(legend):
        yy = ly + 24 + i * 38
        o.append(f'<g transform="translate({lx} {yy})">{sym}</g>')
        words = label.split(": ")
        o.append(f'<text x="{lx + 34}" y="{yy + 4}" font-size="12">{esc(words[0])}</text>')
        if len(words) > 1:
            o.append(f'<text x="{lx + 34}" y="{yy + 19}" font-size="12" fill="#444">{esc(words[1])}</text>')
    ny = ly + 24 + len(legend) * 38 + 6
    for i, line in enumerate(["Peers: flat, they run all 500", "steps of a padded input.", "Ours skips the padding prefix.",
                              "Points: median of the rounds;", "bars: their min-max."]):
        o.append(f'<text x="{lx}" y="{ny + i * 16}" font-size="11" fill="#555">{esc(line)}</text>')
    if meta.get("smoke"):
        o.append(f'<text x="{left + pw / 2:.1f}" y="{top + ph / 2:.1f}" text-anchor="middle" font-size="26" fill="#d62728" '
                 f'fill-opacity="0.25" transform="rotate(-15 {left + pw / 2:.1f} {top + ph / 2:.1f})">SMOKE TEST, NOT A MEASUREMENT</text>')
    o.append("</svg>")
    return "\n".join(o) + "\n"


def subtitle(rounds, meta):
    started = meta.get("started", "")[:10]
    commit = meta.get("commit", "?")
    return (f"vector-lstm {commit}, {ORT}, {TORCH} (tuned malloc); one sitting {started}, {len(rounds)} round(s) alternating; "
            f"random ids")


# ---------------------------------------------------------------- main

def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("out")
    ap.add_argument("--svg")
    ap.add_argument("--md")
    args = ap.parse_args(argv)
    folder = os.path.abspath(args.out)
    if not os.path.isdir(folder):
        sys.exit(f"summarize: {folder} is not a folder")
    meta = {}
    if os.path.exists(os.path.join(folder, "meta.json")):
        with open(os.path.join(folder, "meta.json")) as f:
            meta = json.load(f)
    rounds = rounds_in(folder)
    if not rounds:
        sys.exit(f"summarize: no ours_rN.json / ort_rN.jsonl / torch_rN.jsonl in {folder}")
    md = "\n".join(summarize(folder, rounds, meta))
    md_path = args.md or os.path.join(folder, "summary.md")
    with open(md_path, "w") as f:
        f.write(md)
    versions = {}
    for r in rounds:
        versions.update({k: v for k, v in r.versions.items() if v})
    if not chart_data(rounds)[0][1]:
        print(md)
        print(f"wrote {md_path} (no latency figures in this sitting: no chart)", file=sys.stderr)
        return
    svg_path = args.svg or (os.path.join(folder, "perf-latency-vs-length.svg") if meta.get("smoke")
                            else os.path.join(REPO, "docs", "perf-latency-vs-length.svg"))
    with open(svg_path, "w") as f:
        f.write(svg_chart(rounds, meta, versions))
    print(md)
    print(f"wrote {md_path} and {svg_path}", file=sys.stderr)


if __name__ == "__main__":
    main()
