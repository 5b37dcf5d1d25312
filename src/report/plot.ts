// Choosing the plot for a path: a run directory gives one of its plots by id (a metric name,
// `collapse` or `temperature-map`); a sweep directory gives every cell's mean on one plot,
// coloured by the swept keys.
import { isRunDir, readRun, ReportInputError } from './run-dir.ts';
import { compareSpec, runSpecs, type VlSpec } from './specs.ts';
import { readSweep, sweepGroups } from './sweep-dir.ts';

/** The spec of plot `id` (default: the first, theory-backed metrics first) for a run or sweep directory. */
export function plotFor(dir: string, id?: string): { id: string; spec: VlSpec } {
  if (isRunDir(dir)) {
    const plots = runSpecs(readRun(dir));
    if (plots.length === 0) throw new ReportInputError(`${dir}: no recorded generations yet, nothing to plot`);
    const found = id === undefined ? plots[0] : plots.find((p) => p.id === id);
    if (!found) throw new ReportInputError(`no plot '${id}' for ${dir}; it has: ${plots.map((p) => p.id).join(', ')}`);
    return found;
  }
  const sweep = readSweep(dir);
  const metrics = [...new Set(sweep.cells.flatMap((c) => c.metricNames))];
  const metric = id ?? metrics.find((m) => sweep.cells.some((c) => c.theory[m] != null)) ?? metrics[0];
  if (metric === undefined || !metrics.includes(metric)) throw new ReportInputError(`no metric '${id}' in the sweep ${dir}; it has: ${metrics.join(', ') || 'none yet'}`);
  return { id: metric, spec: compareSpec(sweep.cells, sweepGroups(sweep), metric) };
}
