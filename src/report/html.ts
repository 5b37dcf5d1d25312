// One self-contained HTML report of a run or a sweep: config, a summary table with theory
// beside the simulation, every plot as inline SVG, sample texts per generation (text
// families), and the n-gram context graph when one is given or the run directory holds
// graph.json. No scripts, stylesheets, fonts or images are fetched: the file opens offline.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Summary } from '../runner/summary.ts';
import { escapeXml as esc, graphSvg, parseGraph, type Graph } from './graph-svg.ts';
import { toSvg } from './render.ts';
import { isRunDir, readRun, type Run, type SampleLine } from './run-dir.ts';
import { compareSpec, runSpecs } from './specs.ts';
import { COLLAPSE_COLUMNS, COLLAPSE_LEGEND, collapseColumns, collapseRows, fmt, simulated, tokenLabel, zOf } from './wording.ts';
import { readSweep, sweepGroups, type Sweep } from './sweep-dir.ts';

/** Generations and lines per generation shown in the samples section (the rest is in samples.jsonl). */
const MAX_SAMPLE_GENERATIONS = 40;
const MAX_SAMPLE_LINES = 5;

const STYLE = `body{font-family:"DejaVu Sans",system-ui,sans-serif;max-width:1500px;margin:2em auto;padding:0 1.5em;color:#222}
h1{font-size:1.6em}h2{border-bottom:1px solid #ccc;padding-bottom:.2em;margin-top:2em}
table{border-collapse:collapse;margin:.5em 0}td,th{border:1px solid #ddd;padding:.25em .6em;text-align:left;vertical-align:top}
th{background:#f4f6fa}td.num{text-align:right;font-variant-numeric:tabular-nums}pre{background:#f7f7f7;padding:1em;overflow:auto;max-height:30em}pre.config{white-space:pre-wrap}
.status{display:inline-block;padding:0 .5em;border-radius:3px;background:#eee}.status.complete{background:#d9f2d9}.status.running{background:#fff3c4}.status.incomplete,.status.failed{background:#f8d7d7}
figure{margin:1.5em 0}svg{max-width:100%;height:auto}
.plots{display:grid;grid-template-columns:repeat(auto-fill,minmax(560px,1fr));gap:0 2em;align-items:start}.plots svg{width:100%}`;

/** The report HTML for a run or sweep directory; `graph` overrides the run's graph.json. */
export async function reportHtml(dir: string, graph?: Graph): Promise<string> {
  if (isRunDir(dir)) {
    const run = readRun(dir);
    return page(run.name, await runBody(run, graph ?? graphOf(dir)));
  }
  const sweep = readSweep(dir);
  return page(`sweep ${dir}`, await sweepBody(sweep));
}

function page(title: string, body: string): string {
  return `<!doctype html>\n<html lang="en"><head><meta charset="utf-8"><title>${esc(title)} — Ouroboros report</title><style>${STYLE}</style></head>\n<body>\n${body}\n</body></html>\n`;
}

function graphOf(dir: string): Graph | undefined {
  const p = join(dir, 'graph.json');
  return existsSync(p) ? parseGraph(JSON.parse(readFileSync(p, 'utf8'))) : undefined;
}

async function runBody(run: Run, graph: Graph | undefined): Promise<string> {
  const out = [`<h1>${esc(run.name)} <span class="status ${run.status}">${run.status}</span></h1>`];
  out.push(`<p>family <b>${esc(String(run.config?.family ?? run.summary?.family ?? '?'))}</b> · ${new Set(run.lines.map((l) => l.seed)).size} seeds · recorded generations ${run.recorded[0] ?? '–'}–${run.recorded[run.recorded.length - 1] ?? '–'}</p>`);
  out.push('<h2>Summary</h2>', summaryTable(run));
  out.push('<h2>Plots</h2>');
  // Plots fill the page: as many columns of at least 560 px as fit, each plot as wide as its column.
  out.push('<div class="plots">');
  for (const { id, spec } of runSpecs(run)) out.push(`<figure id="plot-${esc(id)}">${await toSvg(spec)}</figure>`);
  out.push('</div>');
  if (run.ends.length) out.push('<h2>Where seeds ended</h2>', endsTable(run));
  const moments = momentsTable(run);
  if (moments) out.push('<h2>Start, peak and end</h2>', moments);
  if (run.samples.length) out.push('<h2>Samples per generation</h2>', samplesTable(run));
  if (graph) out.push('<h2>Context graph</h2>', '<p>Contexts left to right by depth from the sentence start; red arcs go back (a cycle).</p>', graphSvg(graph));
  out.push('<h2>Config</h2>', `<pre class="config">${esc(configJson(run.config))}</pre>`);
  return out.join('\n');
}

/** The config as indented JSON with each list of plain values on one line: 2,000 seeds are a paragraph, not 2,000 lines. */
export function configJson(config: unknown): string {
  return JSON.stringify(config, null, 2).replace(/\[\n\s*([^[\]{}\n]*(?:\n\s*[^[\]{}\n]*)*?)\n\s*\]/g, (_, items: string) => `[${items.split(/,\n\s*/).join(', ')}]`);
}

/** Rows: what collapse means and how many seeds collapsed (ever, at the end), simulation beside theory of the same quantity, theory alone, and each metric at the last recorded generation. */
export function summaryTable(run: Run): string {
  const rows: string[][] = [];
  const s = run.summary as Partial<Pick<Summary, 'collapse' | 'comparisons'>> | null;
  if (s?.collapse) rows.push(...collapseRows(s.collapse).map(([k, v]) => [k, v, '']));
  const comparisons = s?.comparisons ?? [];
  for (const c of comparisons) if (c.simulation !== null && c.theory !== null) rows.push([c.quantity, simulated(c), `${fmt(c.theory)}${zOf(c) ? ` (simulation ${zOf(c)} off)` : ''}`]);
  for (const c of comparisons) if (c.simulation === null && c.theory !== null) rows.push([`theory alone: ${c.quantity}`, '', fmt(c.theory)]);
  const last = run.recorded.length - 1;
  for (const m of run.metricNames) {
    const a = run.aggregates[m];
    if (!a || last < 0) continue;
    rows.push([`${m} at generation ${run.recorded[last]} (mean [5%, 95%])`, `${fmt(a.mean[last]!)} [${fmt(a.q05[last]!)}, ${fmt(a.q95[last]!)}]`, '']);
  }
  return table(['quantity', 'simulation', 'theory'], rows);
}

/** Seeds shown in the ends table (all of them are in generations.jsonl). */
const MAX_END_ROWS = 20;

/** Per seed: its last generation, its collapse generation, and the family's end descriptors (`final`). */
function endsTable(run: Run): string {
  const shown = run.ends.slice(0, MAX_END_ROWS);
  const keys = [...new Set(shown.flatMap((e) => Object.keys(e.final)))];
  const rows = shown.map((e) => [String(e.seed), String(e.generation), e.collapsedAt === null ? '–' : String(e.collapsedAt), ...keys.map((k) => String(e.final[k] ?? '–'))]);
  const note = run.ends.length > shown.length ? `<p>First ${shown.length} of ${run.ends.length} seeds.</p>` : '';
  return table(['seed', 'last generation', 'collapsed at', ...keys], rows) + note;
}

function firstSeedSamples(run: Run): { seed: number; lines: SampleLine[] } {
  const seed = run.samples.reduce((m, s) => Math.min(m, s.seed), Infinity);
  return { seed, lines: run.samples.filter((s) => s.seed === seed).sort((a, b) => a.generation - b.generation) };
}

const tokens = (l: SampleLine) => (l.topTokens ?? []).map((t) => `${esc(tokenLabel(t.token))} ${fmt(100 * t.share)}%`).join(', ');

function samplesTable(run: Run): string {
  const { seed, lines } = firstSeedSamples(run);
  const shown = lines.slice(0, MAX_SAMPLE_GENERATIONS);
  const withTokens = shown.some((l) => l.topTokens);
  const body = shown.map((l) => [String(l.generation), l.samples.slice(0, MAX_SAMPLE_LINES).map(esc).join('<br>'), ...(withTokens ? [tokens(l)] : [])]);
  const note = lines.length > shown.length ? `<p>First ${shown.length} of ${lines.length} recorded generations; all are in samples.jsonl.</p>` : '';
  return `<p>Seed ${seed}, up to ${MAX_SAMPLE_LINES} samples per recorded generation.</p>` + table(['generation', 'samples', ...(withTokens ? ['top tokens (share of sampled tokens)'] : [])], body, false) + note;
}

/**
 * The metric whose peak the report shows texts at: the Monte Carlo entropy of what the model
 * writes, which the work we follow saw rise and then fall into repetition.
 */
const PEAK_METRIC = 'entropyMC';

/** The first seed's samples and top tokens at its first recorded generation, at its peak of PEAK_METRIC and at its last; undefined without top tokens. */
export function momentsTable(run: Run): string | undefined {
  const { seed, lines } = firstSeedSamples(run);
  if (!lines.some((l) => l.topTokens)) return undefined;
  const value = new Map(run.lines.filter((l) => l.seed === seed && l.metrics[PEAK_METRIC] !== undefined).map((l) => [l.generation, l.metrics[PEAK_METRIC]!]));
  const peak = lines.reduce<SampleLine | undefined>((best, l) => (value.has(l.generation) && (!best || value.get(l.generation)! > value.get(best.generation)!) ? l : best), undefined);
  const rows: [string, SampleLine | undefined][] = [['start', lines[0]], [`peak of ${PEAK_METRIC}`, peak], ['end', lines.at(-1)]];
  const body = rows.flatMap(([what, l]) => (l ? [[what, String(l.generation), fmt(value.get(l.generation)), l.samples.slice(0, MAX_SAMPLE_LINES).map(esc).join('<br>'), tokens(l)]] : []));
  return `<p>Seed ${seed}: texts the model samples and its most frequent tokens.</p>` + table(['', 'generation', PEAK_METRIC, 'samples', 'top tokens (share of sampled tokens)'], body, false);
}

async function sweepBody(sweep: Sweep): Promise<string> {
  const out = [`<h1>Sweep: ${sweep.cells.length} cells</h1>`, `<p>swept: ${sweep.keys.map((k) => `<code>${esc(k)}</code>`).join(', ') || 'nothing differs'}</p>`];
  const rows = sweep.cells.map((c, i) => {
    const s = c.summary as Partial<Pick<Summary, 'collapse' | 'comparisons'>> | null;
    return [esc(sweep.labels[i]!), `<span class="status ${c.status}">${c.status}</span>`, ...collapseColumns(s?.collapse ?? null, s?.comparisons ?? null).map(esc)];
  });
  out.push('<h2>Cells</h2>', table(['cell', 'status', ...COLLAPSE_COLUMNS], rows, false), `<p>${esc(COLLAPSE_LEGEND.trim())}.</p>`);
  out.push('<h2>Plots</h2>');
  const metrics = [...new Set(sweep.cells.flatMap((c) => c.metricNames))];
  out.push('<div class="plots">');
  for (const m of metrics) out.push(`<figure id="plot-${esc(m)}">${await toSvg(compareSpec(sweep.cells, sweepGroups(sweep), m))}</figure>`);
  out.push('</div>');
  return out.join('\n');
}

function table(head: string[], rows: string[][], escape = true): string {
  const cell = (x: string): string => `<td${/^[-\d.,e+ ±[\]–∞]+$/.test(x) && x ? ' class="num"' : ''}>${escape ? esc(x) : x}</td>`;
  return `<table><tr>${head.map((h) => `<th>${esc(h)}</th>`).join('')}</tr>\n${rows.map((r) => `<tr>${r.map(cell).join('')}</tr>`).join('\n')}</table>`;
}
