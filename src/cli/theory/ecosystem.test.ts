// `ouro theory ecosystem CONFIG` as a user drives it on the shipped examples: the numbers the
// config implies (the two-coin chain built by hand from the example's reads, the first
// linear-Gaussian step worked out below), why nothing applies when nothing does, and exit 2 at
// file:line:column on bad input. The numbers themselves are tested in src/theory.
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { pairAbsorption, pairChain } from '../../theory/coin-pair-chain.ts';

const BIN = new URL('../../../bin/ouro.js', import.meta.url).pathname;
const EXAMPLES = new URL('../../../examples/', import.meta.url).pathname;
const run = promisify(execFile);
const tmp = mkdtempSync(join(tmpdir(), 'ouro-theory-eco-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

async function ouro(...args: string[]): Promise<{ code: number; out: string; err: string }> {
  try {
    const { stdout, stderr } = await run('node', [BIN, 'theory', 'ecosystem', ...args], { cwd: tmp });
    return { code: 0, out: stdout, err: stderr };
  } catch (e) {
    const x = e as { code: number; stdout: string; stderr: string };
    return { code: x.code, out: x.stdout, err: x.stderr };
  }
}

describe('ouro theory ecosystem', () => {
  it('gives the two-coin example the joint chain of its reads: 18 of 20 own posts and 2 of the other’s', async () => {
    const r = await ouro(join(EXAMPLES, 'ecosystem-two-coins.yaml'), '--json', '--generations', '50');
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.out);
    const exact = pairAbsorption(pairChain({ start: [0.3, 0.7], posts: [20, 20], reads: [[18, 2], [2, 18]] }));
    expect(doc.meanAbsorption).toBeCloseTo(exact.meanAbsorption, 10);
    expect(doc.sameOutcome).toBeCloseTo(1, 10);
    expect(doc.generations.at(-1)).toBe(50);
    expect(doc['disagreementSq'][0]).toBeCloseTo(0.16, 12); // (0.3 − 0.7)²
  });

  it('alone, the same coins agree with probability 0.3·0.7 + 0.7·0.3', async () => {
    const r = await ouro(join(EXAMPLES, 'ecosystem-two-coins.yaml'), '--json', '--set', 'ecosystem.reads={a: {a: 1}, b: {b: 1}}');
    expect(r.code).toBe(0);
    expect(JSON.parse(r.out).sameOutcome).toBeCloseTo(0.42, 10);
  });

  it('steps the Gaussian example’s means by its reads', async () => {
    // a reads 12 of its own points (mean −1), 4 of b's (mean 1) and 4 of the people's (mean 0):
    // E[μ_a(1)] = (−12 + 4)/20 = −0.4; b the mirror image over 40 reads; the people anchor half
    // at 0 and read a, b and themselves, whose means cancel.
    const r = await ouro(join(EXAMPLES, 'ecosystem-gaussian.yaml'), '--json', '--generations', '5');
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.out);
    expect(doc['a.mean'].slice(0, 2)).toEqual([-1, expect.closeTo(-0.4, 12)]);
    expect(doc['b.mean'][1]).toBeCloseTo(0.4, 12);
    expect(doc['people.mean'][1]).toBeCloseTo(0, 12);
    expect(doc['disagreementSq'][0]).toBeCloseTo(4, 12);
  });

  it('says why no theory applies: temperatures ≠ 1, or a family without ecosystem theory', async () => {
    const hot = await ouro(join(EXAMPLES, 'ecosystem-temperatures.yaml'));
    expect(hot.code).toBe(0);
    expect(hot.out).toMatch(/no exact theory applies: it needs agents that post plain draws/);
    const text = join(tmp, 'text.yaml');
    writeFileSync(text, 'family: ngram\ncorpus: { source: toy, text: a b c a b }\necosystem:\n  agents: [{ name: a }, { name: b }]\n');
    const r = await ouro(text);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/the ngram family has none for ecosystems/);
  });

  it('exits 2 on a config without an ecosystem section, and on a bad one at file:line:column', async () => {
    const plain = await ouro(join(EXAMPLES, 'coin-20.yaml'));
    expect(plain.code).toBe(2);
    expect(plain.err).toMatch(/no ecosystem section/);
    const bad = join(tmp, 'bad.yaml');
    writeFileSync(bad, 'family: categorical\ninit: { probs: [0.5, 0.5] }\necosystem:\n  agents: [{ name: a }, { name: b }]\n  reads: { a: { a: 1, c: 1 } }\n');
    const r = await ouro(bad);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/^ouro: \S*bad\.yaml:5:26 ecosystem\.reads\.a\.c: expected a weight on a known author/m);
    expect(r.err).not.toMatch(/at .*\.ts:\d+/); // no stack trace
  });
});
