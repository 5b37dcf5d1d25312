// `ouro plot RUN_OR_SWEEP [--metric NAME] [--out FILE.svg|FILE.png|-]`: one figure, SVG on
// stdout or to a file; PNG when the file name says so.
import { existsSync, statSync, writeFileSync } from 'node:fs';
import type { Command } from 'commander';
import { COMMANDS } from './index.ts';
import { plotFor } from '../../report/plot.ts';
import { ReportInputError } from '../../report/run-dir.ts';
import { svgToPng, toSvg } from '../../report/render.ts';
import { UsageError } from '../errors.ts';

export function register(program: Command): void {
  program
    .command('plot')
    .description(COMMANDS.plot.description)
    .argument('<dir>', 'a run directory or a sweep directory')
    .option('--metric <name>', 'a metric, or collapse / temperature-map (default: the first metric with theory)')
    .option('--out <file>', 'FILE.svg or FILE.png, or - for SVG on stdout (the default)')
    .addHelpText('after', '\nExamples:\n  ouro plot runs/coin-20-1a2b3c --metric giniSimpson --out h.png\n  ouro plot runs/coin-20-1a2b3c --metric collapse > collapse.svg')
    .action(async (dir: string, flags: { metric?: string; out?: string }) => {
      if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new UsageError(`${dir}: no such directory; give a run directory (from \`ouro run\`) or a sweep directory`);
      const out = flags.out === '-' ? undefined : flags.out; // - is stdout, as for report and export
      if (out !== undefined && !/\.(svg|png)$/i.test(out)) throw new UsageError(`--out: expected a file name ending in .svg or .png, or - for stdout, got '${out}'`);
      let plot;
      try {
        plot = plotFor(dir, flags.metric);
      } catch (e) {
        if (e instanceof ReportInputError) throw new UsageError(e.message);
        throw e;
      }
      const svg = await toSvg(plot.spec);
      if (out === undefined) process.stdout.write(svg + '\n');
      else {
        writeFileSync(out, /\.png$/i.test(out) ? svgToPng(svg) : svg);
        process.stderr.write(`wrote ${out} (${plot.id})\n`);
      }
    });
}
