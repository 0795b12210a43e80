#!/usr/bin/python3
"""Export the ONNX files the ONNX importer is tested and benchmarked on, from PyTorch (fixed seeds).

Run from the repository root:
  /usr/bin/python3 tools/parity/export_onnx_models.py fixtures [DIR [NAME...]]   small test graphs (default src/test/resources/onnx; only NAMEs when given)
  /usr/bin/python3 tools/parity/export_onnx_models.py seed [FILE]      the full-size seed model (default target/onnx/seed_model.onnx)

Every fixture takes int64 token ids [batch, T] (input "input_ids") and gives "output" [batch, classes].
The weights are drawn uniform(-0.5, 0.5) everywhere, PyTorch's second bias b_hh included, so the
importer's bias sums (ONNX Wb + Rb) are exercised. A "last state" head reads h_n (ONNX Y_h), of both
directions for a bidirectional RNN, concatenated forward first: Keras' Bidirectional(last output).
out[:, -1, :] would be the backward direction's FIRST step, which Keras has no layer for
(bidir_lstm_last_step.onnx is exported to check that the importer refuses it).
The seed model is the one of ../shared/anchors/export_onnx.py (seed_model.py's Keras-style init,
seed 1234, opset 14, dynamic batch, T = 500).
"""
import os
import sys

import torch
import torch.nn as nn

OPSET = 14


class Net(nn.Module):
    """Embedding -> LSTM/GRU (layers, bidirectional) -> last state -> Linear -> activation."""

    def __init__(self, cell="lstm", vocab=50, emb=8, hidden=12, layers=1, bidirectional=False,
                 classes=1, activation="sigmoid", linear="gemm", last="h_n"):
        super().__init__()
        self.embedding = nn.Embedding(vocab, emb)
        rnn = nn.LSTM if cell == "lstm" else nn.GRU
        self.rnn = rnn(emb, hidden, num_layers=layers, bidirectional=bidirectional, batch_first=True)
        self.cell, self.bidirectional, self.last, self.activation, self.linear = cell, bidirectional, last, activation, linear
        # h_n.view(-1, hidden) gives rows of one state each, whatever the layers and directions.
        width = hidden if last == "h_n_view" else hidden * (2 if bidirectional else 1) * (layers if last == "h_n_reshape" else 1)
        # "matmul": x @ W + b with W [in, out], which the exporter writes as MatMul + Add (nn.Linear gives Gemm).
        self.weight = nn.Parameter(torch.empty(width, classes) if linear == "matmul" else torch.empty(classes, width))
        self.bias = nn.Parameter(torch.empty(classes))
        with torch.no_grad():
            for p in self.parameters():
                p.uniform_(-0.5, 0.5)

    def forward(self, x):
        out, state = self.rnn(self.embedding(x))
        h_n = state[0] if self.cell == "lstm" else state
        if self.last == "out":
            feat = out[:, -1, :]
        elif self.last == "out_size":  # the last step by its computed index: Shape, Gather, Sub, then Gather
            feat = out[:, out.size(1) - 1, :]
        elif self.last == "h_n_reshape":  # every state of h_n side by side: Keras' output only with one layer
            feat = h_n.transpose(0, 1).reshape(x.size(0), -1)
        elif self.last == "h_n_view":  # tutorials' h_n.view(-1, hidden): the batch's states, with one layer and one direction
            feat = h_n.view(-1, h_n.size(2))
        elif self.bidirectional:
            feat = torch.cat([h_n[-2], h_n[-1]], dim=1)
        else:
            feat = h_n[-1]
        y = feat @ self.weight + self.bias if self.linear == "matmul" else nn.functional.linear(feat, self.weight, self.bias)
        if self.activation == "sigmoid":
            return torch.sigmoid(y)
        if self.activation == "sigmoid_squeezed":  # the seed model's form: sigmoid(fc(h).squeeze(-1)).unsqueeze(-1)
            return torch.sigmoid(y.squeeze(-1)).unsqueeze(-1)
        if self.activation == "sigmoid_view":  # tutorials' sigmoid(fc(h)).view(-1): one probability per sequence, output [batch]
            return torch.sigmoid(y).view(-1)
        if self.activation == "softmax":
            return torch.softmax(y, dim=1)
        return y


# name -> (constructor options, sequence length T of the example input, dynamic sequence length?[, export options])
FIXTURES = {
    "lstm.onnx": (dict(), 9, False),
    "lstm_dynamic_length.onnx": (dict(hidden=11), 9, True),
    "lstm_stacked.onnx": (dict(hidden=10, layers=2), 7, False),
    "bidir_lstm.onnx": (dict(bidirectional=True), 8, False),
    "bidir_lstm_stacked.onnx": (dict(hidden=9, layers=2, bidirectional=True, classes=3, activation="softmax"), 6, False),
    "gru.onnx": (dict(cell="gru", classes=3, activation="softmax"), 9, False),
    "bidir_gru.onnx": (dict(cell="gru", hidden=10, bidirectional=True), 7, False),
    "gru_stacked_matmul.onnx": (dict(cell="gru", layers=2, linear="matmul", classes=3, activation="softmax"), 8, False),
    "lstm_matmul_linear.onnx": (dict(linear="matmul", classes=2, activation="none"), 9, False),
    "lstm_last_step.onnx": (dict(last="out"), 9, False),
    "bidir_lstm_last_step.onnx": (dict(bidirectional=True, last="out"), 8, False),
    "lstm_squeezed_sigmoid.onnx": (dict(hidden=7, activation="sigmoid_squeezed"), 10, False),
    # Batch fixed at 2 (no dynamic axes): torch writes the zero initial states as constants.
    "bidir_lstm_stacked_batch2.onnx": (dict(hidden=6, layers=2, bidirectional=True), 5, False, dict(batch=2, dynamic_batch=False)),
    # Opset 11: Squeeze/Unsqueeze/Slice take axes as attributes, Softmax's axis default is 1.
    "gru_opset11.onnx": (dict(cell="gru", layers=2, classes=3, activation="softmax"), 7, False, dict(opset=11)),
    # h_n.transpose(0, 1).reshape(batch, -1): with one bidirectional layer that is Keras' output ...
    "bidir_gru_h_n_reshape.onnx": (dict(cell="gru", hidden=9, bidirectional=True, last="h_n_reshape"), 6, False),
    # ... with two it also holds the first layer's states (must be refused).
    "bidir_lstm_stacked_all_states.onnx": (dict(hidden=4, layers=2, bidirectional=True, last="h_n_reshape"), 5, False),
    # Opsets 9 and 10: out[:, -1, :] is a Slice of the time axis from -1 to the end, then a Squeeze.
    "gru_last_step_opset9.onnx": (dict(cell="gru", hidden=8, last="out"), 7, False, dict(opset=9)),
    "lstm_last_step_opset10_dynamic_length.onnx": (dict(hidden=6, last="out"), 8, True, dict(opset=10)),
    # Batch fixed at 1 (torch's default without dynamic axes): x.size(0) folds into the constant 1.
    "bidir_gru_h_n_reshape_batch1.onnx": (dict(cell="gru", hidden=5, bidirectional=True, last="h_n_reshape"), 6, False,
                                          dict(batch=1, dynamic_batch=False)),
    # The forms of PyTorch tutorials: h_n.view(-1, hidden) into the head, sigmoid(...).view(-1) out of it (output [batch]).
    "lstm_h_n_view.onnx": (dict(hidden=6, last="h_n_view"), 8, False),
    "lstm_sigmoid_view.onnx": (dict(hidden=5, activation="sigmoid_view"), 9, False),
    # ... and with two layers h_n.view(-1, hidden) puts the first layer's states in the batch (must be refused).
    "lstm_stacked_h_n_view.onnx": (dict(hidden=4, layers=2, last="h_n_view"), 6, False),
    # ... as does one bidirectional layer's (its two directions' states as two rows).
    "bilstm_h_n_view.onnx": (dict(hidden=4, bidirectional=True, last="h_n_view"), 6, False),
    # out[:, out.size(1) - 1, :]: the last step by an index computed from the output's shape.
    "lstm_last_step_size_minus_1.onnx": (dict(hidden=6, last="out_size"), 7, False),
    "lstm_last_step_size_minus_1_dynamic_length.onnx": (dict(hidden=5, last="out_size"), 8, True),
}


def export(model, seq_len, dynamic_length, path, vocab, batch=1, dynamic_batch=True, opset=OPSET):
    x = torch.randint(1, vocab, (batch, seq_len), generator=torch.Generator().manual_seed(5))
    axes = {0: "batch", 1: "steps"} if dynamic_length else {0: "batch"}
    dynamic = {"input_ids": axes, "output": {0: "batch"}} if dynamic_batch else None
    torch.onnx.export(model.eval(), (x,), path, opset_version=opset, input_names=["input_ids"], output_names=["output"],
                      dynamic_axes=dynamic, do_constant_folding=True)
    print(path, os.path.getsize(path), "bytes")


def fixtures(out, only=None):
    os.makedirs(out, exist_ok=True)
    for i, (name, spec) in enumerate(FIXTURES.items()):
        if only and name not in only:
            continue  # the seed is still the fixture's place in the list, so one file is made as the whole run makes it
        options, seq_len, dynamic = spec[:3]
        torch.manual_seed(100 + i)
        export(Net(**options), seq_len, dynamic, os.path.join(out, name), 50, **(spec[3] if len(spec) > 3 else {}))


def seed(path):
    sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "..", "shared", "anchors"))
    sys.path.insert(0, "/work/shared/anchors")
    from seed_model import SEQ_LEN, VOCAB, SeedModel, SeedModelProb
    os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
    torch.manual_seed(1234)
    x = torch.randint(1, VOCAB, (1, SEQ_LEN), generator=torch.Generator().manual_seed(1241))
    torch.onnx.export(SeedModelProb(SeedModel().eval()), (x,), path, opset_version=OPSET,
                      input_names=["input_ids"], output_names=["prob"],
                      dynamic_axes={"input_ids": {0: "batch"}, "prob": {0: "batch"}}, do_constant_folding=True)
    print(path, os.path.getsize(path), "bytes")


if __name__ == "__main__":
    what = sys.argv[1] if len(sys.argv) > 1 else "fixtures"
    if what == "fixtures":
        fixtures(sys.argv[2] if len(sys.argv) > 2 else "src/test/resources/onnx", sys.argv[3:])
    elif what == "seed":
        seed(sys.argv[2] if len(sys.argv) > 2 else "target/onnx/seed_model.onnx")
    else:
        sys.exit("usage: export_onnx_models.py fixtures [DIR [NAME...]] | seed [FILE]")
