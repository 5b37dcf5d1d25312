// End-to-end in Debian's chromium (playwright-core; `npx playwright install` cannot work here):
// the dashboard lists runs, shows a run's plot, starts a run from a pasted config (errors at
// their line first), and the playground runs 100 generations whose plotted values are read
// back and checked against `ouro run` on the same config and against the exact theory; so does
// the ecosystem view (two agents and people).
// Screenshots go to test-artifacts/. The test starts and stops its own server with `node`.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readRun } from '../report/run-dir.ts';
import { writeCoinRun, writeRun } from '../report/test-runs.test-support.ts';
import { ecosystemConfig } from './playground/presets.ts';
import { has } from '../system.test-support.ts';
import { settingsFor } from '../config/schema.ts';
import { entry } from '../families/categorical/index.ts';
import { categoricalTheory } from '../theory/categorical.ts';

const CHROMIUM = '/usr/bin/chromium';
const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const ARTIFACTS = join(ROOT, 'test-artifacts');

let runs: string;
let server: ChildProcess;
let base: string;
let browser: Browser;

/** Starts `ouro serve` on a free port and resolves with its URL once it is listening. */
function startServer(dir: string): Promise<string> {
  server = spawn(process.execPath, [join(ROOT, 'bin/ouro.js'), 'serve', '--port', '0', '--runs', dir], { stdio: ['ignore', 'pipe', 'pipe'] });
  return new Promise((resolve, reject) => {
    let out = '';
    server.stdout!.on('data', (b: Buffer) => {
      out += b.toString();
      const m = /http:\/\/127\.0\.0\.1:(\d+)\//.exec(out);
      if (m) resolve(m[0]);
    });
    server.on('exit', (code) => reject(new Error(`ouro serve exited (${code}) before listening: ${out}`)));
  });
}

async function shot(page: Page, name: string): Promise<void> {
  mkdirSync(ARTIFACTS, { recursive: true });
  await page.screenshot({ path: join(ARTIFACTS, name), fullPage: true });
}

describe.skipIf(!has('chromium'))('in the browser', () => {
  beforeAll(async () => {
    runs = mkdtempSync(join(tmpdir(), 'ouro-serve-'));
    await writeCoinRun(join(runs, 'coin'), { samples: 20, temperature: 1, seeds: 40, generations: 200 });
    await writeCoinRun(join(runs, 'killed'), { samples: 20, temperature: 1, seeds: 3, generations: 200, killed: true });
    [base, browser] = await Promise.all([
      startServer(runs),
      chromium.launch({ executablePath: CHROMIUM, args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--no-first-run'] }),
    ]);
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    server?.kill('SIGTERM');
    rmSync(runs, { recursive: true, force: true });
  });
  // Timeouts are generous because CI runs this beside the rest of the suite on two cores.

  it('lists runs with their status, opens one and shows its plot with theory', async () => {
    const page = await browser.newPage();
    await page.goto(base);
    await expect.poll(() => page.locator('tr[data-status="complete"]').count()).toBe(1);
    expect(await page.locator('tr[data-status="incomplete"]').count()).toBe(1);
    await page.click('text=coin');
    await page.waitForSelector('#plot svg .mean_marks');
    expect(await page.locator('#plot svg .theory_marks').count()).toBe(1);
    await page.selectOption('#metric', 'collapse');
    await page.waitForSelector('#plot svg .ecdf_marks');
    await shot(page, 'dashboard-run.png');
    await page.close();
  }, 60_000);

  it('shows a config error at its line, then starts the fixed config and plots it live', async () => {
    const page = await browser.newPage();
    await page.goto(base + 'new');
    const bad = 'name: fresh\nfamily: categorical\ninit: { probs: [0.5, 0.5] }\nloop: { samples: 20, generations: 100, temperature: -1 }\nseeds: 20\n';
    await page.fill('#config', bad);
    await page.click('#start');
    const marked = page.locator('ol.lines li.bad');
    await marked.waitFor();
    expect(await page.locator('ol.lines li').evaluateAll((lis) => lis.findIndex((li) => li.classList.contains('bad')) + 1)).toBe(4);
    expect(await marked.textContent()).toMatch(/loop\.temperature: temperature must be ≥ 0/);
    await shot(page, 'dashboard-config-error.png');
    await page.fill('#config', bad.replace('-1', '1'));
    await page.click('#start');
    await page.waitForURL(/\/run\?dir=fresh-1/);
    await page.waitForSelector('#status.complete', { timeout: 80_000 });
    await page.waitForSelector('#plot svg .mean_marks');
    await page.close();
  }, 120_000);

  it('runs the ecosystem view: one line per author, the people dashed, each agent on the exact theory and on `ouro run`', async () => {
    const page = await browser.newPage();
    await page.goto(base + 'playground/ecosystem.html');
    await page.waitForFunction(() => document.getElementById('progress')?.textContent?.includes('(done)'), null, { timeout: 90_000 });
    const values = async (id: string) => JSON.parse((await page.getAttribute(`#${id.replace('.', '\\.')}`, 'data-values'))!) as number[];
    const drawn = { a: await values('mean-a.p0'), people: await values('mean-people.p0'), theory: await values('theory-people.p0') };
    expect(await page.getAttribute('#mean-people\\.p0', 'stroke-dasharray')).toBe('7 4');
    await shot(page, 'playground-ecosystem.png');
    await page.close();
    // The view's defaults: n = 20, cross 0.1, people 0.1, s = 0.5, T = 1, b from 0.8, 100 generations, 50 seeds, seed 0.
    const config = ecosystemConfig({ n: 20, cross: 0.1, human: 0.1, s: 0.5, T: 1, start: 0.8, generations: 100, seeds: 50 }, 0);
    const cli = join(runs, 'same-as-ecosystem-view');
    await writeRun(cli, JSON.stringify({ ...config, record: 'every' }));
    const run = readRun(cli);
    expect(drawn.a).toHaveLength(101);
    drawn.a.forEach((v, g) => expect(v).toBeCloseTo(run.aggregates['a.p0']!.mean[g]!, 10));
    drawn.people.forEach((v, g) => expect(v).toBeCloseTo(run.aggregates['people.p0']!.mean[g]!, 10));
    drawn.theory.forEach((v, g) => expect(v).toBeCloseTo((run.theory['people.p0'] as number[])[g]!, 12));
  }, 150_000);

  it('runs the playground for 100 generations; the plotted mean is what `ouro run` computes, the dashed curve the exact theory', async () => {
    const page = await browser.newPage();
    await page.goto(base + 'playground/');
    await page.waitForFunction(() => document.getElementById('progress')?.textContent?.includes('(done)'), null, { timeout: 60_000 });
    const mean = JSON.parse((await page.getAttribute('#mean', 'data-values'))!) as number[];
    const theory = JSON.parse((await page.getAttribute('#theory', 'data-values'))!) as number[];
    await shot(page, 'playground.png');
    await page.close();
    expect(mean).toHaveLength(101);
    // The playground's default: a fair coin, n = 20, T = 1, 50 seeds, seed 0, 100 generations.
    const gens = Array.from({ length: 101 }, (_, g) => g);
    const exact = categoricalTheory(settingsFor(entry, { init: { probs: [0.5, 0.5] }, loop: { samples: 20 } }), gens);
    theory.forEach((v, g) => expect(v).toBeCloseTo((exact.giniSimpson as number[])[g]!, 12));
    const cli = join(runs, 'same-as-playground');
    await writeCoinRun(cli, { samples: 20, temperature: 1, seeds: 50, generations: 100 });
    const agg = readRun(cli).aggregates.giniSimpson!;
    mean.forEach((v, g) => expect(v).toBeCloseTo(agg.mean[g]!, 10)); // same keys → same draws
  }, 60_000);
});
