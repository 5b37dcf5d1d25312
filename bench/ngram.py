"""Peer for bench/ngram.ts: one generation of an n-gram feedback loop in plain Python.

The model is a dict from context tuple to a Counter of next tokens. A generation samples
sentences from the Brown-corpus model until it has at least N tokens (END counted; sentences
over 100 tokens rejected), then refits the counts from that sample (Counter) and prepares the
next model for sampling (per context: its tokens and cumulative counts, for bisect). Timed
over REPS generations, each from the generation-0 model. Prints one JSON line.

usage: python3 bench/ngram.py ORDER TOKENS REPS SEED BROWN_DIR
"""
import bisect
import json
import os
import random
import sys
import time
from collections import Counter, defaultdict
from itertools import accumulate

BEGIN, END = "<s>", "</s>"


def brown_sentences(directory):
    sentences = []
    with open(os.path.join(directory, "cats.txt"), encoding="utf-8") as f:
        files = [line.split()[0] for line in f if line.strip()]
    for name in files:
        with open(os.path.join(directory, name), encoding="utf-8") as f:
            for line in f:
                tokens = line.split()
                if tokens:
                    sentences.append([t[: t.rfind("/")] if t.rfind("/") > 0 else t for t in tokens])
    return sentences


def fit(sentences, order):
    counts = defaultdict(Counter)
    for s in sentences:
        padded = [BEGIN] * (order - 1) + s + [END]
        for i in range(order - 1, len(padded)):
            counts[tuple(padded[i - order + 1 : i])][padded[i]] += 1
    # Ready to sample: per context, its tokens and their cumulative counts.
    return {ctx: (list(c.keys()), list(accumulate(c.values()))) for ctx, c in counts.items()}


def sample(model, order, n_tokens, max_length, rng):
    out, size = [], 0
    while size < n_tokens:
        ctx, sentence = (BEGIN,) * (order - 1), []
        while True:
            tokens, cum = model[ctx]
            t = tokens[bisect.bisect_right(cum, rng.random() * cum[-1])]
            if t == END:
                break
            if len(sentence) == max_length:  # too long: reject and draw again
                ctx, sentence = (BEGIN,) * (order - 1), []
                continue
            sentence.append(t)
            ctx = (ctx + (t,))[1:] if order > 1 else ()
        out.append(sentence)
        size += len(sentence) + 1
    return out, size


def main():
    order, n_tokens, reps, seed = (int(x) for x in sys.argv[1:5])
    model = fit(brown_sentences(sys.argv[5]), order)
    rng = random.Random(seed)
    tokens = 0
    t0, c0 = time.perf_counter(), time.process_time()
    for _ in range(reps):
        data, size = sample(model, order, n_tokens, 100, rng)
        fit(data, order)
        tokens += size
    seconds, cpu = time.perf_counter() - t0, time.process_time() - c0
    print(json.dumps({"tokens": tokens, "seconds": seconds, "cpuSeconds": cpu, "python": sys.version.split()[0]}))


if __name__ == "__main__":
    main()
