#!/usr/bin/env bash
# One fastText training + eval as in docs/results.md: run_recipe.sh OUT_DIR TAG BITS SEED [train flags...]
# Trains on the shared IMDB archive with the shared 100-d fastText vectors (fine-tuned, 5 epochs),
# evaluates on the 25,000 test reviews, writes OUT_DIR/TAG.train.log and OUT_DIR/TAG.eval (the
# eval output plus the train and eval seconds). BITS forces the vector width (256 or 512).
set -euo pipefail
out=$1 tag=$2 bits=$3 seed=$4; shift 4
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
data="$root/../shared/data"
mkdir -p "$out"
start=$(date +%s)
VLSTM_JAVA_OPTS="-Dvectorlstm.bits=$bits" "$root/lstm" train --data "$data/imdb/aclImdb_v1.tar.gz" \
  --embeddings "$data/embeddings/imdb-fasttext-100d.vec.gz" --embeddings-trainable true --epochs 5 \
  --seed "$seed" --save "$out/$tag.vlstm" --force "$@" > "$out/$tag.train.log" 2>&1
mid=$(date +%s)
VLSTM_JAVA_OPTS="-Dvectorlstm.bits=$bits" "$root/lstm" eval --model "$out/$tag.vlstm" --data "$data/imdb/aclImdb_v1.tar.gz" > "$out/$tag.eval" 2>&1
end=$(date +%s)
echo "train_s=$((mid - start)) eval_s=$((end - mid)) args=$*" >> "$out/$tag.eval"
grep '^accuracy' "$out/$tag.eval"
