import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parquetReadObjects } from 'hyparquet';
import { afterAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../config/load.ts';
import { FILES, readJsonl, type LogLine } from '../store/rundir.ts';
import { nodeIo } from './io.ts';
import { prepare } from './prepare.ts';
import { continueRun, runToDir } from './run.ts';

const tmp = mkdtempSync(join(tmpdir(), 'ouro-run-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const CONFIG = `name: t
family: categorical
init: { probs: [0.3, 0.7] }
loop: { generations: 400, samples: 12, temperature: 0.9 }
seeds: 40
record: { every: 7 }
`;

async function fresh(dir: string, text = CONFIG) {
  const prep = await prepare(parseConfig(text, 't.yaml'), nodeIo);
  runToDir(prep, dir, true);
  return prep;
}

const bytes = (dir: string, f: string) => readFileSync(join(dir, f));

describe('runToDir', () => {
  it('records the schedule, every seed ends once, and collapsedAt is the first point mass', async () => {
    const dir = join(tmp, 'a');
    const prep = await fresh(dir);
    const { lines } = readJsonl<LogLine>(join(dir, FILES.log));
    const ends = lines.filter((l) => 'event' in l);
    expect(ends.map((e) => e.seed)).toEqual(prep.seeds);
    for (const e of ends as (LogLine & { collapsedAt: number | null; generation: number })[]) {
      // stopWhenCollapsed: a collapsed seed stops at its collapse generation
      if (e.collapsedAt !== null) expect(e.generation).toBe(e.collapsedAt);
      expect(e.metrics.support).toBe(e.collapsedAt === null ? 2 : 1);
    }
    for (const l of lines) if (!('event' in l)) expect(l.generation % 7 === 0 || l.generation === (ends.find((e) => e.seed === l.seed)!.generation)).toBe(true);
  });

  it('is bit-identical across runs and writes Parquet that reads back as the log, every seed at every recorded generation', async () => {
    const [a, b] = [join(tmp, 'b1'), join(tmp, 'b2')];
    await fresh(a);
    await fresh(b);
    for (const f of [FILES.log, FILES.summary, FILES.parquet]) expect(bytes(a, f).equals(bytes(b, f))).toBe(true);
    const rows = await parquetReadObjects({ file: new Uint8Array(bytes(a, FILES.parquet)).buffer });
    const { lines } = readJsonl<LogLine>(join(a, FILES.log));
    expect(rows.length).toBe(40 * (Math.floor(399 / 7) + 2) * 8); // 0, 7, …, 399 and the last generation, 400
    const row = rows.find((r) => r.metric === 'p0' && r.seed === 3 && r.generation === 7)!;
    expect(row.value).toBe(lines.find((l) => l.seed === 3 && l.generation === 7)!.metrics.p0);
  });

  it.each([0.1, 0.5, 0.93])('resumes a run killed at %s of its log to the same bytes', async (cut) => {
    const ref = join(tmp, 'ref');
    const prep = await fresh(ref);
    const dir = join(tmp, `cut-${cut}`);
    await fresh(dir);
    const log = bytes(dir, FILES.log);
    writeFileSync(join(dir, FILES.log), log.subarray(0, Math.floor(log.length * cut))); // torn mid-line
    rmSync(join(dir, FILES.summary));
    rmSync(join(dir, FILES.parquet));
    continueRun(prep, dir);
    for (const f of [FILES.log, FILES.summary, FILES.parquet]) expect(bytes(dir, f).equals(bytes(ref, f))).toBe(true);
  });

  it('refuses to overwrite a run directory without force', async () => {
    const dir = join(tmp, 'c');
    const prep = await fresh(dir);
    expect(() => runToDir(prep, dir, false)).toThrow(/already exists; pass --force/);
  });

  it('summarises collapse times and carries collapsed seeds forward in aggregates', async () => {
    const dir = join(tmp, 'd');
    await fresh(dir);
    const s = JSON.parse(bytes(dir, FILES.summary).toString('utf8'));
    expect(s.collapse.ever.fraction).toBe(1);
    expect(s.collapse.atEnd.fraction).toBe(1);
    expect(s.collapse.time.mean).toBeGreaterThan(0);
    expect(s.collapse.restrictedTime.mean).toBe(s.collapse.time.mean); // nothing censored
    const last = s.recorded.length - 1;
    expect(s.aggregates.support.mean[last]).toBe(1);
    expect(s.aggregates.support.count[last]).toBe(40);
  });
});
