import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { graphSvg, parseGraph } from './graph-svg.ts';
import { configJson, momentsTable, reportHtml } from './html.ts';
import type { Run } from './run-dir.ts';
import { tokenLabel } from './wording.ts';
import { writeCoinRun } from './test-runs.test-support.ts';

let root: string;
beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'ouro-report-'));
  await writeCoinRun(join(root, 'run'), { samples: 10, temperature: 1, seeds: 8, generations: 100, texts: true });
  await writeCoinRun(join(root, 'sweep', 'a'), { samples: 10, temperature: 0.9, seeds: 4, generations: 50 });
  await writeCoinRun(join(root, 'sweep', 'b'), { samples: 10, temperature: 1.1, seeds: 4, generations: 50 });
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

const GRAPH = {
  nodes: [{ id: 0, label: '<s>' }, { id: 1, label: 'the' }, { id: 2, label: 'cat' }],
  edges: [{ from: 0, to: 1, label: 'the', p: 1 }, { from: 1, to: 2, label: 'cat', p: 1 }, { source: 2, target: 1, token: 'the', prob: 0.5 }],
};

/** References a browser would fetch: src/href/url() to anything but an in-document fragment. */
const externalRefs = (html: string): string[] => [...html.matchAll(/(?:src|href)\s*=\s*"(?!#)[^"]*"|url\((?!#)[^)]*\)|@import/g)].map((m) => m[0]);

describe('HTML report of a run', () => {
  it('is self-contained and holds config, summary against theory, every plot, samples and the graph', async () => {
    writeFileSync(join(root, 'run', 'graph.json'), JSON.stringify(GRAPH));
    const html = await reportHtml(join(root, 'run'));
    expect(externalRefs(html)).toEqual([]);
    expect(html).toContain('<h2>Config</h2>');
    expect(html).toContain('&quot;family&quot;: &quot;categorical&quot;');
    // Simulation beside theory of the same quantity: the mean over collapsed seeds beside E[τ | τ ≤ H].
    expect(html).toMatch(/<td>collapse generation, mean over seeds collapsed by 100<\/td><td class="num">[\d.]+ ± [\d.]+<\/td><td>[\d.]+( \(simulation -?[\d.]+ se off\))?<\/td>/);
    expect(html).toMatch(/<td>collapsed at the end<\/td><td>\d+ of 8 seeds/);
    expect(html).toMatch(/<td>theory alone: collapse generation, mean without a horizon/);
    for (const id of ['entropy', 'giniSimpson', 'collapse', 'temperature-map']) expect(html).toMatch(new RegExp(`<figure id="plot-${id}"><svg`));
    expect(html).toContain('a &lt;dog&gt; &amp; 2'); // sample text, escaped
    expect(html).toMatch(/<h2>Where seeds ended<\/h2>[^]*<th>fixedOn<\/th>/);
    expect(html).toContain('class="ngram-graph"');
    expect(html).toContain('class="edge back"'); // the 2 → 1 arc closes a cycle
  });

  it('reports a sweep with one row and one coloured line per cell', async () => {
    const html = await reportHtml(join(root, 'sweep'));
    expect(html).toContain('<code>loop.temperature</code>');
    expect(html).toContain('loop.temperature=0.9');
    expect(html.match(/role-mark mean_marks/g)!.length).toBeGreaterThanOrEqual(2);
    expect(externalRefs(html)).toEqual([]);
  });
});

describe('start, peak and end of a text run', () => {
  const sample = (generation: number, text: string) => ({ seed: 0, generation, samples: [text], topTokens: [{ token: text, share: 0.5 }] });
  const line = (generation: number, entropyMC: number) => ({ seed: 0, generation, metrics: { entropyMC } });
  it('shows the first, the highest-entropy and the last recorded generation of the first seed', () => {
    const run = {
      samples: [sample(0, 'zero'), sample(1, 'one'), sample(2, 'two'), sample(3, 'three'), { ...sample(1, 'other seed'), seed: 1 }],
      lines: [line(0, 5), line(1, 9), line(2, 7), line(3, 1), { ...line(1, 99), seed: 1 }],
    } as unknown as Run;
    const html = momentsTable(run)!;
    const rows = html.split('<tr>').slice(2).map((r) => [...r.matchAll(/<td[^>]*>([^<]*)<\/td>/g)].map((m) => m[1]).slice(0, 4));
    expect(rows).toEqual([
      ['start', '0', '5', 'zero'],
      ['peak of entropyMC', '1', '9', 'one'],
      ['end', '3', '1', 'three'],
    ]);
    expect(html).toContain('&quot;three&quot; 50%');
  });
  it('quotes tokens as the BPE shows them: a cut character and a control byte as \\xNN', () => {
    expect(tokenLabel(' the')).toBe('" the"');
    expect(tokenLabel('\\x82')).toBe('"\\x82"');
    expect(tokenLabel('\u0004\n')).toBe('"\\x04\\x0a"');
  });
  it('is left out for runs without top tokens', () => {
    expect(momentsTable({ samples: [{ seed: 0, generation: 0, samples: ['a'] }], lines: [] } as unknown as Run)).toBeUndefined();
  });
});

describe('context graph', () => {
  it('names the field that does not fit', () => {
    expect(() => parseGraph({ nodes: [{ label: 'x' }], edges: [] })).toThrow(/nodes\[0\] has no id/);
    expect(() => parseGraph({ nodes: [] })).toThrow(/expected \{ nodes/);
  });

  it('draws one box per context and forward edges left to right', () => {
    const svg = graphSvg(parseGraph(GRAPH));
    expect(svg.match(/<g class="node">/g)).toHaveLength(3);
    expect(svg.match(/class="edge"/g)).toHaveLength(2);
    expect(svg).toContain('the (0.50)');
  });
});

describe('the config in a report', () => {
  it('puts each list of plain values on one line and stays the same JSON', () => {
    const config = { name: 'a]b, c', seeds: Array.from({ length: 2000 }, (_, i) => i), init: { probs: [0.5, 0.5] }, steps: [{ from: 1, n: 20 }], tags: ['x,\ny', ']'], none: [] };
    const text = configJson(config);
    expect(JSON.parse(text)).toEqual(config);
    expect(text).toContain('"seeds": [0, 1, 2, ');
    expect(text).toContain('"probs": [0.5, 0.5]');
    expect(text.split('\n').length).toBeLessThan(25);
  });
});

