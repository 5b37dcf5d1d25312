// Resume of a checkpointing family (a tiny transformer): whatever was cut from the log, or
// torn in a checkpoint, the resumed run ends with the uninterrupted run's bytes, and a log
// with a hole is never summarised as complete.
import { cpSync, existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../config/load.ts';
import { FILES, readJsonl, seedRecords, type LogLine } from '../store/rundir.ts';
import { tableOf } from '../store/export.ts';
import { nodeIo } from './io.ts';
import { prepare, type Prepared } from './prepare.ts';
import { continueRun, runToDir } from './run.ts';
import { encodeBlock } from './encode.ts';

const CONFIG = `name: tt
family: transformer
corpus: { source: toy, level: char, text: "the cat sat on the mat\\nthe dog sat on the log\\na cat and a dog\\nthe mat and the log\\na log on a mat\\n", heldOut: 0.2 }
model: { n_layer: 1, d_model: 8, n_head: 2, block_size: 32 }
train: { steps: 5, batch: 2, warmup: 1 }
finetune: { steps: 1, batch: 2, warmup: 1 }
metrics: { samples: 4, heldOutSentences: 2 }
loop: { generations: 40, sentences: 6, training: finetune, stopWhenCollapsed: false }
seeds: 3
record: every
`;

const tmp = mkdtempSync(join(tmpdir(), 'ouro-resume-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
const ref = join(tmp, 'ref');
let prep: Prepared;
beforeAll(async () => {
  prep = await prepare(parseConfig(CONFIG, 'tt.yaml'), nodeIo);
  runToDir(prep, ref, false);
});

const OUTPUTS = [FILES.log, FILES.summary, FILES.parquet, FILES.samples];

/** A copy of the finished reference run, damaged by `harm`, as a kill would leave it (no summary, no Parquet). */
function damaged(name: string, harm: (dir: string) => void): string {
  const dir = join(tmp, name);
  cpSync(ref, dir, { recursive: true });
  rmSync(join(dir, FILES.summary));
  rmSync(join(dir, FILES.parquet));
  harm(dir);
  return dir;
}

const cutLog = (fraction: number) => (dir: string) => {
  const log = readFileSync(join(dir, FILES.log));
  writeFileSync(join(dir, FILES.log), log.subarray(0, Math.floor(log.length * fraction)));
};

function expectSameAsRef(dir: string): void {
  for (const f of OUTPUTS) expect(readFileSync(join(dir, f)).equals(readFileSync(join(ref, f))), f).toBe(true);
}

describe('resume from checkpoints', () => {
  it.each([0.3, 0.5, 0.75])('restores only a checkpoint the log reaches (killed at generation 30, log cut to %s of its bytes)', (fraction) => {
    const dir = damaged(`cut-${fraction}`, (d) => {
      cutLog(fraction)(d);
      for (const seed of readdirSync(join(d, 'checkpoints'))) {
        for (const f of readdirSync(join(d, 'checkpoints', seed))) if (Number(/gen-(\d+)/.exec(f)![1]) > 30) rmSync(join(d, 'checkpoints', seed, f));
      }
    });
    continueRun(prep, dir);
    expectSameAsRef(dir);
  });

  it('recomputes every seed when the log is empty and the final checkpoints are there', () => {
    const dir = damaged('empty', (d) => writeFileSync(join(d, FILES.log), ''));
    continueRun(prep, dir);
    expectSameAsRef(dir);
  });

  it('ends a seed restored at its final checkpoint (killed before its end line)', () => {
    const dir = damaged('no-end', (d) => {
      const lines = readFileSync(join(d, FILES.log), 'utf8').split('\n').filter(Boolean);
      writeFileSync(join(d, FILES.log), lines.slice(0, -1).join('\n') + '\n');
    });
    continueRun(prep, dir);
    expectSameAsRef(dir);
  });

  it('passes over a torn checkpoint to an earlier one', () => {
    const dir = damaged('torn', (d) => {
      cutLog(0.6)(d);
      const seed = join(d, 'checkpoints', 'seed-1');
      for (const f of readdirSync(seed).filter((f) => f.endsWith('.safetensors'))) writeFileSync(join(seed, f), readFileSync(join(seed, f)).subarray(0, 100));
    });
    continueRun(prep, dir);
    expectSameAsRef(dir);
  });

  it('recomputes a finished seed whose lines have a hole, and never encodes a record with one', () => {
    const dir = damaged('hole', (d) => {
      const lines = readFileSync(join(d, FILES.log), 'utf8').split('\n').filter(Boolean);
      writeFileSync(join(d, FILES.log), lines.filter((l) => !l.startsWith('{"seed":1,"generation":7,')).join('\n') + '\n');
    });
    continueRun(prep, dir);
    expectSameAsRef(dir);
    const records = [...seedRecords(readJsonl<LogLine>(join(ref, FILES.log)).lines).values()];
    const holed = { ...records[1]!, rows: records[1]!.rows.filter((r) => r.generation !== 7) };
    expect(() => encodeBlock(prep, 0, tableOf([records[0]!, holed]), [])).toThrow(/not whole, so it cannot be complete: seed 1 ends at generation 40 with 40 lines for the 41 recorded/);
  });
});

describe('arithmetic', () => {
  it('config.json records the GEMM and kernels; a resume on other arithmetic is refused and changes nothing', () => {
    const stored = JSON.parse(readFileSync(join(ref, FILES.config), 'utf8')) as { arithmetic?: Record<string, string | null> };
    expect(stored.arithmetic).toEqual(prep.arithmetic);
    expect(Object.keys(stored.arithmetic ?? {})).toEqual(['gemm', 'kernels', 'openblas', 'build']);
    const dir = damaged('elsewhere', (d) => {
      cutLog(0.5)(d);
      // As if started on a machine whose OpenBLAS picked another core type.
      writeFileSync(join(d, FILES.config), JSON.stringify({ ...stored, arithmetic: { ...stored.arithmetic, openblas: 'OpenBLAS 0.3.21 (core Prescott)' } }));
    });
    const before = readFileSync(join(dir, FILES.log));
    expect(() => continueRun(prep, dir)).toThrow(/was computed on other arithmetic than this machine's \(openblas "?OpenBLAS 0\.3\.21 \(core Prescott\)"? in the run, .* here\); continuing here would mix the two/);
    expect(readFileSync(join(dir, FILES.log)).equals(before)).toBe(true);
    expect(existsSync(join(dir, FILES.lock))).toBe(false);
  });
});

describe('a failed run', () => {
  it('still reports its own error when the failure note cannot be written (full disk)', async () => {
    const coin = await prepare(parseConfig('family: categorical\ninit: { probs: [0.5, 0.5] }\nloop: { generations: 50, samples: 10 }\nseeds: 3\n', 'coin.yaml'), nodeIo);
    const dir = join(tmp, 'full-disk');
    const onProgress = () => {
      // The disk fills up: the failure note and its temporary both land on /dev/full.
      for (const f of [FILES.failed, `${FILES.failed}.tmp`]) if (!existsSync(join(dir, f))) symlinkSync('/dev/full', join(dir, f));
      throw new Error('boom');
    };
    expect(() => runToDir(coin, dir, false, { onProgress })).toThrow(/^boom \(and FAILED\.txt could not be written: ENOSPC\)$/);
    expect(existsSync(join(dir, FILES.lock))).toBe(false);
  });
});
