// The playground page: sliders build a config, a Web Worker runs it with the project's own
// loop, and the plot redraws as generations arrive: each seed faint, their mean, and the
// family's exact theory curve dashed where it has one. The mean and theory paths carry
// their values in data-values, so what is drawn can be read back.
import { PRESETS, type Knobs, type Preset } from './presets.ts';
import type { Report } from './worker.ts';

const W = 680;
const H = 380;
const PAD = { l: 60, r: 20, t: 16, b: 44 };
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
  const mean = rows.map((vs) => vs.reduce((s, v) => s + v, 0) / vs.length);
  const th = Array.isArray(theory) ? theory.slice(0, rows.length) : [];
  let lo = 0;
  let hi = -Infinity;
  for (const vs of [...rows, th]) for (const v of vs) if (Number.isFinite(v)) (lo = Math.min(lo, v)), (hi = Math.max(hi, v));
  if (hi === -Infinity) hi = 1;
  if (hi <= lo) hi = lo + 1e-9;
  const x = (g: number): number => PAD.l + (g / gMax) * (W - PAD.l - PAD.r);
  const y = (v: number): number => H - PAD.b - ((v - lo) / (hi - lo)) * (H - PAD.t - PAD.b);
  const path = (vs: readonly number[]): string => vs.map((v, g) => (Number.isFinite(v) ? `${x(g).toFixed(1)},${y(v).toFixed(1)}` : '')).filter(Boolean).join(' ');
  const nSeeds = rows[0]?.length ?? 0;
  const seedLines = Array.from({ length: Math.min(nSeeds, 50) }, (_, s) => `<polyline class="seed" points="${path(rows.map((vs) => vs[s]!))}" fill="none" stroke="#888" stroke-opacity="0.3" stroke-width="0.8"/>`);
  const ticks = [0, 0.25, 0.5, 0.75, 1].map((f) => {
    const v = lo + f * (hi - lo);
    const g = Math.round(f * gMax);
    return `<text x="${PAD.l - 6}" y="${y(v) + 4}" text-anchor="end">${+v.toPrecision(3)}</text><line x1="${PAD.l}" x2="${W - PAD.r}" y1="${y(v)}" y2="${y(v)}" stroke="#eee"/><text x="${x(g)}" y="${H - PAD.b + 16}" text-anchor="middle">${g}</text>`;
  });
  const limit = typeof theory === 'number' ? `<line id="theory-limit" x1="${PAD.l}" x2="${W - PAD.r}" y1="${y(theory)}" y2="${y(theory)}" stroke="#1f4e99" stroke-dasharray="6 4" stroke-width="2"/>` : '';
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" font-size="11" font-family="sans-serif">
${ticks.join('')}<line x1="${PAD.l}" x2="${PAD.l}" y1="${PAD.t}" y2="${H - PAD.b}" stroke="#333"/><line x1="${PAD.l}" x2="${W - PAD.r}" y1="${H - PAD.b}" y2="${H - PAD.b}" stroke="#333"/>
${seedLines.join('')}
<polyline id="mean" data-values="${JSON.stringify(mean)}" points="${path(mean)}" fill="none" stroke="#1f4e99" stroke-width="2.5"/>
${th.length ? `<polyline id="theory" data-values="${JSON.stringify(th)}" points="${path(th)}" fill="none" stroke="#1f4e99" stroke-dasharray="6 4" stroke-width="2"/>` : ''}${limit}
<text x="${(W + PAD.l) / 2}" y="${H - 8}" text-anchor="middle">generation</text>
<text transform="translate(14 ${(H - PAD.b + PAD.t) / 2}) rotate(-90)" text-anchor="middle">${metric} (mean of ${nSeeds} seeds${th.length || limit ? '; dashed: theory' : '; no exact theory for these settings'})</text></svg>`;
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
