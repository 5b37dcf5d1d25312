// The block steppers (many seeds over typed arrays: categorical, urn) against the per-seed
// loop they replace: every record of every seed must be the same, bit for bit, for every
// option they accept; options they do not handle fall back to the loop.
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../config/load.ts';
import { runBlock } from './block.ts';
import { nodeIo } from './io.ts';
import { prepare, type Prepared } from './prepare.ts';
import { RecordTable } from '../store/record-table.ts';

const BASE = 'family: categorical\nname: b\nseeds: 60\n';
const URN = 'family: urn\nname: u\nseeds: 40\n';

/** The table of `seeds` run together, through the stepper unless `perSeed`. */
function tableOf(prep: Prepared, seeds: readonly number[], perSeed = false): RecordTable {
  const table = new RecordTable(seeds);
  runBlock(prep, table, seeds.map((_, i) => i), new Map(), { perSeed });
  return table;
}

/** Every seed's log lines (rows and end line, the bytes of the log), one string per seed. */
const texts = (t: RecordTable): string[] => t.seeds.map((_, i) => Buffer.from(t.logBytes([i])).toString('utf8'));

async function both(yaml: string, base = BASE) {
  const prep = await prepare(parseConfig(base + yaml, 'b.yaml'), nodeIo);
  return { prep, block: texts(tableOf(prep, prep.seeds)), loop: texts(tableOf(prep, prep.seeds, true)) };
}

describe('the categorical block stepper', () => {
  it.each([
    ['a coin to fixation, record log', 'init: { probs: [0.5, 0.5] }\nloop: { generations: 5000, samples: 30 }\nrecord: log\n'],
    ['k = 4, every generation', 'init: { probs: [0.1, 0.2, 0.3, 0.4] }\nloop: { generations: 300, samples: 15 }\nrecord: every\n'],
    ['T = 0.7, top-k and top-p', 'init: { probs: [0.1, 0.2, 0.3, 0.4] }\nloop: { generations: 200, samples: 40, temperature: 0.7, topK: 3, topP: 0.9 }\nrecord: { every: 3 }\n'],
    ['T = 1.3, min-p', 'init: { probs: [0.25, 0.25, 0.5] }\nloop: { generations: 200, samples: 40, temperature: 1.3, minP: 0.05 }\n'],
    ['T = 0 (argmax)', 'init: { probs: [0.3, 0.3, 0.4] }\nloop: { generations: 20, samples: 10, temperature: 0 }\nrecord: every\n'],
    ['grounded, λ = 0.1', 'init: { probs: [0.3, 0.7] }\nloop: { generations: 400, samples: 50, realFraction: 0.1 }\n'],
    ['all real data, λ = 1', 'init: { probs: [0.3, 0.7] }\nloop: { generations: 50, samples: 20, realFraction: 1 }\nrecord: every\n'],
    ['augment', 'init: { probs: [0.3, 0.7] }\nloop: { generations: 200, samples: 20, policy: augment }\n'],
    ['accumulate', 'init: { probs: [0.2, 0.3, 0.5] }\nloop: { generations: 300, samples: 10, policy: accumulate }\n'],
    ['fine-tuning', 'init: { probs: [0.5, 0.5] }\nloop: { generations: 300, samples: 20, training: finetune, finetuneKeep: 0.3 }\n'],
    ['smoothing, no stop', 'init: { probs: [0.2, 0.8] }\nmodel: { smoothing: 0.5 }\nloop: { generations: 200, samples: 10, stopWhenCollapsed: false }\n'],
    ['a sample-size schedule', 'init: { probs: [0.5, 0.5] }\nloop: { generations: 400, samples: [{ from: 1, n: 8 }, { from: 50, n: 200 }] }\nrecord: [0, 1, 49, 50, 51, 399]\n'],
    ['a point mass at generation 0', 'init: { probs: [1, 0] }\nloop: { generations: 30, samples: 5 }\n'],
    ['a reward metric', 'init: { probs: [0.5, 0.5] }\nreward: [1, 0]\nloop: { generations: 100, samples: 10 }\n'],
  ])('%s: the same records as the loop', async (_, yaml) => {
    const { prep, block, loop } = await both(yaml);
    expect(prep.entry.block!(prep.settings, prep.resources)).toBeDefined();
    expect(block).toEqual(loop);
  });

  it('is not used where only the loop applies (filters, accumulate windows)', async () => {
    for (const yaml of [
      'init: { probs: [0.5, 0.5] }\nreward: [1, 0]\nloop: { generations: 10, samples: 10, filter: { kind: keepTop, fraction: 0.5, by: reward } }\n',
      'init: { probs: [0.5, 0.5] }\nloop: { generations: 10, samples: 10, policy: accumulate, accumulateWindow: 3 }\n',
    ]) {
      const { prep } = await both(yaml);
      expect(prep.entry.block!(prep.settings, prep.resources)).toBeUndefined();
    }
  });

  it('gives each seed its own keys: a block of one seed is that seed alone', async () => {
    const { prep, block } = await both('init: { probs: [0.5, 0.5] }\nloop: { generations: 1000, samples: 25 }\nrecord: log\n');
    for (const s of [0, 17, 59]) expect(texts(tableOf(prep, [s]))).toEqual([block[s]]);
  });
});

describe('the urn block stepper', () => {
  it.each([
    ['the classic urn (one round), record log', 'init: { counts: [0.7, 1.3] }\nmodel: { rates: [1, 1] }\nloop: { generations: 2000 }\nrecord: log\n'],
    ['runaway, 10 rounds, every generation', 'init: { counts: [1, 1] }\nmodel: { rates: [0.3, 0.2] }\nloop: { generations: 300, samples: 10 }\nrecord: every\n'],
    ['corrected (fractional balls), three regions', 'init: { counts: [1, 2, 1] }\nmodel: { rates: [0.3, 0.2, 0.5], corrected: true, balls: 0.7 }\nloop: { generations: 300, samples: 7 }\nrecord: { every: 3 }\n'],
    ['reported incidents, corrected', 'init: { counts: [1, 1] }\nmodel: { rates: [0.3, 0.2], reported: 0.5, corrected: true }\nloop: { generations: 300, samples: 10 }\n'],
    ['T = 0.7, top-p', 'init: { counts: [1, 1, 2] }\nmodel: { rates: [0.4, 0.2, 0.3] }\nloop: { generations: 200, samples: 5, temperature: 0.7, topP: 0.9 }\nrecord: every\n'],
    ['grounded, λ = 0.3', 'init: { counts: [1, 1] }\nmodel: { rates: [0.3, 0.2], reported: 0.2 }\nloop: { generations: 300, samples: 10, realFraction: 0.3 }\n'],
    ['replace', 'init: { counts: [1, 1] }\nmodel: { rates: [0.6, 0.5] }\nloop: { generations: 300, samples: 4, policy: replace }\nrecord: every\n'],
    ['augment', 'init: { counts: [1, 1] }\nmodel: { rates: [0.3, 0.2], corrected: true }\nloop: { generations: 200, samples: 6, policy: augment }\n'],
    ['no stop, a record list', 'init: { counts: [1, 3] }\nmodel: { rates: [0.5, 0.5] }\nloop: { generations: 300, samples: 2, stopWhenCollapsed: false }\nrecord: [0, 1, 99, 100, 101, 299]\n'],
    ['a region without prior balls, a reward metric', 'init: { counts: [0, 2] }\nmodel: { rates: [0.5, 0.5] }\nreward: [1, 0]\nloop: { generations: 50, samples: 3 }\nrecord: every\n'],
  ])('%s: the same records as the loop', async (_, yaml) => {
    const { prep, block, loop } = await both(yaml, URN);
    expect(prep.entry.block!(prep.settings, prep.resources)).toBeDefined();
    expect(block).toEqual(loop);
  });

  it('is not used where only the loop applies (filters, accumulate windows)', async () => {
    for (const yaml of [
      'init: { counts: [1, 1] }\nmodel: { rates: [0.3, 0.2] }\nreward: [1, 0]\nloop: { generations: 10, samples: 10, filter: { kind: keepTop, fraction: 0.5, by: reward } }\n',
      'init: { counts: [1, 1] }\nmodel: { rates: [0.3, 0.2] }\nloop: { generations: 10, samples: 10, accumulateWindow: 3 }\n',
    ]) {
      const { prep } = await both(yaml, URN);
      expect(prep.entry.block!(prep.settings, prep.resources)).toBeUndefined();
    }
  });

  it('gives each seed its own keys: a block of one seed is that seed alone', async () => {
    const { prep, block } = await both('init: { counts: [1, 1] }\nmodel: { rates: [0.3, 0.2] }\nloop: { generations: 500, samples: 10 }\nrecord: log\n', URN);
    for (const s of [0, 13, 39]) expect(texts(tableOf(prep, [s]))).toEqual([block[s]]);
  });
});
