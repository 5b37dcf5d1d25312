"""Loads an Ouroboros transformer checkpoint (safetensors) with a parser written here (json +
numpy, no safetensors package), copies the weights into the PyTorch GPT of bench/transformer.py,
and prints its logits for the given tokens as JSON, so a test can compare them with ours.

usage: python3 bench/transformer_check.py CHECKPOINT '[[0, 5, 7, ...]]'
"""
import json
import os
import struct
import sys

import numpy as np
import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from transformer import GPT  # noqa: E402

RENAME = [("attn.c_attn", "c_attn"), ("attn.c_proj", "c_proj"), ("mlp.c_fc", "c_fc"), ("mlp.c_proj", "mlp_proj")]


def read(path):
    with open(path, "rb") as f:
        raw = f.read()
    (n,) = struct.unpack("<Q", raw[:8])
    header = json.loads(raw[8 : 8 + n])
    meta = header.pop("__metadata__", {})
    out = {}
    for name, h in header.items():
        a, b = h["data_offsets"]
        dtype = {"F32": "<f4", "I32": "<i4"}[h["dtype"]]
        out[name] = np.frombuffer(raw[8 + n + a : 8 + n + b], dtype=dtype).reshape(h["shape"])
    return out, meta


def main():
    tensors, meta = read(sys.argv[1])
    c = json.loads(meta["config"])
    model = GPT(c["vocab_size"], c["block_size"], c["n_layer"], c["d_model"], c["n_head"])
    state = {}
    for name, arr in tensors.items():
        if name.startswith("history."):
            continue
        for ours, theirs in RENAME:
            name = name.replace(ours, theirs)
        state[name] = torch.from_numpy(arr.copy())
    model.load_state_dict(state, strict=True)
    with torch.no_grad():
        logits = model(torch.tensor(json.loads(sys.argv[2]), dtype=torch.long))
    print(json.dumps(logits.tolist()))


main()
