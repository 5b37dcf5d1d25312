// Plots of an ecosystem run (docs/ecosystems.md): one metric of every author on one figure,
// the mean over seeds with one colour per agent, the people dashed, and each author's exact
// theory (where the summary has it) dotted in the author's colour. Metrics of the ecosystem as
// a whole (syntheticShare, disagreement, …) are plotted like any run's metric (specs.ts).
import type { Run } from './run-dir.ts';
import { base, generationX, seedsWord, valueScale, type VlSpec } from './spec-frame.ts';
import { axisTitle } from './units.ts';

/** Tableau 10: agents take its colours in order (the people too, drawn dashed). */
const PALETTE = ['#1f77b4', '#ff7f0e', '#2ca02c', '#d62728', '#9467bd', '#8c564b', '#e377c2', '#7f7f7f', '#bcbd22', '#17becf'];

/** The authors of an ecosystem run as its config names them, or null for a plain run. */
export interface Authors {
  readonly agents: readonly string[];
  readonly people: string | null;
}

export function authorsOf(run: Run): Authors | null {
  const eco = run.config?.['ecosystem'];
  if (eco === null || typeof eco !== 'object') return null;
  const nameOf = (x: unknown): string | null => (x !== null && typeof x === 'object' && 'name' in x && typeof x.name === 'string' ? x.name : null);
  const agents = 'agents' in eco && Array.isArray(eco.agents) ? eco.agents.map(nameOf).filter((n): n is string => n !== null) : [];
  return { agents, people: 'humans' in eco ? nameOf(eco.humans) : null };
}

/** `<author>.<base>` → base, for a metric of one author; null for the ecosystem's own metrics. */
export function baseMetric(metric: string, authors: Authors): string | null {
  const dot = metric.indexOf('.');
  const who = metric.slice(0, dot);
  return dot > 0 && (authors.agents.includes(who) || authors.people === who) ? metric.slice(dot + 1) : null;
}

/** One figure per base metric every author records, those with theory first. */
export function authorSpecs(run: Run, authors: Authors): { id: string; spec: VlSpec }[] {
  const bases = [...new Set(run.metricNames.map((m) => baseMetric(m, authors)).filter((b): b is string => b !== null))];
  const all = [...authors.agents, ...(authors.people ? [authors.people] : [])];
  const hasTheory = (b: string) => all.some((a) => Array.isArray(run.theory[`${a}.${b}`]));
  return bases.sort((a, b) => Number(hasTheory(b)) - Number(hasTheory(a))).map((b) => ({ id: b, spec: authorSpec(run, authors, b) }));
}

function authorSpec(run: Run, authors: Authors, metric: string): VlSpec {
  const all = [...authors.agents, ...(authors.people ? [authors.people] : [])];
  const role = (a: string) => (a === authors.people ? 'people' : 'agents');
  const means = all.flatMap((a) => {
    const agg = run.aggregates[`${a}.${metric}`];
    return agg ? run.recorded.map((g, i) => ({ generation: g, value: agg.mean[i]!, author: a, role: role(a) })).filter((r) => Number.isFinite(r.value)) : [];
  });
  const theory = all.flatMap((a) => {
    const th = run.theory[`${a}.${metric}`];
    return Array.isArray(th) ? run.recorded.map((g, i) => ({ generation: g, value: th[i]!, author: a, role: role(a) })).filter((r) => Number.isFinite(r.value)) : [];
  });
  const x = generationX(run.recorded, 'generation');
  const y = { field: 'value', type: 'quantitative', title: axisTitle(metric), scale: valueScale([...means, ...theory].map((r) => r.value)) };
  const color = { field: 'author', type: 'nominal', title: null, scale: { domain: all, range: PALETTE } };
  // The subtitle says who is dashed, so the dash scale needs no legend of its own.
  const strokeDash = { field: 'role', type: 'nominal', legend: null, scale: { domain: ['agents', 'people'], range: [[1, 0], [7, 4]] } };
  const layer: VlSpec[] = [{ name: 'mean', data: { name: 'means' }, mark: { type: 'line', strokeWidth: 2.2 }, encoding: { x, y, color, ...(authors.people ? { strokeDash } : {}) } }];
  if (theory.length) layer.push({ name: 'theory', data: { name: 'theory' }, mark: { type: 'line', strokeWidth: 1.4, strokeDash: [1.5, 2.5] }, encoding: { x, y, color, detail: { field: 'author', type: 'nominal' } } });
  const nSeeds = new Set(run.lines.map((l) => l.seed)).size;
  const sub = `mean over ${seedsWord(nSeeds)}, one colour per author${authors.people ? `; ${authors.people} dashed` : ''}${theory.length ? '; dotted: exact theory' : ''}`;
  return base(`${run.name}: ${metric} of each author`, sub, { means, theory }, layer);
}
