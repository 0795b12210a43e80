#!/usr/bin/env bash
# The load test of docs/serving.md: `lstm serve` on one model, loaded with wrk on loopback.
#
#   flock /tmp/vlstm-machine.lock tools/serve/load_test.sh [OUT_DIR]
#
# 1. One-by-one scoring (--max-batch 1) against dynamic batching (--max-batch 64), alternated
#    round by round (ABBA, so drift cancels), single IMDB reviews at 1, 16 and 64 connections:
#    requests/s, p50/p99/p99.9, the server's CPU (cores used) and the scoring share of it
#    (vlstm_scoring_cpu_seconds_total / process_cpu_seconds_total from /metrics).
# 2. The default settings under 64 connections for HOLD seconds: errors, and the server's resident
#    memory and CPU sampled every second (OUT_DIR/hold-samples.csv).
# Needs: JDK 25, Maven, wrk, curl, python3; MODEL (default /work/models/imdb-fasttext.vlstm: the
# fastText recipe, `lstm train --data IMDB --embeddings imdb-fasttext-100d.vec.gz`); ARCHIVE (IMDB)
# for the request bodies. wrk and the server share the machine: on 2 cores the figures are for both.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
out="${1:-$root/target/serve-load}"
MODEL="${MODEL:-/work/models/imdb-fasttext.vlstm}"
ARCHIVE="${ARCHIVE:-$root/../shared/data/imdb/aclImdb_v1.tar.gz}"
MODES="${MODES:-1 64}"            # --max-batch values compared
ROUNDS="${ROUNDS:-2}"
CONNECTIONS="${CONNECTIONS:-1 16 64}"
DURATION="${DURATION:-20}"
WARMUP="${WARMUP:-10}"
HOLD="${HOLD:-60}"
HOLD_BATCH="${HOLD_BATCH:-64}"    # the --max-batch of the hold run (the default, chosen by part 1)
PORT="${PORT:-18081}"
mkdir -p "$out"

java_home="$("$root/lstm" --java-home)"
[ -f "$root/target/vector-lstm.jar" ] || (cd "$root" && JAVA_HOME="$java_home" mvn -q -B -DskipTests package)
bodies="$out/reviews.jsonl"
[ -f "$bodies" ] || python3 "$here/extract_reviews.py" "$ARCHIVE" "$bodies" 500
ticks_per_s="$(getconf CLK_TCK)"
cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
metric() { curl -sf "http://127.0.0.1:$PORT/metrics" | awk -v n="$1" '$1 == n {print $2}'; }

start_server() {  # max-batch -> pid in $server_pid
  "$java_home/bin/java" --add-modules jdk.incubator.vector --enable-native-access=ALL-UNNAMED -jar "$root/target/vector-lstm.jar" \
    serve --model "$MODEL" --port "$PORT" --max-batch "$1" > "$out/server-$1.log" 2>&1 &
  server_pid=$!
  for _ in $(seq 1 150); do curl -sf "http://127.0.0.1:$PORT/ready" > /dev/null && return 0; sleep 0.2; done
  echo "server did not become ready:"; cat "$out/server-$1.log"; exit 1
}

stop_server() {
  kill -TERM "$server_pid"; local rc=0; wait "$server_pid" || rc=$?
  echo "   server stopped with exit code $rc: $(grep -h 'stopped:' "$out/server-$1.log" | tail -n 1)"
}

run() {  # label connections duration -> RESULT line + server cores + scoring share
  local label=$1 c=$2 d=$3 threads=2
  [ "$c" -lt 2 ] && threads=1
  BODIES="$bodies" wrk -t"$threads" -c"$c" -d"${WARMUP}s" -s "$here/load.lua" "http://127.0.0.1:$PORT/v1/classify" > /dev/null
  local t0 s0 p0; t0="$(cpu_ticks "$server_pid")"; s0="$(metric vlstm_scoring_cpu_seconds_total)"; p0="$(metric process_cpu_seconds_total)"
  BODIES="$bodies" wrk -t"$threads" -c"$c" -d"${d}s" --latency -s "$here/load.lua" "http://127.0.0.1:$PORT/v1/classify" > "$out/$label.txt"
  local s1 p1; s1="$(metric vlstm_scoring_cpu_seconds_total)"; p1="$(metric process_cpu_seconds_total)"
  local cores; cores="$(awk -v a="$t0" -v b="$(cpu_ticks "$server_pid")" -v t="$ticks_per_s" -v d="$d" 'BEGIN{printf "%.2f", (b-a)/t/d}')"
  local share; share="$(awk -v s0="$s0" -v s1="$s1" -v p0="$p0" -v p1="$p1" 'BEGIN{printf "%.3f", (s1-s0)/(p1-p0)}')"
  echo "SERVER cores=$cores scoring_share=$share rss_kb=$(awk '/VmRSS/{print $2}' "/proc/$server_pid/status")" >> "$out/$label.txt"
  echo "   $label: $(grep RESULT "$out/$label.txt") cores=$cores scoring_share=$share"
}

echo "== part 1: one by one vs dynamic batching; load average $(cut -d' ' -f1-3 /proc/loadavg)"
for round in $(seq 1 "$ROUNDS"); do
  order="$MODES"; [ $((round % 2)) -eq 0 ] && order="$(echo "$MODES" | tr ' ' '\n' | tac | tr '\n' ' ')"
  for mode in $order; do
    start_server "$mode"
    for c in $CONNECTIONS; do run "batch$mode-r$round-c$c" "$c" "$DURATION"; done
    stop_server "$mode"
  done
done

echo "== part 2: --max-batch $HOLD_BATCH under 64 connections for $HOLD s, sampled every second"
start_server "$HOLD_BATCH"
echo "second,rss_kb,cores" > "$out/hold-samples.csv"
(
  prev="$(cpu_ticks "$server_pid")"
  for s in $(seq 1 $((HOLD + WARMUP))); do
    sleep 1
    now="$(cpu_ticks "$server_pid" 2>/dev/null)" || break
    echo "$s,$(awk '/VmRSS/{print $2}' "/proc/$server_pid/status"),$(awk -v a="$prev" -v b="$now" -v t="$ticks_per_s" 'BEGIN{printf "%.2f", (b-a)/t}')" >> "$out/hold-samples.csv"
    prev="$now"
  done
) &
sampler=$!
run "hold-c64" 64 "$HOLD"
wait "$sampler" || true
stop_server "$HOLD_BATCH"
python3 "$here/summarize_load.py" "$out" | tee "$out/summary.md"
