"""Peer for bench/coin.ts: the coin feedback loop vectorized with numpy.

Each generation every still-live coin draws Binomial(n, p) heads and refits p = heads / n
(temperature 1, replace policy); a coin leaves the loop when p hits 0 or 1. One process;
the caller pins BLAS/OpenMP threads to 1. Prints one JSON line.
"""
import json
import sys
import time

import numpy as np


def run(coins: int, flips: int, start: float, seed: int) -> dict:
    rng = np.random.default_rng(seed)
    t0 = time.perf_counter()
    c0 = time.process_time()
    p = np.full(coins, start)
    fixed_at = np.zeros(coins, dtype=np.int64)
    fixed_on = np.zeros(coins, dtype=np.int64)
    live = np.arange(coins)
    generation = 0
    while live.size > 0:
        generation += 1
        heads = rng.binomial(flips, p)
        p = heads / flips
        done = (heads == 0) | (heads == flips)
        if done.any():
            fixed_at[live[done]] = generation
            fixed_on[live[done]] = np.where(heads[done] == 0, 1, 0)  # outcome 0 is heads
            keep = ~done
            live = live[keep]
            p = p[keep]
    seconds = time.perf_counter() - t0
    cpu = time.process_time() - c0
    return {
        "seconds": seconds,
        "cpuSeconds": cpu,
        "meanFixation": float(fixed_at.mean()),
        "sdFixation": float(fixed_at.std(ddof=1)),
        "fixedOnHeads": float((fixed_on == 0).mean()),
        "generations": generation,
        "numpy": np.__version__,
    }


if __name__ == "__main__":
    coins, flips, start, seed = int(sys.argv[1]), int(sys.argv[2]), float(sys.argv[3]), int(sys.argv[4])
    print(json.dumps(run(coins, flips, start, seed)))
