// Terminal output for runs: a progress bar on a terminal, periodic plain lines otherwise, and
// a readable summary table.
import cliProgress from 'cli-progress';
import type { Progress } from '../runner/run.ts';
import type { Summary } from '../runner/summary.ts';
import { collapseRows, fmt, simulated, zOf } from '../report/wording.ts';

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

/** The summary as aligned sections: the run, collapse, simulation beside theory, theory alone, metrics at the end. */
export function summaryTable(s: Summary, runDir: string): string {
  const head: [string, string][] = [
    ['run', runDir],
    ['family', s.family],
    ['seeds × generations', `${s.seeds} × ${s.generations}`],
    ...collapseRows(s.collapse),
  ];
  const out = [pad(head)];
  const paired = s.comparisons.filter((c) => c.simulation !== null && c.theory !== null);
  if (paired.length) {
    out.push(pad([['simulation vs theory', 'simulation ± se', 'theory', 'difference'], ...paired.map((c): string[] => [c.quantity, simulated(c), fmt(c.theory), zOf(c)])]));
  }
  const alone = s.comparisons.filter((c) => c.simulation === null && c.theory !== null);
  if (alone.length) out.push(pad([['theory alone (nothing simulated to set beside it)', 'theory'], ...alone.map((c): string[] => [c.quantity, fmt(c.theory)])]));
  const last = s.recorded.length - 1;
  const metrics = Object.entries(s.aggregates).map(([m, a]): string[] => [m, `${fmt(a.mean[last])}  [${fmt(a.q05[last])}, ${fmt(a.q95[last])}]`]);
  if (metrics.length) out.push(pad([[`metrics at generation ${s.recorded[last]}`, 'mean  [5%, 95%] over seeds'], ...metrics]));
  return out.join('\n');
}

/** Left-aligned columns, two spaces apart, indented by two. */
function pad(rows: readonly (readonly string[])[]): string {
  const widths: number[] = [];
  for (const r of rows) r.forEach((x, i) => (widths[i] = Math.max(widths[i] ?? 0, x.length)));
  return rows.map((r) => `  ${r.map((x, i) => (i === r.length - 1 ? x : x.padEnd(widths[i]!))).join('  ')}`.trimEnd()).join('\n') + '\n';
}
