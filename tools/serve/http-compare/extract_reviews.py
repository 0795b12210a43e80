#!/usr/bin/env python3
"""Writes N IMDB test reviews (seeded sample, both labels) as classify request bodies, one a line:
{"text": "..."} JSON-escaped, UTF-8. Usage: extract_reviews.py ARCHIVE OUT [N]"""
import json, random, sys, tarfile

archive, out = sys.argv[1], sys.argv[2]
n = int(sys.argv[3]) if len(sys.argv) > 3 else 500
texts = []
with tarfile.open(archive, "r:gz") as tar:
    for m in tar:
        parts = m.name.split("/")
        if m.isfile() and len(parts) == 4 and parts[1] == "test" and parts[2] in ("pos", "neg") and parts[3].endswith(".txt"):
            texts.append(tar.extractfile(m).read().decode("utf-8"))
random.Random(7).shuffle(texts)
with open(out, "w", encoding="utf-8") as f:
    for t in texts[:n]:
        f.write(json.dumps({"text": t}, ensure_ascii=False) + "\n")
sizes = sorted(len(t.encode("utf-8")) for t in texts[:n])
print(f"{out}: {n} of {len(texts)} test reviews, bytes median {sizes[n // 2]}, max {sizes[-1]}")
