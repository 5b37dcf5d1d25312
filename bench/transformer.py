"""The PyTorch peer of bench/transformer.ts: the same GPT (pre-LayerNorm, tanh GELU, tied head),
the same AdamW, the same sizes; prints one JSON line with training and sampling tokens/s.

usage: python3 bench/transformer.py '{"vocab":100,"n_layer":2,"d_model":128,"n_head":4,
        "block_size":128,"batch":32,"steps":20,"threads":2,"sample_batch":64,"sample_len":127}'
"""
import json
import math
import sys
import time

import torch
import torch.nn as nn
import torch.nn.functional as F


class Block(nn.Module):
    def __init__(self, C, nh):
        super().__init__()
        self.nh = nh
        self.ln_1 = nn.LayerNorm(C)
        self.c_attn = nn.Linear(C, 3 * C)
        self.c_proj = nn.Linear(C, C)
        self.ln_2 = nn.LayerNorm(C)
        self.c_fc = nn.Linear(C, 4 * C)
        self.mlp_proj = nn.Linear(4 * C, C)

    def attn(self, x, cache=None):
        B, T, C = x.size()
        q, k, v = self.c_attn(x).split(C, dim=2)
        q, k, v = (t.view(B, T, self.nh, C // self.nh).transpose(1, 2) for t in (q, k, v))
        if cache is not None:  # incremental decoding: append this step's keys and values
            if cache[0] is not None:
                k = torch.cat([cache[0], k], dim=2)
                v = torch.cat([cache[1], v], dim=2)
            cache[0], cache[1] = k, v
            att = (q @ k.transpose(-2, -1)) * (1.0 / math.sqrt(k.size(-1)))
        else:
            att = (q @ k.transpose(-2, -1)) * (1.0 / math.sqrt(k.size(-1)))
            mask = torch.ones(T, T, dtype=torch.bool).tril()
            att = att.masked_fill(~mask, float("-inf"))
        y = F.softmax(att, dim=-1) @ v
        return self.c_proj(y.transpose(1, 2).contiguous().view(B, T, C))

    def forward(self, x, cache=None):
        x = x + self.attn(self.ln_1(x), cache)
        return x + self.mlp_proj(F.gelu(self.c_fc(self.ln_2(x)), approximate="tanh"))


class GPT(nn.Module):
    def __init__(self, V, T, L, C, nh):
        super().__init__()
        self.wte = nn.Embedding(V, C)
        self.wpe = nn.Embedding(T, C)
        self.h = nn.ModuleList([Block(C, nh) for _ in range(L)])
        self.ln_f = nn.LayerNorm(C)

    def forward(self, idx, pos0=0, caches=None):
        B, T = idx.size()
        x = self.wte(idx) + self.wpe(torch.arange(pos0, pos0 + T))
        for i, b in enumerate(self.h):
            x = b(x, None if caches is None else caches[i])
        return self.ln_f(x) @ self.wte.weight.t()  # tied head


def main():
    s = json.loads(sys.argv[1])
    torch.set_num_threads(s["threads"])
    torch.manual_seed(0)
    V, T, B = s["vocab"], s["block_size"], s["batch"]
    model = GPT(V, T, s["n_layer"], s["d_model"], s["n_head"])
    opt = torch.optim.AdamW(model.parameters(), lr=1e-3, betas=(0.9, 0.95), eps=1e-8, weight_decay=0.1)
    data = torch.randint(0, V, (B, T + 1))

    def step():
        logits = model(data[:, :T])
        loss = F.cross_entropy(logits.view(-1, V), data[:, 1:].reshape(-1))
        opt.zero_grad(set_to_none=True)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        opt.step()

    for _ in range(3):
        step()
    t0 = time.perf_counter()
    for _ in range(s["steps"]):
        step()
    train_tps = s["steps"] * B * T / (time.perf_counter() - t0)

    SB, SL = s["sample_batch"], s["sample_len"]

    @torch.no_grad()
    def sample():
        caches = [[None, None] for _ in model.h]
        tok = torch.zeros(SB, 1, dtype=torch.long)
        for pos in range(SL):
            logits = model(tok, pos, caches)[:, -1, :]
            tok = torch.multinomial(F.softmax(logits, dim=-1), 1)

    sample()
    t0 = time.perf_counter()
    sample()
    sample_tps = SB * SL / (time.perf_counter() - t0)
    print(json.dumps({"train": train_tps, "sample": sample_tps, "torch": torch.__version__, "threads": torch.get_num_threads()}))


if __name__ == "__main__":
    main()
