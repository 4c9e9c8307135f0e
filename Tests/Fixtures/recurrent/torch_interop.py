"""Loads a wordmill rnn classifier's safetensors export into PyTorch modules and checks that
PyTorch gives the class probabilities wordmill's `predict` gave.

Usage: torch_interop.py WEIGHTS.safetensors VOCAB.txt PREDICTIONS.jsonl
(PREDICTIONS: `wordmill predict --format jsonl` lines for whitespace-separated texts). Prints
"torch interop ok N" after comparing N texts.
"""
import json
import sys

import torch
import torch.nn as nn
from safetensors import safe_open
from safetensors.torch import load_file

weights_path, vocab_path, predictions_path = sys.argv[1:4]
state = load_file(weights_path)
with safe_open(weights_path, framework="pt") as f:
    meta = f.metadata()
cell = {"rnn_tanh": nn.RNN, "rnn_relu": nn.RNN, "lstm": nn.LSTM, "gru": nn.GRU}[meta["cell"]]
kwargs = {"nonlinearity": "relu"} if meta["cell"] == "rnn_relu" else {}
layers, hidden, embed = int(meta["layers"]), int(meta["hidden"]), int(meta["embedding_dim"])
bidirectional = meta["bidirectional"] == "true"
rnn = cell(embed, hidden, num_layers=layers, bidirectional=bidirectional, **kwargs)
rnn.load_state_dict({k[len("rnn."):]: v for k, v in state.items() if k.startswith("rnn.")}, strict=True)
embedding = nn.Embedding.from_pretrained(state["embedding.weight"])
head = nn.Linear(state["head.weight"].shape[1], state["head.weight"].shape[0])
head.load_state_dict({"weight": state["head.weight"], "bias": state["head.bias"]}, strict=True)
classes = json.loads(meta["classes"])
ids = {t: i for i, t in enumerate(open(vocab_path, encoding="utf-8").read().split("\n")[:-1])}
checked = 0
with torch.no_grad():
    for line in open(predictions_path, encoding="utf-8"):
        p = json.loads(line)
        x = torch.tensor([[ids.get(t, 1)] for t in p["text"].split()])
        _, h = rnn(embedding(x))
        h_n = h[0] if isinstance(h, tuple) else h
        features = torch.cat([h_n[-2], h_n[-1]], dim=1) if bidirectional else h_n[-1]
        probabilities = torch.softmax(head(features), dim=1)[0]
        for k, name in enumerate(classes):
            assert abs(float(probabilities[k]) - p["probabilities"][name]) < 1e-5, (p["text"], name, float(probabilities[k]), p["probabilities"][name])
        checked += 1
print("torch interop ok", checked)
