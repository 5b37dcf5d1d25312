// `npm run bench -- NAME [--json] [extra args]`: runs bench/NAME.ts, which times Ouroboros
// and a peer implementation side by side in the same process run and reports the ratio.
import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** What every benchmark returns; `--json` prints it as one document (scripts depend on it). */
export interface BenchResult {
  name: string;
  unit: string;
  ours: number;
  peer: number;
  ratio: number;
  settings: Record<string, unknown>;
  [extra: string]: unknown;
}

export interface Bench {
  run(args: string[]): Promise<BenchResult>;
  /** Rows for the readable table. */
  table(r: BenchResult): [string, string][];
}

const here = fileURLToPath(new URL('.', import.meta.url));
const names = readdirSync(here).filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts') && f !== 'run.ts' && !f.startsWith('_')).map((f) => f.slice(0, -3));
const [name, ...rest] = process.argv.slice(2);
if (!name || !names.includes(name)) {
  process.stderr.write(`usage: npm run bench -- NAME [--json]\navailable: ${names.join(', ')}\n`);
  process.exit(2);
}
const json = rest.includes('--json');
const bench = (await import(`./${name}.ts`)) as Bench;
const result = await bench.run(rest.filter((a) => a !== '--json'));
if (json) process.stdout.write(JSON.stringify(result) + '\n');
else {
  const rows = bench.table(result);
  const w = Math.max(...rows.map(([k]) => k.length));
  process.stdout.write(`benchmark ${result.name}\n` + rows.map(([k, v]) => `  ${k.padEnd(w)}  ${v}`).join('\n') + '\n');
}
