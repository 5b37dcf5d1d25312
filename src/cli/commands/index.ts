// Every command of `ouro`: its one-line description and how to load it. `ouro --help` lists
// them from here without loading any command module (some load plotting, server or queue
// libraries); `ouro NAME` loads only NAME's module, which registers itself with commander
// under this description. Add a command with one line here.
import type { Command } from 'commander';

export interface CommandEntry {
  readonly description: string;
  load(): Promise<{ register(program: Command): void }>;
}

export const COMMANDS = {
  run: { description: 'run an experiment config (YAML or JSON) and save a run directory', load: () => import('./run.ts') },
  pretrain: { description: 'make generation 0 of a config (a pretrained model) ahead of time and keep it in the cache ($OURO_CACHE or ~/.cache/ouroboros)', load: () => import('./pretrain.ts') },
  ls: { description: 'list the runs and sweeps in a runs directory (default runs/): status, family, name, seeds × generations, date, size', load: () => import('./ls.ts') },
  theory: { description: 'exact theoretical predictions for a loop, beside their diffusion approximations', load: () => import('./theory.ts') },
  export: { description: 'write a run\'s metrics in long format (seed, generation, metric, value, stopped)', load: () => import('./export.ts') },
  query: { description: 'query every run\'s metrics with DuckDB SQL (view: metrics(run, seed, generation, metric, value))', load: () => import('./query.ts') },
  schema: { description: 'print the JSON Schema of experiment configs (for editors)', load: () => import('./schema.ts') },
  plot: { description: 'plot a run (seeds, mean, 5–95% band, theory) or a sweep (one line per cell) as SVG or PNG', load: () => import('./plot.ts') },
  report: { description: 'write a self-contained HTML report of a run or sweep: config, summary against theory, every plot, samples', load: () => import('./report.ts') },
  serve: { description: 'serve the dashboard (runs, live plots, comparisons, new runs) and the playground on this machine', load: () => import('./serve.ts') },
  sweep: { description: 'run every cell of a sweep (grid × cases × seeds) on local worker threads or through a Redis queue', load: () => import('./sweep.ts') },
  worker: { description: 'run sweep cells from a BullMQ queue on this machine (start any number, on any machines)', load: () => import('./worker.ts') },
  collect: { description: 'gather finished queue results into a sweep directory', load: () => import('./collect.ts') },
  reproduce: { description: 'reproduce every claim of a study and write a report with a verdict per claim', load: () => import('./reproduce.ts') },
  doctor: { description: 'report the environment: Node, cores, which GEMM the transformer family uses and why, optional Python peers', load: () => import('./doctor.ts') },
  graph: { description: 'export an n-gram run\'s reachable context graph with edge probabilities (Graphviz DOT or JSON)', load: () => import('./graph.ts') },
} satisfies Record<string, CommandEntry>;
