#!/usr/bin/env bash
# Makes the pictures and traces of docs/how-an-lstm-reads-a-review.md from a model trained by
# the first command (the Keras IMDB program's settings, with a 10 % validation split). Run from
# the repository root; needs ../shared/data (or --data pointing at the IMDB archive) and, for the
# PNG screenshots, Debian's chromium. Takes about 2 minutes on 2 cores.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
out=docs/pictures
model=target/guide/imdb.vlstm
mkdir -p target/guide
[ -f "$model" ] || ./lstm train --data ../shared/data/imdb --num-words 5000 --maxlen 500 --epochs 3 \
    --lr-schedule constant --early-stopping true --save "$model"  # the guide's run (the defaults then)
positive="$(tar -xzOf ../shared/data/imdb/aclImdb_v1.tar.gz aclImdb/test/pos/10205_10.txt)"
mixed="$(tar -xzOf ../shared/data/imdb/aclImdb_v1.tar.gz aclImdb/test/neg/10161_1.txt)"
./lstm summary --model "$model" --trace --text "$positive" > "$out/trace.txt"
./lstm summary --trace > "$out/trace-seed-model.txt"
./lstm explain --model "$model" --text "$positive" --out "$out/explain-positive.html"
./lstm explain --model "$model" --text "$mixed" --out "$out/explain-mixed.html"
./lstm plot --model "$model" --out "$out/curves.svg"
if [ -f docs/data/units-study.csv ]; then
  ./lstm plot --csv docs/data/units-study.csv --x units --y test_accuracy --log-x \
      --title "IMDB test accuracy by LSTM units (3 epochs, seed 7)" --out "$out/units.svg"
fi
if command -v chromium >/dev/null 2>&1; then
  for page in explain-positive explain-mixed; do
    chromium --headless --no-sandbox --disable-gpu --hide-scrollbars --window-size=1040,2150 \
        --screenshot="$out/$page.png" "file://$PWD/$out/$page.html" 2>/dev/null
  done
fi
echo "pictures in $out"
