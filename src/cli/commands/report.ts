// `ouro report RUN_OR_SWEEP [--out FILE|-]`: one self-contained HTML file (inline SVG, no
// external references; default report.html in the directory), optionally with an n-gram
// context graph from `ouro graph` JSON.
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Command } from 'commander';
import { COMMANDS } from './index.ts';
import { parseGraph } from '../../report/graph-svg.ts';
import { reportHtml } from '../../report/html.ts';
import { ReportInputError } from '../../report/run-dir.ts';
import { REPORT_FILE } from '../../store/rundir.ts';
import { UsageError } from '../errors.ts';

export function register(program: Command): void {
  program
    .command('report')
    .description(COMMANDS.report.description)
    .argument('<dir>', 'a run directory or a sweep directory')
    .option('--out <file>', 'the HTML file to write, - for stdout (default: report.html in the run or sweep directory)')
    .option('--graph <file>', 'an n-gram context graph as JSON (from `ouro graph`); default: graph.json in the run directory')
    .action(async (dir: string, flags: { out?: string; graph?: string }) => {
      if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new UsageError(`${dir}: no such directory; give a run directory (from \`ouro run\`) or a sweep directory`);
      let graph;
      if (flags.graph !== undefined) {
        try {
          graph = parseGraph(JSON.parse(readFileSync(flags.graph, 'utf8')));
        } catch (e) {
          throw new UsageError(`--graph ${flags.graph}: ${(e as Error).message}. Give the JSON that \`ouro graph --format json\` writes.`);
        }
      }
      const out = flags.out ?? join(dir, REPORT_FILE);
      try {
        const html = await reportHtml(dir, graph);
        if (out === '-') return void process.stdout.write(html); // as `ouro export --out -`
        writeFileSync(out, html);
      } catch (e) {
        if (e instanceof ReportInputError) throw new UsageError(e.message);
        throw e;
      }
      process.stderr.write(`wrote ${out}\n`);
    });
}
