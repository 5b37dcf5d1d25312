// The command line as a user drives it: exit codes, nothing written on bad input, the --json
// contract, exports, and a real kill -9 followed by --resume.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readlinkSync, rmSync, statSync, writeFileSync } from 'node:fs';
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
    ['an ecosystem read naming an unknown author', COIN + 'ecosystem:\n  agents: [{ name: a }, { name: b }]\n  reads: { a: { a: 1, c: 1 } }\n', /bad\.yaml:7:\d+ ecosystem\.reads\.a\.c: expected a weight on a known author \(a, b\)/],
    ['a negative ecosystem read weight', COIN + 'ecosystem:\n  agents: [{ name: a }, { name: b }]\n  reads: { a: { a: 1, b: -1 } }\n', /bad\.yaml:7:\d+ ecosystem\.reads\.a\.b: read weights must be ≥ 0, got -1/],
    ['ecosystem read weights all zero', COIN + 'ecosystem:\n  agents: [{ name: a }, { name: b }]\n  reads: { a: { a: 0, b: 0 } }\n', /bad\.yaml:7:\d+ ecosystem\.reads\.a: expected some positive weight/],
    ['stubbornness outside [0, 1]', COIN + 'ecosystem:\n  agents: [{ name: a }]\n  humans: { posts: 10, reads: { a: 1 }, stubbornness: 1.5 }\n', /bad\.yaml:7:\d+ ecosystem\.humans\.stubbornness: stubbornness must be in \[0, 1\], got 1\.5/],
    ['an agent overriding a key its family does not support', 'family: gaussian\ninit: { mean: [0], cov: [[1]] }\nloop: { generations: 50, samples: 10 }\nseeds: 2\necosystem:\n  agents: [{ name: a, topK: 3 }]\n', /bad\.yaml:6:\d+ ecosystem\.agents\.0\.topK: expected 0 or nothing \(the gaussian family does not support top-k/],
    ['two ecosystem agents with the same name', COIN + 'ecosystem:\n  agents: [{ name: a }, { name: a }]\n', /bad\.yaml:6:\d+ ecosystem\.agents\.1\.name: expected a name of its own/],
    ['posts: 0 for an author someone reads', COIN + 'ecosystem:\n  agents: [{ name: a }, { name: b, posts: 0 }]\n  reads: { a: { a: 1, b: 1 } }\n', /bad\.yaml:6:\d+ ecosystem\.agents\.1\.posts: expected b to post \(a reads it with weight 1\)/],
    ['an ecosystem agent reading more posts than another writes', COIN + 'ecosystem:\n  agents: [{ name: a, posts: 5, samples: 5 }, { name: b, samples: 20 }]\n  reads: { b: { a: 1, b: 1 } }\n', /bad\.yaml:7:\d+ ecosystem\.reads\.b\.a: expected b to read at most the 5 posts a writes per generation, but it reads round\(20·1\/2\) = 10/],
  ])('rejects %s with exit 2 before writing anything', (_what, body, pattern) => {
    const out = join(tmp, 'never');
    const r = ouro('run', config('bad.yaml', body), '--out', out);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/^ouro: bad\.yaml|bad\.yaml:\d+:\d+/m);
    expect(r.err).toMatch(pattern);
    expect(r.err).not.toMatch(/^\s+at /m); // a message, never a stack trace
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

describe('ouro ls and runs/latest', () => {
  it('lists runs and sweeps with status, family, name and size, links latest to the last started, and counts no run twice', () => {
    const cwd = mkdtempSync(join(tmp, 'ls-'));
    const run = (...args: string[]) => spawnSync('node', [BIN, ...args], { encoding: 'utf8', cwd });
    writeFileSync(join(cwd, 'a.yaml'), COIN.replace('seeds: 20', 'seeds: 3'));
    writeFileSync(join(cwd, 'b.yaml'), COIN.replace('seeds: 20', 'seeds: 4') + 'name: bee\n');
    writeFileSync(join(cwd, 's.yaml'), COIN.replace('seeds: 20', 'seeds: 2') + 'sweep: { grid: { loop.samples: [10, 20] } }\n');
    expect(run('run', 'a.yaml').status).toBe(0);
    expect(run('run', 'b.yaml').status).toBe(0);
    expect(readlinkSync(join(cwd, 'runs', 'latest'))).toMatch(/^bee-[0-9a-f]{6}$/);
    // resumed through the link, the command printed to continue names the run, which stays put when latest moves on
    expect(run('run', '--resume', 'runs/latest').stderr).toMatch(/continue with: ouro run --resume runs\/bee-[0-9a-f]{6}\n/);
    expect(run('sweep', 's.yaml', '--workers', '1').status).toBe(0);
    expect(readlinkSync(join(cwd, 'runs', 'latest'))).toMatch(/^s-[0-9a-f]{6}$/);
    expect(run('run', 'a.yaml', '--out', 'elsewhere').status).toBe(0); // a chosen --out leaves latest alone
    const ls = run('ls');
    expect(ls.status).toBe(0);
    const lines = ls.stdout.trim().split('\n');
    expect(lines[0]).toMatch(/status\s+family\s+name\s+seeds × generations\s+started\s+size\s+directory/);
    expect(lines[1]).toMatch(/^\s+complete\s+categorical\s+a\s+3 × 500\s+\d{4}-\d\d-\d\d \d\d:\d\d\s+[\d.]+ KiB\s+a-[0-9a-f]{6}$/);
    expect(lines[2]).toMatch(/bee\s+4 × 500/);
    expect(lines[3]).toMatch(/^→\s+sweep: 2 complete\s+categorical\s+s\s+2 cells of 2 × 500 .* s-[0-9a-f]{6}\/$/);
    const q = run('query', 'select count(distinct run) as runs from metrics');
    expect(q.stdout).toMatch(/runs\s*\n2\b/);
    expect(run('ls', 'nowhere').status).toBe(2);
  });
});

describe('paths in a config', () => {
  it('reads a corpus file named relative to the config from any working directory, and keeps it absolute in config.json', () => {
    const where = mkdtempSync(join(tmp, 'exp-'));
    writeFileSync(join(where, 'corpus.txt'), 'the cat sat\nthe dog sat\na cat ran\n');
    const path = join(where, 'text.yaml');
    writeFileSync(path, 'family: ngram\ncorpus: { source: file, path: corpus.txt, heldOut: 0 }\nloop: { generations: 3, tokens: 30 }\nseeds: 2\n');
    const dir = join(tmp, 'text-run');
    const r = ouro('run', path, '--out', dir); // the working directory is tmp, not where
    expect(r.code).toBe(0);
    expect((JSON.parse(readFileSync(join(dir, 'config.json'), 'utf8')) as { corpus: { path: string } }).corpus.path).toBe(join(where, 'corpus.txt'));
  });
});

describe('output defaults', () => {
  it('report writes report.html into the directory, report, plot and export --out - write stdout, graph refuses a generation past the end', () => {
    const dir = join(tmp, 'toy');
    const toy = new URL('../../examples/ngram-toy.yaml', import.meta.url).pathname;
    expect(ouro('run', toy, '--out', dir, '--seeds', '2', '--set', 'loop.generations=30').code).toBe(0);
    const report = ouro('report', dir);
    expect(report.code).toBe(0);
    expect(readFileSync(join(dir, 'report.html'), 'utf8')).toMatch(/^<!doctype html>/);
    const csv = ouro('export', dir, '--format', 'csv', '--out', '-');
    expect(csv.code).toBe(0);
    expect(csv.out.split('\n')[0]).toBe('seed,generation,metric,value,stopped');
    expect(existsSync(join(tmp, '-'))).toBe(false);
    const parquet = spawnSync('node', [BIN, 'export', dir, '--out', '-'], { cwd: tmp });
    expect(parquet.stdout.subarray(0, 4).toString()).toBe('PAR1');
    expect(parquet.stdout.subarray(-4).toString()).toBe('PAR1');
    const html = spawnSync('node', [BIN, 'report', dir, '--out', '-'], { cwd: tmp, encoding: 'utf8' });
    expect(html.stdout).toMatch(/^<!doctype html>[^]*<\/html>\n?$/);
    expect(spawnSync('node', [BIN, 'plot', dir, '--out', '-'], { cwd: tmp, encoding: 'utf8' }).stdout).toMatch(/^<svg[^]*<\/svg>\n$/);
    expect(existsSync(join(tmp, '-'))).toBe(false);
    const past = ouro('graph', dir, '--generation', '31');
    expect(past.code).toBe(2);
    expect(past.err).toMatch(/--generation 31: the run has generations 0…30/);
    const dot = ouro('graph', dir, '--generation', '30');
    expect(dot.code).toBe(0);
    expect(dot.out).toMatch(/^digraph "seed 0, generation \d+" \{/); // where the seed stopped, if before 30
    expect(JSON.parse(ouro('graph', dir, '--generation', '0', '--format', 'json').out)).toMatchObject({ seed: 0, generation: 0, order: 2 });
    expect(ouro('graph', dir, '--seed', '5').err).toMatch(/--seed 5: not a seed of this run/);
    const coinDir = join(tmp, 'coin-graph');
    expect(ouro('run', new URL('../../examples/coin-20.yaml', import.meta.url).pathname, '--out', coinDir, '--seeds', '1', '--set', 'loop.generations=3').code).toBe(0);
    const coin = ouro('graph', coinDir);
    expect(coin.code).toBe(2);
    expect(coin.err).toMatch(/is a categorical run; ouro graph draws the models of ngram runs/);
    expect(ouro('run', toy, '--out', dir, '--seeds', '2', '--set', 'loop.generations=30', '--force').code).toBe(0); // a report in it is the run's own
  });
});

describe('--resume and --seeds', () => {
  it('says at the start how to continue, and resumes the run a config writes by default', () => {
    const path = config('coin.yaml', COIN);
    const first = ouro('run', path, '--seeds', '5');
    expect(first.code).toBe(0);
    const dir = /ouro: writing (\S+); if interrupted \(Ctrl-C, a crash\), continue with: ouro run --resume (\S+)\n/.exec(first.err);
    expect(dir?.[1]).toBe(dir?.[2]);
    const again = ouro('run', path, '--seeds', '5', '--resume');
    expect(again.code).toBe(0);
    expect(again.out).toContain(dir![1]); // the summary of the run it continued
    expect(again.err).toContain(`continue with: ouro run --resume ${dir![1]}`);
  });

  it('never drops a CONFIG, --set or --seeds given with --resume: they must describe the run, or it is an error naming the difference', () => {
    const path = config('coin.yaml', COIN);
    const dir = join(tmp, 'resumable');
    expect(ouro('run', path, '--out', dir).code).toBe(0);
    const before = readFileSync(join(dir, 'generations.jsonl'));
    const dropped = ouro('run', '--resume', dir, '--set', 'loop.temperature=0.8');
    expect(dropped.code).toBe(2);
    expect(dropped.err).toMatch(/--set loop\.temperature=0\.8 would be ignored/);
    const other = ouro('run', path, '--resume', dir, '--set', 'loop.temperature=0.8');
    expect(other.code).toBe(2);
    expect(other.err).toMatch(/holds another run than .*coin\.yaml --set loop\.temperature=0\.8 describes \(loop\.temperature: 0\.8 here, 1 in the run directory\)/);
    expect(ouro('run', path, '--resume', dir, '--seeds', '3').err).toMatch(/holds another run/);
    expect(ouro('run', path, '--resume', dir, '--force').err).toMatch(/give one of them/);
    expect(ouro('run', path, '--resume', dir, '--out', join(tmp, 'elsewhere')).err).toMatch(/name two run directories/);
    expect(readFileSync(join(dir, 'generations.jsonl')).equals(before)).toBe(true);
    expect(ouro('run', path, '--resume', dir).code).toBe(0); // the same config: nothing to ignore
  });

  it('takes --seeds the same way on sweep and reproduce', () => {
    const path = config('sweep.yaml', COIN + 'sweep: { grid: { loop.samples: [10, 20] } }\n');
    const sweep = join(tmp, 'sw');
    const r = ouro('sweep', path, '--seeds', '3', '--out', sweep, '--workers', '1', '--json');
    expect(r.code).toBe(0);
    const cells = (JSON.parse(r.out) as { cells: { dir: string }[] }).cells;
    for (const c of cells) expect((JSON.parse(readFileSync(join(c.dir, 'config.json'), 'utf8')) as { seeds: number[] }).seeds).toEqual([0, 1, 2]);
    expect(ouro('sweep', path, '--seeds', '3', '--resume', join(tmp, 'nowhere')).err).toMatch(/holds no sweep to resume/);
    expect(ouro('sweep', path, '--seeds', '4', '--resume', sweep).err).toMatch(/holds another sweep/);
    for (const cmd of [['sweep', path], ['reproduce', 'ensign2021', '--smoke'], ['run', path]]) expect(ouro(...cmd, '--seeds', '0').err).toMatch(/--seeds: expected a whole number ≥ 1, got '0'/);
  });

  it('announces a sweep’s resume command as words a shell runs, --set values and all', () => {
    const path = config('announced.yaml', COIN);
    const dir = join(tmp, 'announced');
    const first = ouro('sweep', path, '--set', 'loop.samples=10,20', '--set', 'loop.temperature=0.9', '--seeds', '2', '--out', dir, '--workers', '1');
    expect(first.code).toBe(0);
    const command = /continue with: ouro (sweep .*)\n/.exec(first.err)?.[1];
    expect(command).toContain("--set loop.samples=10,20 --set loop.temperature=0.9 --seeds 2 --resume");
    const again = spawnSync('sh', ['-c', `node ${BIN} ${command!} --workers 1`], { encoding: 'utf8', cwd: tmp });
    expect(again.stderr).not.toMatch(/unknown option|holds another sweep/);
    expect(again.status).toBe(0);
  });
});
