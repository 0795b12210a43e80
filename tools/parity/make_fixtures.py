#!/usr/bin/python3
"""Write PyTorch parity fixtures for the seed architecture, in KERAS layout.

    Embedding(V, D) -> LSTM(H) (last hidden state, no masking) -> Dense(1)
    -> sigmoid;  loss = mean binary cross-entropy (computed from logits).

Run from the project root with Debian's PyTorch:

    /usr/bin/python3 tools/parity/make_fixtures.py

Output: src/test/resources/parity/<set>/<name>.txt (see tools/parity/README.md
for the file format and the exact PyTorch <-> Keras mapping).

The PyTorch model is built exactly like ../shared/anchors/seed_model.py
(nn.Embedding + nn.LSTM(batch_first) + nn.Linear, bias_hh zeroed and frozen so
that Keras' single LSTM bias == PyTorch bias_ih), but with larger, deterministic
(numpy RandomState) weights so that errors are not hidden by tiny activations.

Before anything is written the script proves the layout mapping: a plain
float64 torch loop written directly in Keras layout (gates i, f, c, o;
z = x@W + h@U + b; c = f*c + i*g; h = o*tanh(c)) must reproduce nn.LSTM's
float32 hidden states to 1e-6, and its autograd gradients must match the
float32 PyTorch gradients after the layout transform.
"""
import math
import os
import sys

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
OUT_DIR = os.path.join(ROOT, "src", "test", "resources", "parity")

# Keras Adam defaults (tf.keras, "epsilon hat" form).
ADAM_LR = 1e-3
ADAM_B1 = 0.9
ADAM_B2 = 0.999
ADAM_EPS = 1e-7

WEIGHT_NAMES = ["embedding", "lstm_kernel", "lstm_recurrent_kernel",
                "lstm_bias", "dense_kernel", "dense_bias"]

# name -> (V, D, H, T, B, seed, scales, ids-layout)
#   pad: number of leading padding zeros per row (row with 0 = no padding,
#   row with T-1 = all padding except 1 token).
SEED_TINY = 6
SEED_SEEDSHAPE = 3
SETS = {
    "tiny": dict(V=11, D=5, H=7, T=9, B=4, seed=SEED_TINY, max_token=10,
                 w_scale=3.0, u_scale=2.0, dense_lim=1.5,
                 pad=[0, 8, 3, 5], labels=[1, 0, 0, 1]),
    "seedshape": dict(V=50, D=32, H=100, T=40, B=3, seed=SEED_SEEDSHAPE, max_token=50,
                      w_scale=3.0, u_scale=2.0, dense_lim=0.5,
                      pad=[0, 39, 17], labels=[1, 0, 1]),
}


# --------------------------------------------------------------------------
# Keras-like initialisers (numpy, float64, then cast to float32)
# --------------------------------------------------------------------------
def glorot_uniform(rng, shape):
    lim = math.sqrt(6.0 / (shape[0] + shape[1]))
    return rng.uniform(-lim, lim, size=shape)


def orthogonal(rng, shape):
    """Keras Orthogonal initializer for a 2-D shape (rows, cols)."""
    rows, cols = shape
    a = rng.normal(0.0, 1.0, size=(max(rows, cols), min(rows, cols)))
    q, r = np.linalg.qr(a)
    q *= np.sign(np.diag(r))
    if rows < cols:
        q = q.T
    return q[:rows, :cols]


def make_keras_weights(cfg):
    """All weights in KERAS layout, float32 numpy."""
    rng = np.random.RandomState(cfg["seed"])
    V, D, H = cfg["V"], cfg["D"], cfg["H"]
    w = {
        "embedding": rng.uniform(-1.0, 1.0, size=(V, D)),
        "lstm_kernel": glorot_uniform(rng, (D, 4 * H)) * cfg["w_scale"],
        "lstm_recurrent_kernel": orthogonal(rng, (H, 4 * H)) * cfg["u_scale"],
        # random bias, plus Keras' unit_forget_bias (+1 on f) and +0.5 on o:
        # gives larger |h| and different per-gate offsets (catches gate swaps)
        "lstm_bias": rng.uniform(-0.5, 0.5, size=(4 * H,))
                     + np.repeat([0.0, 1.0, 0.0, 0.5], H),
        "dense_kernel": rng.uniform(-cfg["dense_lim"], cfg["dense_lim"], size=(H, 1)),
        "dense_bias": rng.uniform(-0.5, 0.5, size=(1,)),
    }
    w = {k: v.astype(np.float32) for k, v in w.items()}

    T, B = cfg["T"], cfg["B"]
    ids = np.zeros((B, T), dtype=np.int64)
    for b, p in enumerate(cfg["pad"]):
        assert 0 <= p < T
        # real tokens in [1, max_token); tokens >= max_token never occur, so
        # their embedding rows get a zero gradient (and no Adam update)
        ids[b, p:] = rng.randint(1, cfg["max_token"], size=T - p)
    labels = np.array(cfg["labels"], dtype=np.int64)
    assert labels.shape == (B,) and set(labels.tolist()) <= {0, 1}
    return w, ids, labels


# --------------------------------------------------------------------------
# PyTorch model (same structure/mapping as ../shared/anchors/seed_model.py)
# --------------------------------------------------------------------------
class SeedModel(nn.Module):
    def __init__(self, V, D, H):
        super().__init__()
        self.embedding = nn.Embedding(V, D)          # dense gradient (sparse=False)
        self.lstm = nn.LSTM(D, H, batch_first=True)  # gates i, f, g, o
        self.fc = nn.Linear(H, 1)

    def load_keras(self, w):
        """Keras layout -> PyTorch layout."""
        with torch.no_grad():
            self.embedding.weight.copy_(torch.from_numpy(w["embedding"]))
            self.lstm.weight_ih_l0.copy_(torch.from_numpy(w["lstm_kernel"].T.copy()))
            self.lstm.weight_hh_l0.copy_(
                torch.from_numpy(w["lstm_recurrent_kernel"].T.copy()))
            self.lstm.bias_ih_l0.copy_(torch.from_numpy(w["lstm_bias"]))
            self.lstm.bias_hh_l0.zero_()
            self.fc.weight.copy_(torch.from_numpy(w["dense_kernel"].T.copy()))
            self.fc.bias.copy_(torch.from_numpy(w["dense_bias"]))
        # Keras has a single bias: PyTorch's second one stays frozen at zero.
        self.lstm.bias_hh_l0.requires_grad_(False)

    def forward(self, ids):
        e = self.embedding(ids)
        _, (h_n, _) = self.lstm(e)
        h = h_n[-1]                                  # last hidden state [B, H]
        logits = self.fc(h).squeeze(-1)              # [B]
        return logits, h

    def keras_grads(self):
        """PyTorch gradients -> Keras layout, float32 numpy."""
        g = lambda p: p.grad.detach().numpy().astype(np.float32)
        return {
            "embedding": g(self.embedding.weight),
            "lstm_kernel": g(self.lstm.weight_ih_l0).T.copy(),
            "lstm_recurrent_kernel": g(self.lstm.weight_hh_l0).T.copy(),
            "lstm_bias": g(self.lstm.bias_ih_l0),    # bias_hh is frozen at 0
            "dense_kernel": g(self.fc.weight).T.copy(),
            "dense_bias": g(self.fc.bias),
        }


# --------------------------------------------------------------------------
# Independent reference: plain float64 loop written in KERAS layout
# --------------------------------------------------------------------------
def keras_reference(w, ids, labels):
    """Returns (logits, last_hidden, all_hidden [B,T,H], loss, grads) in float64."""
    p = {k: torch.tensor(v, dtype=torch.float64, requires_grad=True) for k, v in w.items()}
    E, W, U, b = p["embedding"], p["lstm_kernel"], p["lstm_recurrent_kernel"], p["lstm_bias"]
    H = U.shape[0]
    ids_t = torch.from_numpy(ids)
    B, T = ids.shape
    h = torch.zeros(B, H, dtype=torch.float64)
    c = torch.zeros(B, H, dtype=torch.float64)
    hs = []
    for t in range(T):
        x = E[ids_t[:, t]]                           # [B, D]
        z = x @ W + h @ U + b                        # [B, 4H], Keras gate order i, f, c, o
        i = torch.sigmoid(z[:, 0 * H:1 * H])
        f = torch.sigmoid(z[:, 1 * H:2 * H])
        g = torch.tanh(z[:, 2 * H:3 * H])
        o = torch.sigmoid(z[:, 3 * H:4 * H])
        c = f * c + i * g
        h = o * torch.tanh(c)
        hs.append(h)
    logits = (h @ p["dense_kernel"]).squeeze(-1) + p["dense_bias"]
    y = torch.from_numpy(labels).to(torch.float64)
    # stable BCE from logits: max(z,0) - z*y + log(1 + exp(-|z|)), mean over batch
    loss = (torch.clamp(logits, min=0) - logits * y
            + torch.log1p(torch.exp(-logits.abs()))).mean()
    loss.backward()
    grads = {k: v.grad.numpy() for k, v in p.items()}
    return (logits.detach().numpy(), h.detach().numpy(),
            torch.stack(hs, 1).detach().numpy(), loss.item(), grads)


# --------------------------------------------------------------------------
# Keras Adam, one step, by hand
# --------------------------------------------------------------------------
def keras_adam_step1(w, grads):
    """One Keras Adam step (t=1) computed by hand in FLOAT64 from the float32
    weights and float32 gradients, then rounded to float32 for the fixture.

    lr_t = lr * sqrt(1 - b2^t) / (1 - b1^t)
    m = b1*m + (1-b1)*g ;  v = b2*v + (1-b2)*g^2   (m = v = 0 before the step)
    w -= lr_t * m / (sqrt(v) + eps)                 (eps = 1e-7, "epsilon hat")
    """
    t = 1
    lr_t = ADAM_LR * math.sqrt(1.0 - ADAM_B2 ** t) / (1.0 - ADAM_B1 ** t)
    out = {}
    for k in WEIGHT_NAMES:
        g = grads[k].astype(np.float64)
        m = (1.0 - ADAM_B1) * g
        v = (1.0 - ADAM_B2) * g * g
        out[k] = w[k].astype(np.float64) - lr_t * m / (np.sqrt(v) + ADAM_EPS)
    return out


def torch_adam_crosscheck(w, grads, adam):
    """Cross-check the hand-written step with torch.optim.Adam (float64).
    PyTorch puts eps on the bias-corrected sqrt(v_hat); Keras' epsilon-hat form
    equals PyTorch with eps' = eps / sqrt(1 - b2^t)."""
    eps_t = ADAM_EPS / math.sqrt(1.0 - ADAM_B2)
    for k in WEIGHT_NAMES:
        p = torch.tensor(w[k], dtype=torch.float64, requires_grad=True)
        opt = torch.optim.Adam([p], lr=ADAM_LR, betas=(ADAM_B1, ADAM_B2), eps=eps_t)
        p.grad = torch.tensor(grads[k], dtype=torch.float64)
        opt.step()
        d = np.abs(p.detach().numpy() - adam[k]).max()
        assert d < 1e-12, (k, d)


# --------------------------------------------------------------------------
# File format
# --------------------------------------------------------------------------
PER_LINE = 10


def write_tensor(path, arr):
    """Line 1: dims separated by single spaces ('-' for a scalar).
    Then all values in row-major order, whitespace separated, PER_LINE per line.
    Floats: '%.9g' of the float32 value (round-trips exactly). Ints: '%d'."""
    arr = np.asarray(arr)
    if arr.dtype.kind in "iu":
        vals = ["%d" % int(x) for x in arr.reshape(-1)]
    else:
        a32 = arr.astype(np.float32)
        assert np.all(np.isfinite(a32)), path
        vals = ["%.9g" % float(x) for x in a32.reshape(-1)]
        # round-trip check
        back = np.array([np.float32(s) for s in vals], dtype=np.float32)
        assert np.array_equal(back.view(np.uint32), a32.reshape(-1).view(np.uint32)), path
    header = "-" if arr.ndim == 0 else " ".join(str(d) for d in arr.shape)
    lines = [header]
    # line breaks carry no meaning; for readability a new line starts at every
    # innermost row (rank >= 2) and long rows wrap after PER_LINE values
    row = arr.shape[-1] if arr.ndim >= 2 else max(len(vals), 1)
    for r in range(0, len(vals), row):
        rv = vals[r:r + row]
        for i in range(0, len(rv), PER_LINE):
            lines.append(" ".join(rv[i:i + PER_LINE]))
    with open(path, "w") as fh:
        fh.write("\n".join(lines) + "\n")


# --------------------------------------------------------------------------
def build_set(name, cfg):
    V, D, H, T, B = cfg["V"], cfg["D"], cfg["H"], cfg["T"], cfg["B"]
    w, ids, labels = make_keras_weights(cfg)

    model = SeedModel(V, D, H).float()
    model.load_keras(w)
    ids_t = torch.from_numpy(ids)
    y = torch.from_numpy(labels).float()

    # float32 forward / backward in PyTorch
    logits, h_last = model(ids_t)
    probs = torch.sigmoid(logits)
    loss = F.binary_cross_entropy_with_logits(logits, y, reduction="mean")
    model.zero_grad()
    loss.backward()
    grads = model.keras_grads()
    with torch.no_grad():
        all_h, _ = model.lstm(model.embedding(ids_t))   # [B, T, H] float32

    # ---- proof of the layout mapping (float64 Keras-layout loop) ----
    r_logits, r_h, r_all_h, r_loss, r_grads = keras_reference(w, ids, labels)
    dh = np.abs(all_h.numpy().astype(np.float64) - r_all_h).max()
    dhl = np.abs(h_last.detach().numpy() - r_h).max()
    dl = np.abs(logits.detach().numpy() - r_logits).max()
    dloss = abs(loss.item() - r_loss)
    print("[%s] max |h_torch32 - h_keras64| over all steps = %.3g, last = %.3g, "
          "logits = %.3g, loss = %.3g" % (name, dh, dhl, dl, dloss))
    assert dh < 1e-6 and dhl < 1e-6, "LSTM layout mapping mismatch"
    assert dl < 1e-5 and dloss < 1e-6, "logit/loss mismatch"
    for k in WEIGHT_NAMES:
        scale = max(np.abs(r_grads[k]).max(), 1e-30)
        rel = np.abs(grads[k] - r_grads[k]).max() / scale
        print("[%s]   grad %-22s max|g|=%.3g  max abs err/max|g| = %.2g"
              % (name, k, scale, rel))
        assert grads[k].shape == w[k].shape, k
        assert rel < 1e-4, ("gradient mapping mismatch", k, rel)

    # ---- magnitudes ----
    hl = h_last.detach().numpy()
    lg = logits.detach().numpy()
    print("[%s] V=%d D=%d H=%d T=%d B=%d  pad=%s  labels=%s"
          % (name, V, D, H, T, B, cfg["pad"], labels.tolist()))
    print("[%s] |last_hidden| mean=%.3f max=%.3f ; |h| over all steps mean=%.3f"
          % (name, np.abs(hl).mean(), np.abs(hl).max(), np.abs(all_h.numpy()).mean()))
    print("[%s] logits=%s  probs=%s  loss=%.6f"
          % (name, np.array2string(lg, precision=4),
             np.array2string(probs.detach().numpy(), precision=4), loss.item()))
    unused = int((np.abs(grads["embedding"]).sum(1) == 0).sum())
    print("[%s] embedding rows with zero gradient (unused tokens): %d of %d"
          % (name, unused, V))

    # ---- one Keras Adam step ----
    adam = keras_adam_step1(w, grads)
    torch_adam_crosscheck(w, grads, adam)
    allg = np.concatenate([grads[k].reshape(-1) for k in WEIGHT_NAMES])
    nz = np.abs(allg[allg != 0])
    print("[%s] gradient entries: %d, exact zeros: %d, 0<|g|<1e-6: %d, min nonzero |g| = %.3g"
          % (name, allg.size, int((allg == 0).sum()), int((nz < 1e-6).sum()), nz.min()))
    dmax = max(np.abs(adam[k] - w[k]).max() for k in WEIGHT_NAMES)
    print("[%s] Adam step: max |adam1 - w| = %.6g (lr_t*sign(g) ~ 1e-3)" % (name, dmax))

    # ---- write ----
    d = os.path.join(OUT_DIR, name)
    os.makedirs(d, exist_ok=True)
    for f in os.listdir(d):
        if f.endswith(".txt"):
            os.remove(os.path.join(d, f))
    tensors = {"ids": ids, "labels": labels}
    tensors.update(w)
    tensors["logits"] = lg
    tensors["probs"] = probs.detach().numpy()
    tensors["last_hidden"] = hl
    tensors["loss"] = np.array(loss.item(), dtype=np.float32)
    for k in WEIGHT_NAMES:
        tensors["grad_" + k] = grads[k]
    for k in WEIGHT_NAMES:
        tensors["adam1_" + k] = adam[k]
    for k, v in tensors.items():
        write_tensor(os.path.join(d, k + ".txt"), v)
    return d


def main():
    torch.manual_seed(0)              # nothing random comes from torch, but be safe
    torch.set_num_threads(1)
    torch.use_deterministic_algorithms(True)
    print("torch", torch.__version__, "numpy", np.__version__)
    total = 0
    for name, cfg in SETS.items():
        d = build_set(name, cfg)
        for f in sorted(os.listdir(d)):
            total += os.path.getsize(os.path.join(d, f))
    print("total fixture size: %d bytes" % total)
    assert total < 3_000_000, "fixtures too large"


if __name__ == "__main__":
    sys.exit(main())
