// Every example, shrunk to a few seeds and generations, must keep its run id and the exact
// bytes of its log (generations.jsonl), samples (samples.jsonl), summary (summary.json: the
// aggregates, theory and comparisons) and export (metrics.parquet): a refactor or a speed-up
// that changes a number is a bug. The expected hashes live in examples.golden.json. Change
// them only for a deliberate change of results (a new metric, a fixed bug), by running
//   OURO_UPDATE_GOLDEN=1 npx vitest run src/runner/examples.test.ts
// and saying in the commit which examples changed and why. Transformer hashes are those of
// the OpenBLAS GEMM (other GEMMs sum in another order); without the addon they are not checked.
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfigFile } from '../config/file.ts';
import { has } from '../system.test-support.ts';
import { nodeIo } from './io.ts';
import { prepare } from './prepare.ts';
import { runToDir } from './run.ts';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const GOLDEN = fileURLToPath(new URL('./examples.golden.json', import.meta.url));
const tmp = mkdtempSync(join(tmpdir(), 'ouro-examples-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const examples = readdirSync(join(ROOT, 'examples'))
  .filter((f) => f.endsWith('.yaml') && !/^\s*sweep:/m.test(readFileSync(join(ROOT, 'examples', f), 'utf8')))
  .sort();

/** Overrides that make an example small enough to run in a test, by family. */
function shrink(text: string): string[] {
  const family = /^family:\s*(\S+)/m.exec(text)?.[1];
  const base = ['seeds=2', 'loop.generations=6', 'record=every'];
  if (family === 'transformer') {
    const items = /^\s*sequences:/m.test(text) ? 'loop.sequences=8' : 'loop.sentences=8';
    return [...base, 'loop.generations=2', items, 'train={steps: 2, batch: 4, lr: 0.003, warmup: 1}', 'finetune={steps: 2, batch: 4, lr: 0.001, warmup: 1}', 'metrics.samples=6', 'metrics.heldOutSentences=8'];
  }
  return base;
}

// The examples of families that step many seeds at once, also at many seeds, thousands of
// generations and the log-spaced record schedule: blocks of seeds, seeds stopping at different
// generations, generations left unrecorded. Their hashes are those of the per-seed loop.
const MANY = ['seeds=300', 'loop.generations=3000', 'record=log'];
// (An ecosystem config steps its seeds one by one through the pool, so it has no such variant.)
const manyExamples = examples.filter((f) => {
  const text = readFileSync(join(ROOT, 'examples', f), 'utf8');
  return /^family:\s*(categorical|urn)\b/m.test(text) && !/^ecosystem:/m.test(text);
});
const manyKey = (file: string): string => `${file} (${MANY.join(', ')})`;

const sha = (path: string): string | null => (existsSync(path) ? createHash('sha256').update(readFileSync(path)).digest('hex') : null);

interface Golden {
  runId: string;
  log: string;
  samples: string | null;
  summary: string | null;
  parquet: string | null;
}

/** The hashes of the files of the run in `dir`. */
const hashes = (runId: string, dir: string): Golden => ({
  runId,
  log: sha(join(dir, 'generations.jsonl'))!,
  samples: sha(join(dir, 'samples.jsonl')),
  summary: sha(join(dir, 'summary.json')),
  parquet: sha(join(dir, 'metrics.parquet')),
});

const golden: Record<string, Golden> = existsSync(GOLDEN) ? (JSON.parse(readFileSync(GOLDEN, 'utf8')) as Record<string, Golden>) : {};
const seen: Record<string, Golden> = {};
const update = process.env.OURO_UPDATE_GOLDEN === '1';

afterAll(() => {
  if (update) writeFileSync(GOLDEN, JSON.stringify(seen, null, 2) + '\n');
});

describe('examples keep their exact results', () => {
  it('covers every example', () => {
    expect(examples.length).toBeGreaterThan(30);
    if (!update) expect(Object.keys(golden).sort()).toEqual([...examples, ...manyExamples.map(manyKey)].sort());
  });

  it.for(manyExamples)('%s at many seeds', async (file) => {
    const path = join(ROOT, 'examples', file);
    const prep = await prepare(loadConfigFile(path, MANY), nodeIo);
    const dir = join(tmp, `many-${file}`);
    runToDir(prep, dir, false);
    const got = hashes(prep.runId, dir);
    seen[manyKey(file)] = got;
    if (!update) expect(got).toEqual(golden[manyKey(file)]);
  });

  it.for(examples)('%s', async (file, { skip }) => {
    const path = join(ROOT, 'examples', file);
    if (file.startsWith('transformer') && !has('openblas')) skip();
    const prep = await prepare(loadConfigFile(path, shrink(readFileSync(path, 'utf8'))), nodeIo);
    const dir = join(tmp, file);
    runToDir(prep, dir, false);
    const got = hashes(prep.runId, dir);
    seen[file] = got;
    if (!update) expect(got).toEqual(golden[file]);
  });
});
