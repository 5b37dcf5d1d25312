// Absorbing collapse is the family's declaration (Family.absorbing): a run stops a seed at
// collapse, and carries its values forward, only when collapse is support-based. A threshold
// collapse (a Gaussian's variance ratio) is recorded, and the seed runs on.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loop, type LoopState } from '../core/loop.ts';
import { parseConfig } from '../config/load.ts';
import { FILES, readJsonl, type EndLine, type LogLine } from '../store/rundir.ts';
import { prepared } from './harness.test-support.ts';
import { nodeIo } from './io.ts';
import { experimentOf, prepare } from './prepare.ts';
import { seedKey } from '../core/seeds.ts';
import { runToDir } from './run.ts';

const tmp = mkdtempSync(join(tmpdir(), 'ouro-absorbing-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

async function ends(name: string, text: string): Promise<EndLine[]> {
  const prep = await prepare(parseConfig(text, `${name}.yaml`), nodeIo);
  runToDir(prep, join(tmp, name), true);
  return readJsonl<LogLine>(join(tmp, name, FILES.log)).lines.filter((l): l is EndLine => 'event' in l);
}

/** Every state of seed 0 for `generations` generations, without stopping at collapse. */
async function states(raw: object, generations: number): Promise<LoopState<unknown, unknown>[]> {
  const prep = await prepared({ ...raw, loop: { ...(raw as { loop?: object }).loop, generations, stopWhenCollapsed: false } });
  return [...loop(experimentOf(prep, 0), prep.options, seedKey(prep.config.seed, 0))];
}

describe('absorbing collapse is declared by the family', () => {
  it('a Gaussian collapsed by its variance threshold is not stopped: it runs to the horizon', async () => {
    // n = 2: E[ln σ²] falls by ≈ 1.27 a generation, so the 1e-12 ratio is crossed in ≈ 22.
    const got = await ends('gaussian', 'family: gaussian\ninit: { mean: [0], cov: [[1]] }\nloop: { generations: 80, samples: 2 }\nseeds: 6\n');
    expect(got.some((e) => e.collapsedAt !== null && e.collapsedAt < 80)).toBe(true);
    for (const e of got) expect(e.generation).toBe(80);
  });

  it('a coin, whose collapse is one outcome left, stops at its collapse', async () => {
    const got = await ends('coin', 'family: categorical\ninit: { probs: [0.5, 0.5] }\nloop: { generations: 200, samples: 4 }\nseeds: 6\n');
    expect(got.every((e) => e.collapsedAt !== null && e.generation === e.collapsedAt)).toBe(true);
  });

  it('an urn with reports is not absorbing (a report can reach a region attention left); without them it is', async () => {
    const base = { family: 'urn', init: { counts: [1, 0] }, model: { rates: [0.5, 0.5] } };
    expect((await prepared(base)).absorbing).toBe(true);
    expect((await prepared({ ...base, model: { rates: [0.5, 0.5], reported: 0.1 } })).absorbing).toBe(false);
    const reported = await states({ ...base, model: { rates: [0.5, 0.5], reported: 0.5 }, loop: { samples: 20 } }, 10);
    expect(reported[0]!.collapsed).toBe(true);
    expect(reported.some((s) => !s.collapsed)).toBe(true);
  });

  it('the declarations hold: a collapsed categorical and urn stay collapsed; a collapsed Gaussian keeps moving', async () => {
    for (const s of await states({ family: 'categorical', init: { probs: [1, 0, 0] }, loop: { samples: 5, temperature: 1.5 } }, 30)) expect(s.model).toEqual({ probs: [1, 0, 0] });
    for (const s of await states({ family: 'urn', init: { counts: [2, 0] }, model: { rates: [0.5, 0.5] }, loop: { samples: 5 } }, 30)) expect(s.collapsed).toBe(true);
    expect((await prepared({ family: 'gaussian', init: { mean: [0], cov: [[1]] } })).absorbing).toBe(false);
    const g = await states({ family: 'gaussian', init: { mean: [0], cov: [[1]] }, loop: { samples: 3 } }, 60);
    const at = g.findIndex((s) => s.collapsed);
    expect(at).toBeGreaterThan(0);
    const variances = g.slice(at, at + 5).map((s) => (s.model as { cov: number[][] }).cov[0]![0]!);
    expect(new Set(variances).size).toBe(5);
  });
});
