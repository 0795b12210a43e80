#!/usr/bin/env python3
"""Writes classify request bodies made of IMDB test reviews (a seeded sample of both labels), one
body a line, JSON-escaped UTF-8: {"text": "..."} or, with PER > 1, {"texts": [PER reviews]}.
Usage: extract_reviews.py ARCHIVE OUT [N [PER]]   (N bodies; default 500, PER 1)"""
import json, random, sys, tarfile

archive, out = sys.argv[1], sys.argv[2]
n = int(sys.argv[3]) if len(sys.argv) > 3 else 500
per = int(sys.argv[4]) if len(sys.argv) > 4 else 1
texts = []
with tarfile.open(archive, "r:gz") as tar:
    for m in tar:
        parts = m.name.split("/")
        if m.isfile() and len(parts) == 4 and parts[1] == "test" and parts[2] in ("pos", "neg") and parts[3].endswith(".txt"):
            texts.append(tar.extractfile(m).read().decode("utf-8"))
random.Random(7).shuffle(texts)
with open(out, "w", encoding="utf-8") as f:
    for i in range(n):
        chosen = [texts[(i * per + j) % len(texts)] for j in range(per)]
        body = {"text": chosen[0]} if per == 1 else {"texts": chosen}
        f.write(json.dumps(body, ensure_ascii=False) + "\n")
sizes = sorted(len(t.encode("utf-8")) for t in texts[:n * per])
print(f"{out}: {n} bodies of {per} of {len(texts)} test reviews, review bytes median {sizes[len(sizes) // 2]}, max {sizes[-1]}")
