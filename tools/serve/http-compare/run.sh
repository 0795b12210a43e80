#!/usr/bin/env bash
# The HTTP-layer comparison of docs/serving-http-layer.md: the same endpoints on the JDK's
# HttpServer and on Jetty 12, loaded with wrk on loopback, servers alternated round by round.
#
#   flock /tmp/vlstm-machine.lock tools/serve/http-compare/run.sh [OUT_DIR]
#
# Needs: JDK 25, Maven, wrk, curl, python3, a model (MODEL, default /work/models/imdb-fasttext.vlstm)
# and the IMDB archive (ARCHIVE) for the request bodies. Bounded: every wrk run is DURATION long
# after a WARMUP run at the same connection count; about 13 minutes with the defaults.
# wrk and the server share the machine's cores: on a 2-core box the numbers are for both together.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../../.." && pwd)"
out="${1:-/tmp/http-compare}"
MODEL="${MODEL:-/work/models/imdb-fasttext.vlstm}"
ARCHIVE="${ARCHIVE:-/work/shared/data/imdb/aclImdb_v1.tar.gz}"
# jdk / jetty: virtual threads; jdk-platform / jetty-platform: a pool of 200 platform threads
# (jetty-platform-8: of 8);
# jdk-nodelay: jdk with -Dsun.net.httpserver.nodelay=true (TCP_NODELAY, off by default in the JDK).
SERVERS="${SERVERS:-jdk jetty jetty-platform}"  # round 1 in this order, round 2 reversed (ABBA: drift cancels)
ROUNDS="${ROUNDS:-2}"
CONNECTIONS="${CONNECTIONS:-1 16 64}"
ENDPOINTS="${ENDPOINTS:-health classify}"
DURATION="${DURATION:-20}"
WARMUP="${WARMUP:-10}"
PORT="${PORT:-18080}"
JAVA="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}/bin/java"
mkdir -p "$out"

[ -f "$root/target/vector-lstm.jar" ] || (cd "$root" && mvn -q -B -DskipTests package)
(cd "$here" && mvn -q -B package)
bodies="$out/reviews.jsonl"
[ -f "$bodies" ] || python3 "$here/../extract_reviews.py" "$ARCHIVE" "$bodies" 500

cp="$here/target/http-compare.jar:$here/target/lib/*:$root/target/vector-lstm.jar:$root/target/lib/*"
jvm=(--add-modules jdk.incubator.vector --enable-native-access=ALL-UNNAMED -Xms512m -Xmx512m -cp "$cp")

echo "== in-process: parse, classify, write on one thread (no HTTP)" | tee "$out/inprocess.txt"
"$JAVA" "${jvm[@]}" vectorlstm.servecmp.InProcess "$MODEL" "$bodies" "$WARMUP" "$DURATION" 2>&1 | tee -a "$out/inprocess.txt"

cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }  # utime + stime of the server process
ticks_per_s="$(getconf CLK_TCK)"

load() {  # server round endpoint connections pid
  local server=$1 round=$2 endpoint=$3 c=$4 pid=$5 threads=2 url="http://127.0.0.1:$PORT/health" env=()
  [ "$c" -lt 2 ] && threads=1   # wrk needs at least one connection per thread
  [ "$endpoint" = classify ] && { url="http://127.0.0.1:$PORT/v1/classify"; env=(BODIES="$bodies"); }
  env "${env[@]}" wrk -t"$threads" -c"$c" -d"${WARMUP}s" -s "$here/../load.lua" "$url" > /dev/null
  local before; before="$(cpu_ticks "$pid")"
  env "${env[@]}" wrk -t"$threads" -c"$c" -d"${DURATION}s" --latency -s "$here/../load.lua" "$url" \
    > "$out/$server-r$round-$endpoint-c$c.txt"
  local cores; cores="$(awk -v a="$before" -v b="$(cpu_ticks "$pid")" -v t="$ticks_per_s" -v d="$DURATION" 'BEGIN{printf "%.2f", (b-a)/t/d}')"
  echo "SERVERCPU cores=$cores rss_kb=$(awk '/VmRSS/{print $2}' "/proc/$pid/status")" >> "$out/$server-r$round-$endpoint-c$c.txt"
  echo "$server round $round $endpoint c=$c: $(grep RESULT "$out/$server-r$round-$endpoint-c$c.txt") server_cores=$cores"
}

for round in $(seq 1 "$ROUNDS"); do
  order="$SERVERS"; [ $((round % 2)) -eq 0 ] && order="$(echo "$SERVERS" | tr ' ' '\n' | tac | tr '\n' ' ')"
  for server in $order; do
    main=vectorlstm.servecmp.JdkServer; [[ "$server" == jetty* ]] && main=vectorlstm.servecmp.JettyServer
    threads=virtual max=200
    [[ "$server" == *-platform* ]] && threads=platform
    [[ "$server" =~ -platform-([0-9]+)$ ]] && max="${BASH_REMATCH[1]}"
    extra=(); [[ "$server" == *-nodelay ]] && extra=(-Dsun.net.httpserver.nodelay=true)
    "$JAVA" "${jvm[@]}" "${extra[@]}" "$main" --port "$PORT" --model "$MODEL" --threads "$threads" --max-threads "$max" > "$out/$server-r$round-server.log" 2>&1 &
    pid=$!
    for _ in $(seq 1 100); do curl -sf "http://127.0.0.1:$PORT/health" > /dev/null && break; sleep 0.2; done
    echo "== $server round $round: $(grep -h ' on http' "$out/$server-r$round-server.log"); load average $(cut -d' ' -f1-3 /proc/loadavg)"
    echo "   sample answer: $(head -n 1 "$bodies" | curl -sf -H 'Content-Type: application/json' --data-binary @- "http://127.0.0.1:$PORT/v1/classify")"
    for endpoint in $ENDPOINTS; do
      for c in $CONNECTIONS; do load "$server" "$round" "$endpoint" "$c" "$pid"; done
    done
    kill "$pid"; wait "$pid" 2>/dev/null || true
  done
done
python3 "$here/summarize.py" "$out" | tee "$out/summary.md"
