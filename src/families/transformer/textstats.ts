// Statistics of a sample of sentences that show degeneration: distinct-n (Li et al. 2016),
// repetition within a sentence and repetition loops ("hi hello hi hello"), and how few
// tokens make up most of the text (Holtzman et al. 2020 describe these failure modes).
import type { Packed } from '../text/index.ts';

/** Distinct-n: distinct n-grams (within sentences) / all n-grams; 0 when there are none. */
export function distinctN(data: Packed, n: number): number {
  const seen = new Set<string>();
  let all = 0;
  forSentences(data, (s) => {
    for (let j = 0; j + n <= s.length; j++) {
      seen.add(s.subarray(j, j + n).join(','));
      all++;
    }
  });
  return all === 0 ? 0 : seen.size / all;
}

/** Mean over sentences of the share of their n-grams that already occurred earlier in the same sentence. */
export function repetition(data: Packed, n = 4): number {
  let sum = 0;
  let count = 0;
  forSentences(data, (s) => {
    if (s.length < n) return;
    const seen = new Set<string>();
    let repeated = 0;
    for (let j = 0; j + n <= s.length; j++) {
      const g = s.subarray(j, j + n).join(',');
      if (seen.has(g)) repeated++;
      else seen.add(g);
    }
    sum += repeated / (s.length - n + 1);
    count++;
  });
  return count === 0 ? 0 : sum / count;
}

/** The longest L such that some span of L tokens is immediately followed by itself (0 if none). */
export function longestTandem(s: ArrayLike<number>): number {
  // For each period L, a run of ≥ L consecutive positions j with s[j] = s[j + L] is a repeat.
  for (let L = Math.floor(s.length / 2); L >= 1; L--) {
    let run = 0;
    for (let j = 0; j + L < s.length; j++) {
      run = s[j] === s[j + L] ? run + 1 : 0;
      if (run >= L) return L;
    }
  }
  return 0;
}

/** Mean over sentences of longestTandem: the typical length of a repetition loop, in tokens. */
export function longestCycle(data: Packed): number {
  let sum = 0;
  let count = 0;
  forSentences(data, (s) => {
    sum += longestTandem(s);
    count++;
  });
  return count === 0 ? 0 : sum / count;
}

/** The fewest distinct tokens that make up `share` of all tokens in the sample (0 for an empty sample). */
export function topTokens(data: Packed, share = 0.9): number {
  const freq = new Map<number, number>();
  for (const t of data.tokens) freq.set(t, (freq.get(t) ?? 0) + 1);
  const counts = [...freq.values()].sort((a, b) => b - a);
  let acc = 0;
  for (let i = 0; i < counts.length; i++) {
    acc += counts[i]!;
    if (acc >= share * data.tokens.length) return i + 1;
  }
  return counts.length;
}

/** The `k` most frequent tokens of the sample (ties: smaller id first) and their shares of all tokens. */
export function tokenShares(data: Packed, k: number): { token: number; share: number }[] {
  const freq = new Map<number, number>();
  for (const t of data.tokens) freq.set(t, (freq.get(t) ?? 0) + 1);
  return [...freq]
    .sort((a, b) => b[1] - a[1] || a[0] - b[0])
    .slice(0, k)
    .map(([token, count]) => ({ token, share: count / data.tokens.length }));
}

function forSentences(data: Packed, f: (s: Int32Array) => void): void {
  for (let i = 0; i + 1 < data.offsets.length; i++) f(data.tokens.subarray(data.offsets[i]!, data.offsets[i + 1]!));
}
