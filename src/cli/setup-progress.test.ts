// Large inputs are announced while set-up reads them; small ones pass silently.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { nodeIo } from '../runner/io.ts';
import { announcingIo } from './setup-progress.ts';

const tmp = mkdtempSync(join(tmpdir(), 'ouro-setup-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('set-up progress', () => {
  it('names a large file with its size before reading it, then how long it and set-up took', async () => {
    const big = join(tmp, 'big.txt');
    writeFileSync(big, 'the cat sat\n'.repeat(2000));
    const lines: string[] = [];
    let t = 0;
    const setup = announcingIo(nodeIo, (l) => lines.push(l), 20_000, () => (t += 250));
    expect((await setup.io.readFile(big)).length).toBe(24_000);
    setup.done();
    expect(lines).toEqual([`reading ${big} (24 kB)…`, `read ${big} in 0.3 s; building its tokens and vocabulary…`, 'set up in 0.8 s']);
  });

  it('says nothing for small files, and leaves errors to the read', async () => {
    const small = join(tmp, 'small.txt');
    writeFileSync(small, 'a b\n');
    const lines: string[] = [];
    const setup = announcingIo(nodeIo, (l) => lines.push(l), 20_000);
    expect((await setup.io.readFile(small)).length).toBe(4);
    await expect(setup.io.readFile(join(tmp, 'missing.txt'))).rejects.toThrow(/missing\.txt/);
    setup.done();
    expect(lines).toEqual([]);
  });
});
