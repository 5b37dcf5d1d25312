// Every input or environment error ends with a clean message and exit 2, never a stack: a
// damaged log, YAML that expands too far or names no anchor, a --set that does not parse, a
// directory the system refuses, a full disk, usage errors. Exit 1 is kept for bugs.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { environmentMessage } from './errors.ts';

const BIN = new URL('../../bin/ouro.js', import.meta.url).pathname;
const tmp = mkdtempSync(join(tmpdir(), 'ouro-errors-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

function ouro(...args: string[]) {
  const r = spawnSync('node', [BIN, ...args], { encoding: 'utf8', cwd: tmp, timeout: 60_000 });
  return { code: r.status, err: r.stderr };
}

const COIN = 'name: coin\nfamily: categorical\ninit: { probs: [0.5, 0.5] }\nloop: { generations: 100, samples: 10 }\nseeds: 20\n';
const file = (name: string, text: string) => (writeFileSync(join(tmp, name), text), join(tmp, name));
const clean = (r: { code: number | null; err: string }, pattern: RegExp) => {
  expect(r.err).toMatch(pattern);
  expect(r.err).not.toMatch(/internal error|\n\s+at /);
  expect(r.code).toBe(2);
};

beforeAll(() => {
  expect(ouro('run', file('coin.yaml', COIN), '--out', join(tmp, 'run')).code).toBe(0);
});

describe('input errors exit 2 with a message', () => {
  it('a corrupt line in the middle of a log, for every command that reads it', () => {
    const dir = join(tmp, 'corrupt');
    expect(ouro('run', join(tmp, 'coin.yaml'), '--out', dir).code).toBe(0);
    const lines = readFileSync(join(dir, 'generations.jsonl'), 'utf8').split('\n');
    lines[5] = '{"seed":0,"gen';
    writeFileSync(join(dir, 'generations.jsonl'), lines.join('\n'));
    for (const args of [['export', dir, '--format', 'csv'], ['report', dir, '--out', join(tmp, 'r.html')], ['plot', dir], ['run', '--resume', dir]]) {
      clean(ouro(...args), /generations\.jsonl: line 6 is not valid JSON, and only the last line may be torn .*head -n 5/);
    }
  });

  it('a YAML alias bomb and an unresolved alias, at their line', () => {
    const bomb = ['a: &a [1, 1, 1, 1, 1, 1, 1, 1, 1, 1]', ...'bcdefgh'.split('').map((k, i) => `${k}: &${k} [${Array(10).fill(`*${'abcdefg'[i]}`).join(', ')}]`), COIN].join('\n');
    clean(ouro('run', file('bomb.yaml', bomb), '--out', join(tmp, 'never')), /bomb\.yaml:2:\d+ not a usable YAML document: its aliases \(\*name\) expand to more than 100 copies/);
    clean(ouro('sweep', file('bomb-sweep.yaml', bomb), '--out', join(tmp, 'never')), /bomb-sweep\.yaml:2:\d+ not a usable YAML document/);
    clean(ouro('run', file('alias.yaml', COIN.replace('[0.5, 0.5]', '*nope')), '--out', join(tmp, 'never')), /alias\.yaml:3:16 not a usable YAML document: Unresolved alias .*nope; define each &anchor before its \*alias/);
  });

  it('a --set value that is not YAML, and a config too large to be settings', () => {
    clean(ouro('run', join(tmp, 'coin.yaml'), '--set', 'loop.samples=[1,2', '--out', join(tmp, 'never')), /--set loop\.samples=\[1,2 the value is not valid YAML/);
    clean(ouro('sweep', join(tmp, 'coin.yaml'), '--set', 'loop.samples=[1,2,3', '--set', 'seed=1,2', '--out', join(tmp, 'never')), /not valid YAML/);
    const big = file('big.yaml', COIN.replace('[0.5, 0.5]', `[${Array(2_000_000).fill('0.0000005').join(', ')}]`));
    clean(ouro('run', big, '--out', join(tmp, 'never')), /big\.yaml cannot read the config: it is \d+\.\d MB, and a config is at most 8 MB/);
  });

  it('a run that cannot fit, refused before anything is written, with the estimate', () => {
    clean(ouro('run', join(tmp, 'coin.yaml'), '--set', 'seeds=1e9', '--out', join(tmp, 'huge')), /--set seeds=1e9 seeds: this run cannot fit: it needs at least \d+ GB of memory/);
    clean(ouro('sweep', join(tmp, 'coin.yaml'), '--set', 'loop.generations=1e9', '--set', 'record=every', '--set', 'seed=1,2', '--out', join(tmp, 'huge-sweep')), /loop\.generations: this run cannot fit/);
    expect(existsSync(join(tmp, 'huge')) || existsSync(join(tmp, 'huge-sweep'))).toBe(false);
  });

  it('a directory or file the system refuses, a full disk', () => {
    clean(ouro('run', join(tmp, 'coin.yaml'), '--out', '/proc/ouro-never'), /cannot mkdir \/proc\/ouro-never: no such file or directory/);
    clean(ouro('plot', join(tmp, 'run'), '--out', join(tmp, 'missing', 'x.svg')), /cannot open .*missing\/x\.svg: no such file or directory \(does its directory exist\?\) \(ENOENT\)/);
    symlinkSync('/dev/full', join(tmp, 'full.svg'));
    clean(ouro('plot', join(tmp, 'run'), '--out', join(tmp, 'full.svg')), /no space left on the device \(ENOSPC\)/);
    mkdirSync(join(tmp, 'notrun'));
    clean(ouro('report', join(tmp, 'notrun')), /notrun: no run directories inside/);
  });

  it('usage errors of the command line', () => {
    clean(ouro('run', '--bogus'), /unknown option '--bogus'/);
    clean(ouro('nosuchcommand'), /unknown command 'nosuchcommand'/);
    expect(ouro('run', '--help').code).toBe(0);
    expect(ouro('--version').code).toBe(0);
  });
});

describe('environmentMessage', () => {
  it.each([
    ['EROFS', 'open', /cannot open \/mnt\/x: the file system is read-only \(EROFS\)/],
    ['EPERM', 'mkdir', /cannot mkdir \/mnt\/x: operation not permitted \(EPERM\)/],
    ['ENOSPC', 'write', /cannot write \/mnt\/x: no space left on the device \(ENOSPC\)/],
  ])('says %s as what it is', (code, syscall, message) => {
    expect(environmentMessage(Object.assign(new Error(`${code}: …`), { code, syscall, path: '/mnt/x' }))).toMatch(message);
  });

  it('leaves other errors to be reported as bugs', () => {
    expect(environmentMessage(new TypeError("Cannot read properties of undefined (reading 'model')"))).toBeUndefined();
  });
});
