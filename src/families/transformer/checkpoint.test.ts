// Checkpoints: a reader written apart from safetensors.ts (byte arithmetic and typed-array
// views instead of DataView) reads what the writer wrote; states round-trip exactly; damaged
// or mismatched files are refused with a message.
import { describe, expect, it } from 'vitest';
import { key } from '../../core/random.ts';
import { decodeState, encodeState } from './checkpoint.ts';
import type { GptModel } from './family.ts';
import { patternCorpus, randomParams, tiny } from './fixture.test-support.ts';
import { layout } from './params.ts';
import { bpeVocab, buildVocab } from '../text/index.ts';
import { writeSafetensors } from './safetensors.ts';

/** An independent safetensors reader: header length from the low 4 bytes, tensors by copying bytes. */
function independentRead(bytes: Uint8Array): Record<string, { dtype: string; shape: number[]; values: number[] }> & { __metadata__?: unknown } {
  const n = bytes[0]! + bytes[1]! * 256 + bytes[2]! * 65536 + bytes[3]! * 16777216;
  expect(bytes.slice(4, 8)).toEqual(new Uint8Array(4)); // a header under 4 GiB
  const header = JSON.parse(String.fromCharCode(...bytes.slice(8, 8 + n)));
  const out: Record<string, { dtype: string; shape: number[]; values: number[] }> = {};
  for (const [name, h] of Object.entries(header as Record<string, { dtype: string; shape: number[]; data_offsets: [number, number] }>)) {
    if (name === '__metadata__') continue;
    const raw = bytes.slice(8 + n + h.data_offsets[0], 8 + n + h.data_offsets[1]);
    const values = h.dtype === 'F32' ? Array.from(new Float32Array(raw.buffer)) : Array.from(new Int32Array(raw.buffer));
    out[name] = { dtype: h.dtype, shape: h.shape, values };
  }
  return Object.assign(out, { __metadata__: header.__metadata__ });
}

const vocab = bpeVocab({ merges: [[0x61, 0x62]] });
const model: GptModel = { config: tiny, params: randomParams(tiny, 1, 1), key: key(9), trainLoss: 1.25, vocab };
const history = [patternCorpus(5, 1), patternCorpus(3, 2)];
const state = { generation: 7, model, history, collapsed: false };

describe('transformer checkpoints', () => {
  it('an independent reader finds every tensor with its shape and values, 8-byte aligned', () => {
    const bytes = encodeState(state);
    const n = bytes[0]! + bytes[1]! * 256;
    expect(n % 8).toBe(0);
    const read = independentRead(bytes);
    for (const t of layout(tiny).tensors) {
      expect(read[t.name]!.shape).toEqual(t.shape);
      expect(read[t.name]!.values).toEqual(Array.from(model.params.subarray(t.offset, t.offset + t.size)));
    }
    expect(read['history.1.tokens']!.values).toEqual(Array.from(history[1]!.tokens));
    expect(read['history.1.offsets']!.dtype).toBe('I32');
    expect((read.__metadata__ as Record<string, string>).generation).toBe('7');
  });

  it('a state round-trips exactly', () => {
    const back = decodeState(encodeState(state), tiny, vocab);
    expect(back.generation).toBe(7);
    expect(back.collapsed).toBe(false);
    expect(back.model.params).toEqual(model.params);
    expect(back.model.key).toEqual(model.key);
    expect(back.model.trainLoss).toBe(1.25);
    expect(back.history).toEqual(history);
    expect(JSON.parse((independentRead(encodeState(state)).__metadata__ as Record<string, string>).tokenizer!)).toEqual({ level: 'bpe', merges: [[0x61, 0x62]] });
  });

  it('refuses a damaged file and one of another architecture or tokenizer, saying why', () => {
    const bytes = encodeState(state);
    expect(() => decodeState(bytes.slice(0, 100), tiny, vocab)).toThrow(/not a valid safetensors file/);
    expect(() => decodeState(bytes, { ...tiny, d_model: 8 }, vocab)).toThrow(/architecture .* differs/);
    expect(() => decodeState(bytes, tiny, bpeVocab({ merges: [[0x61, 0x63]] }))).toThrow(/tokenizer differs/);
    expect(() => decodeState(bytes, tiny, buildVocab([['a']], 'char'))).toThrow(/tokenizer differs/);
    expect(() => decodeState(writeSafetensors([], {}), tiny, vocab)).toThrow(/format/);
  });
});
