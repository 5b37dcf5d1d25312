// A checkpoint loaded in Python: bench/transformer_check.py parses the safetensors file on its
// own, loads the weights into the PyTorch GPT of bench/transformer.py, and its logits must
// match ours — checking the file format and that both programs compute the same model.
// Skipped where Debian's python3-torch is not installed (src/system.test-support.ts).
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { key, Rng } from '../src/core/random.ts';
import { encodeState } from '../src/families/transformer/checkpoint.ts';
import { buildVocab } from '../src/families/text/index.ts';
import { forward, workspace } from '../src/families/transformer/gpt.ts';
import { initParams, layout, type GptConfig } from '../src/families/transformer/params.ts';
import { has } from '../src/system.test-support.ts';
import { TYPESCRIPT } from '../src/families/transformer/backend.ts';

describe('transformer checkpoint in PyTorch', () => {
  it.skipIf(!has('torch'))('PyTorch computes our logits from our safetensors file', () => {
    const c: GptConfig = { vocab_size: 11, block_size: 12, n_layer: 2, n_head: 2, d_model: 16, tied: true };
    const params = initParams(c, key(4), new Float32Array(layout(c).total));
    const rng = new Rng(key(5));
    for (let i = 0; i < params.length; i++) params[i] = params[i]! * 10 + 0.05 * (rng.float() - 0.5); // away from init symmetry
    const dir = mkdtempSync(join(tmpdir(), 'ouro-ck-'));
    const file = join(dir, 'gen-1.safetensors');
    writeFileSync(file, encodeState({ generation: 1, model: { config: c, params, key: key(1), trainLoss: 0, vocab: buildVocab([['a']], 'char') }, history: [], collapsed: false }));
    const tokens = [Array.from({ length: 10 }, () => rng.int(11)), Array.from({ length: 10 }, () => rng.int(11))];
    const script = fileURLToPath(new URL('./transformer_check.py', import.meta.url));
    const theirs = JSON.parse(execFileSync('/usr/bin/python3', [script, file, JSON.stringify(tokens)], { encoding: 'utf8' })) as number[][][];
    const ws = workspace(c, 2, 10, (n) => new Float32Array(n));
    ws.tokens.set(tokens.flat());
    forward(TYPESCRIPT, c, params, ws, false);
    let worst = 0;
    theirs.flat(2).forEach((x, i) => (worst = Math.max(worst, Math.abs(x - ws.logits[i]!))));
    // Two float32 programs summing in different orders: agreement to ~1e-6 relative on logits of size ~1.
    expect(worst).toBeLessThan(1e-4);
  });
});
