// The playground's ecosystem view (docs/ecosystems.md): two coin agents and people sharing one
// pool, in the browser through the same worker as the playground. Sliders set how much each
// agent reads the other and the people, the people's stubbornness and agent b's temperature;
// the plot draws one line per author (mean over seeds; people dashed) and each author's exact
// theory dotted where it applies (every agent at T = 1).
import { ECOSYSTEM_KNOBS as KNOBS, ecosystemConfig, type EcosystemKnobs } from './presets.ts';
import { linePlot, rowMeans, type Line } from './svg-plot.ts';
import type { Report } from './worker.ts';

const $ = <T extends HTMLElement>(id: string): T => document.getElementById(id) as T;
const AUTHORS = [
  { name: 'a', color: '#1f77b4', dash: undefined },
  { name: 'b', color: '#ff7f0e', dash: undefined },
  { name: 'people', color: '#2ca02c', dash: '7 4' },
] as const;

let worker: Worker;
let metrics: Record<string, number[][]> = {};
let theory: Record<string, readonly number[] | number | null> = {};
let generation = -1;
let done = false;
let seed = 0;
let frame = 0;

const num = (id: string): number => Number($<HTMLInputElement>(id).value);

function start(): void {
  metrics = {};
  theory = {};
  generation = -1;
  done = false;
  $('error').textContent = '';
  const k = Object.fromEntries(KNOBS.map((id) => [id, num(id)])) as EcosystemKnobs;
  worker.postMessage({ type: 'start', config: ecosystemConfig(k, seed) });
}

function onReport(r: Report): void {
  if (r.type === 'ready') return start();
  if (r.type === 'error') {
    $('error').textContent = r.message;
    return;
  }
  if (r.type === 'theory') theory = r.theory;
  if (r.type === 'generation') {
    for (const [m, vs] of Object.entries(r.metrics)) (metrics[m] ??= [])[r.generation] = vs;
    generation = r.generation;
  }
  if (r.type === 'done') done = true;
  if (!frame) frame = requestAnimationFrame(draw);
}

function draw(): void {
  frame = 0;
  for (const id of KNOBS) $(`${id}-value`).textContent = $<HTMLInputElement>(id).value;
  $('progress').textContent = `generation ${generation} of ${num('generations')}${done ? ' (done)' : ''} · seed ${seed}`;
  const m = $<HTMLSelectElement>('metric').value;
  const lines: Line[] = [];
  // A metric of every author (p0, giniSimpson) draws one line each; the ecosystem's own one line.
  const series = metrics[m] ? [{ key: m, color: '#333', dash: undefined }] : AUTHORS.map((a) => ({ key: `${a.name}.${m}`, color: a.color, dash: a.dash }));
  let exact = false;
  for (const s of series) {
    const rows = metrics[s.key];
    if (!rows) continue;
    lines.push({ id: `mean-${s.key}`, values: rowMeans(rows), color: s.color, ...(s.dash ? { dash: s.dash } : {}), width: 2.2 });
    const th = theory[s.key];
    if (Array.isArray(th)) {
      exact = true;
      lines.push({ id: `theory-${s.key}`, values: th.slice(0, rows.length), color: s.color, dash: '2 3', width: 1.5 });
    }
  }
  const nSeeds = Object.values(metrics)[0]?.[0]?.length ?? 0;
  $('plot').innerHTML = linePlot(lines, num('generations'), `${m} (mean of ${nSeeds} seeds; people dashed${exact ? '; dotted: exact theory' : '; no exact theory at T ≠ 1'})`);
}

function boot(workerUrl: string): void {
  worker = new Worker(workerUrl, { type: 'module' });
  worker.onmessage = (e: MessageEvent<Report>) => onReport(e.data);
  let debounce = 0;
  for (const id of KNOBS) {
    $(id).addEventListener('input', () => {
      clearTimeout(debounce);
      debounce = window.setTimeout(start, 150);
      draw();
    });
  }
  $('metric').addEventListener('change', draw);
  $('reseed').addEventListener('click', () => {
    seed++;
    start();
  });
}

boot(new URL('./worker.js', import.meta.url).href);
