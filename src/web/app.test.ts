import { appendFileSync, cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeCoinRun, writeRun } from '../report/test-runs.ts';
import { createApp, LOOPBACK_HOSTS } from './app.ts';
import { Launcher } from './launch.ts';
import { PRESETS } from './playground/presets.ts';
import { simulate, type Report } from './playground/worker.ts';

let runs: string;
let app: ReturnType<typeof createApp>;
beforeAll(async () => {
  runs = mkdtempSync(join(tmpdir(), 'ouro-app-'));
  await writeCoinRun(join(runs, 'coin'), { samples: 10, temperature: 1, seeds: 5, generations: 50 });
  await writeRun(join(runs, 'eco'), 'family: categorical\ninit: { probs: [0.5, 0.5] }\necosystem:\n  agents: [{ name: a, samples: 10 }, { name: b, samples: 10 }]\n  reads: { a: { a: 1, b: 1 }, b: { a: 1, b: 1 } }\nloop: { generations: 20 }\nseeds: 3\n');
  symlinkSync(tmpdir(), join(runs, 'escape'));
  // A sweep directory as `ouro sweep` lays it out: an index and one run directory per cell.
  const cells = [0.9, 1.1].map((t, i) => ({ cell: i, values: { 'loop.temperature': t }, runId: `00000000000${i}`, dir: `cells/00000000000${i}`, status: 'complete' }));
  for (const [i, t] of [0.9, 1.1].entries()) await writeCoinRun(join(runs, 'sw', 'cells', `00000000000${i}`), { samples: 10, temperature: t, seeds: 3, generations: 20 });
  mkdirSync(join(runs, 'sw'), { recursive: true });
  writeFileSync(join(runs, 'sw', 'sweep.json'), JSON.stringify({ name: 'sw', source: 'x.yaml', sweepId: 'abc', keys: ['loop.temperature'], cells }));
  app = createApp({ runsDir: runs, examplesDir: join(runs, 'none'), launcher: new Launcher(runs), hosts: LOOPBACK_HOSTS });
});
afterAll(() => rmSync(runs, { recursive: true, force: true }));

const get = async (path: string): Promise<{ status: number; text: string }> => {
  const r = await app.request(path);
  return { status: r.status, text: await r.text() };
};

describe('dashboard requests', () => {
  it('confines every path to the runs directory', async () => {
    for (const dir of ['../etc', '%2Fetc%2Fpasswd', 'coin%2F..%2F..', 'escape', 'coin%00']) {
      const r = await get(`/api/plot?dir=${dir}`);
      expect(r.status, dir).toBe(400);
      expect(r.text).toMatch(/inside the runs directory|outside the runs directory|links outside/);
    }
  });

  it('answers unknown runs, plots and metrics with a 404 that says what exists', async () => {
    expect((await get('/run?dir=nope')).status).toBe(404);
    const plot = await get('/api/plot?dir=coin&metric=zz');
    expect(plot.status).toBe(404);
    expect(plot.text).toContain('it has: entropy');
    expect((await get('/compare?dir=coin&metric=zz')).status).toBe(404);
    expect((await get('/compare')).status).toBe(400);
  });

  it('serves a run plot as SVG and lists the run as complete', async () => {
    const plot = await app.request('/api/plot?dir=coin&metric=giniSimpson');
    expect(plot.headers.get('content-type')).toBe('image/svg+xml');
    expect(await plot.text()).toContain('theory_marks');
    expect((await get('/')).text).toMatch(/data-status="complete"[^]*coin/);
  });

  it('shows an ecosystem run with each metric of its agents on one plot', async () => {
    const page = await get('/run?dir=eco');
    expect(page.status).toBe(200);
    const plot = await get('/api/plot?dir=eco&metric=giniSimpson');
    expect(plot.text).toContain('giniSimpson of each author');
    expect(plot.text).toContain('theory_marks');
    expect((await get('/api/plot?dir=eco&metric=a.support')).status).toBe(200);
  });

  it('lists a sweep on one line and shows its cells on one plot', async () => {
    const list = (await get('/')).text;
    expect(list).toMatch(/<a href="\/sweep\?dir=sw">sw\/<\/a><\/td><td>sweep<\/td><td><span class="status complete">2 complete<\/span><\/td><td>categorical<\/td><td>2 of 2 cells complete/);
    expect(list).toMatch(/<a href="\/run\?dir=coin">coin<\/a><\/td><td>run<\/td><td><span class="status complete">complete<\/span><\/td><td>categorical<\/td><td>\d+ of \d+ seeds done \([\d,]+ generations of at most \d+ each\)<\/td>/);
    expect(list).not.toContain('sw/cells/000000000000'); // cells are reached through their sweep
    const page = await get('/sweep?dir=sw&metric=giniSimpson');
    expect(page.status).toBe(200);
    expect(page.text).toContain('loop.temperature=1.1');
    expect(page.text).toContain('href="/run?dir=sw%2Fcells%2F000000000000"');
  });

  it('answers only to loopback host names, and starts runs only from JSON (so other sites cannot)', async () => {
    expect((await app.request('http://evil.example:8080/')).status).toBe(403);
    expect((await app.request('http://localhost:8080/')).status).toBe(200);
    const form = await app.request('/api/runs', { method: 'POST', body: 'config=x', headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    expect(form.status).toBe(415);
  });

  it('refuses a body that is not { config } and returns config errors with their line', async () => {
    const post = (body: string) => app.request('/api/runs', { method: 'POST', body, headers: { 'content-type': 'application/json' } });
    expect((await post('not json')).status).toBe(400);
    const r = await post(JSON.stringify({ config: 'family: categorical\ninit: { probs: [0.5, 0.5] }\nloop: { samples: 0 }\n' }));
    expect(r.status).toBe(422);
    const { issues } = (await r.json()) as { issues: { path: string; line: number }[] };
    expect(issues[0]).toMatchObject({ path: 'loop.samples', line: 3 });
  });

  it('marks a started run that fails before its first generation as failed, with the reason', async () => {
    // Valid to the schema; the family's setup then finds the rejected word is not in the corpus.
    const config = "name: bad-words\nfamily: ngram\ncorpus: { source: toy, text: 'a b c' }\nreject: { words: [zebra] }\nseeds: 2\n";
    const r = await app.request('/api/runs', { method: 'POST', body: JSON.stringify({ config }), headers: { 'content-type': 'application/json' } });
    expect(r.status).toBe(201);
    const { dir } = (await r.json()) as { dir: string };
    await expect.poll(async () => (await get(`/run?dir=${dir}`)).text, { timeout: 60_000, interval: 250 }).toMatch(/class="status failed"[^]*zebra.{0,8} never occur in the corpus/);
  }, 90_000);

  it('compares several runs on one plot, one mean line each', async () => {
    const r = await get('/compare?dir=coin&dir=sw%2Fcells%2F000000000001&metric=entropy');
    expect(r.status).toBe(200);
    expect(r.text.match(/role-mark mean_marks/g)).toHaveLength(2);
    expect(r.text).toContain('sw/cells/000000000001');
  });

  it('follows a run while it is written: an update per growth, then end once it completes', async () => {
    // A run in progress: this process holds its lock, and its log grows while we listen.
    const live = join(runs, 'live');
    cpSync(join(runs, 'coin'), live, { recursive: true });
    rmSync(join(live, 'summary.json'));
    const lines = readFileSync(join(live, 'generations.jsonl'), 'utf8').split('\n').filter(Boolean);
    writeFileSync(join(live, 'generations.jsonl'), lines.slice(0, 10).join('\n') + '\n');
    writeFileSync(join(live, 'run.lock'), String(process.pid));
    const body = (await app.request('/api/events?dir=live')).body!.pipeThrough(new TextDecoderStream()).getReader();
    const seen: string[] = [];
    const next = async (): Promise<string> => {
      const r = await body.read();
      if (r.done) throw new Error(`the stream ended early: ${seen.join('')}`);
      seen.push(r.value);
      return seen.join('');
    };
    expect(await next()).toContain('"lines":10,"status":"running"');
    appendFileSync(join(live, 'generations.jsonl'), lines.slice(10, 25).join('\n') + '\n');
    while (!(await next()).includes('"lines":25')) { /* wait for the poll to see the growth */ }
    writeFileSync(join(live, 'summary.json'), '{}');
    rmSync(join(live, 'run.lock'));
    while (!(await next()).includes('event: end')) { /* until the stream ends */ }
    expect(seen.join('')).toMatch(/"lines":25,"status":"complete"[^]*event: end\ndata: complete/);
  });

  it('tails a finished run: one update with every line, then end', async () => {
    const text = await (await app.request('/api/events?dir=coin')).text();
    expect(text).toMatch(/event: update\ndata: \{"lines":\d+,"status":"complete","seedsDone":(\d+),"seeds":\1,"progress":"\1 of \1 seeds done \([\d,]+ generations of at most \d+ each\)"\}/);
    expect(text).toMatch(/event: end\ndata: complete/);
  });
});

describe('playground worker', () => {
  const collect = async (config: unknown): Promise<Report[]> => {
    const out: Report[] = [];
    await simulate(config, (r) => out.push(r), 0);
    return out;
  };

  it('names the field of an invalid config', async () => {
    const [r] = await collect({ family: 'categorical', init: { probs: [0.5, 0.5] }, loop: { temperature: -1 } });
    expect(r).toMatchObject({ type: 'error', message: expect.stringMatching(/^loop\.temperature: /) });
    const [u] = await collect({ family: 'nope' });
    expect(u).toMatchObject({ type: 'error', message: expect.stringContaining('categorical') });
  });

  it('runs every preset the family registry has, on its built-in data', async () => {
    for (const p of PRESETS) {
      const knobs = { n: p.n.value, k: p.k.value, temperature: 1, realFraction: 0, policy: 'replace', training: 'scratch', generations: 5, seeds: 2, seed: 0 } as const;
      const out = await collect(p.config(knobs));
      expect(out.filter((r) => r.type === 'error'), p.family).toEqual([]);
      const last = out.filter((r) => r.type === 'generation').pop() as Extract<Report, { type: 'generation' }>;
      expect(last.generation).toBe(5);
      expect(last.metrics[p.metric], `${p.family} records ${p.metric}`).toHaveLength(2);
    }
  });

  it('posts the theory, one message per generation and done; the same seed gives the same values', async () => {
    const config = { family: 'categorical', init: { probs: [0.5, 0.5] }, loop: { samples: 10, generations: 30 }, seeds: 4, seed: 7 };
    const a = await collect(config);
    expect(a[0]!.type).toBe('theory');
    expect(a.filter((r) => r.type === 'generation')).toHaveLength(31);
    expect(a[a.length - 1]).toEqual({ type: 'done', generation: 30 });
    expect(await collect(config)).toEqual(a);
    expect(await collect({ ...config, seed: 8 })).not.toEqual(a);
  });
});
