// The coordinator trusts no result it has not checked, and a worker no job: signatures made
// with the shared secret, the cell's run id, file names, and sizes once decompressed.
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { cellJob, jobSigned, packFiles, unpackFiles } from './payload.ts';
import { signResult } from './signing.ts';

const secret = Buffer.from('the secret the coordinator and workers share');
const other = Buffer.from('a secret somebody else chose, long enough');
const RUN = '0123456789ab';
const text = (s: string) => new TextEncoder().encode(s);
const files = (runId = RUN) => ({ 'config.json': text(JSON.stringify({ runId })), 'generations.jsonl': text('{}\n'), 'summary.json': text(JSON.stringify({ runId })), 'metrics.parquet': text('PAR1') });

function without<T extends object>(o: T, key: keyof T): Partial<T> {
  const { [key]: _gone, ...rest } = o;
  return rest as Partial<T>;
}

describe('jobs', () => {
  it('are accepted only when signed with the secret, for their own run id and config', () => {
    const job = cellJob(secret, RUN, { family: 'categorical' } as never);
    expect(jobSigned(secret, job)).toBe(true);
    expect(jobSigned(other, job)).toBe(false);
    expect(jobSigned(secret, { ...job, config: { family: 'ngram' } as never })).toBe(false);
    expect(jobSigned(secret, { runId: RUN, config: job.config })).toBe(false);
  });
});

describe('results', () => {
  it('round-trip when signed and whole', () => {
    const back = unpackFiles(secret, RUN, packFiles(secret, RUN, files()));
    expect(new TextDecoder().decode(back['summary.json'])).toBe(JSON.stringify({ runId: RUN }));
  });

  it.each([
    ['unsigned', () => ({ ...packFiles(secret, RUN, files()), mac: undefined }), /not signed with this coordinator's OURO_QUEUE_SECRET/],
    ['signed with another secret', () => packFiles(other, RUN, files()), /not signed/],
    ['of another cell', () => packFiles(secret, 'ffffffffffff', files('ffffffffffff')), /result of run "ffffffffffff", not of this cell/],
    ['whose files name another run', () => packFiles(secret, RUN, files('ffffffffffff')), /its config.json names run "ffffffffffff", not this cell's 0123456789ab/],
    ['without its summary', () => packFiles(secret, RUN, without(files(), 'summary.json') as Record<string, Uint8Array>), /lacks summary.json/],
    ['with a file name that leaves the cell', () => packFiles(secret, RUN, { ...files(), '../../x': text('x') }), /a file named "..\/..\/x"/],
    ['holding a compression bomb', () => {
      const bomb = { ...packFiles(secret, RUN, files()).files, 'generations.jsonl': gzipSync(new Uint8Array(300 * 2 ** 20)).toString('base64') };
      return { runId: RUN, files: bomb, mac: signResult(secret, RUN, bomb) };
    }, /generations.jsonl decompresses to more than 100 times its size/],
  ])('are refused when %s', (_what, make, why) => {
    expect(() => unpackFiles(secret, RUN, make())).toThrow(why);
  });
});
