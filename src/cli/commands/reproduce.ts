// `ouro reproduce ensign2021|ecosystems [--quick] [--out DIR] [--resume]`: run every claim of a
// study through the runner and write a report (Markdown, HTML, figures) with a verdict per
// claim; with --resume, continue DIR, or start it when it holds nothing yet.
import { existsSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { Command } from 'commander';
import { COMMANDS } from './index.ts';
import { CLAIMS, SOURCE } from '../../reproduce/ensign2021.ts';
import * as ecosystems from '../../reproduce/ecosystems.ts';
import { REPRODUCTION_ENTRIES, reproduce } from '../../reproduce/reproduce.ts';
import { nameList } from '../../store/rundir.ts';
import type { SizeName } from '../../reproduce/sizes.ts';
import { UsageError } from '../errors.ts';
import { provenance } from '../../runner/provenance.ts';
import { announce, resumeHelp, seedCount, shellWord } from '../resume.ts';

const STUDIES = {
  ensign2021: { claims: CLAIMS, source: SOURCE, title: 'Reproducing Ensign (2021), “Feedback Loops in Opinion Modeling”' },
  ecosystems: { claims: ecosystems.CLAIMS, source: ecosystems.SOURCE, title: 'Opinion ecosystems: several models and people sharing one pool' },
};

interface Flags {
  quick?: boolean;
  smoke?: boolean;
  out?: string;
  force?: boolean;
  resume?: string | true;
  seeds?: string;
  only?: string;
}

export function register(program: Command): void {
  program
    .command('reproduce')
    .description(COMMANDS.reproduce.description)
    .argument('<study>', `the study: ${Object.keys(STUDIES).join(', ')}`)
    .option('--quick', 'reduced sizes: minutes on 2 cores')
    .option('--smoke', 'smallest sizes, for the test suite')
    .option('--out <dir>', 'output directory (default runs/reproduce-<study>[-quick])')
    .option('--force', 'overwrite an existing output directory')
    .option('--resume [dir]', `${resumeHelp('reproduction')} (a run whose config changed is run again; a missing or empty DIR is started)`)
    .option('--seeds <n>', 'seeds of every experiment, 0…N−1 (overrides the size\'s)')
    .option('--only <claims>', 'run only these claims, e.g. --only 8,9,10')
    .addHelpText('after', '\nExamples:\n  ouro reproduce ensign2021 --quick --out /tmp/ensign   a few minutes on 2 cores\n  ouro reproduce ensign2021                              the full reproduction')
    .action(async (study: string, flags: Flags) => {
      const s = STUDIES[study as keyof typeof STUDIES];
      if (!s) throw new UsageError(`reproduce: unknown study '${study}'; expected one of: ${Object.keys(STUDIES).join(', ')}`);
      if (flags.quick && flags.smoke) throw new UsageError('reproduce: give --quick or --smoke, not both');
      const size: SizeName = flags.smoke ? 'smoke' : flags.quick ? 'quick' : 'full';
      const given = typeof flags.resume === 'string' ? flags.resume : undefined;
      if (given !== undefined && flags.out !== undefined && given !== flags.out) throw new UsageError(`--resume ${given} and --out ${flags.out} name two directories; give the one to continue once`);
      const out = given ?? flags.out ?? `runs/reproduce-${study}${size === 'full' ? '' : `-${size}`}`;
      const resume = flags.resume !== undefined;
      if (resume && flags.force) throw new UsageError('reproduce: give --resume (reuse finished runs) or --force (start over), not both');
      const seeds = flags.seeds === undefined ? undefined : seedCount(flags.seeds);
      const held = existsSync(out) ? readdirSync(out) : [];
      const foreign = held.filter((n) => !REPRODUCTION_ENTRIES.includes(n));
      if (foreign.length > 0 && resume) throw new UsageError(`--resume: ${out} is not a reproduction (it holds ${nameList(foreign)}); give the directory of the reproduction to continue, or another --out to start one`);
      if (foreign.length > 0) throw new UsageError(`output directory ${out} already exists and is not a reproduction (it holds ${nameList(foreign)}); choose another --out. --force replaces only a reproduction's directory, never other files`);
      if (!resume && held.length > 0) {
        if (!flags.force) throw new UsageError(`output directory ${out} already exists; pass --force to replace it, --resume to continue it, or --out to choose another`);
        for (const n of REPRODUCTION_ENTRIES) rmSync(join(out, n), { recursive: true, force: true });
      }
      // --resume on a directory with nothing in it yet starts the reproduction: the same command
      // then both starts a long reproduction and continues it after an interruption.
      if (resume && held.length === 0) process.stderr.write(`ouro: ${out} holds no reproduction yet; starting one\n`);
      const claims = flags.only === undefined ? s.claims : pick(s.claims, flags.only);
      const again = ['ouro reproduce', study, ...(size === 'full' ? [] : [`--${size}`]), ...(flags.only ? [`--only ${flags.only}`] : []), ...(seeds ? [`--seeds ${seeds}`] : []), `--resume ${shellWord(out)}`];
      announce(again.join(' '), out);
      const report = await reproduce({ out, size, title: s.title, source: s.source, claims, log: (l) => process.stderr.write(l + '\n'), provenance: provenance(), resume, ...(seeds !== undefined ? { seeds } : {}) });
      const rows = report.claims.flatMap((c) => c.result.rows);
      process.stdout.write(`${out}/report.md and ${out}/report.html written in ${report.seconds.toFixed(0)} s\n`);
      for (const r of rows) process.stdout.write(`  ${r.id.padEnd(4)} ${r.test.verdict}\n`);
    });
}

function pick<C extends { n: number }>(claims: readonly C[], only: string): C[] {
  const wanted = only.split(',').map((x) => x.trim());
  const bad = wanted.filter((w) => !claims.some((c) => String(c.n) === w));
  if (bad.length > 0) throw new UsageError(`--only: no claim ${bad.join(', ')}; the claims are numbered ${claims.map((c) => c.n).join(', ')}`);
  return claims.filter((c) => wanted.includes(String(c.n)));
}
