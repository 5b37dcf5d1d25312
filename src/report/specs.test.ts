import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { plotFor } from './plot.ts';
import { svgToPng, toSvg } from './render.ts';
import { readRun, ReportInputError } from './run-dir.ts';
import { collapseSpec, compareSpec, metricSpec, MAX_SEED_LINES, runSpecs, temperatureMapSpec } from './specs.ts';
import { readSweep } from './sweep-dir.ts';
import { valueScale } from './spec-frame.ts';
import { writeCoinRun, writeRun } from './test-runs.test-support.ts';

let root: string;
beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'ouro-plot-'));
  await writeCoinRun(join(root, 'coin'), { samples: 20, temperature: 1, seeds: 60, generations: 300 });
  await writeCoinRun(join(root, 'sweep', 't08'), { samples: 20, temperature: 0.8, seeds: 10, generations: 300 });
  await writeCoinRun(join(root, 'sweep', 't12'), { samples: 20, temperature: 1.2, seeds: 10, generations: 40 });
  await writeCoinRun(join(root, 'grid', 'a'), { samples: 10, temperature: 0.9, seeds: 4, generations: 30 });
  await writeCoinRun(join(root, 'grid', 'b'), { samples: 20, temperature: 0.9, seeds: 4, generations: 30 });
  await writeCoinRun(join(root, 'grid', 'c'), { samples: 10, temperature: 1.1, seeds: 4, generations: 30 });
  await writeCoinRun(join(root, 'long'), { samples: 50, temperature: 1.3, seeds: 3, generations: 1500 });
  await writeRun(join(root, 'urn'), 'family: urn\ninit: { counts: [1, 1] }\nmodel: { rates: [0.6, 0.3] }\nloop: { samples: 20, generations: 50, policy: accumulate }\nseeds: 5\n');
  await writeCoinRun(join(root, 'killed'), { samples: 20, temperature: 1, seeds: 3, generations: 300, killed: true });
  await writeCoinRun(join(root, 'one'), { samples: 20, temperature: 1, seeds: 1, generations: 100 });
  await writeRun(join(root, 'smooth'), 'family: categorical\ninit: { probs: [0.5, 0.5] }\nmodel: { smoothing: 0.5 }\nloop: { samples: 20, generations: 100 }\nseeds: 4\nrecord: every\n');
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** The SVG group classes vega gives each named layer: `<name>_marks`, one per mark item group. */
const groups = (svg: string): string[] => [...svg.matchAll(/class="mark-(\w+) role-mark (\w+)_marks"/g)].map((m) => `${m[1]}:${m[2]}`);

describe('metric plot', () => {
  it('draws capped seed lines, the band, the mean and the theory curve', async () => {
    const run = readRun(join(root, 'coin'));
    const svg = await toSvg(metricSpec(run, 'giniSimpson'));
    const g = groups(svg);
    expect(g.filter((x) => x === 'line:seeds')).toHaveLength(MAX_SEED_LINES); // 60 seeds, 50 drawn
    expect(g).toContain('area:band');
    expect(g).toContain('line:mean');
    expect(g).toContain('line:theory');
    expect(svg).toContain('H = 1 − Σp² (probability)'); // axis title with its unit
    expect(svg).toContain('simulation mean (60 seeds)');
  });

  it('thins seed lines of a run that records every generation, evenly on the symlog axis', () => {
    const run = readRun(join(root, 'long'));
    expect(run.recorded).toHaveLength(1501);
    const seeds = (metricSpec(run, 'entropy').datasets as Record<string, { seed: number; generation: number }[]>).seeds!;
    const perSeed = seeds.filter((p) => p.seed === 0).map((p) => p.generation);
    expect(perSeed.length).toBeLessThanOrEqual(400);
    expect(perSeed.slice(0, 12)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]); // dense where the axis is wide
    expect(perSeed[perSeed.length - 1]! - perSeed[perSeed.length - 2]!).toBeGreaterThan(5); // sparse where it is narrow
  });

  it('omits the theory layer where the summary has none', async () => {
    const run = readRun(join(root, 'coin'));
    expect(run.theory.kl).toBeUndefined();
    expect(groups(await toSvg(metricSpec(run, 'kl')))).not.toContain('line:theory');
  });

  it('puts theory-backed metrics first, then collapse times and the temperature map', () => {
    const run = readRun(join(root, 'coin'));
    const plots = runSpecs(run);
    const backed = plots.map((p) => run.theory[p.id] != null);
    expect(backed.slice(0, 3)).toEqual([true, true, true]); // entropy, giniSimpson, p0
    expect(backed.lastIndexOf(true)).toBeLessThan(backed.indexOf(false));
    expect(plots.map((p) => p.id)).toEqual(expect.arrayContaining(['collapse', 'temperature-map', 'entropy', 'p0']));
  });

  it("draws a family's scalar predictions for a metric as rules (the urn's limit and true share), not its parameters", async () => {
    const run = readRun(join(root, 'urn'));
    expect(run.theory.share0Limit).toBe(1);
    const spec = metricSpec(run, 'share0');
    expect((spec.datasets as Record<string, { series: string }[]>).limit!.map((l) => l.series).sort()).toEqual(['share0Limit', 'trueShare0']);
    expect(groups(await toSvg(spec))).toContain('rule:limit');
  });
});

describe('figures that read at a glance', () => {
  const encodingOf = (spec: Record<string, unknown>, layer: string) => ((spec.layer as { name: string; encoding: Record<string, { scale?: { domain: string[]; range: unknown[] } }> }[]).find((l) => l.name === layer)!).encoding;

  it('draws theory in the colour of the simulation it predicts, dashed, with one legend of strokes in those colours and dashes', () => {
    const spec = metricSpec(readRun(join(root, 'coin')), 'giniSimpson');
    const { color, strokeDash } = encodingOf(spec, 'theory');
    expect(color!.scale!.domain).toEqual(['simulation mean (60 seeds)', 'theory']);
    expect(new Set(color!.scale!.range).size).toBe(1); // one colour
    expect(strokeDash!.scale!.range).toEqual([[1, 0], [6, 4]]); // the simulation solid, theory dashed
    expect(encodingOf(spec, 'mean')).toEqual(encodingOf(spec, 'theory')); // one legend for both
    expect((spec.config as { legend: Record<string, unknown> }).legend).toMatchObject({ symbolType: 'stroke', symbolOpacity: 1 });
  });

  it('says "1 seed" and draws no band, and describes none, for a single seed', async () => {
    const spec = metricSpec(readRun(join(root, 'one')), 'giniSimpson');
    const svg = await toSvg(spec);
    expect(svg).toContain('simulation (1 seed)');
    expect(svg).toContain('1 seed drawn; dashed: theory');
    expect(svg).not.toMatch(/1 seeds|band/);
    expect(groups(svg)).not.toContain('area:band');
  });

  it('uses a log scale for positive values spanning more than 100×, and keeps every subtitle line short enough not to widen the figure', () => {
    expect(valueScale([53372, 845, 129, 9])).toEqual({ type: 'log' }); // the Brown bigram's contexts
    expect(valueScale([300, 2])).toEqual({ type: 'log' });
    expect(valueScale([100, 2])).toMatchObject({ type: 'linear' }); // 50×
    expect(valueScale([300, 0, 2])).toMatchObject({ type: 'linear' }); // a zero has no place on a log axis
    for (const { spec } of runSpecs(readRun(join(root, 'coin')))) for (const line of (spec.title as { subtitle: string[] }).subtitle) expect(line.length).toBeLessThanOrEqual(60);
  });

  it('says "theory" on a comparison only for the runs it is drawn for', () => {
    const runs = [readRun(join(root, 'coin')), readRun(join(root, 'smooth'))];
    expect(runs[1]!.theory.giniSimpson).toBeNull(); // smoothing: no exact theory
    const subtitle = (compareSpec(runs, { labels: ['plain', 'smoothed'] }, 'giniSimpson').title as { subtitle: string[] }).subtitle.join(' ');
    expect(subtitle).toMatch(/dashed: theory, for the 1 of 2 runs it applies to/);
    expect((compareSpec([runs[1]!], { labels: ['smoothed'] }, 'giniSimpson').title as { subtitle: string[] }).subtitle.join(' ')).not.toMatch(/theory/);
  });

  it('never cuts an axis title', () => {
    expect((metricSpec(readRun(join(root, 'coin')), 'kl').config as { axis: { titleLimit: number } }).axis.titleLimit).toBeGreaterThan(1000);
  });
});

describe('collapse and temperature-map plots', () => {
  it('draws the empirical CDF, the exact chain and both means', async () => {
    const g = groups(await toSvg(collapseSpec(readRun(join(root, 'coin')))));
    expect(g).toEqual(expect.arrayContaining(['line:ecdf', 'line:theory', 'rule:means']));
  });

  it('draws τ_T against the simulated steps', async () => {
    const run = readRun(join(root, 'sweep', 't08'));
    const spec = temperatureMapSpec(run);
    const curves = (spec.datasets as Record<string, { p: number; next: number; series: string }[]>).curves!;
    const at = curves.find((c) => c.p === 0.25 && c.series.startsWith('τ'))!;
    expect(at.next).toBeCloseTo(0.25 ** 1.25 / (0.25 ** 1.25 + 0.75 ** 1.25), 12); // τ_T at T = 0.8
    expect(groups(await toSvg(spec))).toEqual(expect.arrayContaining(['symbol:steps', 'line:theory']));
  });
});

describe('sweeps and half-written runs', () => {
  it('reads the swept key off the cells and colours one mean line per cell', async () => {
    const sweep = readSweep(join(root, 'sweep'));
    expect(sweep.keys).toContain('loop.temperature');
    const svg = await toSvg(plotFor(join(root, 'sweep'), 'entropy').spec);
    expect(svg).toContain('loop.temperature=0.8');
    expect(svg).toContain('loop.temperature=1.2');
    expect(groups(svg).filter((x) => x === 'line:mean')).toHaveLength(2);
  });

  it('with two swept keys, draws one panel per value of the last, coloured by the other', async () => {
    const svg = await toSvg(plotFor(join(root, 'grid'), 'giniSimpson').spec);
    expect(svg).toContain('loop.temperature=0.9');
    expect(svg).toContain('loop.temperature=1.1');
    expect(svg).toContain('loop.samples=20');
    expect(groups(svg).filter((x) => x === 'line:mean')).toHaveLength(3); // one line per cell
    expect(groups(svg).filter((x) => x === 'line:theory')).toHaveLength(3);
    expect(svg).toContain('role-column-title'); // faceted: panels titled by their temperature
  });

  it('lists a killed run as incomplete and still plots its partial data', async () => {
    const run = readRun(join(root, 'killed'));
    expect(run.status).toBe('incomplete');
    expect(run.summary).toBeNull();
    expect(run.recorded.length).toBeGreaterThan(1);
    expect(groups(await toSvg(plotFor(join(root, 'killed'), 'entropy').spec))).toContain('line:mean');
  });

  it('names the plots a run has when asked for one it lacks', () => {
    expect(() => plotFor(join(root, 'coin'), 'nonsense')).toThrow(ReportInputError);
    expect(() => plotFor(join(root, 'coin'), 'nonsense')).toThrow(/it has: entropy, giniSimpson/);
  });
});

describe('PNG output', () => {
  it('renders with the shipped font to the same bytes every time', async () => {
    const svg = await toSvg(collapseSpec(readRun(join(root, 'coin'))));
    const a = svgToPng(svg);
    expect(a.subarray(1, 4).toString()).toBe('PNG');
    expect(svgToPng(svg).equals(a)).toBe(true);
    expect(readFileSync(new URL('../../assets/fonts/DejaVuSans.ttf', import.meta.url)).length).toBeGreaterThan(100_000);
  });
});
