// The layering rule (ARCHITECTURE.md, "Layers"): a folder imports only from folders above it,
// and the pure layers import no Node module and use no ambient randomness or clock. Two
// orderings are this code's own: metrics and theory are pure functions the families use, so
// they come before families; store (run directories) comes before runner, which writes them.
// Tests and test support files (*.test.ts, *.test-support.ts) are exempt.
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

const SRC = new URL('.', import.meta.url).pathname;
// The outer ring (rank 8) may import anything, each other included.
const RANK: Record<string, number> = { core: 0, metrics: 1, theory: 2, families: 3, config: 4, store: 5, runner: 6, report: 7, reproduce: 8, distributed: 8, web: 8, cli: 8 };
const ORDER = Object.keys(RANK);
const PURE = new Set(['core', 'metrics', 'theory', 'families']);

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    return statSync(p).isDirectory() ? files(p) : p.endsWith('.ts') ? [p] : [];
  });
}

const sources = files(SRC).filter((f) => !/\.test(-support)?\.ts$/.test(f) && relative(SRC, f).includes('/'));

describe('layers', () => {
  it('every source folder is a known layer', () => {
    for (const f of sources) expect(ORDER).toContain(relative(SRC, f).split('/')[0]);
  });

  it.each(sources.map((f) => [relative(SRC, f)]))('%s imports only from layers above it', (rel) => {
    const layer = rel.split('/')[0]!;
    const text = readFileSync(join(SRC, rel), 'utf8');
    for (const m of text.matchAll(/(?:^|\n)\s*(?:import|export)[^'"]*?from\s+['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/g)) {
      const spec = (m[1] ?? m[2])!;
      if (spec.startsWith('.')) {
        const target = relative(SRC, join(SRC, rel, '..', spec)).split('/')[0]!;
        if (target === layer || !(target in RANK)) continue;
        const ok = RANK[target]! < RANK[layer]! || RANK[layer] === 8;
        expect(ok, `${rel} imports ${spec} (${target} is not above ${layer})`).toBe(true);
      } else if (PURE.has(layer)) {
        expect(spec.startsWith('node:') || ['fs', 'path', 'os', 'child_process', 'worker_threads'].includes(spec), `${rel} imports ${spec}`).toBe(false);
      }
    }
    if (PURE.has(layer)) {
      expect(text, `${rel} uses Math.random`).not.toMatch(/Math\.random/);
      expect(text, `${rel} reads the clock`).not.toMatch(/Date\.now|performance\.now|new Date\(/);
    }
  });
});
