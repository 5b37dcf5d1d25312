// What --seeds and --resume mean, the same on `ouro run`, `ouro sweep` and `ouro reproduce`:
// --seeds N runs N seeds per run (seeds 0…N−1, overriding the config or the size), and
// --resume [DIR] continues what an interrupted command left in DIR (default: --out, or the
// command's default directory) with the settings it was started with, keeping what finished
// and giving the bytes an uninterrupted start would give.
import { lstatSync, readlinkSync } from 'node:fs';
import { dirname, isAbsolute, join } from 'node:path';
import { UsageError } from './errors.ts';

export const SEEDS_HELP = 'seeds per run, 0…N−1 (overrides the config)';

/** The --resume help line for a run, a sweep or a reproduction. */
export function resumeHelp(what: 'run' | 'sweep' | 'reproduction'): string {
  const kept = what === 'run' ? 'finished seeds' : what === 'sweep' ? 'finished cells and seeds' : 'finished runs and seeds';
  return `continue an interrupted ${what} in DIR (default: --out, or the default directory) as it was started; ${kept} are kept, the result is bit-identical`;
}

/** --seeds N as the --set it stands for (none when not given); refuses anything but a whole number ≥ 1. */
export function seedsSet(seeds: string | undefined): string[] {
  if (seeds === undefined) return [];
  return [`seeds=${seedCount(seeds)}`];
}

/** The number --seeds gives. */
export function seedCount(seeds: string): number {
  if (!/^[1-9]\d*$/.test(seeds)) throw new UsageError(`--seeds: expected a whole number ≥ 1, got '${seeds}'`);
  return Number(seeds);
}

/**
 * Says on stderr, before any work, where the results go and the command that continues them.
 * Printed first rather than on Ctrl-C: a run computing on this thread cannot run a signal
 * handler until it is done, and Ctrl-C must stop it at once; the line stays on screen above the
 * progress.
 */
export function announce(command: string, dir: string): void {
  process.stderr.write(`ouro: writing ${dir}; if interrupted (Ctrl-C, a crash), continue with: ${command}\n`);
}

/**
 * The directory a --resume DIR names, through a link such as runs/latest: the command printed
 * to continue it must name the run itself, which stays put when `latest` moves on to the next.
 */
export function throughLink(dir: string): string {
  try {
    if (!lstatSync(dir).isSymbolicLink()) return dir;
    const target = readlinkSync(dir);
    return isAbsolute(target) ? target : join(dirname(dir), target);
  } catch {
    return dir; // missing: the caller says so
  }
}

/** `word` as one shell word (single-quoted unless it needs no quoting). */
export function shellWord(word: string): string {
  return /^[\w@%+=:,./-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}
