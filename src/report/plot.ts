// Choosing the plot for a path: a run directory gives one of its plots by id (a metric name,
// `collapse` or `temperature-map`); a sweep directory gives every cell's mean on one plot,
// coloured by the swept keys.
import { isRunDir, readRun, ReportInputError, type Run } from './run-dir.ts';
import { compareSpec, metricSpec, runSpecs, type VlSpec } from './specs.ts';
import { readSweep, sweepGroups } from './sweep-dir.ts';

/** The spec of plot `id` (default: the first, theory-backed metrics first) for a run or sweep directory. */
export function plotFor(dir: string, id?: string): { id: string; spec: VlSpec } {
  if (isRunDir(dir)) {
    const run = readRun(dir);
    if (run.metricNames.length === 0) throw new ReportInputError(`${dir}: no recorded generations yet, nothing to plot`);
    return runPlot(run, id, dir);
  }
  const sweep = readSweep(dir);
  const metrics = [...new Set(sweep.cells.flatMap((c) => c.metricNames))];
  const metric = id ?? metrics.find((m) => sweep.cells.some((c) => c.theory[m] != null)) ?? metrics[0];
  if (metric === undefined || !metrics.includes(metric)) throw new ReportInputError(`no metric '${id}' in the sweep ${dir}; it has: ${metrics.join(', ') || 'none yet'}`);
  return { id: metric, spec: compareSpec(sweep.cells, sweepGroups(sweep), metric) };
}

/** Plot `id` of a run (default: its first); any recorded metric has one, also one an ecosystem's figures group (a.entropy). */
export function runPlot(run: Run, id: string | undefined, where = 'this run'): { id: string; spec: VlSpec } {
  const plots = runSpecs(run);
  const found = id === undefined ? plots[0] : (plots.find((p) => p.id === id) ?? (run.metricNames.includes(id) ? { id, spec: metricSpec(run, id) } : undefined));
  if (!found) throw new ReportInputError(`no plot '${id}' for ${where}; it has: ${plots.map((p) => p.id).join(', ') || 'none yet'}`);
  return found;
}
