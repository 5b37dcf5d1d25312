// Runs the experiments of a reproduction through the ordinary runner: a config object is
// written as JSON text, validated by parseConfig, prepared and run into DIR/runs/<name>, so
// every experiment is a run directory that `ouro report`, `ouro plot` and `ouro export` read.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseConfig } from '../config/load.ts';
import { nodeIo } from '../runner/io.ts';
import { prepare, type Prepared } from '../runner/prepare.ts';
import { runToDir } from '../runner/run.ts';
import { runCells } from '../runner/sweep.ts';
import type { Summary } from '../runner/summary.ts';
import { FILES, readJson, readJsonl, type LogLine } from '../store/rundir.ts';
import { numberOf } from '../store/json.ts';
import { FAMILIES } from '../families/index.ts';

/** A finished experiment: its run directory and summary. */
export interface Ran {
  readonly dir: string;
  readonly summary: Summary;
  readonly seconds: number;
}

const TIMINGS = 'timings.json';

export class Lab {
  /** Each run with the seconds it took when it was made (`reused`: made by an earlier invocation). */
  readonly runs: { name: string; dir: string; seconds: number; reused: boolean }[] = [];
  constructor(
    readonly out: string,
    private readonly log: (line: string) => void,
    private readonly provenance?: { version: string; commit: string | null },
    /** Reuse a finished run whose run id (a hash of its resolved config) is unchanged. */
    private readonly reuse = false,
  ) {}

  /** Whether a family is registered (a family still being built is reported as not run). */
  has(family: string): boolean {
    return family in FAMILIES;
  }

  /** Validates and runs `config` (which must carry a unique `name`) into DIR/runs/<name>. */
  async run(config: Record<string, unknown> & { name: string }): Promise<Ran> {
    const text = JSON.stringify(config, null, 2);
    const prep = await prepare(parseConfig(text, `${config.name}.json`), nodeIo);
    const dir = join(this.out, 'runs', config.name);
    const done = this.reuse ? finished(dir, prep.runId) : undefined;
    if (done) {
      this.log(`  reusing ${config.name} (finished, same config)`);
      const seconds = this.timings()[config.name] ?? NaN;
      this.runs.push({ name: config.name, dir, seconds, reused: true });
      return { dir, summary: done, seconds };
    }
    this.log(`  running ${config.name} (${prep.seeds.length} seeds × ≤ ${prep.options.generations} generations)`);
    const t0 = performance.now();
    const summary = runToDir(prep, dir, true, this.provenance ? { provenance: this.provenance } : {});
    const seconds = (performance.now() - t0) / 1000;
    this.runs.push({ name: config.name, dir, seconds, reused: false });
    writeFileSync(join(this.out, TIMINGS), JSON.stringify({ ...this.timings(), [config.name]: seconds }, null, 2) + '\n');
    return { dir, summary, seconds };
  }

  /**
   * Runs `configs` (each with a unique `name`) on `workers` threads, one run per thread at a
   * time, and returns them in order. With reuse, a finished run whose config is unchanged is
   * kept, and a started one continues from where it stopped (its checkpoints) instead of
   * starting again. A run that fails throws, after the others have finished.
   */
  async runMany(configs: readonly (Record<string, unknown> & { name: string })[], workers: number): Promise<Ran[]> {
    const preps: Prepared[] = [];
    for (const config of configs) preps.push(await prepare(parseConfig(JSON.stringify(config, null, 2), `${config.name}.json`), nodeIo));
    const dirs = configs.map((c) => join(this.out, 'runs', c.name));
    const tasks = preps.flatMap((prep, id) => {
      if (this.reuse && finished(dirs[id]!, prep.runId)) return [];
      const resume = this.reuse && started(dirs[id]!, prep.runId);
      this.log(`  ${resume ? 'continuing' : 'running'} ${configs[id]!.name} (${prep.seeds.length} seeds × ≤ ${prep.options.generations} generations)`);
      return [{ id, runId: prep.runId, config: prep.config, dir: dirs[id]!, resume, ...(this.provenance ? { provenance: this.provenance } : {}) }];
    });
    const began = new Map<number, number>();
    const seconds = new Map<number, number>();
    const failures: string[] = [];
    await runCells(tasks, {
      workers,
      onStart: (id) => began.set(id, performance.now()),
      onCell: (o) => {
        const name = configs[o.id]!.name;
        seconds.set(o.id, (performance.now() - began.get(o.id)!) / 1000);
        if (o.ok) writeFileSync(join(this.out, TIMINGS), JSON.stringify({ ...this.timings(), [name]: seconds.get(o.id) }, null, 2) + '\n');
        else failures.push(`${name}: ${o.message.split('\n')[0]}`);
        this.log(`  ${o.ok ? 'finished' : 'failed'} ${name}`);
      },
    });
    if (failures.length > 0) throw new Error(failures.join('; '));
    return preps.map((prep, id) => {
      const made = seconds.has(id);
      const name = configs[id]!.name;
      const s = made ? seconds.get(id)! : (this.timings()[name] ?? NaN);
      if (!made) this.log(`  reusing ${name} (finished, same config)`);
      this.runs.push({ name, dir: dirs[id]!, seconds: s, reused: !made });
      return { dir: dirs[id]!, summary: finished(dirs[id]!, prep.runId)!, seconds: s };
    });
  }

  /** Seconds each run took when it was made, kept in DIR/timings.json across invocations. */
  private timings(): Record<string, number> {
    const path = join(this.out, TIMINGS);
    return existsSync(path) ? (JSON.parse(readFileSync(path, 'utf8')) as Record<string, number>) : {};
  }
}

/** The summary of a completed run in `dir` with run id `runId`, if there is one. */
function finished(dir: string, runId: string): Summary | undefined {
  if (!existsSync(join(dir, FILES.summary))) return undefined;
  const summary = readJson<Summary>(dir, FILES.summary);
  return summary.runId === runId && summary.status === 'complete' ? summary : undefined;
}

/** Whether `dir` holds a run of `runId` that was started (config.json written). */
function started(dir: string, runId: string): boolean {
  if (!existsSync(join(dir, FILES.config))) return false;
  return readJson<{ runId?: string }>(dir, FILES.config).runId === runId;
}

/** Per-seed metric rows of a finished run (generations.jsonl, end lines included). */
export function logLines(ran: Ran): { seed: number; generation: number; metrics: Record<string, number>; end: boolean }[] {
  return readJsonl<LogLine>(join(ran.dir, FILES.log)).lines.map((l) => ({
    seed: l.seed,
    generation: l.generation,
    metrics: Object.fromEntries(Object.entries(l.metrics).map(([k, v]) => [k, numberOf(v)])),
    end: 'event' in l,
  }));
}

/** Seed values of `metric` at each seed's last generation (its `end` line). */
export function finals(ran: Ran, metric: string): number[] {
  return ran.summary.perSeed.map((p) => p.final[metric]).filter((v): v is number => typeof v === 'number');
}

/** Mean ± se over seeds of `metric` at recorded generation `g` (aggregates carry collapsed seeds forward). */
export function atGeneration(ran: Ran, metric: string, g: number): { value: number; se: number } {
  const i = ran.summary.recorded.indexOf(g);
  const a = ran.summary.aggregates[metric];
  if (i < 0 || !a) throw new Error(`${ran.summary.name}: no ${metric} recorded at generation ${g}`);
  const mean = a.mean[i];
  const sd = a.sd[i];
  const n = a.count[i]!;
  return { value: mean ?? NaN, se: sd === null || sd === undefined ? NaN : sd / Math.sqrt(n) };
}

/** A theory scalar or curve value from a run's summary (null when theory has none for it). */
export function theoryOf(ran: Ran, key: string, g?: number): number | null {
  const v = ran.summary.theory?.[key];
  if (typeof v === 'number') return v;
  if (Array.isArray(v) && g !== undefined) {
    const x = v[ran.summary.recorded.indexOf(g)];
    return typeof x === 'number' ? x : null;
  }
  return null;
}
