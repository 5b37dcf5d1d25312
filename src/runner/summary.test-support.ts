// The summary as it was computed before it was built while the run goes: by reading the whole
// log back. Kept as the slow, obviously correct reference for summary.test.ts.
import { join } from 'node:path';
import { numberOf } from '../store/json.ts';
import { FILES, readJsonl, type EndLine, type LogLine } from '../store/rundir.ts';
import { aggregateSeries, type SeriesAggregate } from './aggregate.ts';
import { collapseSummary } from './collapse.ts';
import { comparisons } from './comparisons.ts';
import type { Prepared } from './prepare.ts';
import type { SeedSummary, Summary } from './summary.ts';

export function summarizeLog(prep: Prepared, dir: string): Summary {
  const { lines } = readJsonl<LogLine>(join(dir, FILES.log));
  const ends = new Map<number, EndLine>();
  for (const l of lines) if ('event' in l) ends.set(l.seed, l);
  const recorded = [...prep.recorded];
  // Past the last generation any seed reached, every seed has stopped in an absorbing
  // collapse and is constant: one column (at ∞) stands for all those generations, so a long
  // schedule costs nothing once every seed is done.
  const absorbing = prep.options.stopWhenCollapsed && prep.absorbing;
  const reached = Math.max(0, ...[...ends.values()].map((e) => e.generation));
  const tail = absorbing && ends.size === prep.seeds.length ? recorded.findIndex((g) => g > reached) : -1;
  const computed = tail < 0 ? recorded : [...recorded.slice(0, tail), Infinity];
  const index = new Map(computed.map((g, i) => [g, i]));
  const seedIndex = new Map(prep.seeds.map((s, i) => [s, i]));
  const columns = new Map<string, Float64Array[]>();
  const column = (m: string) => {
    let c = columns.get(m);
    if (!c) columns.set(m, (c = computed.map(() => new Float64Array(prep.seeds.length).fill(NaN))));
    return c;
  };
  for (const l of lines) {
    const gi = index.get(l.generation);
    const si = seedIndex.get(l.seed);
    if (gi === undefined || si === undefined) continue;
    for (const [m, v] of Object.entries(l.metrics)) column(m)[gi]![si] = numberOf(v);
  }
  // A seed stopped by an absorbing collapse stays where it is: carry its last values forward.
  for (const [seed, end] of ends) {
    if (!absorbing || end.collapsedAt === null) continue;
    const si = seedIndex.get(seed)!;
    computed.forEach((g, gi) => {
      if (g <= end.generation) return;
      for (const [m, v] of Object.entries(end.metrics)) column(m)[gi]![si] = numberOf(v);
    });
  }
  const aggregates: Record<string, SeriesAggregate> = {};
  for (const [m, cols] of [...columns].sort(([a], [b]) => a.localeCompare(b))) {
    const a = aggregateSeries(cols);
    aggregates[m] = tail < 0 ? a : (Object.fromEntries(Object.entries(a).map(([k, v]) => [k, recorded.map((_, i) => v[Math.min(i, tail)])])) as unknown as SeriesAggregate);
  }
  const perSeed: SeedSummary[] = prep.seeds.flatMap((s) => {
    const e = ends.get(s);
    if (!e) return [];
    const final = Object.fromEntries(Object.entries(e.metrics).map(([k, v]) => [k, numberOf(v)]));
    // A log written before collapsedAtEnd was recorded knows it only where collapse is absorbing.
    const collapsedAtEnd = e.collapsedAtEnd ?? (prep.absorbing ? e.collapsedAt !== null : null);
    return [{ seed: s, collapsedAt: e.collapsedAt, collapsedAtEnd, generation: e.generation, ...e.final, final }];
  });
  const collapse = collapseSummary(perSeed, prep.options.generations, prep.absorbing, prep.entry.collapse);
  const theory = prep.entry.theory ? { ...prep.entry.theory(prep.settings, recorded) } : null;
  return {
    name: prep.config.name,
    family: prep.config.family,
    runId: prep.runId,
    status: 'complete',
    seeds: prep.seeds.length,
    generations: prep.options.generations,
    collapse,
    recorded,
    aggregates,
    theory,
    comparisons: comparisons({ collapse, recorded, aggregates, theory }),
    perSeed,
  };
}

