// Runs a list of claims into an output directory: each claim's experiments (run directories
// under DIR/runs), its rows and figures, then report.md, report.html, results.json and the
// figures as SVG and PNG under DIR/figures. A claim whose experiment throws is reported as
// not run, with the error, and the others go on.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { svgToPng, toSvg } from '../report/render.ts';
import type { Claim, ClaimResult } from './claim.ts';
import { notRun } from './claim.ts';
import { Lab } from './lab.ts';
import { markdownReport, htmlReport, type Report } from './report.ts';
import { SIZES, withSeeds, type SizeName } from './sizes.ts';

export interface ReproduceOptions {
  readonly out: string;
  readonly size: SizeName;
  readonly title: string;
  readonly source: string;
  readonly claims: readonly Claim[];
  readonly log: (line: string) => void;
  readonly provenance?: { version: string; commit: string | null };
  /** Reuse finished runs in `out` whose config is unchanged (an interrupted or re-rendered reproduction). */
  readonly resume?: boolean;
  /** Seeds of every experiment, instead of the size's. */
  readonly seeds?: number;
}

/** Everything a reproduction writes at the top of its directory (`--force` replaces only a directory holding no more than these). */
export const REPRODUCTION_ENTRIES: readonly string[] = ['runs', 'figures', 'timings.json', 'report.md', 'report.html', 'results.json'];

/** Runs every claim and writes the report; returns what was written. */
export async function reproduce(o: ReproduceOptions): Promise<Report> {
  const size = o.seeds === undefined ? SIZES[o.size] : withSeeds(SIZES[o.size], o.seeds);
  const lab = new Lab(o.out, o.log, o.provenance, o.resume ?? false);
  const t0 = performance.now();
  const results: { claim: Claim; result: ClaimResult; seconds: number }[] = [];
  for (const claim of o.claims) {
    o.log(`claim ${claim.n}: ${claim.title}`);
    const c0 = performance.now();
    let result: ClaimResult;
    try {
      result = await claim.run(lab, size);
    } catch (e) {
      const reason = `the experiment failed: ${(e as Error).message.split('\n')[0]}`;
      o.log(`  ${reason}`);
      result = { rows: [notRun(`${claim.n}a`, '—', reason)], figures: [], notes: [] };
    }
    results.push({ claim, result, seconds: (performance.now() - c0) / 1000 });
  }
  mkdirSync(join(o.out, 'figures'), { recursive: true });
  const svgs = new Map<string, string>();
  for (const { result } of results) {
    for (const f of result.figures) {
      const svg = await toSvg(f.spec);
      svgs.set(f.id, svg);
      writeFileSync(join(o.out, 'figures', `${f.id}.svg`), svg);
      writeFileSync(join(o.out, 'figures', `${f.id}.png`), svgToPng(svg));
    }
  }
  const report: Report = {
    title: o.title,
    source: o.source,
    size: o.size,
    ...(o.seeds !== undefined ? { seeds: o.seeds } : {}),
    seconds: (performance.now() - t0) / 1000,
    date: new Date().toISOString(),
    commit: o.provenance?.commit ?? null,
    claims: results,
    runs: lab.runs,
  };
  writeFileSync(join(o.out, 'report.md'), markdownReport(report));
  writeFileSync(join(o.out, 'report.html'), htmlReport(report, svgs));
  writeFileSync(join(o.out, 'results.json'), JSON.stringify(resultsJson(report), null, 2) + '\n');
  return report;
}

/** The table as data, for scripts and tests. */
function resultsJson(r: Report) {
  return {
    title: r.title,
    size: r.size,
    seconds: r.seconds,
    rows: r.claims.flatMap(({ claim, result }) => result.rows.map(({ test, ...row }) => ({ claim: claim.n, title: claim.title, ...row, verdict: test.verdict, why: test.why }))),
  };
}
