// --force replaces only what Ouroboros made: a run or sweep directory, recognised by its own
// files, never a directory holding anything else, and never one a live process is writing.
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { FILES, createRunDir } from './rundir.ts';
import { SWEEP_FILES, openSweepDir } from './sweepdir.ts';

const tmp = mkdtempSync(join(tmpdir(), 'ouro-rundir-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** A directory holding `files` (name → text; a name ending in / is a directory). */
function dirWith(name: string, files: Record<string, string>): string {
  const dir = join(tmp, name);
  mkdirSync(dir, { recursive: true });
  for (const [f, text] of Object.entries(files)) {
    if (f.endsWith('/')) mkdirSync(join(dir, f), { recursive: true });
    else writeFileSync(join(dir, f), text);
  }
  return dir;
}

const RUN = { [FILES.config]: '{"runId":"0123456789ab"}', [FILES.log]: '', [FILES.summary]: '{}', 'checkpoints/': '' };

describe('createRunDir', () => {
  it('never empties a directory that is not a run, with or without --force', () => {
    const dir = dirWith('paper', { 'src/': '', 'src/thesis.tex': 'x' });
    for (const force of [false, true]) expect(() => createRunDir(dir, force)).toThrow(/not a run directory Ouroboros made \(it holds 'src', which no run writes\).*--force replaces only a run directory/);
    expect(readdirSync(join(dir, 'src'))).toEqual(['thesis.tex']);
    expect(readdirSync(dir)).toEqual(['src']);
  });

  it('never empties a run directory that also holds other files', () => {
    const dir = dirWith('run-plus', { ...RUN, 'notes.txt': 'mine' });
    expect(() => createRunDir(dir, true)).toThrow(/holds 'notes.txt'/);
    expect(readdirSync(dir).sort()).toEqual(['checkpoints', FILES.config, FILES.log, 'notes.txt', FILES.summary].sort());
  });

  it('refuses a config.json without a runId', () => {
    const dir = dirWith('not-ours', { [FILES.config]: '{"name":"x"}' });
    expect(() => createRunDir(dir, true)).toThrow(/config.json has no runId/);
  });

  it('replaces a run directory with --force only, under its lock', () => {
    const dir = dirWith('run', RUN);
    expect(() => createRunDir(dir, false)).toThrow(/already exists; pass --force to replace it/);
    const lock = createRunDir(dir, true);
    expect(readdirSync(dir)).toEqual([FILES.lock]);
    expect(() => createRunDir(dir, true)).toThrow(`is being written by process ${process.pid}`);
    lock.release();
    expect(readdirSync(dir)).toEqual([]);
  });
});

describe('openSweepDir', () => {
  const SWEEP = { [SWEEP_FILES.index]: '{"sweepId":"aaaaaaaaaaaa","cells":[]}', 'cells/': '', 'cells/0123456789ab/': '', [`cells/0123456789ab/${FILES.config}`]: '{"runId":"0123456789ab"}' };

  it('never empties a directory that is not a sweep, with or without --force', () => {
    const dir = dirWith('thesis', { 'chapter1.tex': 'x' });
    for (const force of [false, true]) expect(() => openSweepDir(dir, 'bbbbbbbbbbbb', force)).toThrow(/not a sweep directory Ouroboros made/);
    expect(readdirSync(dir)).toEqual(['chapter1.tex']);
    const planted = dirWith('planted', { ...SWEEP, 'cells/0123456789ab/thesis.tex': 'x' });
    expect(() => openSweepDir(planted, 'bbbbbbbbbbbb', true)).toThrow(/cells\/0123456789ab: it holds 'thesis.tex'/);
  });

  it('keeps the same sweep, replaces another with --force only, and refuses while one is being written', () => {
    const dir = dirWith('sweep', SWEEP);
    openSweepDir(dir, 'aaaaaaaaaaaa', false).release();
    expect(readdirSync(join(dir, 'cells'))).toEqual(['0123456789ab']);
    expect(() => openSweepDir(dir, 'bbbbbbbbbbbb', false)).toThrow(/holds a different sweep.*--force/);
    const lock = openSweepDir(dir, 'bbbbbbbbbbbb', true);
    expect(readdirSync(join(dir, 'cells'))).toEqual([]);
    expect(() => openSweepDir(dir, 'bbbbbbbbbbbb', false)).toThrow(`sweep directory ${dir} is being written by process ${process.pid}`);
    lock.release();
  });
});
