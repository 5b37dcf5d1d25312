// The playground page: sliders build a config, a Web Worker runs it with the project's own
// loop, and the plot redraws as generations arrive: each seed faint, their mean, and the
// family's exact theory curve dashed where it has one. The mean and theory paths carry
// their values in data-values, so what is drawn can be read back.
import { PRESETS, type Knobs, type Preset } from './presets.ts';
import { linePlot, rowMeans, type Line } from './svg-plot.ts';
import type { Report } from './worker.ts';

const $ = <T extends HTMLElement>(id: string): T => document.getElementById(id) as T;

interface State {
  metrics: Record<string, number[][]>; // metric → generation → per-seed values
  theory: Record<string, readonly number[] | number | null>;
  generation: number;
  done: boolean;
}

let worker: Worker;
let state: State = { metrics: {}, theory: {}, generation: -1, done: false };
let preset: Preset = PRESETS[0]!;
let seed = 0;
let frame = 0;

function knobs(): Knobs {
  const num = (id: string): number => Number($<HTMLInputElement>(id).value);
  return {
    n: num('n'), k: num('k'), temperature: num('T'), realFraction: num('lambda'), generations: num('generations'), seeds: num('seeds'), seed,
    policy: $<HTMLSelectElement>('policy').value as Knobs['policy'], training: $<HTMLSelectElement>('training').value as Knobs['training'],
  };
}

function start(): void {
  state = { metrics: {}, theory: {}, generation: -1, done: false };
  $('error').textContent = '';
  worker.postMessage({ type: 'start', config: preset.config(knobs()) });
}

function onReport(r: Report): void {
  if (r.type === 'ready') return offer(r.families);
  if (r.type === 'error') {
    $('error').textContent = r.message;
    return;
  }
  if (r.type === 'theory') state.theory = r.theory;
  if (r.type === 'generation') {
    for (const [m, vs] of Object.entries(r.metrics)) (state.metrics[m] ??= [])[r.generation] = vs;
    state.generation = r.generation;
  }
  if (r.type === 'done') state.done = true;
  if (!frame) frame = requestAnimationFrame(draw);
}

/** Shows the presets whose family this build has, and starts the first. */
function offer(families: readonly string[]): void {
  const sel = $<HTMLSelectElement>('family');
  const usable = PRESETS.filter((p) => families.includes(p.family));
  sel.innerHTML = usable.map((p) => `<option value="${p.family}">${p.label}</option>`).join('');
  sel.onchange = () => choose(usable.find((p) => p.family === sel.value)!);
  choose(usable[0]!);
}

function choose(p: Preset): void {
  preset = p;
  for (const id of ['n', 'k'] as const) {
    const input = $<HTMLInputElement>(id);
    Object.assign(input, { min: String(p[id].min), max: String(p[id].max), value: String(p[id].value) });
    $(`${id}-label`).textContent = p[id].label;
  }
  start();
}

function draw(): void {
  frame = 0;
  const metricSel = $<HTMLSelectElement>('metric');
  const names = Object.keys(state.metrics);
  if (names.join() !== Array.from(metricSel.options, (o) => o.value).join()) {
    const keep = metricSel.value || preset.metric;
    metricSel.innerHTML = names.map((m) => `<option${m === keep ? ' selected' : ''}>${m}</option>`).join('');
  }
  const m = metricSel.value;
  for (const id of ['n', 'k', 'T', 'lambda', 'generations', 'seeds']) $(`${id}-value`).textContent = $<HTMLInputElement>(id).value;
  $('progress').textContent = `generation ${state.generation} of ${$<HTMLInputElement>('generations').value}${state.done ? ' (done)' : ''} · seed ${seed}`;
  $('plot').innerHTML = plotSvg(state.metrics[m] ?? [], state.theory[m], m);
}

/** The plot: x = generation, y = metric; seeds faint, mean solid, theory dashed. */
function plotSvg(rows: number[][], theory: readonly number[] | number | null | undefined, metric: string): string {
  const gMax = Math.max(1, Number($<HTMLInputElement>('generations').value));
  const th = Array.isArray(theory) ? theory.slice(0, rows.length) : [];
  const nSeeds = rows[0]?.length ?? 0;
  const lines: Line[] = Array.from({ length: Math.min(nSeeds, 50) }, (_, s) => ({ values: rows.map((vs) => vs[s]!), color: '#888', width: 0.8, opacity: 0.3 }));
  lines.push({ id: 'mean', values: rowMeans(rows), color: '#1f4e99', width: 2.5 });
  if (th.length) lines.push({ id: 'theory', values: th, color: '#1f4e99', dash: '6 4' });
  // A limit (a scalar) is drawn across the whole range.
  if (typeof theory === 'number') lines.push({ id: 'theory-limit', values: [theory, ...new Array<number>(gMax).fill(theory)], color: '#1f4e99', dash: '6 4' });
  return linePlot(lines, gMax, `${metric} (mean of ${nSeeds} seeds${th.length || typeof theory === 'number' ? '; dashed: theory' : '; no exact theory for these settings'})`);
}

/** Boots the page: the worker at `workerUrl`, the knobs wired to restart the simulation. */
function boot(workerUrl: string): void {
  worker = new Worker(workerUrl, { type: 'module' });
  worker.onmessage = (e: MessageEvent<Report>) => onReport(e.data);
  let debounce = 0;
  for (const id of ['n', 'k', 'T', 'lambda', 'generations', 'seeds', 'policy', 'training']) {
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
