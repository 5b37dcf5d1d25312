// A loop state as one safetensors file: the model's tensors under GPT-2's names, the
// accumulated data of `accumulate` runs as history.<i>.tokens / .offsets (I32), and the rest
// (generation, collapse, key, training loss, architecture, tokenizer) as string metadata.
import type { LoopState } from '../../core/loop.ts';
import type { Packed, Vocab } from '../text/index.ts';
import type { GptModel } from './family.ts';
import { layout, type GptConfig } from './params.ts';
import { readSafetensors, writeSafetensors, type NamedTensor } from './safetensors.ts';

const FORMAT = 'ouroboros-transformer-1';

/** The safetensors bytes of `state` (its `train` data is not kept: resuming never needs it). */
export function encodeState(state: LoopState<GptModel, Packed>): Uint8Array {
  const m = state.model;
  const tensors: NamedTensor[] = layout(m.config).tensors.map((t) => ({ name: t.name, shape: t.shape, data: m.params.subarray(t.offset, t.offset + t.size) }));
  state.history.forEach((d, i) => {
    tensors.push({ name: `history.${i}.tokens`, shape: [d.tokens.length], data: d.tokens });
    tensors.push({ name: `history.${i}.offsets`, shape: [d.offsets.length], data: d.offsets });
  });
  return writeSafetensors(tensors, {
    format: FORMAT,
    generation: String(state.generation),
    collapsed: String(state.collapsed),
    history: String(state.history.length),
    key: JSON.stringify(m.key),
    trainLoss: JSON.stringify(m.trainLoss),
    config: JSON.stringify(m.config),
    tokenizer: tokenizerJson(m.vocab),
  });
}

/** A vocabulary as JSON: a BPE's merges, or the word or character list. */
export function tokenizerJson(v: Vocab): string {
  return JSON.stringify(v.bpe ? { level: v.level, merges: v.bpe.merges } : { level: v.level, words: v.words });
}

/** The loop state in `bytes`; a file of another architecture or tokenizer, or a corrupt one, is an error saying which. */
export function decodeState(bytes: Uint8Array, expected: GptConfig, vocab: Vocab): LoopState<GptModel, Packed> {
  const { tensors, metadata } = readSafetensors(bytes);
  const bad = (why: string): never => {
    throw new Error(`checkpoint: ${why}; it was written by a different config or is damaged — start a fresh run, or resume with the config it was written with`);
  };
  if (metadata.format !== FORMAT) bad(`format is ${JSON.stringify(metadata.format)}, expected ${FORMAT}`);
  const config = JSON.parse(metadata.config ?? 'null') as GptConfig;
  if (JSON.stringify(config) !== JSON.stringify(expected)) bad(`architecture ${metadata.config} differs from this run's ${JSON.stringify(expected)}`);
  if (metadata.tokenizer !== tokenizerJson(vocab)) bad(`its tokenizer differs from this run's (${vocab.level}, ${vocab.words.length} ids)`);
  const lay = layout(config);
  const params = new Float32Array(lay.total);
  for (const t of lay.tensors) {
    const x = tensors.get(t.name);
    if (!x || !(x.data instanceof Float32Array) || x.data.length !== t.size) bad(`tensor ${t.name} is missing or has the wrong size`);
    params.set(x!.data, t.offset);
  }
  const history: Packed[] = [];
  for (let i = 0; i < Number(metadata.history ?? 0); i++) {
    const tokens = tensors.get(`history.${i}.tokens`)?.data;
    const offsets = tensors.get(`history.${i}.offsets`)?.data;
    if (!(tokens instanceof Int32Array && offsets instanceof Int32Array)) return bad(`history ${i} is missing`);
    history.push({ tokens, offsets });
  }
  const generation = Number(metadata.generation);
  if (!Number.isInteger(generation) || generation < 0) bad(`generation ${metadata.generation} is not a whole number`);
  const model: GptModel = { config, params, key: JSON.parse(metadata.key!) as [number, number], trainLoss: JSON.parse(metadata.trainLoss!) as number, vocab };
  return { generation, model, history, collapsed: metadata.collapsed === 'true' };
}
