"""The PyTorch peer of bench/transformer.ts: the same GPT (pre-LayerNorm, tanh GELU, tied head),
the same AdamW, the same sizes; prints one JSON line with training and sampling tokens/s and the
seconds of one generation of the loop (sample `sequences` × `length` tokens, fine-tune one epoch).

usage: python3 bench/transformer.py '{"vocab":2048,"n_layer":2,"d_model":128,"n_head":4,
        "block_size":64,"batch":32,"length":30,"steps":20,"threads":1,"sample_batch":64,"sequences":4000}'
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
    V, T, B, L = s["vocab"], s["block_size"], s["batch"], s["length"]
    model = GPT(V, T, s["n_layer"], s["d_model"], s["n_head"])
    opt = torch.optim.AdamW(model.parameters(), lr=1e-3, betas=(0.9, 0.95), eps=1e-8, weight_decay=0.1)

    def step(rows):
        logits = model(rows[:, :-1])
        loss = F.cross_entropy(logits.reshape(-1, V), rows[:, 1:].reshape(-1))
        opt.zero_grad(set_to_none=True)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        opt.step()

    # Training rows as the loop fine-tunes: <s> and `length` tokens, predicting the tokens.
    data = torch.randint(1, V, (B, L + 1))
    data[:, 0] = 0
    for _ in range(3):
        step(data)
    t0, c0 = time.perf_counter(), time.process_time()
    for _ in range(s["steps"]):
        step(data)
    train_tps = s["steps"] * B * L / (time.perf_counter() - t0)
    train_cpu = s["steps"] * B * L / (time.process_time() - c0)

    @torch.no_grad()
    def sample(n, rows):
        out = []
        for first in range(0, n, rows):
            b = min(rows, n - first)
            caches = [[None, None] for _ in model.h]
            tok = torch.zeros(b, 1, dtype=torch.long)
            seq = [tok]
            for pos in range(L):
                logits = model(tok, pos, caches)[:, -1, :]
                tok = torch.multinomial(F.softmax(logits, dim=-1), 1)
                seq.append(tok)
            out.append(torch.cat(seq, dim=1))
        return torch.cat(out)

    SB = s["sample_batch"]
    sample(SB, SB)
    t0, c0 = time.perf_counter(), time.process_time()
    sample(2 * SB, SB)
    sample_tps = 2 * SB * L / (time.perf_counter() - t0)
    sample_cpu = 2 * SB * L / (time.process_time() - c0)

    # One generation of the loop: `sequences` samples, then one epoch of fine-tuning on them.
    generation = generation_cpu = None
    if s["sequences"] > 0:
        t0, c0 = time.perf_counter(), time.process_time()
        samples = sample(s["sequences"], SB)
        for _ in range(math.ceil(s["sequences"] / B)):
            step(samples[torch.randint(0, s["sequences"], (B,))])
        generation, generation_cpu = time.perf_counter() - t0, time.process_time() - c0
    cpu = {"train": train_cpu, "sample": sample_cpu, "generation": generation_cpu}
    print(json.dumps({"train": train_tps, "sample": sample_tps, "generation": generation, "cpu": cpu, "torch": torch.__version__, "threads": torch.get_num_threads()}))


if __name__ == "__main__":
    main()
