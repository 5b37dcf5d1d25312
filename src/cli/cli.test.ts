// The command line as a user drives it: exit codes, nothing written on bad input, the --json
// contract, exports, and a real kill -9 followed by --resume.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { afterAll, describe, expect, it } from 'vitest';

const BIN = new URL('../../bin/ouro.js', import.meta.url).pathname;
const tmp = mkdtempSync(join(tmpdir(), 'ouro-cli-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

function ouro(...args: string[]) {
  const r = spawnSync('node', [BIN, ...args], { encoding: 'utf8', cwd: tmp });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

function config(name: string, body: string): string {
  const path = join(tmp, name);
  writeFileSync(path, body);
  return path;
}

const COIN = 'family: categorical\ninit: { probs: [0.5, 0.5] }\nloop: { generations: 500, samples: 10 }\nseeds: 20\n';

describe('ouro run', () => {
  it.each([
    ['a negative temperature', COIN.replace('samples: 10', 'samples: 10, temperature: -1'), /temperature/],
    ['probabilities that do not sum to 1', COIN.replace('[0.5, 0.5]', '[0.5, 0.4]'), /sum to 1/],
    ['an unknown key', COIN + 'colour: red\n', /unknown key 'colour'/],
    ['λ outside [0, 1]', COIN.replace('samples: 10', 'samples: 10, realFraction: -0.1'), /realFraction/],
    ['a non-integer sample size', COIN.replace('samples: 10', 'samples: 3.5'), /samples/],
  ])('rejects %s with exit 2 before writing anything', (_what, body, pattern) => {
    const out = join(tmp, 'never');
    const r = ouro('run', config('bad.yaml', body), '--out', out);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/^ouro: bad\.yaml|bad\.yaml:\d+:\d+/m);
    expect(r.err).toMatch(pattern);
    expect(existsSync(out)).toBe(false);
  });

  it('rejects a missing config and a bad --seeds with exit 2', () => {
    expect(ouro('run', join(tmp, 'nope.yaml')).err).toMatch(/no such file/);
    expect(ouro('run', join(tmp, 'nope.yaml')).code).toBe(2);
    expect(ouro('run', config('ok.yaml', COIN), '--seeds', '0').code).toBe(2);
  });

  it('prints the --json contract on stdout and never overwrites without --force', () => {
    const out = join(tmp, 'j');
    const r = ouro('run', config('coin.yaml', COIN), '--out', out, '--json', '--set', 'loop.temperature=0.8');
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.out);
    expect(doc.runDir).toBe(out);
    expect(doc.summary.collapse.ever).toMatchObject({ seeds: 20, of: 20, fraction: 1 });
    expect(doc.summary.collapse.atEnd).toMatchObject({ seeds: 20, of: 20, fraction: 1 });
    expect(Object.keys(doc.summary.collapse.time)).toEqual(['mean', 'sd', 'se', 'quantiles']);
    const within = doc.summary.comparisons.find((c: { theoryKey: string }) => c.theoryKey === 'collapseTimeIfCollapsed');
    expect(within).toMatchObject({ simulation: doc.summary.collapse.time.mean, se: doc.summary.collapse.time.se, theory: expect.any(Number) });
    expect(doc.seeds).toHaveLength(20);
    expect(doc.seeds[0]).toMatchObject({ seed: 0, collapsedAt: expect.any(Number), collapsedAtEnd: true, fixedOn: expect.any(Number), final: { entropy: 0, support: 1 } });
    const before = readFileSync(join(out, 'generations.jsonl'));
    const again = ouro('run', join(tmp, 'coin.yaml'), '--out', out);
    expect(again.code).toBe(2);
    expect(again.err).toMatch(/already exists; pass --force/);
    expect(readFileSync(join(out, 'generations.jsonl')).equals(before)).toBe(true);
  });

  it('exports csv and jsonl, and DuckDB reads the Parquet', async () => {
    const out = join(tmp, 'e');
    expect(ouro('run', config('coin.yaml', COIN), '--out', out).code).toBe(0);
    expect(ouro('export', out, '--format', 'csv').code).toBe(0);
    expect(ouro('export', out, '--format', 'jsonl').code).toBe(0);
    expect(ouro('export', out, '--format', 'xlsx').code).toBe(2);
    expect(ouro('export', out, '--format', 'parquet', '--out', join(tmp, 'again.parquet')).code).toBe(0);
    expect(readFileSync(join(tmp, 'again.parquet')).equals(readFileSync(join(out, 'metrics.parquet')))).toBe(true); // the run's own file, rebuilt from the log
    const csv = readFileSync(join(out, 'metrics.csv'), 'utf8').trim().split('\n');
    expect(csv[0]).toBe('seed,generation,metric,value,stopped');
    const db = await DuckDBInstance.create(':memory:');
    const c = await db.connect();
    const r = await c.runAndReadAll(`select count(*)::INTEGER, sum(value) from read_parquet('${join(out, 'metrics.parquet')}') where metric = 'p0'`);
    const [[count, sum]] = r.getRows() as [[number, number]];
    const p0 = csv.filter((l) => l.split(',')[2] === 'p0').map((l) => Number(l.split(',')[3]));
    expect(count).toBe(p0.length);
    expect(sum).toBeCloseTo(p0.reduce((a, b) => a + b, 0), 9);
  });

  it('exports every seed at every recorded generation: a DuckDB group-by mean is the summary\'s mean, not the survivors\'', async () => {
    const out = join(tmp, 'coin-20');
    expect(ouro('run', new URL('../../examples/coin-20.yaml', import.meta.url).pathname, '--out', out).code).toBe(0);
    const summary = JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8')) as { recorded: number[]; seeds: number; aggregates: { giniSimpson: { mean: number[] } } };
    const db = await DuckDBInstance.create(':memory:');
    const c = await db.connect();
    const file = `read_parquet('${join(out, 'metrics.parquet')}')`;
    const all = (await c.runAndReadAll(`select generation, avg(value), count(*)::INTEGER from ${file} where metric = 'giniSimpson' group by 1 order by 1`)).getRows() as [number, number, number][];
    expect(all.map(([g]) => g)).toEqual(summary.recorded);
    all.forEach(([, mean, n], i) => {
      expect(n).toBe(summary.seeds);
      expect(Math.abs(mean - summary.aggregates.giniSimpson.mean[i]!)).toBeLessThanOrEqual(1e-12);
    });
    // The rows of seeds still running alone (the ragged export of before) overstate diversity
    // by far more than the mean's standard error: that is the survivor bias this guards against.
    const [[survivors]] = (await c.runAndReadAll(`select avg(value) from ${file} where metric = 'giniSimpson' and generation = 7 and not stopped`)).getRows() as [[number]];
    const g7 = summary.recorded.indexOf(7);
    expect(all[g7]![1]).toBeCloseTo(0.3464, 3);
    expect(survivors).toBeCloseTo(0.3681, 3);
  });

  it.each([0.1, 0.5, 0.9])('resumes after kill -9 at %s of the log to the same bytes as an uninterrupted run, on two threads', async (at) => {
    // Coins of 1,000 flips: some 1,400 generations each, so the run lasts long enough to be killed part-way.
    const body = 'family: categorical\ninit: { probs: [0.5, 0.5] }\nloop: { generations: 100000, samples: 1000 }\nseeds: 2000\nrecord: log\n';
    const path = config('long.yaml', body);
    const ref = join(tmp, 'ref');
    if (!existsSync(join(ref, 'summary.json'))) expect(ouro('run', path, '--out', ref, '--workers', '1').code).toBe(0);
    const dir = join(tmp, `killed-${at}`);
    const child = spawn('node', [BIN, 'run', path, '--out', dir, '--workers', '2'], { stdio: 'ignore' });
    const log = join(dir, 'generations.jsonl');
    const total = statSync(join(ref, 'generations.jsonl')).size;
    await new Promise<void>((resolve) => {
      const t = setInterval(() => {
        if (existsSync(log) && statSync(log).size > total * at) clearInterval(t), child.kill('SIGKILL'), resolve();
      }, 2);
    });
    await new Promise((r) => child.on('exit', r));
    expect(existsSync(join(dir, 'summary.json')), 'the run finished before it was killed; make it longer').toBe(false);
    const r = ouro('run', '--resume', dir, '--workers', '2');
    expect(r.code, r.err).toBe(0);
    for (const f of ['generations.jsonl', 'summary.json', 'metrics.parquet']) expect(readFileSync(join(dir, f)).equals(readFileSync(join(ref, f))), f).toBe(true);
  }, 120_000);
});
