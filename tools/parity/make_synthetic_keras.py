#!/usr/bin/python3
"""Write small SYNTHETIC Keras model files the way Keras writes them, and their
reference outputs.

    /usr/bin/python3 tools/parity/make_synthetic_keras.py

The eight real Keras files (../shared/data/keras-models) cover Embedding, LSTM,
GRU, Bidirectional(concat), Dense, Dropout, mask_zero and TextVectorization.
These files cover the rest of what the Java importer maps: Masking,
GlobalMaxPooling1D, GlobalAveragePooling1D, SpatialDropout1D, float (numeric)
input, Bidirectional merge sum/ave/mul, top-level go_backwards, use_bias=False,
softmax heads with k >= 2, Keras 3 hard_sigmoid in LSTM and GRU, and
functional ("Functional") chain models, in both containers:

  * Keras 3 `.keras` zip (stored; metadata.json, config.json, model.weights.h5),
    config in Keras 3's schema (module / class_name / config / registered_name /
    build_config, DTypePolicy objects), weights in saving_lib's layout:
    layers/<snake class name>[_N]/vars/<i>, recurrent cells under cell/vars,
    Bidirectional under forward_layer/ and backward_layer/, every `vars` group
    with the saveable's name as attribute `name`, an empty root `vars`.
  * Keras 2.15 legacy `.h5`: root attributes model_config (JSON), keras_version
    "2.15.0", backend; model_weights with layer_names and, per layer,
    weight_names (an empty float64 array for a layer without weights, as Keras
    2 writes it) and datasets at <layer>/<weight name> (`dense/kernel:0`,
    `lstm/lstm_cell/kernel:0`, `bidirectional/forward_lstm/lstm_cell_1/kernel:0`),
    plus the empty top_level_model_weights group.

Weights are seeded random float32. The outputs are NOT computed here: after
writing the files this script loads each one back with keras_reference.py's own
readers (load_model: the config and weights as read from the file) and runs
keras_reference.forward, so the fixture comes from the bytes on disk.

Output: src/test/resources/keras-synthetic/<stem>.{keras,h5} and <stem>.json.
The model files are deterministic (fixed seeds, fixed zip dates, no HDF5
timestamps): running the script again rewrites them byte for byte. The fixtures'
float64 outputs can change in their last digit with another numpy build (far
below the tests' 1e-5); keep the committed ones unless a model changed.

It also writes files the importer must refuse (REFUSED, no fixture):
k2-missing-chunk-lstm.h5, a weight with a chunk never written;
k2-self-link-lstm.h5, a weight that is a soft link to itself (jhdf follows
links by recursion: a StackOverflowError, not a message, before the refusal);
k3-maskzero-masking-lstm.keras, Embedding(mask_zero) -> Masking -> LSTM (Keras'
Masking replaces the mask it receives, the engine's would combine them);
k2-fletcher32-flipped-lstm.h5, a chunk whose fletcher32 checksum fails (h5py
refuses to read it; jhdf does not check it); k2-off-grid-chunk-lstm.h5, a chunk
record off the weight's chunk grid, which HDF5 lays over the weight;
k2-scaleoffset-lstm.h5, weights through HDF5's scale-offset filter (lossy; jhdf
has no decoder for it); k2-repeated-index-node-lstm.h5, a chunk index whose nodes each list one node
below a thousand times (jhdf builds it whole: a million records);
k2-unreadable-weight-header-lstm.h5, a weight whose object header no reader can
open (a dataspace message of version 9);
k2-missing-weight-lstm.h5 and k3-missing-cell-vars-lstm.keras, a weight (a
weights group) that is not in the file; k2-latest-{fixed-array,extensible-array,btree2}-lstm.h5, written with
libver="latest", an LSTM kernel under each of HDF5 1.10's chunk indexes (jhdf
misplaces an extensible array's chunks when its unlimited dimension is not the
first: refused, as Keras never writes them). And
k2-fletcher32-lstm.h5 (SAME_AS): k2-chunked-gzip-lstm's model with fletcher32
checksums as well, read as that file.

    /usr/bin/python3 tools/parity/make_synthetic_keras.py --refused-only

writes only those (the models and fixtures stay as they are).
"""
import io
import json
import os
import sys
import zipfile

import h5py
import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import keras_reference as ref  # noqa: E402

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
OUT = os.path.join(ROOT, "src", "test", "resources", "keras-synthetic")

ASCII = h5py.string_dtype("ascii")
UTF8 = h5py.string_dtype("utf-8")
F32 = np.float32


# ==========================================================================
# Keras 3 config pieces (schema of the real 3.10 / 3.13 / 3.15 files)
# ==========================================================================
def k3_dtype():
    return {"module": "keras", "class_name": "DTypePolicy", "config": {"name": "float32"},
            "registered_name": None}


def k3_init(cls, **cfg):
    return {"module": "keras.initializers", "class_name": cls, "config": cfg, "registered_name": None}


def k3_layer(cls, config, build_shape=None):
    d = {"module": "keras.layers", "class_name": cls, "config": config, "registered_name": None}
    if build_shape is not None:
        d["build_config"] = {"input_shape": build_shape}
    return d


def k3_input(name, shape, dtype="float32"):
    return k3_layer("InputLayer", {"batch_shape": shape, "dtype": dtype, "sparse": False,
                                   "ragged": False, "name": name})


def k3_embedding(name, vocab, dim, mask_zero, build_shape):
    return k3_layer("Embedding", {
        "name": name, "trainable": True, "dtype": k3_dtype(), "input_dim": vocab, "output_dim": dim,
        "embeddings_initializer": k3_init("RandomUniform", seed=None, minval=-0.05, maxval=0.05),
        "embeddings_regularizer": None, "activity_regularizer": None, "embeddings_constraint": None,
        "mask_zero": mask_zero}, build_shape)


def k3_rnn_config(cls, name, units, return_sequences=False, go_backwards=False, use_bias=True,
                  recurrent_activation="sigmoid", zero_output_for_mask=False, reset_after=True):
    c = {"name": name, "trainable": True, "dtype": k3_dtype(), "return_sequences": return_sequences,
         "return_state": False, "go_backwards": go_backwards, "stateful": False, "unroll": False,
         "zero_output_for_mask": zero_output_for_mask, "units": units, "activation": "tanh",
         "recurrent_activation": recurrent_activation, "use_bias": use_bias,
         "kernel_initializer": k3_init("GlorotUniform", seed=None),
         "recurrent_initializer": k3_init("Orthogonal", seed=None, gain=1.0),
         "bias_initializer": k3_init("Zeros"),
         "kernel_regularizer": None, "recurrent_regularizer": None, "bias_regularizer": None,
         "activity_regularizer": None, "kernel_constraint": None, "recurrent_constraint": None,
         "bias_constraint": None, "dropout": 0.0, "recurrent_dropout": 0.0}
    if cls == "LSTM":
        c["unit_forget_bias"] = True
    else:
        c["reset_after"] = reset_after
    c["seed"] = None
    return c


def k3_rnn(cls, name, units, build_shape, **kw):
    return k3_layer(cls, k3_rnn_config(cls, name, units, **kw), build_shape)


def k3_bidirectional(name, cls, units, merge_mode, build_shape, suffix="", **kw):
    """Keras 3 writes both directions; zero_output_for_mask forced to return_sequences."""
    seq = kw.get("return_sequences", False)
    kw = dict(kw, zero_output_for_mask=seq)
    low = cls.lower()
    fwd = k3_layer(cls, k3_rnn_config(cls, "forward_%s%s" % (low, suffix), units, **kw), build_shape)
    bwd = k3_layer(cls, k3_rnn_config(cls, "backward_%s%s" % (low, suffix), units,
                                      **dict(kw, go_backwards=True)), build_shape)
    return k3_layer("Bidirectional", {"name": name, "trainable": True, "dtype": k3_dtype(),
                                      "merge_mode": merge_mode, "layer": fwd, "backward_layer": bwd},
                    build_shape)


def k3_dense(name, units, activation, build_shape, use_bias=True):
    return k3_layer("Dense", {
        "name": name, "trainable": True, "dtype": k3_dtype(), "units": units, "activation": activation,
        "use_bias": use_bias, "kernel_initializer": k3_init("GlorotUniform", seed=None),
        "bias_initializer": k3_init("Zeros"), "kernel_regularizer": None, "bias_regularizer": None,
        "kernel_constraint": None, "bias_constraint": None}, build_shape)


def k3_simple(cls, name, build_shape=None, **extra):
    c = {"name": name, "trainable": True, "dtype": k3_dtype()}
    c.update(extra)
    return k3_layer(cls, c, build_shape)


def k3_sequential(name, layers, build_shape):
    return {"module": "keras", "class_name": "Sequential",
            "config": {"name": name, "trainable": True, "dtype": k3_dtype(), "layers": layers,
                       "build_input_shape": build_shape},
            "registered_name": None, "build_config": {"input_shape": build_shape},
            "compile_config": None}


def k3_functional(name, layers, shapes, dtypes):
    """A chain: layer i reads layer i-1 (Keras 3 node format: args of __keras_tensor__)."""
    out = []
    for i, L in enumerate(layers):
        L = dict(L)
        L["name"] = L["config"]["name"]
        if i == 0:
            L["inbound_nodes"] = []
        else:
            prev = layers[i - 1]["config"]["name"]
            L["inbound_nodes"] = [{"args": [{"class_name": "__keras_tensor__", "config": {
                "shape": shapes[i - 1], "dtype": dtypes[i - 1], "keras_history": [prev, 0, 0]}}],
                "kwargs": {}}]
        out.append(L)
    first, last = layers[0]["config"]["name"], layers[-1]["config"]["name"]
    return {"module": "keras.src.models.functional", "class_name": "Functional",
            "config": {"name": name, "trainable": True, "layers": out,
                       "input_layers": [[first, 0, 0]], "output_layers": [[last, 0, 0]]},
            "registered_name": "Functional", "build_config": {"input_shape": None},
            "compile_config": None}


# ==========================================================================
# Keras 2.15 config pieces (schema of the real 2.15 / 2.12 files)
# ==========================================================================
def k2_init(cls, **cfg):
    return {"module": "keras.initializers", "class_name": cls, "config": cfg, "registered_name": None}


def k2_input(name, shape, dtype="float32"):
    return {"class_name": "InputLayer", "config": {"batch_input_shape": shape, "dtype": dtype,
                                                   "sparse": False, "ragged": False, "name": name}}


def k2_embedding(name, vocab, dim, mask_zero, length):
    return {"class_name": "Embedding", "config": {
        "name": name, "trainable": True, "dtype": "float32", "batch_input_shape": [None, length],
        "input_dim": vocab, "output_dim": dim,
        "embeddings_initializer": k2_init("RandomUniform", minval=-0.05, maxval=0.05, seed=None),
        "embeddings_regularizer": None, "activity_regularizer": None, "embeddings_constraint": None,
        "mask_zero": mask_zero, "input_length": length}}


def k2_rnn_config(cls, name, units, return_sequences=False, go_backwards=False, use_bias=True,
                  recurrent_activation="sigmoid", reset_after=True):
    c = {"name": name, "trainable": True, "dtype": "float32", "return_sequences": return_sequences,
         "return_state": False, "go_backwards": go_backwards, "stateful": False, "unroll": False,
         "time_major": False, "units": units, "activation": "tanh",
         "recurrent_activation": recurrent_activation, "use_bias": use_bias,
         "kernel_initializer": k2_init("GlorotUniform", seed=None),
         "recurrent_initializer": k2_init("Orthogonal", gain=1.0, seed=None),
         "bias_initializer": k2_init("Zeros")}
    if cls == "LSTM":
        c["unit_forget_bias"] = True
    c.update({"kernel_regularizer": None, "recurrent_regularizer": None, "bias_regularizer": None,
              "activity_regularizer": None, "kernel_constraint": None, "recurrent_constraint": None,
              "bias_constraint": None, "dropout": 0.0, "recurrent_dropout": 0.0})
    if cls == "LSTM":
        c["implementation"] = 2
    else:
        c["implementation"] = 2
        c["reset_after"] = reset_after
    return c


def k2_rnn(cls, name, units, **kw):
    return {"class_name": cls, "config": k2_rnn_config(cls, name, units, **kw)}


def k2_bidirectional(name, cls, units, merge_mode, **kw):
    """Keras 2 writes only the wrapped layer (the backward one is its go_backwards copy)."""
    inner = {"module": "keras.layers", "class_name": cls,
             "config": k2_rnn_config(cls, cls.lower(), units, **kw), "registered_name": None}
    return {"class_name": "Bidirectional", "config": {"name": name, "trainable": True, "dtype": "float32",
                                                      "layer": inner, "merge_mode": merge_mode}}


def k2_dense(name, units, activation, use_bias=True):
    return {"class_name": "Dense", "config": {
        "name": name, "trainable": True, "dtype": "float32", "units": units, "activation": activation,
        "use_bias": use_bias, "kernel_initializer": k2_init("GlorotUniform", seed=None),
        "bias_initializer": k2_init("Zeros"), "kernel_regularizer": None, "bias_regularizer": None,
        "activity_regularizer": None, "kernel_constraint": None, "bias_constraint": None}}


def k2_simple(cls, name, **extra):
    c = {"name": name, "trainable": True, "dtype": "float32"}
    c.update(extra)
    return {"class_name": cls, "config": c}


def k2_sequential(name, layers):
    return {"class_name": "Sequential", "config": {"name": name, "layers": layers}}


def k2_functional(name, layers):
    out = []
    for i, L in enumerate(layers):
        L = dict(L)
        L["name"] = L["config"]["name"]
        L["inbound_nodes"] = [] if i == 0 else [[[layers[i - 1]["config"]["name"], 0, 0, {}]]]
        out.append(L)
    return {"class_name": "Functional", "config": {
        "name": name, "trainable": True, "layers": out,
        "input_layers": [[layers[0]["config"]["name"], 0, 0]],
        "output_layers": [[layers[-1]["config"]["name"], 0, 0]]}}


# ==========================================================================
# Weights (seeded, float32, Keras layout)
# ==========================================================================
class Rng:
    def __init__(self, seed):
        self.r = np.random.RandomState(seed)

    def u(self, shape, a):
        return self.r.uniform(-a, a, size=shape).astype(F32)

    def embedding(self, vocab, dim):
        return self.u((vocab, dim), 1.0)

    def rnn(self, cls, d, units, use_bias=True, reset_after=True, scale=1.0):
        g = 4 if cls == "LSTM" else 3
        lim = np.sqrt(6.0 / (d + g * units)) * 2.0 * scale
        w = [self.u((d, g * units), lim), self.u((units, g * units), 0.7 * scale)]
        if use_bias:
            if cls == "LSTM":
                b = self.u((4 * units,), 0.5)
                b[units:2 * units] += 1.0
            elif reset_after:
                b = self.u((2, 3 * units), 0.5)
            else:
                b = self.u((3 * units,), 0.5)
            w.append(b.astype(F32))
        return w

    def dense(self, d, units, use_bias=True, scale=1.0):
        w = [self.u((d, units), scale)]
        if use_bias:
            w.append(self.u((units,), 0.5))
        return w


# ==========================================================================
# Writers
# ==========================================================================
ZIP_DATE = (2026, 12, 3, 0, 0, 0)


def write_keras3(path, config, groups, model_name, version="3.10.0"):
    """groups: [(group path under layers/, {sub path: (vars name attr, [arrays])})] in layer order.
    A sub path "" is the layer's own vars; "cell", "forward_layer/cell", ... nest."""
    buf = io.BytesIO()
    with h5py.File(buf, "w", libver="earliest") as f:
        layers = f.create_group("layers")
        for gname, parts in groups:
            g = layers.create_group(gname)
            for sub, (vname, arrays) in parts.items():
                base = g.require_group(sub) if sub else g
                v = base.create_group("vars")
                v.attrs["name"] = vname
                for i, a in enumerate(arrays):
                    v.create_dataset(str(i), data=np.asarray(a, dtype=F32))
        root_vars = f.create_group("vars")
        root_vars.attrs["name"] = model_name
    weights = buf.getvalue()
    meta = json.dumps({"keras_version": version, "date_saved": "2026-12-03@00:00:00"}).encode()
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_STORED) as z:
        for name, data, date in (("metadata.json", meta, (1980, 1, 1, 0, 0, 0)),
                                 ("config.json", json.dumps(config).encode(), (1980, 1, 1, 0, 0, 0)),
                                 ("model.weights.h5", weights, ZIP_DATE)):
            info = zipfile.ZipInfo(name, date_time=date)
            info.compress_type = zipfile.ZIP_STORED
            info.create_system = 3
            info.external_attr = 0o600 << 16
            z.writestr(info, data)


def write_keras2_h5(path, config, layer_weights, version="2.15.0", storage=None):
    """layer_weights: [(layer name, [(weight name, array)])] in model.layers order.
    storage: None writes every weight contiguous, as Keras does; "chunked-gzip" writes each as
    h5py does when a file is re-saved with compression (chunks of about a third of each
    dimension, shuffle + gzip); "missing-chunk" writes the same chunks but leaves each 2-D
    weight's last chunk row unwritten, a weight written in part (the importer must refuse it);
    "self-link" makes each recurrent kernel a soft link to itself (refused too); "latest-..."
    writes the file with libver="latest", whose chunked weights get HDF5 1.10's chunk indexes
    (refused: jhdf misplaces the chunks of some of them)."""
    libver = "latest" if storage and storage.startswith("latest-") else "earliest"
    with h5py.File(path, "w", libver=libver) as f:
        f.attrs.create("backend", "tensorflow", dtype=UTF8)
        f.attrs.create("keras_version", version, dtype=UTF8)
        f.attrs.create("model_config", json.dumps(config), dtype=ASCII)
        mw = f.create_group("model_weights")
        mw.attrs.create("backend", "tensorflow", dtype=ASCII)
        mw.attrs.create("keras_version", version, dtype=ASCII)
        names = [n for n, _ in layer_weights]
        mw.attrs.create("layer_names", np.array(names, dtype=object), dtype=ASCII)
        for lname, ws in layer_weights:
            g = mw.create_group(lname)
            if ws:
                g.attrs.create("weight_names", np.array([n for n, _ in ws], dtype=object), dtype=ASCII)
            else:
                g.attrs["weight_names"] = np.asarray([])   # Keras 2: np.asarray([]) -> float64 (0,)
            for wname, a in ws:
                write_weight(g, wname, np.asarray(a, dtype=F32), storage)
        top = mw.create_group("top_level_model_weights")
        top.attrs["weight_names"] = np.asarray([])


def write_weight(group, name, a, storage):
    if storage is None:
        group.create_dataset(name, data=a)
        return
    chunks = tuple(max(1, (n + 2) // 3) for n in a.shape)
    if storage == "chunked-gzip":
        group.create_dataset(name, data=a, chunks=chunks, shuffle=True, compression="gzip", compression_opts=6)
    elif storage == "fletcher32":
        group.create_dataset(name, data=a, chunks=chunks, shuffle=True, compression="gzip", compression_opts=6, fletcher32=True)
    elif storage == "fletcher32-flipped":
        group.create_dataset(name, data=a, chunks=chunks, fletcher32=True)
    elif storage == "scaleoffset":
        group.create_dataset(name, data=a, scaleoffset=4)
    elif storage == "one-chunk":
        if name.endswith("lstm_cell/kernel:0"):
            group.create_dataset(name, data=a, chunks=a.shape)
        else:
            group.create_dataset(name, data=a)
    elif storage == "off-grid-chunk":
        if name.endswith("lstm_cell/kernel:0"):
            group.create_dataset(name, data=a, chunks=(2, a.shape[1]), compression="gzip")
        else:
            group.create_dataset(name, data=a)
    elif storage == "self-link":
        if name.endswith("recurrent_kernel:0"):
            group[name] = h5py.SoftLink(group.name + "/" + name)
        else:
            group.create_dataset(name, data=a)
    elif storage.startswith("latest-"):
        # The LSTM kernel only, under one of HDF5 1.10's chunk indexes: a fixed array (fixed size),
        # an extensible array (one unlimited dimension; the second one here, which jhdf misplaces:
        # the weight imported wrong in most of its values), a version 2 B-tree (two unlimited).
        if not name.endswith("lstm_cell/kernel:0"):
            group.create_dataset(name, data=a)
        elif storage == "latest-fixed-array":
            group.create_dataset(name, data=a, chunks=chunks)
        elif storage == "latest-extensible-array":
            group.create_dataset(name, data=a, chunks=chunks, maxshape=(a.shape[0], None))
        elif storage == "latest-btree2":
            group.create_dataset(name, data=a, chunks=chunks, maxshape=(None, None))
        else:
            raise ValueError(storage)
    elif storage == "missing-chunk":
        d = group.create_dataset(name, shape=a.shape, dtype=F32, chunks=chunks)
        if a.ndim == 2 and a.shape[0] > chunks[0]:
            last = (a.shape[0] - 1) // chunks[0] * chunks[0]   # first row of the last chunk row
            d[:last] = a[:last]
        else:
            d[...] = a
    else:
        raise ValueError(storage)


def k2_names(prefix, cell, cls_weights):
    return ["%s/%s/%s:0" % (prefix, cell, n) if cell else "%s/%s:0" % (prefix, n) for n in cls_weights]


RNN_NAMES = ["kernel", "recurrent_kernel", "bias"]


# ==========================================================================
# The models
# ==========================================================================
def model_a():
    """Keras 3: float input (None, None, 7) -> Masking -> LSTM(6, seq) -> GAP -> Dense(3, softmax)."""
    r = Rng(201)
    F, H, C = 7, 6, 3
    lstm, dense = r.rnn("LSTM", F, H), r.dense(H, C, scale=1.5)
    cfg = k3_sequential("sequential", [
        k3_input("input_layer", [None, None, F]),
        k3_simple("Masking", "masking", mask_value=0.0),
        k3_rnn("LSTM", "lstm", H, [None, None, F], return_sequences=True),
        k3_simple("GlobalAveragePooling1D", "global_average_pooling1d", [None, None, H],
                  data_format="channels_last", keepdims=False),
        k3_dense("dense", C, "softmax", [None, H]),
    ], [None, None, F])
    groups = [("masking", {"": ("masking", [])}),
              ("lstm", {"cell": ("lstm_cell", lstm), "": ("lstm", [])}),
              ("global_average_pooling1d", {"": ("global_average_pooling1d", [])}),
              ("dense", {"": ("dense", dense)})]
    return dict(kind="k3", config=cfg, groups=groups, model_name="sequential", features=F, length=None,
                covers="float input with variable length (InputLayer batch_shape [null, null, 7]), Masking(0.0), "
                       "LSTM return_sequences with carried outputs at masked steps, GlobalAveragePooling1D over "
                       "the unmasked steps only, Dense(3, softmax)")


def model_b():
    """Keras 3: Emb(30,5,mask_zero) -> Bidirectional(GRU(4, seq, reset_after), sum) -> GMP -> Dense(1)."""
    r = Rng(202)
    V, D, H, T = 30, 5, 4, 10
    emb, fw, bw, dense = r.embedding(V, D), r.rnn("GRU", D, H), r.rnn("GRU", D, H), r.dense(H, 1, scale=1.5)
    cfg = k3_sequential("sequential", [
        k3_input("input_layer", [None, T]),
        k3_embedding("embedding", V, D, True, [None, T]),
        k3_bidirectional("bidirectional", "GRU", H, "sum", [None, T, D], return_sequences=True,
                         reset_after=True),
        k3_simple("GlobalMaxPooling1D", "global_max_pooling1d", [None, T, H],
                  data_format="channels_last", keepdims=False),
        k3_dense("dense", 1, "sigmoid", [None, H]),
    ], [None, T])
    groups = [("embedding", {"": ("embedding", [emb])}),
              ("bidirectional", {"forward_layer/cell": ("gru_cell", fw), "forward_layer": ("forward_gru", []),
                                 "backward_layer/cell": ("gru_cell", bw), "backward_layer": ("backward_gru", []),
                                 "": ("bidirectional", [])}),
              ("global_max_pooling1d", {"": ("global_max_pooling1d", [])}),
              ("dense", {"": ("dense", dense)})]
    return dict(kind="k3", config=cfg, groups=groups, model_name="sequential", length=T,
                covers="Embedding mask_zero, Bidirectional(GRU reset_after=True, return_sequences) merge_mode sum "
                       "(masked steps output 0 in both directions), GlobalMaxPooling1D (Keras: max over ALL steps, "
                       "the mask is ignored), Dense(1, sigmoid)")


def model_c():
    """Keras 2.15 h5: Emb(30,6,mask_zero,12) -> SpatialDropout1D -> Bi(LSTM(5)) ave -> Dense(4,relu) -> Dense(1)."""
    r = Rng(203)
    V, D, H, T = 30, 6, 5, 12
    emb, fw, bw = r.embedding(V, D), r.rnn("LSTM", D, H), r.rnn("LSTM", D, H)
    d1, d2 = r.dense(H, 4), r.dense(4, 1, scale=1.5)
    cfg = k2_sequential("sequential", [
        k2_input("embedding_input", [None, T]),
        k2_embedding("embedding", V, D, True, T),
        k2_simple("SpatialDropout1D", "spatial_dropout1d", rate=0.2, noise_shape=None, seed=None),
        k2_bidirectional("bidirectional", "LSTM", H, "ave"),
        k2_dense("dense", 4, "relu"),
        k2_dense("dense_1", 1, "sigmoid"),
    ])
    lw = [("embedding", [("embedding/embeddings:0", emb)]),
          ("spatial_dropout1d", []),
          ("bidirectional", list(zip(k2_names("bidirectional/forward_lstm", "lstm_cell_1", RNN_NAMES), fw))
           + list(zip(k2_names("bidirectional/backward_lstm", "lstm_cell_2", RNN_NAMES), bw))),
          ("dense", list(zip(k2_names("dense", None, ["kernel", "bias"]), d1))),
          ("dense_1", list(zip(k2_names("dense_1", None, ["kernel", "bias"]), d2)))]
    return dict(kind="k2", config=cfg, layer_weights=lw, length=T,
                covers="Keras 2.15 legacy h5: Embedding mask_zero (input_length 12), SpatialDropout1D (a layer "
                       "without weights: weight_names is an empty float64 array), Bidirectional(LSTM) merge_mode ave "
                       "(Keras 2 config: no backward_layer), Dense(4, relu), Dense(1, sigmoid)")


def model_d():
    """Keras 3: Emb(25,4) -> LSTM(6, go_backwards, use_bias=False) -> Dense(2, softmax)."""
    r = Rng(204)
    V, D, H, T = 25, 4, 6, 9
    emb, lstm, dense = r.embedding(V, D), r.rnn("LSTM", D, H, use_bias=False), r.dense(H, 2, scale=2.0)
    cfg = k3_sequential("sequential", [
        k3_input("input_layer", [None, T]),
        k3_embedding("embedding", V, D, False, [None, T]),
        k3_rnn("LSTM", "lstm", H, [None, T, D], go_backwards=True, use_bias=False),
        k3_dense("dense", 2, "softmax", [None, H]),
    ], [None, T])
    groups = [("embedding", {"": ("embedding", [emb])}),
              ("lstm", {"cell": ("lstm_cell", lstm), "": ("lstm", [])}),
              ("dense", {"": ("dense", dense)})]
    return dict(kind="k3", config=cfg, groups=groups, model_name="sequential", length=T,
                covers="LSTM go_backwards=True at top level, use_bias=False (cell/vars holds kernel and "
                       "recurrent_kernel only), Dense(2, softmax), no masking (0 is an ordinary token)")


def model_e():
    """Keras 3: Emb(20,5,mask_zero) -> Bi(LSTM(4, seq, hard_sigmoid)) mul -> GRU(5, reset_after=False,
    hard_sigmoid) -> Dense(1, sigmoid)."""
    r = Rng(205)
    V, D, H1, H2, T = 20, 5, 4, 5, 11
    emb = r.embedding(V, D)
    fw, bw = r.rnn("LSTM", D, H1, scale=2.0), r.rnn("LSTM", D, H1, scale=2.0)
    gru = r.rnn("GRU", H1, H2, reset_after=False, scale=2.5)
    dense = r.dense(H2, 1, scale=2.0)
    cfg = k3_sequential("sequential", [
        k3_input("input_layer", [None, T]),
        k3_embedding("embedding", V, D, True, [None, T]),
        k3_bidirectional("bidirectional", "LSTM", H1, "mul", [None, T, D], return_sequences=True,
                         recurrent_activation="hard_sigmoid"),
        k3_rnn("GRU", "gru", H2, [None, T, H1], reset_after=False, recurrent_activation="hard_sigmoid"),
        k3_dense("dense", 1, "sigmoid", [None, H2]),
    ], [None, T])
    groups = [("embedding", {"": ("embedding", [emb])}),
              ("bidirectional", {"forward_layer/cell": ("lstm_cell", fw), "forward_layer": ("forward_lstm", []),
                                 "backward_layer/cell": ("lstm_cell", bw), "backward_layer": ("backward_lstm", []),
                                 "": ("bidirectional", [])}),
              ("gru", {"cell": ("gru_cell", gru), "": ("gru", [])}),
              ("dense", {"": ("dense", dense)})]
    return dict(kind="k3", config=cfg, groups=groups, model_name="sequential", length=T,
                covers="Keras 3 hard_sigmoid (read as clip(x/6 + 0.5, 0, 1)) in a Bidirectional(LSTM, "
                       "return_sequences) merge_mode mul and in a GRU reset_after=False (bias (3u,)); mask_zero "
                       "through the Bidirectional into the GRU; weights scaled so gates leave [-3, 3]")


def model_f():
    """Keras 3 Functional chain: Input(12) -> Emb(30,5,mask_zero) -> GRU(6, go_backwards) -> Dropout ->
    Dense(8, tanh) -> Dense(3, softmax)."""
    r = Rng(206)
    V, D, H, T = 30, 5, 6, 12
    emb, gru = r.embedding(V, D), r.rnn("GRU", D, H, reset_after=True)
    d1, d2 = r.dense(H, 8), r.dense(8, 3, scale=1.5)
    layers = [k3_input("input_layer", [None, T], "int32"),
              k3_embedding("embedding", V, D, True, [None, T]),
              k3_rnn("GRU", "gru", H, [None, T, D], go_backwards=True, reset_after=True),
              k3_simple("Dropout", "dropout", rate=0.25, seed=None, noise_shape=None),
              k3_dense("dense", 8, "tanh", [None, H]),
              k3_dense("dense_1", 3, "softmax", [None, 8])]
    shapes = [[None, T], [None, T, D], [None, H], [None, H], [None, 8], [None, 3]]
    dtypes = ["int32", "float32", "float32", "float32", "float32", "float32"]
    cfg = k3_functional("functional", layers, shapes, dtypes)
    # Functional.layers includes the InputLayer, so saving_lib writes its (empty) group too
    groups = [("input_layer", {"": ("input_layer", [])}),
              ("embedding", {"": ("embedding", [emb])}),
              ("gru", {"cell": ("gru_cell", gru), "": ("gru", [])}),
              ("dropout", {"": ("dropout", [])}),
              ("dense", {"": ("dense", d1)}),
              ("dense_1", {"": ("dense_1", d2)})]
    return dict(kind="k3", config=cfg, groups=groups, model_name="functional", length=T,
                covers="Keras 3 Functional chain (inbound_nodes as {args: [__keras_tensor__ {keras_history}], "
                       "kwargs}), InputLayer group in the weights, Embedding mask_zero, GRU go_backwards=True "
                       "reset_after=True, Dropout, Dense(8, tanh), Dense(3, softmax)")


def model_g():
    """Keras 2.15 Functional chain: Input(None, None, 4) -> Masking -> GRU(5, go_backwards, no bias) -> Dense(1)."""
    r = Rng(207)
    F, H = 4, 5
    gru, dense = r.rnn("GRU", F, H, use_bias=False), r.dense(H, 1, scale=1.5)
    cfg = k2_functional("model", [
        k2_input("input_1", [None, None, F]),
        k2_simple("Masking", "masking", mask_value=0.0),
        k2_rnn("GRU", "gru", H, go_backwards=True, use_bias=False, reset_after=True),
        k2_dense("dense", 1, "sigmoid"),
    ])
    lw = [("input_1", []), ("masking", []),
          ("gru", list(zip(k2_names("gru", "gru_cell", ["kernel", "recurrent_kernel"]), gru))),
          ("dense", list(zip(k2_names("dense", None, ["kernel", "bias"]), dense)))]
    return dict(kind="k2", config=cfg, layer_weights=lw, features=F, length=None,
                covers="Keras 2.15 Functional chain (inbound_nodes [[[name, 0, 0, {}]]], InputLayer in "
                       "layer_names), float input with variable length, Masking, GRU go_backwards=True "
                       "use_bias=False (reset_after=True, no bias array), Dense(1, sigmoid)")


def model_h():
    """Keras 2.15 h5: float input (None, 10, 3) -> Masking -> Bi(LSTM(4, seq)) sum -> GMP -> Dense(3, softmax)."""
    r = Rng(208)
    F, H, T, C = 3, 4, 10, 3
    fw, bw, dense = r.rnn("LSTM", F, H), r.rnn("LSTM", F, H), r.dense(H, C, scale=1.5)
    cfg = k2_sequential("sequential", [
        k2_input("masking_input", [None, T, F]),
        dict(k2_simple("Masking", "masking", mask_value=0.0)),
        k2_bidirectional("bidirectional", "LSTM", H, "sum", return_sequences=True),
        k2_simple("GlobalMaxPooling1D", "global_max_pooling1d", data_format="channels_last", keepdims=False),
        k2_dense("dense", C, "softmax"),
    ])
    cfg["config"]["layers"][1]["config"]["batch_input_shape"] = [None, T, F]
    lw = [("masking", []),
          ("bidirectional", list(zip(k2_names("bidirectional/forward_lstm", "lstm_cell_1", RNN_NAMES), fw))
           + list(zip(k2_names("bidirectional/backward_lstm", "lstm_cell_2", RNN_NAMES), bw))),
          ("global_max_pooling1d", []),
          ("dense", list(zip(k2_names("dense", None, ["kernel", "bias"]), dense)))]
    return dict(kind="k2", config=cfg, layer_weights=lw, features=F, length=T,
                covers="Keras 2.15 legacy h5: float input of fixed length (batch_input_shape [null, 10, 3]), "
                       "Masking, Bidirectional(LSTM, return_sequences) merge_mode sum, GlobalMaxPooling1D "
                       "(max over all steps, mask ignored), Dense(3, softmax)")


def model_i(storage="chunked-gzip"):
    """Keras 2.15 h5, every weight chunked and gzip-compressed: Emb(40,5,15) -> LSTM(7) -> Dense(1)."""
    r = Rng(209)
    V, D, H, T = 40, 5, 7, 15
    emb, lstm, dense = r.embedding(V, D), r.rnn("LSTM", D, H), r.dense(H, 1, scale=1.5)
    cfg = k2_sequential("sequential", [
        k2_input("embedding_input", [None, T]),
        k2_embedding("embedding", V, D, False, T),
        k2_rnn("LSTM", "lstm", H),
        k2_dense("dense", 1, "sigmoid"),
    ])
    lw = [("embedding", [("embedding/embeddings:0", emb)]),
          ("lstm", list(zip(k2_names("lstm", "lstm_cell", RNN_NAMES), lstm))),
          ("dense", list(zip(k2_names("dense", None, ["kernel", "bias"]), dense)))]
    return dict(kind="k2", config=cfg, layer_weights=lw, length=T, storage=storage,
                covers="Keras 2.15 legacy h5 whose weights are chunked datasets, shuffle + gzip (as h5py "
                       "writes them when a file is re-saved with compression; Keras itself writes them "
                       "contiguous): Embedding, LSTM(7), Dense(1, sigmoid)")


MODELS = [
    ("k3-numeric-masking-lstm-gap-softmax", model_a),
    ("k3-maskzero-bigru-sum-gmaxpool", model_b),
    ("k2-maskzero-spatialdropout-bilstm-ave", model_c),
    ("k3-lstm-backwards-nobias-softmax", model_d),
    ("k3-bilstm-mul-gru-hardsigmoid", model_e),
    ("k3-functional-gru-backwards-softmax", model_f),
    ("k2-functional-numeric-masking-gru-nobias", model_g),
    ("k2-numeric-masking-bilstm-sum-gmaxpool", model_h),
    ("k2-chunked-gzip-lstm", model_i),
]

def model_maskzero_masking():
    """Keras 3: Emb(20,4,mask_zero) -> Masking(0.0) -> LSTM(3) -> Dense(1): refused (see the module notes)."""
    r = Rng(210)
    V, D, H, T = 20, 4, 3, 8
    emb, lstm, dense = r.embedding(V, D), r.rnn("LSTM", D, H), r.dense(H, 1)
    cfg = k3_sequential("sequential", [
        k3_input("input_layer", [None, T]),
        k3_embedding("embedding", V, D, True, [None, T]),
        k3_simple("Masking", "masking", [None, T, D], mask_value=0.0),
        k3_rnn("LSTM", "lstm", H, [None, T, D]),
        k3_dense("dense", 1, "sigmoid", [None, H]),
    ], [None, T])
    groups = [("embedding", {"": ("embedding", [emb])}),
              ("masking", {"": ("masking", [])}),
              ("lstm", {"cell": ("lstm_cell", lstm), "": ("lstm", [])}),
              ("dense", {"": ("dense", dense)})]
    return dict(kind="k3", config=cfg, groups=groups, model_name="sequential")


def flip_dense_kernel_byte(path):
    """One byte of the Dense kernel's first chunk flipped: its fletcher32 checksum fails (h5py refuses to read it)."""
    with h5py.File(path, "r") as f:
        info = f["model_weights/dense/dense/kernel:0"].id.get_chunk_info(0)
    b = bytearray(open(path, "rb").read())
    b[info.byte_offset + 3] ^= 0x40
    open(path, "wb").write(b)


def break_lstm_kernel_header(path):
    """The LSTM kernel's object header (version 1) gets a dataspace message of version 9, which no
    HDF5 has: the dataset is there, but no reader can open it. The importer said it was not there."""
    import struct
    with h5py.File(path, "r") as f:
        addr = h5py.h5o.get_info(f["model_weights/lstm/lstm/lstm_cell/kernel:0"].id).addr
    b = bytearray(open(path, "rb").read())
    assert b[addr] == 1, "object header version 1"
    at = addr + 16
    for _ in range(struct.unpack_from("<H", b, addr + 2)[0]):
        kind, size = struct.unpack_from("<HH", b, at)
        if kind == 1:   # the dataspace message: its version is its body's first byte
            b[at + 8] = 9
            open(path, "wb").write(b)
            return
        at += 8 + size
    raise AssertionError("no dataspace message")


def delete_lstm_bias(path):
    """The LSTM bias deleted cleanly, its name left in weight_names: a weight missing from a whole
    file. jhdf's "no such path" needs the file's name, which a file read from memory has not, and
    the importer called the file corrupt."""
    with h5py.File(path, "a") as f:
        del f["model_weights/lstm/lstm/lstm_cell/bias:0"]


def without_lstm_cell_vars(spec):
    """A .keras file whose layers/lstm/cell/vars group is not there (another layout): said to be
    missing, not "not a readable HDF5 file"."""
    spec["groups"] = [(g, {sub: v for sub, v in parts.items() if not (g == "lstm" and sub == "cell")}) for g, parts in spec["groups"]]
    return spec


def add_off_grid_chunk(path):
    """The LSTM kernel's chunk index (a B-tree v1 leaf, chunks of 2 rows) gets one more record, at
    row 1: off the grid, 2 x 12 values of 9.0. HDF5 (h5py, so Keras) lays it over rows 1-2 of the
    weight; jhdf decoded it too, in parallel with the grid's chunks."""
    import struct
    import zlib
    b = bytearray(open(path, "rb").read())
    leaves = [i for i in range(len(b)) if b[i:i + 6] == b"TREE\x01\x00"]
    assert len(leaves) == 1, leaves
    leaf = leaves[0]
    refs = [i for i in range(len(b) - 8) if b[i:i + 8] == struct.pack("<Q", leaf)]
    assert len(refs) == 1, refs
    n = struct.unpack_from("<H", b, leaf + 6)[0]
    key_size, p, entries = 4 + 4 + 8 * 3, leaf + 8 + 16, []
    for _ in range(n):
        entries.append((bytes(b[p:p + key_size]), struct.unpack_from("<Q", b, p + key_size)[0]))
        p += key_size + 8
    with h5py.File(path, "r") as f:
        cols = f["model_weights/lstm/lstm/lstm_cell/kernel:0"].shape[1]
    while len(b) % 8:
        b.append(0)
    stream = zlib.compress(np.full((2, cols), 9.0, dtype=F32).tobytes())
    address = len(b)
    b += stream
    entries.append((struct.pack("<IIQQQ", len(stream), 0, 1, 0, 0), address))
    entries.sort(key=lambda e: struct.unpack_from("<QQ", e[0], 8))
    while len(b) % 8:
        b.append(0)
    node = bytearray(b"TREE" + bytes([1, 0]) + struct.pack("<H", len(entries)) + b"\xff" * 16)
    for key, child in entries:
        node += key + struct.pack("<Q", child)
    node += struct.pack("<IIQQQ", 0, 0, 1 << 40, 0, 0)
    moved = len(b)
    b += node + bytes(4096)
    b[refs[0]:refs[0] + 8] = struct.pack("<Q", moved)
    b[40:48] = struct.pack("<Q", len(b))   # the superblock's end-of-file address
    open(path, "wb").write(b)


def repeat_index_node(path, entries=1024, levels=2):
    """The LSTM kernel (one chunk) gets a chunk index of `levels` levels above its leaf, each node of
    `entries` entries all pointing at the node below: a 70 KB file whose index lists
    entries^levels chunk records. jhdf built the whole tree before reading a chunk (three levels
    of 1,024: 91 s, then out of memory at 2 GB)."""
    import struct
    b = bytearray(open(path, "rb").read())
    leaves = [i for i in range(len(b)) if b[i:i + 6] == b"TREE\x01\x00"]
    assert len(leaves) == 1, leaves
    refs = [i for i in range(len(b) - 8) if b[i:i + 8] == struct.pack("<Q", leaves[0])]
    assert len(refs) == 1, refs
    key = struct.pack("<II", 0, 0) + b"\0" * 8 * 3
    child = leaves[0]
    while len(b) % 8:
        b.append(0)
    for level in range(1, levels + 1):
        node = bytearray(b"TREE" + bytes([1, level]) + struct.pack("<H", entries) + b"\xff" * 16)
        for _ in range(entries):
            node += key + struct.pack("<Q", child)
        node += key
        child = len(b)
        b += node
    b[refs[0]:refs[0] + 8] = struct.pack("<Q", child)
    b[40:48] = struct.pack("<Q", len(b))   # the superblock's end-of-file address
    open(path, "wb").write(b)


# Files the importer must refuse (no outputs): written like the models above, but broken or unsupported.
REFUSED = [
    ("k2-scaleoffset-lstm", lambda: model_i(storage="scaleoffset")),
    ("k2-repeated-index-node-lstm", lambda: dict(model_i(storage="one-chunk"), post=repeat_index_node)),
    ("k2-fletcher32-flipped-lstm", lambda: dict(model_i(storage="fletcher32-flipped"), post=flip_dense_kernel_byte)),
    ("k2-off-grid-chunk-lstm", lambda: dict(model_i(storage="off-grid-chunk"), post=add_off_grid_chunk)),
    ("k2-missing-chunk-lstm", lambda: model_i(storage="missing-chunk")),
    ("k2-self-link-lstm", lambda: model_i(storage="self-link")),
    ("k2-unreadable-weight-header-lstm", lambda: dict(model_i(), post=break_lstm_kernel_header)),
    ("k2-latest-fixed-array-lstm", lambda: model_i(storage="latest-fixed-array")),
    ("k2-latest-extensible-array-lstm", lambda: model_i(storage="latest-extensible-array")),
    ("k2-latest-btree2-lstm", lambda: model_i(storage="latest-btree2")),
    ("k3-maskzero-masking-lstm", model_maskzero_masking),
    ("k2-missing-weight-lstm", lambda: dict(model_i(), post=delete_lstm_bias)),
    ("k3-missing-cell-vars-lstm", lambda: without_lstm_cell_vars(model_d())),
]

# Files the importer must read as another file of the same model (no fixture of their own).
SAME_AS = [
    ("k2-fletcher32-lstm", "k2-chunked-gzip-lstm", lambda: model_i(storage="fletcher32")),
]


# ==========================================================================
# Inputs
# ==========================================================================
def id_rows(seed, vocab, T):
    rng = np.random.RandomState(seed)
    rnd = lambda n: rng.randint(1, vocab, size=n).tolist()
    rows, notes = [], []
    rows.append(rnd(T)); notes.append("all %d ids non-zero" % T)
    rows.append([0] * (T - 1) + rnd(1)); notes.append("pre-padded: %d leading zeros + 1 id" % (T - 1))
    rows.append([0] * (T // 2) + rnd(T - T // 2)); notes.append("pre-padded: %d leading zeros + %d ids" % (T // 2, T - T // 2))
    rows.append(rnd(4) + [0] * (T - 4)); notes.append("post-padded: 4 ids + %d trailing zeros" % (T - 4))
    r = rnd(T); r[2] = 0; r[5] = 0
    rows.append(r); notes.append("zeros inside, at steps 2 and 5")
    rows.append([0] * 2 + rnd(T - 5) + [0] * 3); notes.append("2 leading zeros, %d ids, 3 trailing zeros" % (T - 5))
    return rows, notes


def seq_rows(seed, F, T):
    """Float sequences (values in [-1, 1], never an all-zero step unless it is padding).
    T None: variable length (lengths 1..12); else every row has T steps."""
    rng = np.random.RandomState(seed)

    def real(n):
        x = rng.uniform(-1, 1, size=(n, F))
        x[np.abs(x) < 1e-3] = 0.5
        return x.astype(F32).astype(np.float64).tolist()   # float32 values, exact in JSON

    zero = lambda n: [[0.0] * F for _ in range(n)]
    rows, notes = [], []
    if T is None:
        for n in (1, 2, 5, 12):
            rows.append(real(n)); notes.append("length %d, no padding" % n)
        rows.append(real(8) + zero(4)); notes.append("length 12: 8 steps + 4 trailing zero steps (masked)")
        rows.append(zero(3) + real(7)); notes.append("length 10: 3 leading zero steps (masked) + 7 steps")
        r = real(9); r[4] = [0.0] * F
        rows.append(r); notes.append("length 9 with an all-zero step at 4 (masked)")
    else:
        rows.append(real(T)); notes.append("%d steps, no padding" % T)
        rows.append(real(3) + zero(T - 3)); notes.append("3 steps + %d trailing zero steps (masked)" % (T - 3))
        rows.append(zero(T - 1) + real(1)); notes.append("%d leading zero steps (masked) + 1 step" % (T - 1))
        r = real(T); r[2] = [0.0] * F; r[7] = [0.0] * F
        rows.append(r); notes.append("zero steps at 2 and 7 (masked)")
        rows.append(zero(4) + real(T - 4)); notes.append("4 leading zero steps + %d steps" % (T - 4))
    return rows, notes


# ==========================================================================
def build(stem, fn, seed):
    spec = fn()
    ext = ".keras" if spec["kind"] == "k3" else ".h5"
    path = os.path.join(OUT, stem + ext)
    if spec["kind"] == "k3":
        write_keras3(path, spec["config"], spec["groups"], spec["model_name"])
    else:
        write_keras2_h5(path, spec["config"], spec["layer_weights"], storage=spec.get("storage"))
    # --- from here on only the file on disk is used ---
    model = ref.load_model(path)
    fx = {"file": os.path.basename(path), "sha256": model.sha256, "keras_version": model.keras_version,
          "container": model.container, "params": model.n_params(), "synthetic": True,
          "covers": spec["covers"],
          "layers": [[L.cls, L.name, L.source] for L in model.layers]}
    numeric = "features" in spec
    if numeric:
        rows, notes = seq_rows(seed, spec["features"], spec["length"])
        fx["sequences"] = rows
    else:
        rows, notes = id_rows(seed, ref.input_dim(model), spec["length"])
        fx["inputs"] = rows
    fx["input_notes"] = notes
    outs, pres, alt = [], [], []
    for r in rows:
        y, pre = ref.forward(model, r)
        outs.append(y.tolist())
        pres.append(None if pre is None else pre.tolist())
        y2, _ = ref.forward(model, r, max_pool_masked=True)
        alt.append(y2.tolist())
    fx["outputs"] = outs
    fx["pre_activation"] = pres
    if any(L.cls == "GlobalMaxPooling1D" for L in model.layers):
        # what a GlobalMaxPooling1D that skipped masked steps would give (NOT Keras; see the notes)
        fx["outputs_if_max_skipped_masked_steps"] = alt
    trace = []
    ref.forward(model, rows[0], trace)
    fx["layer_shapes"] = trace
    fx["notes"] = ref.fixture_notes(model) + [
        "synthetic file written by tools/parity/make_synthetic_keras.py (seeded random float32 weights); "
        "outputs computed by keras_reference.py from the file as read back"]
    if "outputs_if_max_skipped_masked_steps" in fx:
        fx["notes"].append("GlobalMaxPooling1D: Keras (2 and 3) takes the max over ALL steps and ignores the "
                           "mask; masked steps hold what the layer before output there (0 inside a "
                           "Bidirectional with return_sequences). outputs_if_max_skipped_masked_steps is the "
                           "mask-aware alternative, for diagnosis only")
    with open(os.path.join(OUT, stem + ".json"), "w") as fh:
        json.dump(fx, fh, separators=(",", ":"))
        fh.write("\n")
    return path, model, fx


def main():
    os.makedirs(OUT, exist_ok=True)
    np.seterr(over="raise", invalid="raise")
    for i, (stem, fn) in enumerate([] if "--refused-only" in sys.argv[1:] else MODELS):
        path, model, fx = build(stem, fn, 300 + i)
        o = np.array([v for row in fx["outputs"] for v in row])
        diff = ""
        if "outputs_if_max_skipped_masked_steps" in fx:
            d = np.abs(np.array(fx["outputs"]) - np.array(fx["outputs_if_max_skipped_masked_steps"])).max()
            diff = "  (mask-aware max would differ by up to %.3g)" % d
        print("%-48s %-9s %-7s %5d params %2d rows  out [%.4f, %.4f]  %d B%s"
              % (os.path.basename(path), model.container, model.keras_version, model.n_params(),
                 len(fx["outputs"]), o.min(), o.max(), os.path.getsize(path), diff))
    for stem, fn in REFUSED + [(stem, fn) for stem, _, fn in SAME_AS]:
        spec = fn()
        if spec["kind"] == "k3":
            path = os.path.join(OUT, stem + ".keras")
            write_keras3(path, spec["config"], spec["groups"], spec["model_name"])
        else:
            path = os.path.join(OUT, stem + ".h5")
            write_keras2_h5(path, spec["config"], spec["layer_weights"], storage=spec["storage"])
        if "post" in spec:
            spec["post"](path)
        print("%-48s refusal or same-model case, %d B" % (os.path.basename(path), os.path.getsize(path)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
