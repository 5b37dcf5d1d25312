// What a claim of a reproduction is: its statement, the rules its verdicts follow, and an
// experiment that returns table rows (claim → setting → result → theory → verdict), figures
// and notes.
import type { VlSpec } from '../report/specs.ts';
import type { Lab } from './lab.ts';
import type { Size } from './sizes.ts';
import type { Test } from './verdict.ts';

/** One row of the table. */
export interface Row {
  readonly id: string;
  readonly setting: string;
  readonly result: string;
  readonly theory: string;
  readonly test: Test;
}

export interface Figure {
  readonly id: string;
  readonly caption: string;
  readonly spec: VlSpec;
}

export interface ClaimResult {
  readonly rows: readonly Row[];
  readonly figures: readonly Figure[];
  readonly notes: readonly string[];
}

export interface Claim {
  readonly n: number;
  readonly title: string;
  /** The claim as the work we follow makes it. */
  readonly statement: string;
  run(lab: Lab, size: Size): Promise<ClaimResult>;
}

/** The row of a claim that could not be run, with the reason (never a made-up result). */
export function notRun(id: string, setting: string, reason: string): Row {
  return { id, setting, result: '—', theory: '—', test: { verdict: 'not run', why: reason } };
}
