// `ouro reproduce` refuses bad input with exit code 2 and a message saying what to do.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const BIN = new URL('../../../bin/ouro.js', import.meta.url).pathname;
const tmp = mkdtempSync(join(tmpdir(), 'ouro-reproduce-cli-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

function ouro(...args: string[]) {
  const r = spawnSync('node', [BIN, ...args], { encoding: 'utf8', cwd: tmp });
  return { code: r.status, err: r.stderr };
}

describe('ouro reproduce: bad input', () => {
  it('names the known studies for an unknown one', () => {
    const r = ouro('reproduce', 'nobody1999', '--smoke');
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/unknown study 'nobody1999'.*ensign2021/);
  });

  it('never overwrites an existing output directory without --force, and writes nothing', () => {
    const out = join(tmp, 'taken');
    mkdirSync(out);
    writeFileSync(join(out, 'keep.txt'), 'x');
    const r = ouro('reproduce', 'ensign2021', '--smoke', '--out', out);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/already exists.*--force/);
    expect(readdirSync(out)).toEqual(['keep.txt']);
  });

  it('--resume refuses a directory that is not a reproduction, and writes nothing', () => {
    const out = join(tmp, 'foreign');
    mkdirSync(out);
    writeFileSync(join(out, 'keep.txt'), 'x');
    const r = ouro('reproduce', 'ensign2021', '--smoke', '--only', '1', '--out', out, '--resume');
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/--resume: .*foreign is not a reproduction \(it holds 'keep.txt'\); give the directory/);
    expect(readdirSync(out)).toEqual(['keep.txt']);
  });

  it('refuses contradictory sizes and modes', () => {
    expect(ouro('reproduce', 'ensign2021', '--quick', '--smoke').code).toBe(2);
    expect(ouro('reproduce', 'ensign2021', '--smoke', '--resume', '--force').err).toMatch(/--resume.*--force/);
    expect(ouro('reproduce', 'ensign2021', '--smoke', '--only', '3,11').err).toMatch(/--only: no claim 11/);
  });
});

describe('ouro reproduce --resume', () => {
  it('starts a reproduction in a directory that is missing or empty, and continues it the same way', () => {
    const missing = join(tmp, 'fresh');
    const empty = join(tmp, 'empty');
    mkdirSync(empty);
    for (const out of [missing, empty]) {
      const r = ouro('reproduce', 'ensign2021', '--smoke', '--only', '1', '--out', out, '--resume');
      expect(r.code).toBe(0);
      expect(r.err).toMatch(/holds no reproduction yet; starting one/);
      expect(readdirSync(out).sort()).toEqual(['figures', 'report.html', 'report.md', 'results.json', 'runs', 'timings.json']);
    }
    const again = ouro('reproduce', 'ensign2021', '--smoke', '--only', '1', '--out', missing, '--resume');
    expect(again.code).toBe(0);
    expect(again.err).not.toMatch(/starting one/);
    expect(readFileSync(join(missing, 'report.md'), 'utf8')).toMatch(/reused from an earlier invocation/);
  });
});
