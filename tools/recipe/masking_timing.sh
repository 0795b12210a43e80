#!/usr/bin/env bash
# One epoch of the fastText recipe with and without the padding mask, back to back, each holding
# the machine lock (docs/results.md, "Masking vs no masking"): masking_timing.sh OUT_DIR
# Prints each run's epoch line (wall time, loss, accuracy).
set -euo pipefail
out=$1
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
data="$root/../shared/data"
mkdir -p "$out"
run() {  # tag, then train flags
  local tag=$1; shift
  flock /tmp/vlstm-machine.lock "$root/lstm" train --data "$data/imdb/aclImdb_v1.tar.gz" \
    --embeddings "$data/embeddings/imdb-fasttext-100d.vec.gz" --epochs 1 --seed 7 \
    --save "$out/timing-$tag.vlstm" --force "$@" > "$out/timing-$tag.log" 2>&1
  echo "$tag: $(tr '\r' '\n' < "$out/timing-$tag.log" | grep -a '352/352' | grep -av ETA | tail -1 | sed 's/.*\] - //')"
}
run lstm-nomask --mask-zero false
run lstm-mask --mask-zero true
run bilstm --layers bilstm:64
