// Nothing the user has is lost: --force replaces only what Ouroboros made, a live run is never
// written by a second process, and a damaged complete run is never exported as if whole.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const BIN = new URL('../../bin/ouro.js', import.meta.url).pathname;
const EXAMPLE = new URL('../../examples/coin-20.yaml', import.meta.url).pathname;
const tmp = mkdtempSync(join(tmpdir(), 'ouro-safety-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

function ouro(...args: string[]) {
  const r = spawnSync('node', [BIN, ...args], { encoding: 'utf8', cwd: tmp });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

async function until(test: () => boolean, ms = 60_000): Promise<void> {
  for (const t0 = Date.now(); !test(); ) {
    if (Date.now() - t0 > ms) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('--force', () => {
  it('never deletes a directory that is not a run (the thesis in paper/src survives)', () => {
    const paper = join(tmp, 'paper');
    mkdirSync(join(paper, 'src'), { recursive: true });
    writeFileSync(join(paper, 'src', 'thesis.tex'), 'x');
    const first = ouro('run', EXAMPLE, '--out', paper);
    expect(first.code).toBe(2);
    expect(first.err).not.toMatch(/pass --force/);
    const forced = ouro('run', EXAMPLE, '--out', paper, '--force');
    expect(forced.code).toBe(2);
    expect(forced.err).toMatch(/is not a run directory Ouroboros made \(it holds 'src', which no run writes\)/);
    expect(readFileSync(join(paper, 'src', 'thesis.tex'), 'utf8')).toBe('x');
    expect(readdirSync(paper)).toEqual(['src']);
  });

  it('never deletes a directory that is not a sweep or a reproduction', () => {
    const thesis = join(tmp, 'thesis');
    mkdirSync(thesis);
    writeFileSync(join(thesis, 'chapter1.tex'), 'x');
    const sweep = ouro('sweep', EXAMPLE, '--set', 'seeds=2,3', '--out', thesis, '--force');
    expect(sweep.code).toBe(2);
    expect(sweep.err).toMatch(/not a sweep directory Ouroboros made \(it holds 'chapter1.tex'/);
    const reproduction = ouro('reproduce', 'ensign2021', '--smoke', '--out', thesis, '--force');
    expect(reproduction.code).toBe(2);
    expect(reproduction.err).toMatch(/is not a reproduction \(it holds 'chapter1.tex'\)/);
    expect(readdirSync(thesis)).toEqual(['chapter1.tex']);
  });
});

describe('a live run', () => {
  it('is neither resumed nor replaced by a second process, and resumes whole once its writer is gone', async () => {
    const cfg = join(tmp, 'slow.yaml');
    writeFileSync(cfg, 'name: slow\nfamily: categorical\ninit: { probs: [0.5, 0.5] }\nloop: { generations: 2000, samples: 400 }\nseeds: 200\nrecord: log\n');
    const dir = join(tmp, 'live');
    const live = spawn('node', [BIN, 'run', cfg, '--out', dir], { cwd: tmp, stdio: 'ignore' });
    try {
      await until(() => existsSync(join(dir, 'generations.jsonl')));
      const resumed = ouro('run', '--resume', dir);
      expect(resumed.code).toBe(2);
      expect(resumed.err).toMatch(new RegExp(`run directory .*live is being written by process ${live.pid}`));
      const forced = ouro('run', cfg, '--out', dir, '--force');
      expect(forced.code).toBe(2);
      expect(forced.err).toMatch(/is being written by process/);
    } finally {
      live.kill('SIGKILL');
    }
    await new Promise((r) => live.on('exit', r));
    const resumed = ouro('run', '--resume', dir);
    expect(resumed.code, resumed.err).toBe(0);
    expect(JSON.parse(readFileSync(join(dir, 'summary.json'), 'utf8')).perSeed).toHaveLength(200);
    expect(existsSync(join(dir, 'run.lock'))).toBe(false);
  });
});

describe('a live sweep', () => {
  it('is not written by a second sweep at the same time', async () => {
    const cfg = join(tmp, 'sweep.yaml');
    writeFileSync(cfg, 'name: sw\nfamily: categorical\ninit: { probs: [0.5, 0.5] }\nloop: { generations: 2000, samples: 400 }\nseeds: 100\nrecord: log\nsweep: { grid: { seed: [1, 2, 3, 4] } }\n');
    const dir = join(tmp, 'live-sweep');
    const live = spawn('node', [BIN, 'sweep', cfg, '--out', dir, '--workers', '1'], { cwd: tmp, stdio: 'ignore' });
    try {
      await until(() => existsSync(join(dir, 'sweep.json')));
      for (const args of [[], ['--resume'], ['--force']]) {
        const second = ouro('sweep', cfg, '--out', dir, '--workers', '1', ...args);
        expect(second.code).toBe(2);
        expect(second.err).toMatch(new RegExp(`sweep directory .*live-sweep is being written by process ${live.pid}`));
      }
    } finally {
      live.kill('SIGKILL');
    }
  });
});

describe('a sweep with a cell it could not finish', () => {
  it('exits 1 naming the cell, and keeps the others', () => {
    const cfg = join(tmp, 'held.yaml');
    writeFileSync(cfg, 'name: held\nfamily: categorical\ninit: { probs: [0.5, 0.5] }\nloop: { generations: 20, samples: 10 }\nseeds: 4\nsweep: { grid: { seed: [1, 2, 3] } }\n');
    const dir = join(tmp, 'held-sweep');
    expect(ouro('sweep', cfg, '--out', dir, '--workers', '1').code).toBe(0);
    const cells = (JSON.parse(readFileSync(join(dir, 'sweep.json'), 'utf8')) as { cells: { dir: string }[] }).cells;
    // Cell 1 killed before its summary, with something in the way of its samples: resuming it fails.
    const broken = join(dir, cells[1]!.dir);
    rmSync(join(broken, 'summary.json'));
    rmSync(join(broken, 'samples.jsonl'), { force: true });
    mkdirSync(join(broken, 'samples.jsonl'));
    const again = ouro('sweep', cfg, '--out', dir, '--resume', '--workers', '1');
    expect(again.err).toMatch(/ouro: cell 1 \(seed=2\) failed: .*samples\.jsonl is not a regular file/);
    expect(again.err).not.toMatch(/cell [02] /);
    expect(again.code).toBe(1);
    for (const i of [0, 2]) expect(existsSync(join(dir, cells[i]!.dir, 'summary.json'))).toBe(true);
  });
});

describe('a sweep resumed on another machine', () => {
  it('refuses to compute cells on other arithmetic than its complete cells, before any work', () => {
    const cfg = join(tmp, 'gpt-sweep.yaml');
    writeFileSync(cfg, [
      'name: gpt-sweep',
      'family: transformer',
      'corpus: { source: toy, level: char, text: "the cat sat on the mat\\nthe dog sat on the log\\na cat and a dog\\nthe mat and the log\\na log on a mat\\n", heldOut: 0.2 }',
      'model: { n_layer: 1, d_model: 8, n_head: 2, block_size: 32 }',
      'train: { steps: 2, batch: 2, warmup: 1 }',
      'finetune: { steps: 1, batch: 2, warmup: 1 }',
      'metrics: { samples: 2, heldOutSentences: 1 }',
      'loop: { generations: 2, sentences: 3, training: finetune, stopWhenCollapsed: false }',
      'seeds: 1',
      'sweep: { grid: { seed: [1, 2] } }',
      '',
    ].join('\n'));
    const dir = join(tmp, 'gpt-sweep');
    const env = { ...process.env, OURO_CACHE: join(tmp, 'cache') };
    const sweep = (...args: string[]) => spawnSync('node', [BIN, 'sweep', cfg, '--out', dir, '--workers', '1', ...args], { encoding: 'utf8', cwd: tmp, env });
    expect(sweep().status).toBe(0);
    const cells = (JSON.parse(readFileSync(join(dir, 'sweep.json'), 'utf8')) as { cells: { dir: string }[] }).cells;
    // Cell 0 as another machine's OpenBLAS computed it; cell 1 never finished.
    const first = join(dir, cells[0]!.dir, 'config.json');
    const config = JSON.parse(readFileSync(first, 'utf8')) as { arithmetic: Record<string, string | null> };
    writeFileSync(first, JSON.stringify({ ...config, arithmetic: { ...config.arithmetic, openblas: 'OpenBLAS 0.3.21 (core Prescott)' } }));
    rmSync(join(dir, cells[1]!.dir), { recursive: true });
    const again = sweep('--resume');
    expect(again.stderr).toMatch(/its complete cells were computed on other arithmetic than this machine's \(openblas .* here, OpenBLAS 0\.3\.21 \(core Prescott\) in cell [0-9a-f]{12}\); cells computed here would not match them/);
    expect(again.status).toBe(2);
    expect(existsSync(join(dir, cells[1]!.dir))).toBe(false);
  });
});

describe('ouro export', () => {
  it('refuses a complete run whose log was damaged, exporting nothing', () => {
    const dir = join(tmp, 'damaged');
    expect(ouro('run', EXAMPLE, '--out', dir, '--seeds', '200').code).toBe(0);
    const log = readFileSync(join(dir, 'generations.jsonl'));
    writeFileSync(join(dir, 'generations.jsonl'), log.subarray(0, Math.floor(log.length * 0.6)));
    const r = ouro('export', dir, '--format', 'csv');
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/is marked complete but its log is damaged: the log ends in a torn line.*seed\(s\) have no end line.*ouro run --resume/);
    expect(existsSync(join(dir, 'metrics.csv'))).toBe(false);
    expect(ouro('run', '--resume', dir).code).toBe(0);
    expect(ouro('export', dir, '--format', 'csv').code).toBe(0);
  });
});
