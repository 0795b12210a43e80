#!/usr/bin/env python3
"""Reads a vector-lstm model file (format 2) with numpy alone and prints what it holds.

The file is a safetensors file: 8 bytes of little-endian header length, a JSON header, then the
tensors. `safetensors.numpy.load_file(path)` reads it too (drop the "__padding_N__" entries).

    python3 tools/model_file/read_vlstm.py model.vlstm            # summary
    python3 tools/model_file/read_vlstm.py model.vlstm out.npz     # also every weight as .npz
"""
import json
import struct
import sys
import zlib

import numpy as np


def read(path):
    with open(path, "rb") as f:
        data = f.read()
    if len(data) < 8:
        raise ValueError(f"{path}: {len(data)} bytes, shorter than the header's length field")
    (n,) = struct.unpack("<Q", data[:8])
    if n > len(data) - 8:
        raise ValueError(f"{path}: the header claims {n} bytes, the file has {len(data) - 8} after its length field: cut short or damaged")
    header = json.loads(data[8:8 + n].decode("utf-8"), object_pairs_hook=no_repeated_keys)
    if not isinstance(header, dict) or not isinstance(header.get("__metadata__"), dict):
        raise ValueError(f"{path}: the header is no safetensors header (no __metadata__ object)")
    meta = header.pop("__metadata__")
    if meta.get("format") != "vector-lstm":
        raise ValueError(f"{path}: not a vector-lstm model file")
    description = json.loads(meta["vlstm.model"])
    body = data[8 + n:]
    # The tensor table lies outside the checksum, the description inside: the table must name the
    # description's weights, in its order, with its shapes, each right after the one before.
    expected = [(w["name"], list(w["shape"])) for w in description.get("weights", [])]
    weights, at = {}, 0
    for name, t in header.items():
        begin, end = t["data_offsets"]
        if begin != at or end < begin or end > len(body):
            raise ValueError(f"{path}: tensor {name!r} at {begin}-{end} does not follow the one before (at {at}): damaged header")
        at = end
        if name.startswith("__padding_"):
            if t.get("dtype") != "U8" or t.get("shape") != [end - begin] or end - begin >= 64:
                raise ValueError(f"{path}: padding entry {name!r} is not the U8 filler the writer puts there: damaged header")
            continue
        if t.get("dtype") != "F32":
            raise ValueError(f"{path}: tensor {name!r} is {t.get('dtype')}, not F32")
        weights[name] = np.frombuffer(body[begin:end], dtype="<f4").reshape(t["shape"])
    if at != len(body):
        raise ValueError(f"{path}: {len(body) - at} bytes after the last tensor")
    found = [(name, list(w.shape)) for name, w in weights.items()]
    if found != expected:
        raise ValueError(f"{path}: the tensor table {found} differs from the model's weights {expected}: damaged header")
    return meta, description, weights, body


def no_repeated_keys(pairs):
    # json's dict keeps the last of two entries of one name; Java refuses such a header (which tensor is meant?).
    keys = [k for k, _ in pairs]
    repeated = sorted({k for k in keys if keys.count(k) > 1})
    if repeated:
        raise ValueError(f"the header names {repeated} more than once: damaged or forged")
    return dict(pairs)


def crc32c(chunks):
    # CRC-32C (Castagnoli), bitwise: slow but dependency-free; fine for a check of small models.
    table = []
    for i in range(256):
        c = i
        for _ in range(8):
            c = (c >> 1) ^ 0x82F63B78 if c & 1 else c >> 1
        table.append(c)
    crc = 0xFFFFFFFF
    for chunk in chunks:
        for b in chunk:
            crc = table[(crc ^ b) & 0xFF] ^ (crc >> 8)
    return crc ^ 0xFFFFFFFF


def main():
    try:
        meta, description, weights, body = read(sys.argv[1])
    except (ValueError, KeyError, TypeError, struct.error, UnicodeDecodeError, OSError) as e:
        # json.JSONDecodeError is a ValueError; a numpy reshape of a forged shape raises ValueError too.
        sys.exit(f"read_vlstm: {sys.argv[1]}: {e}")
    print("layers:", [layer["type"] + "(" + layer["name"] + ")" for layer in description["layers"]])
    print("labels:", description.get("labels", "class ids (not in the file)"), "maxlen:", description["maxlen"],
          "preprocessing:", description["preprocessing"])
    for name, w in weights.items():
        print(f"{name:40s} {str(w.shape):16s} mean {w.mean():+.6f}")
    if len(body) < (16 << 20):
        if f"{crc32c([meta['vlstm.model'].encode('utf-8'), body]):08x}" != meta["vlstm.crc32c"]:
            # As Java refuses it: printed "MISMATCH", exit 0 and an .npz of the damaged weights looked like a read.
            sys.exit(f"read_vlstm: {sys.argv[1]}: checksum MISMATCH: the file is damaged (nothing written)")
        print("checksum: ok")
    else:
        print(f"checksum: not checked ({len(body) >> 20} MB; this pure-Python CRC-32C is for small files: "
              "`./lstm summary --model FILE` checks any size)")
    if len(sys.argv) > 2:
        np.savez(sys.argv[2], **{k.replace("/", "__"): v for k, v in weights.items()})
        print("wrote", sys.argv[2])


if __name__ == "__main__":
    main()
