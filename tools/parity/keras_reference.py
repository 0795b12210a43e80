#!/usr/bin/python3
"""Independent Keras inference reference (numpy float64 + h5py), no TensorFlow.

Reads real Keras model files straight from disk (config and weights) and
computes their outputs for fixed integer inputs, in float64, following Keras'
own formulas. It is the reference the Java Keras importer is checked against.

    /usr/bin/python3 tools/parity/keras_reference.py               # write fixtures
    /usr/bin/python3 tools/parity/keras_reference.py --self-check  # check the reference
    /usr/bin/python3 tools/parity/keras_reference.py --run FILE 1 14 22 ...   # one row

Containers (sniffed by magic bytes, never by extension):
  * HDF5 (89 48 44 46 0d 0a 1a 0a): legacy Keras h5 (Keras 2.x, or written by
    Keras 3). Config: root attribute `model_config` (JSON). Weights:
    `model_weights/<layer name>` groups; the datasets are read in the order of the
    group's `weight_names` attribute (fixed-length byte strings in Keras 2.2.4-tf,
    variable-length strings later; a group without the attribute has no weights).
  * zip (50 4b 03 04): Keras 3 `.keras`: config.json + model.weights.h5 (opened
    with h5py from the zip member). Weights are positional:
    `layers/<group>/vars/<i>`, recurrent layers `layers/<group>/cell/vars/<i>`,
    Bidirectional `layers/<group>/{forward_layer,backward_layer}/cell/vars/<i>`.
    <group> is the snake_case class name with `_1`, `_2`, ... in order of
    appearance among the model's layers (InputLayer excluded), NOT the configured
    name; each `vars` group carries the configured name as attribute `name`, which
    is checked.

Layers: InputLayer, Embedding (mask_zero), Masking, LSTM, GRU (reset_after
True/False), Bidirectional (concat/sum/ave/mul), Dropout and SpatialDropout1D
(identity), Dense
(linear/relu/sigmoid/tanh/softmax/...), GlobalAveragePooling1D,
GlobalMaxPooling1D; Sequential models and functional models that are one chain
of layers; int id inputs, or float [T, F] inputs for models without an
Embedding. TextVectorization is skipped: the inputs are the int ids it
would produce (0 = padding, 1 = OOV), fed to the Embedding.

Masking (Keras backend `rnn`, identical in Keras 2 and 3):
  * A masked step keeps the previous states (h, and c for LSTM).
  * Its output is the previous step's output (0 before the first real step) if
    zero_output_for_mask is False, or 0 if it is True. RNN layers default to
    False; Bidirectional forces it to the wrapped layer's return_sequences (so
    inside a Bidirectional with return_sequences masked steps output 0). A
    configured value (Keras 3 writes the key) is overridden the same way inside
    a Bidirectional and used as is otherwise.
  * The last output (return_sequences False) is the output of the last step
    after masking, i.e. the state carried from the last real step.
  * go_backwards reverses the inputs AND the mask; with return_sequences the
    layer's output stays in processing (reversed) order. Bidirectional reverses
    the backward layer's sequence back to time order before merging.
  * Output masks: Embedding(mask_zero) -> ids != 0; Masking -> any(x != value);
    RNN / Bidirectional -> the input mask if return_sequences else None; Dense,
    Dropout pass it on; the global poolings drop it.
  * GlobalAveragePooling1D is mask-aware (sum over real steps / their count);
    GlobalMaxPooling1D ignores the mask, as stock Keras does (max over all steps).

hard_sigmoid: Keras 2 (keras_version < 3) clip(0.2 x + 0.5, 0, 1); Keras 3
relu6(x + 3) / 6 = clip(x / 6 + 0.5, 0, 1).

The --self-check mode runs this code on the repository's PyTorch parity
fixtures (src/test/resources/parity, Keras layout) and compares, and checks that
the `.keras` and legacy-h5 readers give identical outputs for the same model.
"""
import argparse
import hashlib
import io
import json
import math
import os
import re
import sys
import zipfile

import h5py
import numpy as np

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
DEFAULT_MODELS = os.path.abspath(os.path.join(ROOT, "..", "shared", "data", "keras-models"))
FIXTURE_DIR = os.path.join(ROOT, "src", "test", "resources", "keras-parity")
TORCH_PARITY = os.path.join(ROOT, "src", "test", "resources", "parity")
SYNTHETIC_DIR = os.path.join(ROOT, "src", "test", "resources", "keras-synthetic")

HDF5_MAGIC = b"\x89HDF\r\n\x1a\n"
ZIP_MAGIC = b"PK\x03\x04"


# ==========================================================================
# Reading model files
# ==========================================================================
def _s(v):
    """An HDF5 string attribute value (bytes, numpy bytes or str) -> str."""
    if isinstance(v, (bytes, np.bytes_)):
        return v.decode("utf-8")
    return str(v)


def _str_list(attr):
    return [_s(v) for v in np.asarray(attr).reshape(-1)] if attr is not None else []


def snake_case(name):
    """keras.src.utils.naming.to_snake_case."""
    name = re.sub(r"\W+", "", name)
    name = re.sub("(.)([A-Z][a-z]+)", r"\1_\2", name)
    name = re.sub("([a-z])([A-Z])", r"\1_\2", name).lower()
    return name


class Layer:
    def __init__(self, cls, cfg, weights, source):
        self.cls = cls          # class_name
        self.cfg = cfg          # config dict
        self.name = cfg.get("name")
        self.weights = weights  # list of float64 arrays, Keras order
        self.source = source    # where the weights came from (for notes)


class Model:
    def __init__(self, path, container, keras_version, layers, sha256):
        self.path = path
        self.container = container
        self.keras_version = keras_version
        self.layers = layers
        self.sha256 = sha256

    @property
    def keras_major(self):
        m = re.match(r"(\d+)", self.keras_version or "")
        return int(m.group(1)) if m else 2

    def n_params(self):
        return sum(int(w.size) for L in self.layers for w in L.weights)


def sniff(path):
    with open(path, "rb") as fh:
        head = fh.read(8)
    if head == HDF5_MAGIC:
        return "hdf5"
    if head[:4] == ZIP_MAGIC:
        return "zip"
    raise ValueError("%s: neither HDF5 nor zip (magic %r)" % (path, head))


def sha256_of(path):
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def _inbound_names(node):
    """Layer names a functional node reads: Keras 2 [[["lstm", 0, 0, {}]]],
    Keras 3 {"args": [{"class_name": "__keras_tensor__", "config": {"keras_history": ["lstm", 0, 0]}}]}."""
    out = []
    if isinstance(node, dict):
        if node.get("class_name") == "__keras_tensor__":
            return [node["config"]["keras_history"][0]]
        for v in node.values():
            out += _inbound_names(v)
    elif isinstance(node, list):
        if len(node) >= 3 and isinstance(node[0], str) and isinstance(node[1], int):
            return [node[0]]
        for v in node:
            out += _inbound_names(v)
    return out


def sequential_layers(config):
    """[(class_name, config)] of a Sequential model config (Keras 2 or 3), or of a
    functional model ("Functional", Keras 2's "Model") whose layers form one chain:
    layer i reads exactly layer i-1, the first is the only input, the last the only output."""
    cls = config.get("class_name")
    c = config["config"]
    if cls == "Sequential":
        layers = c["layers"] if isinstance(c, dict) else c   # very old Keras: a bare list
        return [(L["class_name"], L["config"]) for L in layers]
    if cls in ("Functional", "Model"):
        layers = c["layers"]
        names = [L.get("name", L["config"].get("name")) for L in layers]
        for i, L in enumerate(layers):
            got = _inbound_names(L.get("inbound_nodes", []))
            want = [] if i == 0 else [names[i - 1]]
            if got != want:
                raise ValueError("functional model is not a chain: %s reads %s" % (names[i], got))
        if _inbound_names(c["input_layers"]) != [names[0]] or _inbound_names(c["output_layers"]) != [names[-1]]:
            raise ValueError("functional model: inputs/outputs are not the chain's ends")
        return [(L["class_name"], L["config"]) for L in layers]
    raise ValueError("only Sequential and chain Functional models are supported, got %s" % cls)


def load_model(path):
    kind = sniff(path)
    if kind == "hdf5":
        return _load_legacy_h5(path)
    return _load_keras_zip(path)


def _load_legacy_h5(path):
    with h5py.File(path, "r") as f:
        keras_version = _s(f.attrs.get("keras_version", ""))
        config = json.loads(_s(f.attrs["model_config"]))
        g = f["model_weights"] if "model_weights" in f else f
        by_name = {}
        for lname in _str_list(g.attrs.get("layer_names")):
            lg = g[lname]
            wn = _str_list(lg.attrs.get("weight_names")) if "weight_names" in lg.attrs else []
            by_name[lname] = ([np.array(lg[w], dtype=np.float64) for w in wn], wn)
        layers = []
        for cls, cfg in sequential_layers(config):
            ws, names = by_name.get(cfg.get("name"), ([], []))
            layers.append(Layer(cls, cfg, ws, names))
    return Model(path, "legacy-h5", keras_version, layers, sha256_of(path))


def _vars(group, expect_name=None):
    """Positional weights vars/0, vars/1, ... of a Keras 3 weights group."""
    v = group["vars"]
    if expect_name is not None and "name" in v.attrs:
        got = _s(v.attrs["name"])
        if got != expect_name:
            raise ValueError("%s: vars name %r, config name %r" % (group.name, got, expect_name))
    n = len(v.keys())
    assert sorted(v.keys(), key=int) == [str(i) for i in range(n)], list(v.keys())
    return [np.array(v[str(i)], dtype=np.float64) for i in range(n)], \
           ["%s/vars/%d" % (group.name, i) for i in range(n)]


def _load_keras_zip(path):
    with zipfile.ZipFile(path) as z:
        config = json.loads(z.read("config.json"))
        meta = json.loads(z.read("metadata.json")) if "metadata.json" in z.namelist() else {}
        weights_bytes = z.read("model.weights.h5")
    keras_version = meta.get("keras_version", "3")
    layers = []
    used = {}
    with h5py.File(io.BytesIO(weights_bytes), "r") as f:
        root = f["layers"]
        for cls, cfg in sequential_layers(config):
            if cls == "InputLayer":
                layers.append(Layer(cls, cfg, [], []))
                continue
            base = snake_case(cls)
            if base in used:
                used[base] += 1
                gname = "%s_%d" % (base, used[base])
            else:
                used[base] = 0
                gname = base
            if gname not in root:
                # layers without state may have no group at all
                layers.append(Layer(cls, cfg, [], []))
                continue
            grp = root[gname]
            if cls in ("LSTM", "GRU", "SimpleRNN"):
                ws, src = _vars(grp["cell"])
                _vars(grp, cfg.get("name"))
            elif cls == "Bidirectional":
                ws, src = [], []
                for side in ("forward_layer", "backward_layer"):
                    a, b = _vars(grp[side]["cell"])
                    ws += a
                    src += b
                _vars(grp, cfg.get("name"))
            else:
                ws, src = _vars(grp, cfg.get("name"))
            layers.append(Layer(cls, cfg, ws, src))
    return Model(path, "keras-zip", keras_version, layers, sha256_of(path))


# ==========================================================================
# Math (float64)
# ==========================================================================
def sigmoid(x):
    return 0.5 * (1.0 + np.tanh(0.5 * x))   # = 1/(1+exp(-x)), overflow-free


def activation(name, keras_major):
    if name in (None, "linear"):
        return lambda x: x
    if name == "relu":
        return lambda x: np.maximum(x, 0.0)
    if name == "sigmoid":
        return sigmoid
    if name == "tanh":
        return np.tanh
    if name == "hard_sigmoid":
        if keras_major < 3:
            return lambda x: np.clip(0.2 * x + 0.5, 0.0, 1.0)
        return lambda x: np.clip(x + 3.0, 0.0, 6.0) / 6.0
    if name == "softmax":
        def softmax(x):
            e = np.exp(x - x.max(axis=-1, keepdims=True))
            return e / e.sum(axis=-1, keepdims=True)
        return softmax
    if name == "softplus":
        return lambda x: np.logaddexp(0.0, x)
    if name == "softsign":
        return lambda x: x / (1.0 + np.abs(x))
    raise ValueError("unsupported activation %r" % name)


def _act_name(a):
    if isinstance(a, dict):          # Keras 3 may serialise an activation object
        return a.get("config", {}).get("name") or a.get("class_name")
    return a


class LstmCell:
    """Keras LSTMCell: z = x W + h U + b, gates i, f, c, o."""
    def __init__(self, cfg, weights, keras_major):
        self.units = cfg["units"]
        self.W, self.U = weights[0], weights[1]
        self.b = weights[2] if cfg.get("use_bias", True) else np.zeros(4 * self.units)
        self.act = activation(_act_name(cfg.get("activation", "tanh")), keras_major)
        self.rec = activation(_act_name(cfg.get("recurrent_activation", "sigmoid")), keras_major)
        assert self.W.shape[1] == 4 * self.units and self.U.shape == (self.units, 4 * self.units)

    def initial(self):
        return [np.zeros(self.units), np.zeros(self.units)]

    def step(self, x, states):
        h, c = states
        H = self.units
        z = x @ self.W + h @ self.U + self.b
        i = self.rec(z[:H])
        f = self.rec(z[H:2 * H])
        g = self.act(z[2 * H:3 * H])
        o = self.rec(z[3 * H:])
        c = f * c + i * g
        h = o * self.act(c)
        return h, [h, c]


class GruCell:
    """Keras GRUCell, gate order z, r, h.
    reset_after=True : bias (2, 3u) = [input bias; recurrent bias];
                       hh = act(x W_h + b_in_h + r * (h U_h + b_rec_h))
    reset_after=False: bias (3u,) on the input only; hh = act(x W_h + b_h + (r*h) U_h)
    h' = z * h + (1 - z) * hh"""
    def __init__(self, cfg, weights, keras_major):
        self.units = H = cfg["units"]
        if "reset_after" not in cfg:   # its default changed between Keras versions
            raise ValueError("GRU config without reset_after")
        self.reset_after = bool(cfg["reset_after"])
        self.W, self.U = weights[0], weights[1]
        if cfg.get("use_bias", True):
            b = weights[2]
            if self.reset_after:
                assert b.shape == (2, 3 * H), b.shape
                self.b_in, self.b_rec = b[0], b[1]
            else:
                assert b.shape == (3 * H,), b.shape
                self.b_in, self.b_rec = b, np.zeros(3 * H)
        else:
            self.b_in, self.b_rec = np.zeros(3 * H), np.zeros(3 * H)
        self.act = activation(_act_name(cfg.get("activation", "tanh")), keras_major)
        self.rec = activation(_act_name(cfg.get("recurrent_activation", "sigmoid")), keras_major)
        assert self.W.shape[1] == 3 * H and self.U.shape == (H, 3 * H)

    def initial(self):
        return [np.zeros(self.units)]

    def step(self, x, states):
        (h,) = states
        H = self.units
        xp = x @ self.W + self.b_in
        if self.reset_after:
            rec = h @ self.U + self.b_rec
            z = self.rec(xp[:H] + rec[:H])
            r = self.rec(xp[H:2 * H] + rec[H:2 * H])
            hh = self.act(xp[2 * H:] + r * rec[2 * H:])
        else:
            rec = h @ self.U[:, :2 * H]
            z = self.rec(xp[:H] + rec[:H])
            r = self.rec(xp[H:2 * H] + rec[H:2 * H])
            hh = self.act(xp[2 * H:] + (r * h) @ self.U[:, 2 * H:])
        h = z * h + (1.0 - z) * hh
        return h, [h]


def make_cell(cls, cfg, weights, keras_major):
    if cls == "LSTM":
        return LstmCell(cfg, weights, keras_major)
    if cls == "GRU":
        return GruCell(cfg, weights, keras_major)
    raise ValueError("unsupported recurrent layer %s" % cls)


def run_rnn(cell, x, mask, go_backwards, zero_output_for_mask):
    """Keras backend rnn for one sequence x [T, D], mask [T] bool or None.
    Returns (outputs [T, H] in processing order, last_output [H])."""
    T = x.shape[0]
    order = range(T - 1, -1, -1) if go_backwards else range(T)
    states = cell.initial()
    prev_out = np.zeros(cell.units)
    outs = []
    for t in order:
        out, new_states = cell.step(x[t], states)
        if mask is not None and not mask[t]:
            out = np.zeros(cell.units) if zero_output_for_mask else prev_out
            new_states = states
        states = new_states
        prev_out = out
        outs.append(out)
    return np.array(outs).reshape(T, cell.units), prev_out


def rnn_layer(cls, cfg, weights, x, mask, keras_major, zero_output_for_mask=None):
    cell = make_cell(cls, cfg, weights, keras_major)
    if zero_output_for_mask is None:
        zero_output_for_mask = bool(cfg.get("zero_output_for_mask", False))
    outs, last = run_rnn(cell, x, mask, bool(cfg.get("go_backwards", False)), zero_output_for_mask)
    if cfg.get("return_sequences", False):
        return outs, mask
    return last, None


def bidirectional(cfg, weights, x, mask, keras_major):
    inner = cfg["layer"]
    fcls, fcfg = inner["class_name"], inner["config"]
    if cfg.get("backward_layer"):
        bcls, bcfg = cfg["backward_layer"]["class_name"], dict(cfg["backward_layer"]["config"])
    else:   # Keras 2: the backward layer is the forward config with go_backwards flipped
        bcls, bcfg = fcls, dict(fcfg)
        bcfg["go_backwards"] = not fcfg.get("go_backwards", False)
    n = len(weights) // 2
    seq = bool(fcfg.get("return_sequences", False))
    # Bidirectional forces zero_output_for_mask = return_sequences on both layers
    yf, _ = rnn_layer(fcls, fcfg, weights[:n], x, mask, keras_major, zero_output_for_mask=seq)
    yb, _ = rnn_layer(bcls, bcfg, weights[n:], x, mask, keras_major,
                      zero_output_for_mask=bool(bcfg.get("return_sequences", False)))
    if seq:
        yb = yb[::-1]          # back to time order
    mode = cfg.get("merge_mode", "concat")
    if mode == "concat":
        y = np.concatenate([yf, yb], axis=-1)
    elif mode == "sum":
        y = yf + yb
    elif mode == "ave":
        y = (yf + yb) / 2.0
    elif mode == "mul":
        y = yf * yb
    else:
        raise ValueError("unsupported merge_mode %r" % mode)
    return y, (mask if seq else None)


def forward(model, ids, trace=None, capture=None, max_pool_masked=False):
    """Runs one sequence through the model: int ids [T] (models with an Embedding)
    or float vectors [T, F] (models without). Returns the final output (1-D) and
    the pre-activation of the last Dense (or None). max_pool_masked=True makes
    GlobalMaxPooling1D skip masked steps (NOT Keras; for diagnosis only)."""
    km = model.keras_major
    x = np.asarray(ids)
    mask = None
    pre = None
    for L in model.layers:
        c, cfg, w = L.cls, L.cfg, L.weights
        pre = None
        if c in ("InputLayer", "TextVectorization"):
            # TextVectorization is skipped: the caller passes its int output
            pass
        elif c == "Embedding":
            idx = x.astype(np.int64)
            assert np.array_equal(idx, x), "ids must be integers"
            V = cfg["input_dim"]
            assert idx.min() >= 0 and idx.max() < V, "id out of range [0, %d)" % V
            if cfg.get("mask_zero", False):
                mask = idx != 0
            x = w[0][idx]
        elif c == "Masking":
            x = np.asarray(x, dtype=np.float64)
            mv = cfg.get("mask_value", 0.0)
            mask = np.any(x != mv, axis=-1)
            x = x * mask[:, None]
        elif c in ("LSTM", "GRU"):
            x, mask = rnn_layer(c, cfg, w, x, mask, km)
        elif c == "Bidirectional":
            x, mask = bidirectional(cfg, w, x, mask, km)
        elif c == "Dropout" or c == "SpatialDropout1D":
            pass
        elif c == "Dense":
            z = x @ w[0]
            if cfg.get("use_bias", True):
                z = z + w[1]
            pre = z
            x = activation(_act_name(cfg.get("activation", "linear")), km)(z)
        elif c == "GlobalAveragePooling1D":
            if mask is None:
                x = x.mean(axis=0)
            else:
                m = mask.astype(np.float64)
                x = (x * m[:, None]).sum(axis=0) / m.sum()
            mask = None
        elif c == "GlobalMaxPooling1D":
            if max_pool_masked and mask is not None:
                x = x[mask].max(axis=0) if mask.any() else np.zeros(x.shape[1])
            else:
                x = x.max(axis=0)   # stock Keras ignores the mask here
            mask = None
        elif c == "Activation":
            x = activation(_act_name(cfg["activation"]), km)(x)
        else:
            raise ValueError("unsupported layer %s" % c)
        if trace is not None:
            trace.append([c, L.name, list(np.shape(x))])
        if capture is not None:
            capture[L.name] = x
    return np.atleast_1d(x), (None if pre is None else np.atleast_1d(pre))


# ==========================================================================
# Fixtures for the real files
# ==========================================================================
# file -> settings. length None = variable length (Embedding batch_input_shape [null, null]).
FILES = [
    dict(file="imdb-lstm100-keras2.15.h5", params=213301, imdb_words=5000, maxlen=500, seed=101),
    dict(file="imdb-gru16-hardsigmoid-keras2.2.4tf.h5", params=81601, imdb_words=5000, maxlen=None, seed=102),
    dict(file="imdb-bilstm30-hardsigmoid-keras2.2.4tf.h5", params=164701, imdb_words=5000, maxlen=None, seed=103),
    dict(file="imdb-lstm64-keras3.10.keras", params=344897, imdb_words=10000, maxlen=200, seed=104),
    dict(file="imdb-lstm64-keras3.10-legacy.h5", params=344897, imdb_words=10000, maxlen=200, seed=104),
    dict(file="movies-gru32-keras3.13.keras", params=326881, maxlen=200, seed=106),
    dict(file="twitter-bilstm64-maskzero-textvec-keras2.12-hdf5.keras", params=202369, maxlen=100, seed=107,
         post_pad=True),
    dict(file="url-char-stacked-bilstm-keras3.15.keras", params=94945, maxlen=200, seed=108),
]

# Two short reviews, written in the style of the IMDB data (one clearly positive,
# one clearly negative); encoded like keras.datasets.imdb.
REVIEWS = [
    ("positive", "This movie was wonderful. The acting was brilliant, the story was moving and "
                 "beautiful, and I loved every minute of it. One of the best films I have seen; "
                 "highly recommended!"),
    ("negative", "This was the worst movie I have ever seen. The plot was boring and stupid, the "
                 "acting was terrible, and the dialogue was awful. A complete waste of time; "
                 "avoid it."),
]


def imdb_encode(text, word_index, num_words):
    """keras.datasets.imdb encoding: lower-case, punctuation removed, id = rank + 3,
    1 = start token prepended, 2 = OOV (unknown word or id >= num_words)."""
    words = re.sub(r"[^a-z0-9\s]", " ", text.lower()).split()
    ids = [1]
    for wd in words:
        r = word_index.get(wd)
        i = r + 3 if r is not None else 2
        ids.append(i if i < num_words else 2)
    return ids, words


def pre_pad(ids, maxlen):
    ids = list(ids)[-maxlen:]        # pad_sequences: pre-truncating, pre-padding
    return [0] * (maxlen - len(ids)) + ids


def input_dim(model):
    for L in model.layers:
        if L.cls == "Embedding":
            return L.cfg["input_dim"]
    raise ValueError("no Embedding")


def make_inputs(spec, model, word_index):
    """5 seeded random rows (+ 2 encoded reviews for the IMDB models)."""
    rng = np.random.RandomState(spec["seed"])
    V = input_dim(model)
    T = spec["maxlen"]
    rows, notes = [], []

    def rnd(n):
        return rng.randint(1, V, size=n).tolist()

    if T is None:   # variable length
        for n, note in [(1, "length 1, no padding"), (7, "length 7, no padding"),
                        (40, "length 40, no padding"), (123, "length 123, no padding")]:
            rows.append(rnd(n))
            notes.append(note)
        rows.append([0] * 240 + rnd(60))
        notes.append("length 300 (the training maxlen), pre-padded: 240 leading zeros + 60 ids")
    elif spec.get("post_pad"):  # mask_zero model: post padding is what TextVectorization emits
        rows.append(rnd(T)); notes.append("all %d ids non-zero" % T)
        rows.append(rnd(12) + [0] * (T - 12)); notes.append("12 ids + %d trailing zeros (masked)" % (T - 12))
        rows.append(rnd(1) + [0] * (T - 1)); notes.append("1 id + %d trailing zeros (masked)" % (T - 1))
        r = rnd(30); r[9] = 0
        rows.append(r + [0] * (T - 30))
        notes.append("30 steps with a 0 at step 9 (masked inside), then %d trailing zeros" % (T - 30))
        rows.append([0] * 55 + rnd(T - 55))
        notes.append("pre-padded: 55 leading zeros (masked) + %d ids" % (T - 55))
    else:
        rows.append(rnd(T)); notes.append("all %d ids non-zero" % T)
        rows.append([0] * (T - 20) + rnd(20)); notes.append("pre-padded: %d leading zeros + 20 ids" % (T - 20))
        rows.append([0] * (T - 1) + rnd(1)); notes.append("pre-padded: %d leading zeros + 1 id" % (T - 1))
        rows.append([0] * (T // 2) + rnd(T - T // 2))
        notes.append("pre-padded: %d leading zeros + %d ids" % (T // 2, T - T // 2))
        rows.append(rnd(25) + [0] * (T - 25))
        notes.append("post-padded: 25 ids + %d trailing zeros (no masking: zeros are ordinary tokens)" % (T - 25))
    if spec.get("imdb_words"):
        for label, text in REVIEWS:
            ids, words = imdb_encode(text, word_index, spec["imdb_words"])
            n_oov = sum(1 for i in ids[1:] if i == 2)
            if T is not None:
                ids = pre_pad(ids, T)
            rows.append(ids)
            notes.append("%s review (keras.datasets.imdb encoding, %d words, %d OOV%s): %s"
                         % (label, len(words), n_oov,
                            ", pre-padded to %d" % T if T else ", unpadded", " ".join(words)))
    return rows, notes


def build_fixture(spec, models_dir, word_index):
    path = os.path.join(models_dir, spec["file"])
    model = load_model(path)
    assert model.n_params() == spec["params"], (spec["file"], model.n_params())
    rows, notes = make_inputs(spec, model, word_index)
    outs, pres, shapes = [], [], []
    for r in rows:
        trace = []
        y, pre = forward(model, r, trace)
        outs.append(y.tolist())
        pres.append(None if pre is None else pre.tolist())
        shapes.append(trace)
    fx = {
        "file": spec["file"],
        "sha256": model.sha256,
        "keras_version": model.keras_version,
        "container": model.container,
        "params": model.n_params(),
        "layers": [[L.cls, L.name, L.source] for L in model.layers],
        "inputs": rows,
        "input_notes": notes,
        "outputs": outs,
        "pre_activation": pres,
        "layer_shapes": shapes[0],
        "notes": fixture_notes(model),
    }
    return model, fx


def fixture_notes(model):
    n = ["float64 outputs of tools/parity/keras_reference.py (numpy, no TensorFlow) for each "
         "input row run as a batch of one; compare within 1e-5",
         "outputs = the model's final layer output per row; pre_activation = the last Dense "
         "layer before its activation (logits)",
         "layer_shapes = per-layer output shapes for input row 0 (no batch axis)"]
    cls = [L.cls for L in model.layers]
    if "TextVectorization" in cls:
        n.append("TextVectorization skipped (vocabulary not in the file): inputs are its int "
                 "output, 0 = padding (masked by Embedding mask_zero), 1 = OOV")
    if any(L.cls == "Embedding" and L.cfg.get("mask_zero") for L in model.layers):
        n.append("mask_zero: a masked step keeps h and c; the Bidirectional (return_sequences "
                 "false) returns the state of the last real step in each direction")
    def rec_act(L):
        c = L.cfg["layer"]["config"] if L.cls == "Bidirectional" else L.cfg
        return _act_name(c.get("recurrent_activation"))
    if any(rec_act(L) == "hard_sigmoid" for L in model.layers):
        n.append("recurrent_activation hard_sigmoid = %s" % (
            "clip(0.2x+0.5, 0, 1) (Keras 2)" if model.keras_major < 3 else "relu6(x+3)/6 (Keras 3)"))
    if "Dropout" in cls:
        n.append("Dropout is the identity at inference")
    return n


def write_fixture(fx):
    os.makedirs(FIXTURE_DIR, exist_ok=True)
    stem = os.path.splitext(fx["file"])[0]
    out = os.path.join(FIXTURE_DIR, stem + ".json")
    with open(out, "w") as fh:
        json.dump(fx, fh, separators=(",", ":"))
        fh.write("\n")
    return out


# ==========================================================================
# Self-check against the PyTorch parity fixtures
# ==========================================================================
def read_tensor(set_name, name):
    with open(os.path.join(TORCH_PARITY, set_name, name + ".txt")) as fh:
        head = fh.readline().strip()
        vals = fh.read().split()
    shape = () if head == "-" else tuple(int(d) for d in head.split())
    a = np.array([float(v) for v in vals], dtype=np.float64)
    return a.reshape(shape)


def _lstm_cfg(units, **kw):
    c = dict(units=units, activation="tanh", recurrent_activation="sigmoid", use_bias=True)
    c.update(kw)
    return c


def _gru_cfg(units, reset_after, **kw):
    c = dict(units=units, activation="tanh", recurrent_activation="sigmoid", use_bias=True,
             reset_after=reset_after)
    c.update(kw)
    return c


def torch_set_model(set_name):
    """A Model built from a PyTorch parity set's Keras-layout weights, the way the
    Java tests build the same architecture. Returns (model, inputs, {name: expected})."""
    t = lambda n: read_tensor(set_name, n)
    L = []
    expect = {"logits": t("logits"), "probs": t("probs")}
    mask_zero = set_name in ("bilstm", "stacked_masked", "bilstm_seq_avg", "bigru_masked",
                             "bigru_before_masked")
    if set_name != "masked_numeric":
        L.append(Layer("Embedding", dict(name="embedding", input_dim=t("embedding").shape[0],
                                         mask_zero=mask_zero), [t("embedding")], []))
    if set_name in ("tiny", "seedshape"):
        U = t("lstm_recurrent_kernel")
        L.append(Layer("LSTM", dict(name="lstm", **_lstm_cfg(U.shape[0])),
                       [t("lstm_kernel"), U, t("lstm_bias")], []))
        expect["last_hidden"] = t("last_hidden")
    elif set_name.startswith("gru"):
        U = t("gru_recurrent_kernel")
        L.append(Layer("GRU", dict(name="gru", **_gru_cfg(U.shape[0], "before" not in set_name)),
                       [t("gru_kernel"), U, t("gru_bias")], []))
        expect["last_hidden"] = t("last_hidden")
    elif set_name in ("bilstm", "bilstm_seq_avg", "masked_numeric"):
        seq = set_name == "bilstm_seq_avg"
        U = t("forward_lstm_recurrent_kernel")
        w = [t("%s_lstm_%s" % (d, k)) for d in ("forward", "backward")
             for k in ("kernel", "recurrent_kernel", "bias")]
        if set_name == "masked_numeric":
            L.append(Layer("Masking", dict(name="masking", mask_value=0.0), [], []))
        L.append(Layer("Bidirectional", dict(
            name="bidirectional", merge_mode="ave" if seq else "concat",
            layer=dict(class_name="LSTM", config=dict(name="lstm", return_sequences=seq,
                                                      **_lstm_cfg(U.shape[0])))), w, []))
        if seq:
            L.append(Layer("GlobalAveragePooling1D", dict(name="gap"), [], []))
            expect["pooled"] = t("pooled")
        else:
            expect["last_hidden"] = t("last_hidden")
    elif set_name.startswith("bigru"):
        U = t("forward_gru_recurrent_kernel")
        w = [t("%s_gru_%s" % (d, k)) for d in ("forward", "backward")
             for k in ("kernel", "recurrent_kernel", "bias")]
        L.append(Layer("Bidirectional", dict(
            name="bidirectional", merge_mode="concat",
            layer=dict(class_name="GRU", config=dict(
                name="gru", **_gru_cfg(U.shape[0], "before" not in set_name)))), w, []))
        expect["last_hidden"] = t("last_hidden")
    elif set_name == "stacked_masked":
        U1, U2 = t("lstm_recurrent_kernel"), t("lstm_1_recurrent_kernel")
        L.append(Layer("LSTM", dict(name="lstm", return_sequences=True, **_lstm_cfg(U1.shape[0])),
                       [t("lstm_kernel"), U1, t("lstm_bias")], []))
        L.append(Layer("LSTM", dict(name="lstm_1", **_lstm_cfg(U2.shape[0])),
                       [t("lstm_1_kernel"), U2, t("lstm_1_bias")], []))
        expect["last_hidden"] = t("last_hidden")
    else:
        raise ValueError(set_name)
    out_act = "softmax" if set_name == "masked_numeric" else "sigmoid"
    L.append(Layer("Dense", dict(name="dense", activation=out_act),
                   [t("dense_kernel"), t("dense_bias")], []))
    model = Model("torch:" + set_name, "torch-fixture", "3", L, "")
    if set_name == "masked_numeric":
        inputs = list(t("x"))
    else:
        inputs = [row.astype(np.int64) for row in t("ids")]
    return model, inputs, expect


def self_check(models_dir):
    rows = []   # (check, value, limit, ok)
    # ---- 1. the reference against the PyTorch fixtures (Keras layout) ----
    sets = ["tiny", "seedshape", "gru_tiny", "gru_medium", "gru_before_tiny", "gru_before_medium",
            "bilstm", "stacked_masked", "bilstm_seq_avg", "masked_numeric", "bigru_masked",
            "bigru_before_masked"]
    for s in sets:
        if not os.path.isdir(os.path.join(TORCH_PARITY, s)):
            rows.append(("torch %s: fixture missing" % s, float("nan"), 1e-5, False))
            continue
        model, inputs, expect = torch_set_model(s)
        got = {"logits": [], "probs": [], "hidden": []}
        for x in inputs:
            trace_vals = []
            y, pre = _forward_with_hidden(model, x, trace_vals)
            got["probs"].append(y)
            got["logits"].append(pre)
            got["hidden"].append(trace_vals[-1])
        d_probs = np.abs(np.array(got["probs"]).reshape(expect["probs"].shape) - expect["probs"]).max()
        d_logits = np.abs(np.array(got["logits"]).reshape(expect["logits"].shape) - expect["logits"]).max()
        hk = "pooled" if "pooled" in expect else "last_hidden"
        d_hidden = np.abs(np.array(got["hidden"]).reshape(expect[hk].shape) - expect[hk]).max()
        d = max(d_probs, d_logits, d_hidden)
        label = "torch %-20s probs %.1e logits %.1e %s %.1e" % (s, d_probs, d_logits, hk, d_hidden)
        # whole intermediate sequences (masked steps: carried output / zero in Bidirectional)
        seq_name = {"stacked_masked": ("sequence1", "lstm"),
                    "bilstm_seq_avg": ("merged_sequence", "bidirectional")}.get(s)
        if seq_name:
            exp = read_tensor(s, seq_name[0])
            got_seq = []
            for x in inputs:
                cap = {}
                forward(model, x, capture=cap)
                got_seq.append(cap[seq_name[1]])
            d_seq = np.abs(np.array(got_seq) - exp).max()
            label += " %s %.1e" % (seq_name[0], d_seq)
            d = max(d, d_seq)
        rows.append((label, d, 1e-5, d < 1e-5))
    # ---- 2. the two readers on the same model ----
    a = os.path.join(models_dir, "imdb-lstm64-keras3.10.keras")
    b = os.path.join(models_dir, "imdb-lstm64-keras3.10-legacy.h5")
    if os.path.exists(a) and os.path.exists(b):
        ma, mb = load_model(a), load_model(b)
        wd = max(float(np.abs(x - y).max()) for La, Lb in zip(ma.layers, mb.layers)
                 for x, y in zip(La.weights, Lb.weights))
        same_n = [len(L.weights) for L in ma.layers] == [len(L.weights) for L in mb.layers]
        rows.append((".keras vs legacy h5: max |weight diff| (%d arrays)"
                     % sum(len(L.weights) for L in ma.layers), wd, 0.0, same_n and wd == 0.0))
        spec = next(s for s in FILES if s["file"] == os.path.basename(a))
        inputs, _ = make_inputs(spec, ma, load_word_index(models_dir))
        od = max(float(np.abs(forward(ma, r)[0] - forward(mb, r)[0]).max()) for r in inputs)
        rows.append((".keras vs legacy h5: max |output diff| (%d rows)" % len(inputs), od, 0.0, od == 0.0))
    else:
        rows.append((".keras vs legacy h5: model files missing", float("nan"), 0.0, False))
    # ---- 2b. mask_zero: padding (masked) must not change the output at all ----
    for spec in FILES:
        p = os.path.join(models_dir, spec["file"])
        if not os.path.exists(p):
            continue
        m = load_model(p)
        if not any(L.cls == "Embedding" and L.cfg.get("mask_zero") for L in m.layers):
            continue
        inputs, _ = make_inputs(spec, m, None)
        d, n = 0.0, 0
        for r in inputs:
            nz = [i for i, v in enumerate(r) if v != 0]
            trimmed = r[nz[0]:nz[-1] + 1]
            if len(trimmed) == len(r):
                continue
            n += 1
            d = max(d, float(np.abs(forward(m, r)[1] - forward(m, trimmed)[1]).max()))
        rows.append(("mask_zero %s: padded vs trimmed rows (%d), logits" % (spec["file"][:30], n),
                     d, 0.0, n > 0 and d == 0.0))
    # ---- 3. every real file loads, with the documented parameter count ----
    for spec in FILES:
        p = os.path.join(models_dir, spec["file"])
        if not os.path.exists(p):
            rows.append(("load %s: missing" % spec["file"], float("nan"), 0, False))
            continue
        m = load_model(p)
        rows.append(("load %-55s %s params" % (spec["file"], m.n_params()),
                     abs(m.n_params() - spec["params"]), 0, m.n_params() == spec["params"]))
    # ---- 4. committed fixtures reproduce ----
    for spec in FILES:
        fp = os.path.join(FIXTURE_DIR, os.path.splitext(spec["file"])[0] + ".json")
        p = os.path.join(models_dir, spec["file"])
        if not (os.path.exists(fp) and os.path.exists(p)):
            continue
        with open(fp) as fh:
            fx = json.load(fh)
        m = load_model(p)
        ok_sha = fx["sha256"] == m.sha256
        d = max(float(np.abs(forward(m, r)[0] - np.array(o)).max())
                for r, o in zip(fx["inputs"], fx["outputs"]))
        rows.append(("fixture %-52s reproduces%s" % (os.path.basename(fp), "" if ok_sha else " (SHA MISMATCH)"),
                     d, 1e-12, ok_sha and d <= 1e-12))
    # ---- 5. synthetic files (tools/parity/make_synthetic_keras.py) reproduce ----
    synth = sorted(f for f in os.listdir(SYNTHETIC_DIR) if f.endswith(".json")) if os.path.isdir(SYNTHETIC_DIR) else []
    if not synth:
        rows.append(("synthetic fixtures: none in %s" % SYNTHETIC_DIR, float("nan"), 0, False))
    for fj in synth:
        with open(os.path.join(SYNTHETIC_DIR, fj)) as fh:
            fx = json.load(fh)
        p = os.path.join(SYNTHETIC_DIR, fx["file"])
        m = load_model(p)
        ok_sha = fx["sha256"] == m.sha256
        ins = fx.get("inputs") or fx.get("sequences")
        d = max(float(np.abs(forward(m, r)[0] - np.array(o)).max()) for r, o in zip(ins, fx["outputs"]))
        rows.append(("synthetic %-50s reproduces%s" % (fx["file"], "" if ok_sha else " (SHA MISMATCH)"),
                     d, 1e-12, ok_sha and d <= 1e-12 and m.n_params() == fx["params"]))
        if any(_act_name((L.cfg.get("layer", {}).get("config") or L.cfg).get("recurrent_activation"))
               == "hard_sigmoid" for L in m.layers):
            # the fixture must tell the two hard_sigmoids apart, or it checks nothing
            m2 = Model(m.path, m.container, "2.15.0", m.layers, m.sha256)
            d2 = max(float(np.abs(forward(m2, r)[0] - np.array(o)).max()) for r, o in zip(ins, fx["outputs"]))
            rows.append(("synthetic %-40s Keras 2 hard_sigmoid moves outputs by" % fx["file"][:40], d2, 1e-3, d2 > 1e-3))
    print()
    print("%-78s %10s %8s  %s" % ("check", "value", "limit", "result"))
    print("-" * 108)
    for label, v, lim, ok in rows:
        print("%-78s %10.3g %8.0g  %s" % (label, v, lim, "ok" if ok else "FAIL"))
    failed = sum(1 for r in rows if not r[3])
    print("-" * 108)
    print("%d checks, %d failed" % (len(rows), failed))
    return 1 if failed else 0


def _forward_with_hidden(model, x, hidden_out):
    """forward(), also returning the input of the final Dense (for the hidden-state check)."""
    head = Model(model.path, model.container, model.keras_version, model.layers[:-1], "")
    if head.layers:
        if model.layers[0].cls == "Masking":
            h, _ = forward(head, np.asarray(x, dtype=np.float64))
        else:
            h, _ = forward(head, x)
    else:
        h = np.asarray(x, dtype=np.float64)
    hidden_out.append(h)
    tail = Model(model.path, model.container, model.keras_version, model.layers[-1:], "")
    y, pre = forward(tail, h)
    return y, pre


# ==========================================================================
def load_word_index(models_dir):
    p = os.path.join(models_dir, "imdb_word_index.json")
    with open(p) as fh:
        return json.load(fh)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--models-dir", default=DEFAULT_MODELS)
    ap.add_argument("--self-check", action="store_true")
    ap.add_argument("--run", metavar="FILE", help="print the output of FILE for the ids given")
    ap.add_argument("ids", nargs="*", type=int)
    args = ap.parse_args()
    np.seterr(over="raise", invalid="raise")

    if args.self_check:
        return self_check(args.models_dir)
    if args.run:
        m = load_model(args.run)
        trace = []
        y, pre = forward(m, args.ids, trace)
        for t in trace:
            print(t)
        print("output", y.tolist(), "pre_activation", None if pre is None else pre.tolist())
        return 0

    word_index = load_word_index(args.models_dir)
    print("numpy", np.__version__, "h5py", h5py.__version__)
    print("%-56s %-9s %-8s %8s %6s  %s" % ("file", "container", "keras", "params", "rows", "output range"))
    for spec in FILES:
        model, fx = build_fixture(spec, args.models_dir, word_index)
        out = write_fixture(fx)
        o = np.array([v for row in fx["outputs"] for v in row])
        size = os.path.getsize(out)
        assert size < 100_000, (out, size)
        print("%-56s %-9s %-8s %8d %6d  [%.6f, %.6f]  %d B"
              % (spec["file"], model.container, model.keras_version, model.n_params(),
                 len(fx["inputs"]), o.min(), o.max(), size))
        for note, row in zip(fx["input_notes"], fx["outputs"]):
            print("    %-12s %s" % (", ".join("%.6f" % v for v in row), note[:110]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
