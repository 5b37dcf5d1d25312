// The shared family contract for the transformer, at a tiny size (one layer, d = 16, a
// character-level toy corpus): keyed determinism, JSON round-trip, sizes, and a loop that
// resumes bit-identically. Recovery of a model from a large sample is not part of it: see
// `noRecovery` below; train.test.ts checks what training does reach.
import { describeFamilyContract } from '../../core/family-contract.test-support.ts';
import { key } from '../../core/random.ts';
import { settingsFor } from '../../config/schema.ts';
import type { Io } from '../entry.ts';
import { reviveModel, type GptModel } from './family.ts';
import { entry } from './index.ts';

const noIo: Io = { readFile: () => Promise.reject(new Error('no files here')), importModule: () => Promise.reject(new Error('no modules')) };

// 48 short sentences (enough that the real data holds more than the contract draws from it).
const subjects = ['the cat', 'a dog', 'the log', 'a mat'];
const verbs = ['sat on', 'ran to', 'saw'];
const objects = ['the mat', 'a log', 'the dog', 'a cat'];
const text = subjects.flatMap((s) => verbs.flatMap((v) => objects.map((o) => `${s} ${v} ${o}`))).join('\n');

const settings = settingsFor(entry, {
  corpus: { source: 'toy', level: 'char', text, heldOut: 0.1 },
  model: { n_layer: 1, d_model: 16, n_head: 2, block_size: 32 },
  train: { steps: 10, batch: 2, warmup: 2 },
  finetune: { steps: 3, batch: 2, warmup: 1 },
  metrics: { samples: 10, heldOutSentences: 4 },
  loop: {},
});
const resources = await entry.resolve!(settings, noIo);

describeFamilyContract<GptModel, unknown>('transformer', () => entry.setup(settings, resources, key(3)) as never, {
  noRecovery:
    'fit trains a network for a fixed number of AdamW steps from a keyed initialisation, so fit(sample(m, N)) does not converge to m as N grows; ' +
    'that training learns a corpus is checked in train.test.ts',
  n: 20,
  revive: (json) => reviveModel(json),
  fitUsesKey: true,
  loop: { generations: 4, samples: () => 12, constantSamples: 12 },
});
