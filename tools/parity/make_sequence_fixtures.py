#!/usr/bin/python3
"""Write PyTorch parity fixtures for masked, stacked and bidirectional LSTM models,
in KERAS layout (see tools/parity/README.md, "Sequence-model sets").

    bilstm          Embedding(mask_zero) -> Bidirectional(LSTM(H)) concat -> Dense(1, sigmoid)
    stacked_masked  Embedding(mask_zero) -> LSTM(H1, return_sequences) -> LSTM(H2) -> Dense(1, sigmoid)
    bilstm_seq_avg  Embedding(mask_zero) -> Bidirectional(LSTM(H, return_sequences), ave)
                    -> GlobalAveragePooling1D -> Dense(1, sigmoid)
    masked_numeric  Input(None, F) -> Bidirectional(LSTM(H)) concat -> Dense(3, softmax)

Run from the project root with Debian's PyTorch:

    /usr/bin/python3 tools/parity/make_sequence_fixtures.py

Keras' masking means: a masked step carries h and c through unchanged, so a
padded row ends in the state of its real steps alone. The fixture values come
from PyTorch (float32) run on each row's REAL steps only, one row at a time:
no padding ever reaches PyTorch. An independent float64 loop written in Keras
layout runs the PADDED batch with Keras' masking rules (carry h, c; go_backwards
reads reversed; Bidirectional zeroes masked outputs); the script refuses to
write anything unless both agree on every output, the loss and every gradient.
"""
import os
import sys

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from make_fixtures import OUT_DIR, glorot_uniform, orthogonal, write_tensor  # noqa: E402

# name -> config. Rows of ids are given as (leading pads, real tokens, trailing pads);
# an interior 0 (masked too) is written as `mid`: a step index inside the real part set to 0.
SETS = {
    "bilstm": dict(kind="bilstm", V=13, D=5, H=7, seed=11, max_token=12,
                   rows=[(0, 9, 0), (8, 1, 0), (3, 6, 0), (5, 4, 0), (6, 3, 0)],
                   labels=[1, 0, 0, 1, 1]),
    "stacked_masked": dict(kind="stacked", V=13, D=5, H1=7, H2=5, seed=12, max_token=12,
                           rows=[(0, 11, 0), (3, 8, 0), (0, 7, 4), (2, 6, 3), (5, 1, 5), (1, 8, 2)],
                           mid={5: 4},
                           labels=[1, 0, 1, 0, 1, 0]),
    "bilstm_seq_avg": dict(kind="seq_avg", V=13, D=5, H=7, seed=13, max_token=12,
                           rows=[(0, 9, 0), (4, 5, 0), (0, 6, 3), (2, 2, 5)],
                           labels=[0, 1, 1, 0]),
    "masked_numeric": dict(kind="numeric", F=5, H=7, C=3, seed=14,
                           lengths=[9, 4, 6, 1, 8, 3], labels=[2, 0, 1, 2, 1, 0]),
}


# --------------------------------------------------------------------------
# Weights (Keras layout, float32) and inputs
# --------------------------------------------------------------------------
def lstm_weights(rng, d, h):
    """kernel [d, 4h], recurrent_kernel [h, 4h], bias [4h]; scaled up as in make_fixtures.py."""
    return {
        "kernel": glorot_uniform(rng, (d, 4 * h)) * 3.0,
        "recurrent_kernel": orthogonal(rng, (h, 4 * h)) * 2.0,
        "bias": rng.uniform(-0.5, 0.5, size=(4 * h,)) + np.repeat([0.0, 1.0, 0.0, 0.5], h),
    }


def make_inputs(cfg, rng):
    """ids [B, T] with 0 for padding, and the per-row real-token mask [B, T]."""
    rows = cfg["rows"]
    T = sum(rows[0])
    ids = np.zeros((len(rows), T), dtype=np.int64)
    for b, (pre, real, post) in enumerate(rows):
        assert pre + real + post == T
        ids[b, pre:pre + real] = rng.randint(1, cfg["max_token"], size=real)
    for b, t in cfg.get("mid", {}).items():
        assert ids[b, t] != 0 and t not in (0, T - 1)
        ids[b, t] = 0
    return ids


def make_set(cfg):
    """(weights dict in Keras layout, weight order, inputs dict, labels)."""
    rng = np.random.RandomState(cfg["seed"])
    w, order = {}, []

    def add(prefix, d):
        for k, v in d.items():
            w[prefix + k] = v
            order.append(prefix + k)

    kind = cfg["kind"]
    if kind == "numeric":
        F_, H, C = cfg["F"], cfg["H"], cfg["C"]
        add("forward_lstm_", lstm_weights(rng, F_, H))
        add("backward_lstm_", lstm_weights(rng, F_, H))
        add("dense_", {"kernel": rng.uniform(-0.8, 0.8, size=(2 * H, C)),
                       "bias": rng.uniform(-0.5, 0.5, size=(C,))})
        T = max(cfg["lengths"])
        x = np.zeros((len(cfg["lengths"]), T, F_))
        for b, n in enumerate(cfg["lengths"]):
            x[b, :n] = rng.normal(0.0, 1.0, size=(n, F_))
        mask = (np.arange(T)[None, :] < np.array(cfg["lengths"])[:, None])
        inputs = {"x": x.astype(np.float32), "lengths": np.array(cfg["lengths"], dtype=np.int64)}
    else:
        add("", {"embedding": rng.uniform(-1.0, 1.0, size=(cfg["V"], cfg["D"]))})
        D = cfg["D"]
        if kind == "stacked":
            add("lstm_", lstm_weights(rng, D, cfg["H1"]))
            add("lstm_1_", lstm_weights(rng, cfg["H1"], cfg["H2"]))
            top = cfg["H2"]
        else:
            add("forward_lstm_", lstm_weights(rng, D, cfg["H"]))
            add("backward_lstm_", lstm_weights(rng, D, cfg["H"]))
            top = 2 * cfg["H"] if kind == "bilstm" else cfg["H"]
        add("dense_", {"kernel": rng.uniform(-1.5, 1.5, size=(top, 1)),
                       "bias": rng.uniform(-0.5, 0.5, size=(1,))})
        ids = make_inputs(cfg, rng)
        mask = ids != 0
        inputs = {"ids": ids}
    w = {k: v.astype(np.float32) for k, v in w.items()}
    labels = np.array(cfg["labels"], dtype=np.int64)
    return w, order, inputs, mask, labels


# --------------------------------------------------------------------------
# PyTorch, float32, each row's real steps only
# --------------------------------------------------------------------------
def torch_lstm(w, prefix, d, h, bidirectional=False):
    """nn.LSTM with Keras weights (bias_hh frozen at 0); '<prefix>' or forward_/backward_ pairs."""
    lstm = nn.LSTM(d, h, batch_first=True, bidirectional=bidirectional)
    dirs = [("forward_lstm_", ""), ("backward_lstm_", "_reverse")] if bidirectional else [(prefix, "")]
    with torch.no_grad():
        for p, sfx in dirs:
            getattr(lstm, "weight_ih_l0" + sfx).copy_(torch.from_numpy(w[p + "kernel"].T.copy()))
            getattr(lstm, "weight_hh_l0" + sfx).copy_(torch.from_numpy(w[p + "recurrent_kernel"].T.copy()))
            getattr(lstm, "bias_ih_l0" + sfx).copy_(torch.from_numpy(w[p + "bias"]))
            getattr(lstm, "bias_hh_l0" + sfx).zero_()
            getattr(lstm, "bias_hh_l0" + sfx).requires_grad_(False)
    return lstm, dirs


def lstm_grads(lstm, dirs):
    g = lambda name: getattr(lstm, name).grad.numpy().astype(np.float32)
    out = {}
    for p, sfx in dirs:
        out[p + "kernel"] = g("weight_ih_l0" + sfx).T.copy()
        out[p + "recurrent_kernel"] = g("weight_hh_l0" + sfx).T.copy()
        out[p + "bias"] = g("bias_ih_l0" + sfx)
    return out


def torch_reference(cfg, w, inputs, mask, labels):
    """Outputs, loss and Keras-layout gradients, from PyTorch on each row's real steps."""
    kind = cfg["kind"]
    B, T = mask.shape
    emb = None
    if kind != "numeric":
        emb = nn.Embedding(cfg["V"], cfg["D"])
        with torch.no_grad():
            emb.weight.copy_(torch.from_numpy(w["embedding"]))
    if kind == "stacked":
        l1, d1 = torch_lstm(w, "lstm_", cfg["D"], cfg["H1"])
        l2, d2 = torch_lstm(w, "lstm_1_", cfg["H1"], cfg["H2"])
    else:
        d_in = cfg["F"] if kind == "numeric" else cfg["D"]
        l1, d1 = torch_lstm(w, None, d_in, cfg["H"], bidirectional=True)
    fc = nn.Linear(w["dense_kernel"].shape[0], w["dense_kernel"].shape[1])
    with torch.no_grad():
        fc.weight.copy_(torch.from_numpy(w["dense_kernel"].T.copy()))
        fc.bias.copy_(torch.from_numpy(w["dense_bias"]))

    logits, out = [], {}
    seq1 = np.zeros((B, T, cfg["H1"]), np.float32) if kind == "stacked" else None
    merged = np.zeros((B, T, cfg["H"]), np.float32) if kind == "seq_avg" else None
    for b in range(B):
        real = np.nonzero(mask[b])[0]
        if kind == "numeric":
            x = torch.from_numpy(inputs["x"][b, real][None])           # [1, n, F]
        else:
            x = emb(torch.from_numpy(inputs["ids"][b, real][None]))    # [1, n, D]
        if kind == "stacked":
            s1, _ = l1(x)
            _, (hn, _) = l2(s1)
            top = hn[-1]                                                # [1, H2]
            # Keras' return_sequences at a masked step outputs the carried h (0 before the first real step)
            s = s1[0].detach().numpy()
            carried = np.zeros(cfg["H1"], np.float32)
            k = 0
            for t in range(T):
                if mask[b, t]:
                    carried = s[k]
                    k += 1
                seq1[b, t] = carried
        elif kind == "seq_avg":
            s, _ = l1(x)                                                # [1, n, 2H], both in time order
            H = cfg["H"]
            m = (s[..., :H] + s[..., H:]) * 0.5                         # merge_mode="ave"
            merged[b, real] = m[0].detach().numpy()                      # masked steps output 0
            top = m.mean(1)                                             # GlobalAveragePooling1D over real steps
        else:
            _, (hn, _) = l1(x)
            top = torch.cat([hn[0], hn[1]], 1)                          # forward final h | backward final h
        out.setdefault("top", []).append(top.detach().numpy()[0])
        logits.append(fc(top)[0])
    logits = torch.stack(logits)                                        # [B, units]
    if kind == "numeric":
        loss = F.cross_entropy(logits, torch.from_numpy(labels), reduction="mean")
        probs = torch.softmax(logits, 1)
    else:
        logits = logits[:, 0]
        loss = F.binary_cross_entropy_with_logits(logits, torch.from_numpy(labels).float(), reduction="mean")
        probs = torch.sigmoid(logits)
    loss.backward()

    grads = {}
    if emb is not None:
        grads["embedding"] = emb.weight.grad.numpy().astype(np.float32)
    grads.update(lstm_grads(l1, d1))
    if kind == "stacked":
        grads.update(lstm_grads(l2, d2))
    grads["dense_kernel"] = fc.weight.grad.numpy().T.copy()
    grads["dense_bias"] = fc.bias.grad.numpy().copy()

    tensors = {"logits": logits.detach().numpy(), "probs": probs.detach().numpy(),
               "loss": np.array(loss.item(), dtype=np.float32)}
    top = np.stack(out["top"]).astype(np.float32)
    if kind == "stacked":
        tensors["sequence1"] = seq1
        tensors["last_hidden"] = top
    elif kind == "seq_avg":
        tensors["merged_sequence"] = merged
        tensors["pooled"] = top
    else:
        tensors["last_hidden"] = top
    return tensors, grads


# --------------------------------------------------------------------------
# Independent reference: float64 loop in Keras layout over the PADDED batch
# --------------------------------------------------------------------------
def keras_lstm(x, m, W, U, bias, go_backwards=False, zero_masked_output=False):
    """x [B, T, D], m [B, T] bool. Keras semantics: masked steps carry h, c.
    Returns (outputs [B, T, H] in processing order, final h [B, H])."""
    B, T, _ = x.shape
    H = U.shape[0]
    order = range(T - 1, -1, -1) if go_backwards else range(T)
    h = torch.zeros(B, H, dtype=torch.float64)
    c = torch.zeros(B, H, dtype=torch.float64)
    outs = []
    for t in order:
        z = x[:, t] @ W + h @ U + bias
        i = torch.sigmoid(z[:, :H]); f = torch.sigmoid(z[:, H:2 * H])
        g = torch.tanh(z[:, 2 * H:3 * H]); o = torch.sigmoid(z[:, 3 * H:])
        c_new = f * c + i * g
        h_new = o * torch.tanh(c_new)
        keep = torch.from_numpy(m[:, t])[:, None]
        c = torch.where(keep, c_new, c)
        h = torch.where(keep, h_new, h)
        outs.append(torch.where(keep, h, torch.zeros_like(h)) if zero_masked_output else h)
    return torch.stack(outs, 1), h


def keras_reference(cfg, w, inputs, mask, labels):
    kind = cfg["kind"]
    p = {k: torch.tensor(v, dtype=torch.float64, requires_grad=True) for k, v in w.items()}
    L = lambda pre: (p[pre + "kernel"], p[pre + "recurrent_kernel"], p[pre + "bias"])
    if kind == "numeric":
        x = torch.tensor(inputs["x"], dtype=torch.float64)
    else:
        x = p["embedding"][torch.from_numpy(inputs["ids"])]
    res = {}
    if kind == "stacked":
        s1, _ = keras_lstm(x, mask, *L("lstm_"))
        _, top = keras_lstm(s1, mask, *L("lstm_1_"))
        res["sequence1"], res["last_hidden"] = s1, top
    elif kind == "seq_avg":
        sf, _ = keras_lstm(x, mask, *L("forward_lstm_"), zero_masked_output=True)
        sb, _ = keras_lstm(x, mask, *L("backward_lstm_"), go_backwards=True, zero_masked_output=True)
        merged = (sf + sb.flip(1)) * 0.5
        mt = torch.from_numpy(mask).to(torch.float64)
        top = merged.sum(1) / mt.sum(1, keepdim=True)
        res["merged_sequence"], res["pooled"] = merged, top
    else:
        _, hf = keras_lstm(x, mask, *L("forward_lstm_"))
        _, hb = keras_lstm(x, mask, *L("backward_lstm_"), go_backwards=True)
        top = torch.cat([hf, hb], 1)
        res["last_hidden"] = top
    logits = top @ p["dense_kernel"] + p["dense_bias"]
    if kind == "numeric":
        y = torch.from_numpy(labels)
        loss = (torch.logsumexp(logits, 1) - logits.gather(1, y[:, None])[:, 0]).mean()
        res["probs"] = torch.softmax(logits, 1)
    else:
        logits = logits[:, 0]
        y = torch.from_numpy(labels).to(torch.float64)
        loss = (torch.clamp(logits, min=0) - logits * y + torch.log1p(torch.exp(-logits.abs()))).mean()
        res["probs"] = torch.sigmoid(logits)
    res["logits"] = logits
    loss.backward()
    res = {k: v.detach().numpy() for k, v in res.items()}
    res["loss"] = loss.item()
    return res, {k: v.grad.numpy() for k, v in p.items()}


# --------------------------------------------------------------------------
def build_set(name, cfg):
    w, order, inputs, mask, labels = make_set(cfg)
    tensors, grads = torch_reference(cfg, w, inputs, mask, labels)
    ref, ref_grads = keras_reference(cfg, w, inputs, mask, labels)

    for k, v in tensors.items():
        d = np.abs(np.asarray(v, np.float64) - ref[k]).max()
        print("[%s] %-16s %-12s torch32(unpadded) vs keras64(padded, masked): max diff %.2g"
              % (name, k, "x".join(map(str, np.shape(v))) or "-", d))
        assert d < (1e-6 if k == "loss" else 1e-5), (name, k, d)
    for k in order:
        assert grads[k].shape == w[k].shape, k
        scale = max(np.abs(ref_grads[k]).max(), 1e-30)
        rel = np.abs(grads[k] - ref_grads[k]).max() / scale
        print("[%s]   grad %-30s max|g|=%.3g  max abs err/max|g| = %.2g" % (name, k, scale, rel))
        assert rel < 1e-4, ("gradient mismatch", name, k, rel)
    if "embedding" in grads:
        assert np.all(grads["embedding"][0] == 0), "padding row 0 must get no gradient"
    print("[%s] loss=%.6f  probs=%s" % (name, tensors["loss"], np.array2string(tensors["probs"], precision=4)))

    d = os.path.join(OUT_DIR, name)
    os.makedirs(d, exist_ok=True)
    for f in os.listdir(d):
        if f.endswith(".txt"):
            os.remove(os.path.join(d, f))
    out = dict(inputs)
    out["labels"] = labels
    out.update({k: w[k] for k in order})
    out.update(tensors)
    out.update({"grad_" + k: grads[k] for k in order})
    for k, v in out.items():
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
    print("total fixture size: %d bytes" % total)
    assert total < 1_000_000, "fixtures too large"


if __name__ == "__main__":
    sys.exit(main())
