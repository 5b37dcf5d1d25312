// What two runs' arithmetic records differ in, in words a refusal can show.
import { describe, expect, it } from 'vitest';
import { arithmeticDifference, arithmeticIn } from './arithmetic.ts';

const HERE = { gemm: 'openblas', kernels: 'native', openblas: 'OpenBLAS 0.3.21 (core Haswell)', build: 'ab'.repeat(32) };

describe('arithmetic', () => {
  it('agrees with itself, and with a run that records none (other families, older runs)', () => {
    expect(arithmeticDifference(HERE, { ...HERE }, ['a', 'b'])).toBeUndefined();
    expect(arithmeticDifference(undefined, HERE, ['a', 'b'])).toBeUndefined();
  });

  it('names each field that differs, a build digest shortened, a missing field as none', () => {
    const there = { gemm: 'typescript', kernels: 'typescript', openblas: null, build: 'cd'.repeat(32) };
    expect(arithmeticDifference(HERE, there, ['in the run', 'here'])).toBe(
      'gemm openblas in the run, typescript here; kernels native in the run, typescript here; openblas OpenBLAS 0.3.21 (core Haswell) in the run, none here; build abababababab in the run, cdcdcdcdcdcd here',
    );
    expect(arithmeticDifference({ gemm: 'openblas' }, { gemm: 'openblas', extra: 'x' }, ['a', 'b'])).toBe('extra none a, x b');
  });

  it('reads config.json text; anything else is no record', () => {
    expect(arithmeticIn(JSON.stringify({ runId: 'x', arithmetic: HERE }))).toEqual(HERE);
    for (const text of ['{"runId":"x"}', '{"arithmetic":[1]}', '{"arithmetic":null}', 'not json']) expect(arithmeticIn(text)).toBeUndefined();
  });
});
