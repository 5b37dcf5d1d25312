// `ouro ls [DIR]`: the runs and sweeps in a runs directory (default runs/), oldest first, with
// status, family, name, seeds × generations, start date and size; `latest` marked.
import { existsSync, statSync } from 'node:fs';
import type { Command } from 'commander';
import { COMMANDS } from './index.ts';
import { latestOf, listRuns, type Listed } from '../../store/listing.ts';
import { UsageError } from '../errors.ts';

export function register(program: Command): void {
  program
    .command('ls')
    .description(COMMANDS.ls.description)
    .argument('[dir]', 'a runs directory', 'runs')
    .option('--json', 'print one JSON document on stdout')
    .action((dir: string, flags: { json?: boolean }) => {
      if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new UsageError(`${dir}: no such directory; give the directory runs and sweeps are written to (default runs/)`);
      const items = listRuns(dir);
      const latest = latestOf(dir);
      if (flags.json) return void process.stdout.write(JSON.stringify({ dir, latest: latest ?? null, items }) + '\n');
      if (items.length === 0) return void process.stdout.write(`no runs or sweeps in ${dir}; start one with \`ouro run CONFIG\`\n`);
      const head = ['', 'status', 'family', 'name', 'seeds × generations', 'started', 'size', 'directory'];
      const rows = items.map((i) => [i.name === latest ? '→' : '', statusOf(i), i.family, i.configName, work(i), date(i.started), bytes(i.bytes), i.name + (i.kind === 'sweep' ? '/' : '')]);
      const w = head.map((h, j) => Math.max(h.length, ...rows.map((r) => r[j]!.length)));
      const line = (cols: string[]) => cols.map((c, j) => c.padEnd(w[j]!)).join('  ').trimEnd();
      process.stdout.write([line(head), ...rows.map(line)].join('\n') + `\n${latest ? `→ ${dir}/latest` : ''}${latest ? '\n' : ''}`);
    });
}

/** A run's status, or a sweep's cells per status ("sweep: 10 complete, 2 pending"). */
function statusOf(i: Listed): string {
  if (typeof i.status === 'string') return i.status;
  return `sweep: ${Object.entries(i.status).map(([k, n]) => `${n} ${k}`).join(', ')}`;
}

function work(i: Listed): string {
  const one = `${i.seeds} × ${i.generations}`;
  return i.kind === 'sweep' ? `${i.cells} cells of ${one}` : one;
}

/** Local date and time to the minute, as `ls -l` shows them. */
function date(ms: number): string {
  const d = new Date(ms);
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}`;
}

function bytes(n: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let u = 0;
  let x = n;
  while (x >= 1024 && u < units.length - 1) (x /= 1024), u++;
  return u === 0 ? `${n} B` : `${x.toFixed(x < 10 ? 1 : 0)} ${units[u]}`;
}
