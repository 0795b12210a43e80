#!/usr/bin/env bash
# The soak test of docs/serving.md: a few million classifications in one `lstm serve` process,
# resident memory, off-heap bytes and heap sampled every 10 s (OUT_DIR/soak-samples.csv).
#
#   flock /tmp/vlstm-machine.lock tools/serve/soak.sh [OUT_DIR]
#
# Off-heap memory (the engine's arenas are malloc'd, tracked by the JVM's Native Memory Tracking
# as "Other") comes from `jcmd PID VM.native_memory summary`; the server runs with NMT on.
# Requests carry PER real IMDB reviews each ({"texts": [...]}), from 64 connections, in 60 s wrk
# runs until the server has scored TARGET texts. Needs what load_test.sh needs.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
out="${1:-$root/target/serve-soak}"
MODEL="${MODEL:-/work/models/imdb-fasttext.vlstm}"
ARCHIVE="${ARCHIVE:-$root/../shared/data/imdb/aclImdb_v1.tar.gz}"
TARGET="${TARGET:-3000000}"
PER="${PER:-16}"
MAX_BATCH="${MAX_BATCH:-64}"
PORT="${PORT:-18082}"
mkdir -p "$out"

java_home="$("$root/lstm" --java-home)"
[ -f "$root/target/vector-lstm.jar" ] || (cd "$root" && JAVA_HOME="$java_home" mvn -q -B -DskipTests package)
bodies="$out/reviews-x$PER.jsonl"
[ -f "$bodies" ] || python3 "$here/extract_reviews.py" "$ARCHIVE" "$bodies" 2000 "$PER"
metric() { curl -sf "http://127.0.0.1:$PORT/metrics" | awk -v n="$1" '$1 == n {print $2}'; }

"$java_home/bin/java" --add-modules jdk.incubator.vector --enable-native-access=ALL-UNNAMED -XX:NativeMemoryTracking=summary -jar "$root/target/vector-lstm.jar" \
  serve --model "$MODEL" --port "$PORT" --max-batch "$MAX_BATCH" > "$out/server.log" 2>&1 &
pid=$!
for _ in $(seq 1 150); do curl -sf "http://127.0.0.1:$PORT/ready" > /dev/null && break; sleep 0.2; done

echo "seconds,texts_scored,rss_kb,offheap_kb,heap_bytes" > "$out/soak-samples.csv"
offheap_kb() {  # committed KB of NMT's "Other" (Unsafe/FFM native allocations)
  "$java_home/bin/jcmd" "$pid" VM.native_memory summary 2>/dev/null | sed -n 's/.*- *Other (reserved=[0-9]*KB, committed=\([0-9]*\)KB.*/\1/p' | head -n 1
}
start=$(date +%s)
sample() {
  echo "$(( $(date +%s) - start )),$(metric vlstm_texts_scored_total),$(awk '/VmRSS/{print $2}' "/proc/$pid/status"),$(offheap_kb),$(metric jvm_heap_used_bytes)" >> "$out/soak-samples.csv"
}
( while kill -0 "$pid" 2>/dev/null; do sample; sleep 10; done ) &
sampler=$!
: > "$out/wrk.txt"
while [ "$(metric vlstm_texts_scored_total)" -lt "$TARGET" ]; do
  BODIES="$bodies" wrk -t2 -c64 -d60s -s "$here/load.lua" "http://127.0.0.1:$PORT/v1/classify" | grep RESULT | tee -a "$out/wrk.txt"
done
sample
kill -TERM "$pid"; rc=0; wait "$pid" || rc=$?
kill "$sampler" 2>/dev/null || true
echo "server exit code $rc; $(grep -h 'stopped:' "$out/server.log")"
python3 - "$out" <<'PY'
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1] + "/soak-samples.csv")))
rows = [r for r in rows if r["rss_kb"] and r["texts_scored"]]
texts = int(float(rows[-1]["texts_scored"]))
warm = [r for r in rows if int(r["seconds"]) >= 60] or rows
rss = [int(r["rss_kb"]) / 1024 for r in warm]
off = [int(r["offheap_kb"] or 0) / 1024 for r in warm]
print(f"{texts:,} texts in {rows[-1]['seconds']} s ({texts / max(1, int(rows[-1]['seconds'])):,.0f}/s); after the first minute, "
      f"{len(warm)} samples: RSS first {rss[0]:.0f} MiB, last {rss[-1]:.0f} MiB, min {min(rss):.0f}, max {max(rss):.0f}; "
      f"off-heap first {off[0]:.1f} MiB, last {off[-1]:.1f} MiB, max {max(off):.1f}")
PY
