// Terminal output for runs: a progress bar on a terminal, periodic plain lines otherwise, and
// a readable summary table.
import cliProgress from 'cli-progress';
import type { Progress } from '../runner/run.ts';
import type { Summary } from '../runner/summary.ts';

/** A progress reporter writing to stderr; call `stop` when done. */
export function progressReporter(label: string): { update(p: Progress): void; stop(): void } {
  if (process.stderr.isTTY) {
    const bar = new cliProgress.SingleBar(
      { format: `${label} [{bar}] {percentage}% | seeds {seedsDone}/{seeds} | generation {generation}/{generations} | {duration_formatted}`, stream: process.stderr, hideCursor: true },
      cliProgress.Presets.shades_classic,
    );
    let started = false;
    return {
      update(p) {
        const value = p.seedsDone * p.generations + (p.seedsDone < p.seeds ? p.generation : 0);
        if (!started) bar.start(p.seeds * p.generations, value, p), (started = true);
        else bar.update(value, p);
      },
      stop: () => started && bar.stop(),
    };
  }
  let last = 0;
  return {
    update(p) {
      const now = Date.now();
      if (now - last < 5000 && p.seedsDone < p.seeds) return;
      last = now;
      process.stderr.write(`${label}: seeds ${p.seedsDone}/${p.seeds}, generation ${p.generation}/${p.generations}\n`);
    },
    stop() {},
  };
}

const fmt = (v: unknown): string => (typeof v === 'number' ? (Number.isInteger(v) ? String(v) : v.toPrecision(4)) : v === null || v === undefined ? '—' : String(v));

/** The summary as an aligned two-column table. */
export function summaryTable(s: Summary, runDir: string): string {
  const rows: [string, string][] = [
    ['run', runDir],
    ['family', s.family],
    ['seeds × generations', `${s.seeds} × ${s.generations}`],
    ['collapsed', `${(100 * s.collapsedFraction).toFixed(1)}% of seeds`],
  ];
  if (s.collapsedAt) {
    const c = s.collapsedAt;
    rows.push(['collapsedAt mean ± se', `${fmt(c.mean)} ± ${fmt(c.se)} (sd ${fmt(c.sd)})`]);
    rows.push(['collapsedAt 5/50/95%', `${fmt(c.quantiles['5'])} / ${fmt(c.quantiles['50'])} / ${fmt(c.quantiles['95'])}`]);
  }
  for (const [k, v] of Object.entries(s.theory ?? {})) if (typeof v === 'number') rows.push([`theory ${k}`, fmt(v)]);
  const last = s.recorded.length - 1;
  for (const [m, a] of Object.entries(s.aggregates)) rows.push([`${m} @ ${s.recorded[last]} (mean, 5–95%)`, `${fmt(a.mean[last])}  [${fmt(a.q05[last])}, ${fmt(a.q95[last])}]`]);
  const w = Math.max(...rows.map(([k]) => k.length));
  return rows.map(([k, v]) => `  ${k.padEnd(w)}  ${v}`).join('\n') + '\n';
}
