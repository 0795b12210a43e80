#!/usr/bin/python3
"""Write PyTorch parity fixtures for a GRU model, in KERAS layout.

    Embedding(V, D) -> GRU(H) (last hidden state, no masking) -> Dense(1)
    -> sigmoid;  loss = mean binary cross-entropy (computed from logits);
    and, masked: Embedding(V, D, mask_zero) -> Bidirectional(GRU(H)) concat -> Dense(1) -> sigmoid.

Run from the project root with Debian's PyTorch:

    /usr/bin/python3 tools/parity/make_gru_fixtures.py

Output: src/test/resources/parity/<set>/<name>.txt, in make_fixtures.py's file
format (whose helpers this script reuses). See tools/parity/README.md, section
"GRU sets", for the sets and the PyTorch <-> Keras mapping.

Keras' GRU (keras/src/layers/rnn/gru.py, GRUCell.call), gate order z, r, h:
    z = sigmoid(x W_z + b_z + h U_z + rb_z);  r = sigmoid(x W_r + b_r + h U_r + rb_r)
    reset_after:  hh = tanh(x W_h + b_h + r * (h U_h + rb_h))
    reset_before: hh = tanh(x W_h + b_h + (r * h) U_h)     (no recurrent bias)
    h' = z * h + (1 - z) * hh
torch.nn.GRU is the reset_after form with gates in the order r, z, n:
    weight_ih = [W_r; W_z; W_h]^T, bias_ih = input bias, bias_hh = recurrent bias.
reset_after sets come from a float32 nn.GRU forward/backward (bidirectional=True
for Bidirectional, run on each row's real steps only: a masked step carries h, so
it is as if it were not there); torch has no reset_before GRU, so reset_before
sets come from torch autograd of the float32 Keras-layout loop below (on the
padded batch, with Keras' masking). Every set is checked against the same loop
in float64.
"""
import os
import sys

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

sys.dont_write_bytecode = True  # no __pycache__ beside the scripts
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from make_fixtures import OUT_DIR, glorot_uniform, orthogonal, write_tensor  # noqa: E402

GRU_WEIGHTS = ["kernel", "recurrent_kernel", "bias"]
WEIGHT_NAMES = ["embedding"] + ["gru_" + k for k in GRU_WEIGHTS] + ["dense_kernel", "dense_bias"]
BI_WEIGHT_NAMES = (["embedding"] + ["forward_gru_" + k for k in GRU_WEIGHTS]
                   + ["backward_gru_" + k for k in GRU_WEIGHTS] + ["dense_kernel", "dense_bias"])

# V, D, H, T, B; pad = leading padding zeros per row (0 = none, T-1 = all but one token).
# H = 7 is shorter than a vector at 256 and 512 bits; H = 37 = 2*16 + 5 leaves a tail at every width.
SETS = {
    "gru_tiny": dict(V=11, D=5, H=7, T=9, B=4, seed=16, max_token=10, reset_after=True,
                     pad=[0, 8, 3, 5], labels=[1, 0, 0, 1]),
    "gru_medium": dict(V=30, D=16, H=37, T=20, B=3, seed=17, max_token=27, reset_after=True,
                       pad=[0, 19, 6], labels=[1, 0, 1]),
    "gru_before_tiny": dict(V=11, D=5, H=7, T=9, B=4, seed=18, max_token=10, reset_after=False,
                            pad=[0, 8, 3, 5], labels=[0, 1, 1, 0]),
    "gru_before_medium": dict(V=30, D=16, H=37, T=20, B=3, seed=19, max_token=27, reset_after=False,
                              pad=[0, 19, 6], labels=[0, 1, 1]),
    # rows = (leading pads, real tokens, trailing pads); mid_zero = (row, step) of one more masked step
    "bigru_masked": dict(V=13, D=5, H=7, T=9, B=5, seed=20, max_token=12, reset_after=True,
                         bidirectional=True, rows=[(0, 9, 0), (8, 1, 0), (3, 6, 0), (0, 5, 4), (2, 4, 3)],
                         mid_zero=(2, 5), labels=[1, 0, 0, 1, 1]),
    "bigru_before_masked": dict(V=13, D=5, H=7, T=9, B=5, seed=21, max_token=12, reset_after=False,
                                bidirectional=True, rows=[(0, 9, 0), (8, 1, 0), (3, 6, 0), (0, 5, 4), (2, 4, 3)],
                                mid_zero=(2, 5), labels=[0, 1, 1, 0, 1]),
}


def gru_weights(rng, D, H, reset_after):
    """kernel [D, 3H], recurrent_kernel [H, 3H], bias [2, 3H] or [3H]: larger than Keras' defaults
    so errors show, with a different offset per gate (catches a swap of z and r)."""
    bias_shape = (2, 3 * H) if reset_after else (3 * H,)
    return {"kernel": glorot_uniform(rng, (D, 3 * H)) * 3.0,
            "recurrent_kernel": orthogonal(rng, (H, 3 * H)) * 2.0,
            "bias": rng.uniform(-0.5, 0.5, size=bias_shape) + np.repeat([0.5, -0.3, 0.0], H)}


def make_keras_weights(cfg):
    """All weights in KERAS layout (float32), ids [B, T] and labels [B]."""
    rng = np.random.RandomState(cfg["seed"])
    V, D, H = cfg["V"], cfg["D"], cfg["H"]
    w = {"embedding": rng.uniform(-1.0, 1.0, size=(V, D))}
    prefixes = ["forward_gru_", "backward_gru_"] if cfg.get("bidirectional") else ["gru_"]
    for prefix in prefixes:
        for k, v in gru_weights(rng, D, H, cfg["reset_after"]).items():
            w[prefix + k] = v
    n_in = H * len(prefixes)
    w["dense_kernel"] = rng.uniform(-1.0, 1.0, size=(n_in, 1))
    w["dense_bias"] = rng.uniform(-0.5, 0.5, size=(1,))
    w = {k: v.astype(np.float32) for k, v in w.items()}
    T, B = cfg["T"], cfg["B"]
    ids = np.zeros((B, T), dtype=np.int64)
    if "rows" in cfg:
        for b, (pre, real, post) in enumerate(cfg["rows"]):
            assert pre + real + post == T and real >= 1
            ids[b, pre:pre + real] = rng.randint(1, cfg["max_token"], size=real)
        row, step = cfg["mid_zero"]
        ids[row, step] = 0
    else:
        for b, p in enumerate(cfg["pad"]):
            ids[b, p:] = rng.randint(1, cfg["max_token"], size=T - p)
    labels = np.array(cfg["labels"], dtype=np.int64)
    return w, ids, labels


def keras_to_torch_gates(a, H):
    """Columns z | r | h (Keras) -> r | z | n (torch), along the last axis."""
    return np.concatenate([a[..., H:2 * H], a[..., 0:H], a[..., 2 * H:3 * H]], axis=-1)


def torch_to_keras_gates(a, H):
    """Columns r | z | n (torch) -> z | r | h (Keras), along the last axis."""
    return np.concatenate([a[..., H:2 * H], a[..., 0:H], a[..., 2 * H:3 * H]], axis=-1)


def load_gru(gru, w, prefix, suffix, H):
    """Keras weights '<prefix>kernel' ... into torch's '..._l0<suffix>' tensors."""
    with torch.no_grad():
        getattr(gru, "weight_ih_l0" + suffix).copy_(torch.from_numpy(keras_to_torch_gates(w[prefix + "kernel"], H).T.copy()))
        getattr(gru, "weight_hh_l0" + suffix).copy_(torch.from_numpy(keras_to_torch_gates(w[prefix + "recurrent_kernel"], H).T.copy()))
        getattr(gru, "bias_ih_l0" + suffix).copy_(torch.from_numpy(keras_to_torch_gates(w[prefix + "bias"][0], H)))
        getattr(gru, "bias_hh_l0" + suffix).copy_(torch.from_numpy(keras_to_torch_gates(w[prefix + "bias"][1], H)))


def gru_grads(gru, prefix, suffix, H):
    """torch's gradients of '..._l0<suffix>' in Keras layout, as '<prefix>kernel' ..."""
    g = lambda name: getattr(gru, name + suffix).grad.detach().numpy().astype(np.float32)
    return {
        prefix + "kernel": torch_to_keras_gates(g("weight_ih_l0").T, H).copy(),
        prefix + "recurrent_kernel": torch_to_keras_gates(g("weight_hh_l0").T, H).copy(),
        prefix + "bias": np.stack([torch_to_keras_gates(g("bias_ih_l0"), H), torch_to_keras_gates(g("bias_hh_l0"), H)]),
    }


class GruModel(nn.Module):
    """Embedding -> GRU (or bidirectional GRU, concat) -> Linear; reset_after only (torch's form)."""

    def __init__(self, V, D, H, bidirectional):
        super().__init__()
        self.H, self.bidirectional = H, bidirectional
        self.embedding = nn.Embedding(V, D)
        self.gru = nn.GRU(D, H, batch_first=True, bidirectional=bidirectional)   # gates r, z, n
        self.fc = nn.Linear(2 * H if bidirectional else H, 1)

    def directions(self):
        return [("forward_gru_", ""), ("backward_gru_", "_reverse")] if self.bidirectional else [("gru_", "")]

    def load_keras(self, w):
        self.embedding.weight.data.copy_(torch.from_numpy(w["embedding"]))
        for prefix, suffix in self.directions():
            load_gru(self.gru, w, prefix, suffix, self.H)
        self.fc.weight.data.copy_(torch.from_numpy(w["dense_kernel"].T.copy()))
        self.fc.bias.data.copy_(torch.from_numpy(w["dense_bias"]))

    def forward(self, ids):
        """Unmasked: the whole batch. Bidirectional (masked): each row on its real (non-zero) tokens
        only, one row at a time; h = [forward final h | backward final h]."""
        if not self.bidirectional:
            _, h_n = self.gru(self.embedding(ids))
            h = h_n[-1]
        else:
            rows = []
            for row in ids:
                _, h_n = self.gru(self.embedding(row[row != 0].unsqueeze(0)))
                rows.append(torch.cat([h_n[0], h_n[1]], -1))
            h = torch.cat(rows, 0)
        return self.fc(h).squeeze(-1), h

    def keras_grads(self):
        grads = {"embedding": self.embedding.weight.grad.detach().numpy().astype(np.float32),
                 "dense_kernel": self.fc.weight.grad.detach().numpy().astype(np.float32).T.copy(),
                 "dense_bias": self.fc.bias.grad.detach().numpy().astype(np.float32)}
        for prefix, suffix in self.directions():
            grads.update(gru_grads(self.gru, prefix, suffix, self.H))
        return grads


def gru_run(x, mask, W, U, bias, reset_after, go_backwards=False):
    """Keras' GRU over x [B, T, D] in Keras layout; mask [B, T] bool or None (a masked step
    carries h); go_backwards reads the steps (and the mask) from last to first. Returns h [B, H]."""
    H = U.shape[0]
    B, T, _ = x.shape
    b_in, b_rec = (bias[0], bias[1]) if reset_after else (bias, None)
    h = torch.zeros(B, H, dtype=x.dtype)
    for t in (range(T - 1, -1, -1) if go_backwards else range(T)):
        xp = x[:, t] @ W + b_in                            # [B, 3H], z | r | h
        if reset_after:
            rec = h @ U + b_rec
            z = torch.sigmoid(xp[:, :H] + rec[:, :H])
            r = torch.sigmoid(xp[:, H:2 * H] + rec[:, H:2 * H])
            hh = torch.tanh(xp[:, 2 * H:] + r * rec[:, 2 * H:])
        else:
            rec = h @ U[:, :2 * H]
            z = torch.sigmoid(xp[:, :H] + rec[:, :H])
            r = torch.sigmoid(xp[:, H:2 * H] + rec[:, H:2 * H])
            hh = torch.tanh(xp[:, 2 * H:] + (r * h) @ U[:, 2 * H:])
        h_new = z * h + (1 - z) * hh
        h = h_new if mask is None else torch.where(mask[:, t:t + 1], h_new, h)
    return h


def keras_loop(w, ids, labels, reset_after, dtype, bidirectional=False):
    """The model in Keras layout and semantics; returns logits, last hidden, loss, grads (autograd)."""
    p = {k: torch.tensor(v, dtype=dtype, requires_grad=True) for k, v in w.items()}
    ids_t = torch.from_numpy(ids)
    x = p["embedding"][ids_t]                              # [B, T, D]
    if bidirectional:                                      # Embedding(mask_zero): id 0 is masked
        mask = ids_t != 0
        run = lambda prefix, back: gru_run(x, mask, p[prefix + "kernel"], p[prefix + "recurrent_kernel"],
                                           p[prefix + "bias"], reset_after, back)
        h = torch.cat([run("forward_gru_", False), run("backward_gru_", True)], 1)
    else:
        h = gru_run(x, None, p["gru_kernel"], p["gru_recurrent_kernel"], p["gru_bias"], reset_after)
    logits = (h @ p["dense_kernel"]).squeeze(-1) + p["dense_bias"]
    y = torch.from_numpy(labels).to(dtype)
    loss = F.binary_cross_entropy_with_logits(logits, y, reduction="mean")
    loss.backward()
    grads = {k: v.grad.numpy() for k, v in p.items()}
    return logits.detach().numpy(), h.detach().numpy(), loss.detach().numpy(), grads


def build_set(name, cfg):
    V, D, H = cfg["V"], cfg["D"], cfg["H"]
    bidirectional = cfg.get("bidirectional", False)
    names = BI_WEIGHT_NAMES if bidirectional else WEIGHT_NAMES
    w, ids, labels = make_keras_weights(cfg)
    assert sorted(w) == sorted(names)
    if cfg["reset_after"]:
        model = GruModel(V, D, H, bidirectional).float()
        model.load_keras(w)
        logits, h_last = model(torch.from_numpy(ids))
        loss = F.binary_cross_entropy_with_logits(logits, torch.from_numpy(labels).float(), reduction="mean")
        model.zero_grad()
        loss.backward()
        grads = model.keras_grads()
        logits, h_last, loss = logits.detach().numpy(), h_last.detach().numpy(), loss.detach().numpy()
        source = "nn.GRU float32"
    else:
        logits, h_last, loss, grads = keras_loop(w, ids, labels, False, torch.float32, bidirectional)
        source = "Keras-layout loop float32"

    # ---- proof of the mapping: the float64 Keras-layout loop ----
    r_logits, r_h, r_loss, r_grads = keras_loop(w, ids, labels, cfg["reset_after"], torch.float64, bidirectional)
    dh = np.abs(h_last - r_h).max()
    dl = np.abs(logits - r_logits).max()
    dloss = abs(float(loss) - float(r_loss))
    print("[%s] %s vs float64 loop: max |h_T diff| %.3g, logits %.3g, loss %.3g" % (name, source, dh, dl, dloss))
    assert dh < 1e-5 and dl < 1e-5 and dloss < 1e-6, "forward mismatch"
    for k in names:
        assert grads[k].shape == w[k].shape, (k, grads[k].shape, w[k].shape)
        scale = max(np.abs(r_grads[k]).max(), 1e-30)
        rel = np.abs(grads[k] - r_grads[k]).max() / scale
        print("[%s]   grad %-31s max|g|=%.3g  max abs err/max|g| = %.2g" % (name, k, scale, rel))
        assert rel < 1e-4, ("gradient mapping mismatch", k, rel)
    print("[%s] |h_T| mean %.3f max %.3f; logits %s; loss %.6f"
          % (name, np.abs(h_last).mean(), np.abs(h_last).max(), np.array2string(logits, precision=4), float(loss)))

    d = os.path.join(OUT_DIR, name)
    os.makedirs(d, exist_ok=True)
    for f in os.listdir(d):
        if f.endswith(".txt"):
            os.remove(os.path.join(d, f))
    tensors = {"ids": ids, "labels": labels}
    tensors.update(w)
    tensors["logits"] = logits
    tensors["probs"] = 1 / (1 + np.exp(-logits.astype(np.float64)))
    tensors["last_hidden"] = h_last
    tensors["loss"] = np.array(float(loss), dtype=np.float32)
    for k in names:
        tensors["grad_" + k] = grads[k]
    for k, v in tensors.items():
        write_tensor(os.path.join(d, k + ".txt"), v)
    return d


def main():
    torch.manual_seed(0)
    torch.set_num_threads(1)
    torch.use_deterministic_algorithms(True)
    print("torch", torch.__version__, "numpy", np.__version__)
    total = 0
    for name, cfg in SETS.items():
        d = build_set(name, cfg)
        total += sum(os.path.getsize(os.path.join(d, f)) for f in os.listdir(d))
    print("total GRU fixture size: %d bytes" % total)
    assert total < 1_000_000, "fixtures too large"


if __name__ == "__main__":
    sys.exit(main())
