#!/usr/bin/env bash
# Side-by-side speed figures: vector-lstm against ONNX Runtime Java 1.23.2 and PyTorch 2.13 (pip
# wheel, tuned malloc), measured alternately in one sitting, then summarized (tools/perf/summarize.py).
# A developer tool for a quiet machine, not part of CI.
#
# Usage: tools/perf/side_by_side.sh [ROUNDS=3] [OUT=target/perf/<UTC stamp>]
#   One round = ours (./lstm bench, default mode, + latency against real length, + training on
#   1 thread), then ORT Java (1 and 2 threads), then PyTorch (1 and 2 threads); rounds repeat
#   that order, so each peer runs between two of ours. About 5 minutes a round on 2 idle cores.
# Env: VLSTM_ANCHORS  the peers' reference programs (default: ../shared/anchors beside the repo)
#      ANCHORS_WORK   writable copy of them where the peers build and run (default /tmp/vlstm-anchors)
#      LENGTHS        real lengths for the latency chart (default 0,50,100,200,300,400; 500 is
#                     score_latency_t500_b1 itself)
#      SMOKE=1        tiny settings everywhere (ours --quick): checks the tooling, measures nothing
#      FIGURES=train  training only (ours on 2 and 1 threads, then PyTorch; no ORT, no chart): about
#                     2.5 minutes a round, so more rounds of the figure whose ratio is closest to its target
# Writes to OUT: ours_rN.json, ours_t1_rN.json (./lstm bench JSON), ort_rN.jsonl, torch_rN.jsonl
# (the peers' JSON lines), rtt_rN.jsonl (vectorlstm.bench.CoreRoundTrip from the jar: the core-to-core round
# trip at the round's start), *.txt/*.err (their terminal output), loads.jsonl and side_by_side.log
# (uptime before and after each run), meta.json; then summary.md and the SVG chart.
set -euo pipefail
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
ROUNDS="${1:-3}"
OUT="${2:-$repo/target/perf/$(date -u +%Y%m%dT%H%M%SZ)}"
SMOKE="${SMOKE:-0}"
die() { echo "side_by_side: $*" >&2; exit 2; }

[[ "$ROUNDS" =~ ^[1-9][0-9]*$ ]] || die "ROUNDS must be a positive integer, got '$ROUNDS'"
FIGURES="${FIGURES:-all}"
[[ "$FIGURES" = all || "$FIGURES" = train ]] || die "FIGURES must be all or train, got '$FIGURES'"
anchors="${VLSTM_ANCHORS:-$repo/../shared/anchors}"
if [ ! -f "$anchors/run_ort_java.sh" ] || [ ! -f "$anchors/run_torch.sh" ] || [ ! -f "$anchors/torch_seed_model.py" ]; then
  die "no anchors folder at $anchors (the peers' reference programs: run_ort_java.sh, run_torch.sh, ...).
  It sits beside the repository as ../shared/anchors on our machines; elsewhere set VLSTM_ANCHORS=/path/to/anchors."
fi
anchors="$(cd "$anchors" && pwd)"
if [ "$SMOKE" = 1 ]; then
  LENGTHS="${LENGTHS:-0,100,300}"
  OURS=(--quick)
  ORT_ARGS=(1,2 20 5 64,256 1)    # threads, latency calls, warm-up calls, batch sizes, repetitions
  TORCH_ARGS=(--threads 1,2 --what train,latency,batch --warmup 1 --train-steps 1 --train-reps 1
              --lat-warmup 2 --lat-calls 10 --batch-sizes 64,256 --infer-samples 256 --infer-reps 1)
else
  LENGTHS="${LENGTHS:-0,50,100,200,300,400}"
  OURS=()
  ORT_ARGS=(1,2 500 100 64,256 5)
  TORCH_ARGS=(--threads 1,2 --what train,latency,batch --warmup 3 --train-steps 10 --train-reps 5
              --lat-warmup 30 --lat-calls 300 --batch-sizes 64,256 --infer-samples 512 --infer-reps 5)
fi
[[ "$LENGTHS" =~ ^[0-9]+(,[0-9]+)*$ ]] || die "LENGTHS must be numbers separated by commas, got '$LENGTHS'"
if [ "$FIGURES" = train ]; then
  [ "${TORCH_ARGS[2]}" = --what ] || die "internal: TORCH_ARGS[2] should be --what"
  TORCH_ARGS[3]=train
fi
if [ -d "$OUT" ] && [ -n "$(ls -A "$OUT")" ]; then die "$OUT is not empty: give a new folder (one sitting per folder)"; fi
mkdir -p "$OUT"
OUT="$(cd "$OUT" && pwd)"
LOG="$OUT/side_by_side.log"

log() { echo "[$(date -u +%H:%M:%S)] $*" | tee -a "$LOG" >&2; }
loadavg() { cut -d' ' -f1-3 /proc/loadavg | sed 's/ /, /g'; }

# run NAME OUTFILE ERRFILE|- COMMAND...: one measured program, with the load before and after.
# ERRFILE "-": stdout and stderr both go to OUTFILE and the terminal (ours: its table and progress).
run() {
  local name="$1" outfile="$2" errfile="$3"; shift 3
  log "$name: $*"
  log "  before: $(uptime)"
  local before; before="$(loadavg)"
  local t0=$SECONDS status=0
  if [ "$errfile" = - ]; then
    "$@" 2>&1 | tee "$outfile" >&2 || status=$?
  else
    "$@" > "$outfile" 2> "$errfile" || status=$?
  fi
  local secs=$((SECONDS - t0))
  log "  after:  $(uptime)  ($secs s)"
  printf '{"run": "%s", "seconds": %d, "load_before": [%s], "load_after": [%s], "exit": %d}\n' \
    "$name" "$secs" "$before" "$(loadavg)" "$status" >> "$OUT/loads.jsonl"
  if [ "$status" != 0 ]; then
    log "$name FAILED (exit code $status); last lines of its output:"
    if [ "$errfile" = - ]; then tail -n 15 "$outfile" >&2; else tail -n 15 "$errfile" >&2; fi
    exit 1
  fi
}

# The peers run from a writable copy. Their scripts copy themselves only when they cannot write the
# shared folder, and root can: they would write build/ and .venv-torch2 into the shared folder.
work="${ANCHORS_WORK:-${TMPDIR:-/tmp}/vlstm-anchors}"
mkdir -p "$work" && cp -ru "$anchors"/. "$work"/ && chmod -R u+w "$work"

commit="$(git -C "$repo" rev-parse --short HEAD 2>/dev/null || echo unknown)"
dirty="$( { git -C "$repo" status --porcelain --untracked-files=no 2>/dev/null || true; } | wc -l)"
cat > "$OUT/meta.json" <<EOF
{"commit": "$commit", "dirty_files": $dirty, "rounds": $ROUNDS, "smoke": $([ "$SMOKE" = 1 ] && echo true || echo false),
 "lengths": [$LENGTHS], "started": "$(date -u +%Y-%m-%dT%H:%M:%SZ)", "nproc": $(nproc), "anchors": "$anchors",
 "figures": "$FIGURES", "ort_args": "${ORT_ARGS[*]}", "torch_args": "${TORCH_ARGS[*]}", "ours_args": "${OURS[*]:-}"}
EOF
log "side by side: $ROUNDS round(s) into $OUT; vector-lstm $commit ($dirty modified files), peers from $anchors via $work"
if [ "$SMOKE" = 1 ]; then log "SMOKE=1: tiny settings, the numbers mean nothing"; elif [ "$FIGURES" = train ]; then log "FIGURES=train: training only; expect about 2.5 min a round on 2 idle cores"
else log "expect about 5 min a round on 2 idle cores, more on a busy machine"; fi

# Set-up (not timed): our jar, the ONNX export and the ORT build, the torch 2.13 venv; a failure shows here, not after round 1's first minutes.
log "set-up: building vector-lstm, checking ORT Java and PyTorch 2.13 with one call each"
(cd "$repo" && ./lstm --help > /dev/null 2> "$OUT/build.err") || die "./lstm does not build: see $OUT/build.err"
# Every round runs the jar built here: sources edited during the sitting must not be picked up
# half-way (it happened: three runs of sitting G rebuilt with the next commit's change).
export VLSTM_NO_REBUILD=1
java="$(cd "$repo" && ./lstm --java-home)/bin/java"
jar_sum="$(sha256sum "$repo/target/vector-lstm.jar" | cut -c1-16)"
if [ ! -f "$work/build/seed_model_check.onnx" ] && ! /usr/bin/python3 -c 'import torch' 2>/dev/null; then
  die "the ONNX export needs Debian's PyTorch 1.13 (/usr/bin/python3 with torch): apt-get install python3-torch"
fi
[ "$FIGURES" = train ] || run setup_ort "$OUT/setup_ort.jsonl" "$OUT/setup_ort.err" "$work/run_ort_java.sh" 1 1 0 1 1
run setup_torch "$OUT/setup_torch.jsonl" "$OUT/setup_torch.err" \
  env TORCH=pip MALLOC_TUNED=1 "$work/run_torch.sh" torch_seed_model.py --threads 1 --what latency --lat-warmup 0 --lat-calls 1
grep -q '"torch": "2.13' "$OUT/setup_torch.jsonl" || die "run_torch.sh TORCH=pip did not run torch 2.13: see $OUT/setup_torch.jsonl"

sitting_start=$SECONDS
for r in $(seq 1 "$ROUNDS"); do
  log "===== round $r of $ROUNDS ($(( (SECONDS - sitting_start) / 60 )) min so far) ====="
  # Where the host put our two vCPUs this round: the two-thread scorer's meeting costs about this much a step.
  run "rtt_r$r" "$OUT/rtt_r$r.jsonl" "$OUT/rtt_r$r.err" "$java" -cp "$repo/target/vector-lstm.jar" vectorlstm.bench.CoreRoundTrip
  if [ "$FIGURES" = train ]; then
    run "ours_r$r" "$OUT/ours_r$r.txt" - \
      "$repo/lstm" bench ${OURS[@]+"${OURS[@]}"} --threads 2 --only train_throughput_b64 --out "$OUT/ours_r$r.json"
  else
    run "ours_r$r" "$OUT/ours_r$r.txt" - \
      "$repo/lstm" bench ${OURS[@]+"${OURS[@]}"} --threads 2 --lengths "$LENGTHS" --out "$OUT/ours_r$r.json"
  fi
  run "ours_t1_r$r" "$OUT/ours_t1_r$r.txt" - \
    "$repo/lstm" bench ${OURS[@]+"${OURS[@]}"} --threads 1 --only train_throughput_b64 --out "$OUT/ours_t1_r$r.json"
  [ "$FIGURES" = train ] || run "ort_r$r" "$OUT/ort_r$r.jsonl" "$OUT/ort_r$r.err" "$work/run_ort_java.sh" "${ORT_ARGS[@]}"
  run "torch_r$r" "$OUT/torch_r$r.jsonl" "$OUT/torch_r$r.err" \
    env TORCH=pip MALLOC_TUNED=1 "$work/run_torch.sh" torch_seed_model.py "${TORCH_ARGS[@]}"
done
log "all $ROUNDS round(s) done in $(( (SECONDS - sitting_start) / 60 )) min; summarizing"
[ "$(sha256sum "$repo/target/vector-lstm.jar" | cut -c1-16)" = "$jar_sum" ] \
  || log "WARNING: target/vector-lstm.jar changed during the sitting (rebuilt by something else): the rounds may mix builds"
now_commit="$(git -C "$repo" rev-parse --short HEAD 2>/dev/null || echo unknown)"
now_dirty="$( { git -C "$repo" status --porcelain --untracked-files=no 2>/dev/null || true; } | wc -l)"
if [ "$now_commit" != "$commit" ] || [ "$now_dirty" != "$dirty" ]; then
  log "note: the checkout changed during the sitting ($commit with $dirty modified files -> $now_commit with $now_dirty); every round ran the jar built at set-up"
fi
python3 "$repo/tools/perf/summarize.py" "$OUT"
