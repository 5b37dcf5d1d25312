// The safetensors format (huggingface/safetensors, "Format"): an 8-byte little-endian header
// length N, N bytes of JSON {name: {dtype, shape, data_offsets: [begin, end]}, "__metadata__":
// {string: string}}, then the tensors' bytes back to back, little-endian, offsets relative to
// the end of the header. The header is padded with spaces to a multiple of 8 bytes.

export type Dtype = 'F32' | 'I32';

export interface NamedTensor {
  readonly name: string;
  readonly shape: readonly number[];
  readonly data: Float32Array | Int32Array;
}

const dtypeOf = (d: Float32Array | Int32Array): Dtype => (d instanceof Float32Array ? 'F32' : 'I32');

/** The bytes of a safetensors file holding `tensors` (in this order) and string `metadata`. */
export function writeSafetensors(tensors: readonly NamedTensor[], metadata: Record<string, string>): Uint8Array {
  const header: Record<string, unknown> = { __metadata__: metadata };
  let at = 0;
  for (const t of tensors) {
    if (t.name === '__metadata__' || t.name in header) throw new Error(`safetensors: duplicate or reserved tensor name ${JSON.stringify(t.name)}`);
    if (t.shape.reduce((p, s) => p * s, 1) !== t.data.length) throw new Error(`safetensors: ${t.name} has shape [${t.shape}] but ${t.data.length} values`);
    header[t.name] = { dtype: dtypeOf(t.data), shape: t.shape, data_offsets: [at, at + 4 * t.data.length] };
    at += 4 * t.data.length;
  }
  let json = new TextEncoder().encode(JSON.stringify(header));
  const padded = Math.ceil(json.length / 8) * 8;
  if (padded !== json.length) {
    const p = new Uint8Array(padded).fill(0x20);
    p.set(json);
    json = p;
  }
  const out = new Uint8Array(8 + json.length + at);
  const view = new DataView(out.buffer);
  view.setBigUint64(0, BigInt(json.length), true);
  out.set(json, 8);
  let o = 8 + json.length;
  for (const t of tensors) {
    const f32 = t.data instanceof Float32Array;
    for (let i = 0; i < t.data.length; i++, o += 4) {
      if (f32) view.setFloat32(o, t.data[i]!, true);
      else view.setInt32(o, t.data[i]!, true);
    }
  }
  return out;
}

/** A parsed safetensors file: tensors by name and the metadata; corrupt input is an error saying what is wrong. */
export function readSafetensors(bytes: Uint8Array): { tensors: Map<string, NamedTensor>; metadata: Record<string, string> } {
  const fail = (why: string): never => {
    throw new Error(`not a valid safetensors file: ${why}`);
  };
  if (bytes.length < 8) fail(`${bytes.length} bytes is shorter than the 8-byte header length`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const n = Number(view.getBigUint64(0, true));
  if (n > bytes.length - 8) fail(`the header claims ${n} bytes but the file has ${bytes.length - 8} after the length`);
  let header: Record<string, { dtype: string; shape: number[]; data_offsets: [number, number] }>;
  try {
    header = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(8, 8 + n)));
  } catch {
    return fail('the header is not UTF-8 JSON');
  }
  const base = 8 + n;
  const tensors = new Map<string, NamedTensor>();
  const metadata = (header.__metadata__ ?? {}) as unknown as Record<string, string>;
  for (const [name, h] of Object.entries(header)) {
    if (name === '__metadata__') continue;
    const [begin, end] = h.data_offsets ?? [];
    const count = (h.shape ?? []).reduce((p, s) => p * s, 1);
    if (h.dtype !== 'F32' && h.dtype !== 'I32') fail(`${name} has dtype ${h.dtype}; only F32 and I32 are read`);
    if (!(Number.isInteger(begin) && Number.isInteger(end) && begin! >= 0 && end! - begin! === 4 * count && base + end! <= bytes.length)) {
      fail(`${name}'s data_offsets [${begin}, ${end}] do not hold ${count} values inside the file`);
    }
    const data = h.dtype === 'F32' ? new Float32Array(count) : new Int32Array(count);
    for (let i = 0; i < count; i++) {
      const o = base + begin! + 4 * i;
      data[i] = h.dtype === 'F32' ? view.getFloat32(o, true) : view.getInt32(o, true);
    }
    tensors.set(name, { name, shape: h.shape, data });
  }
  return { tensors, metadata };
}
