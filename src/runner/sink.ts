// The main thread's end of a run: block outputs arrive in seed order and go straight to the
// log, the samples, metrics.parquet and the summary's aggregates; nothing is read back.
import { join } from 'node:path';
import { ParquetStream } from '../store/metrics-parquet.ts';
import { Appender, FILES, writeJson, type LogLine, type SampleLine } from '../store/rundir.ts';
import type { BlockOutput } from './encode.ts';
import type { Prepared } from './prepare.ts';
import { SummaryBuilder, type Summary } from './summary.ts';

export class RunSink {
  private readonly log: Appender;
  private readonly samples: Appender;
  private readonly parquet: ParquetStream;
  private readonly summary: SummaryBuilder;
  seedsDone = 0;

  constructor(
    prep: Prepared,
    private readonly dir: string,
  ) {
    this.log = new Appender(join(dir, FILES.log));
    this.samples = new Appender(join(dir, FILES.samples));
    this.parquet = new ParquetStream(join(dir, FILES.parquet));
    this.summary = new SummaryBuilder(prep);
  }

  /** Lines written at once by a checkpointing family (before its checkpoint). */
  direct(lines: readonly LogLine[], samples: readonly SampleLine[]): void {
    this.log.append(lines);
    this.samples.append(samples);
  }

  add(out: BlockOutput): void {
    this.log.appendBytes(out.logBytes);
    this.samples.appendText(out.samplesText);
    this.parquet.add(out.group);
    this.summary.add(out.feed);
    this.seedsDone += out.seeds;
  }

  /** Evaluates theory's predictions now, while other threads compute (summary.ts). */
  theoryNow(): void {
    this.summary.theoryNow();
  }

  /** Closes the Parquet and writes summary.json, last: its presence means the run is complete. */
  finish(): Summary {
    this.close();
    this.parquet.finish();
    const summary = this.summary.finish();
    writeJson(this.dir, FILES.summary, summary);
    return summary;
  }

  close(): void {
    this.log.close();
    this.samples.close();
  }

  abort(): void {
    this.close();
    this.parquet.abort();
  }
}
