// Settings the data refutes (found by a family's resolve or setup, after the schema) are config
// errors at the setting's file:line:column, or at the --set that gave it.
import { describe, expect, it } from 'vitest';
import { ConfigError, parseConfig } from '../config/load.ts';
import { nodeIo } from './io.ts';
import { prepare } from './prepare.ts';

const text = "name: bad-words\nfamily: ngram\ncorpus: { source: toy, text: 'a b c' }\nreject: { words: [a, zebra] }\nseeds: 2\n";

async function issuesOf(config: ReturnType<typeof parseConfig>) {
  const e: unknown = await prepare(config, nodeIo).then(
    () => undefined,
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(ConfigError);
  return (e as ConfigError).issues;
}

describe('prepare: settings the data refutes', () => {
  it('names the file, line and column of the setting', async () => {
    const [issue] = await issuesOf(parseConfig(text, 'bad.yaml'));
    expect(issue).toMatchObject({ where: 'bad.yaml:4:18', path: 'reject.words', line: 4, column: 18 });
    expect(issue!.message).toMatch(/"zebra" never occur in the corpus/);
  });

  it('names the --set that gave it', async () => {
    const [issue] = await issuesOf(parseConfig(text, 'bad.yaml', ['model.order=5']));
    expect(issue).toMatchObject({ where: '--set model.order=5', path: 'model.order' });
    expect(issue!.message).toMatch(/no training sentence has the 4 tokens an order-5 context needs/);
  });

  it('names the config where it was not parsed here (a copy, e.g. read back from a run)', async () => {
    const [issue] = await issuesOf(structuredClone(parseConfig(text, 'bad.yaml')));
    expect(issue).toMatchObject({ where: 'bad-words', path: 'reject.words' });
  });
});
