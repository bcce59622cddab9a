import { createHash } from "node:crypto";
import { endianness } from "node:os";
import { GGML_TYPE, ggmlTensorBytes, ggmlTypeName } from "./ggmlTypes.js";

const QK8_0 = 32;

/**
 * Deterministic random weights for one tensor, encoded as ggml `type` (F32, F16 or Q8_0).
 * Values are uniform on [-scale·√3, scale·√3] (standard deviation `scale`): as good as a normal
 * init for a model that only has to run, and cheap enough for 180M weights. The stream depends
 * only on (seed, name), so tensors can be made in any order. `scale` 0 with `constant` fills a
 * constant (RMS-norm weights are 1).
 */
export function randomTensorData(
  type: number,
  elements: number,
  opts: { seed: number; name: string; scale: number; constant?: number },
): Uint8Array {
  const bytes = ggmlTensorBytes(type, elements);
  if (bytes === undefined || !(type === GGML_TYPE.F32 || type === GGML_TYPE.F16 || type === GGML_TYPE.Q8_0)) {
    throw new RangeError(`randomTensorData: ${ggmlTypeName(type)} is not supported (use F32, F16 or Q8_0)`);
  }
  if (endianness() !== "LE") throw new RangeError("randomTensorData: GGUF tensors are little-endian; this machine is not");
  const out = new Uint8Array(bytes);
  const next = uniformSource(opts.seed, opts.name, opts.scale * Math.sqrt(3), opts.constant ?? 0);
  if (type === GGML_TYPE.F32) {
    const values = new Float32Array(out.buffer);
    for (let i = 0; i < elements; i++) values[i] = next();
  } else if (type === GGML_TYPE.F16) {
    const halves = new Uint16Array(out.buffer);
    for (let i = 0; i < elements; i++) halves[i] = float32ToFloat16Bits(next());
  } else {
    const view = new DataView(out.buffer);
    const block = new Float32Array(QK8_0);
    for (let b = 0; b < elements / QK8_0; b++) {
      for (let i = 0; i < QK8_0; i++) block[i] = next();
      encodeQ8_0Block(block, view, b * 34);
    }
  }
  return out;
}

/** ggml's quantize_row_q8_0_ref: d = max|x| / 127 stored as f16, then round(x / d) as int8. */
function encodeQ8_0Block(x: Float32Array, view: DataView, at: number): void {
  let amax = 0;
  for (let i = 0; i < x.length; i++) amax = Math.max(amax, Math.abs(x[i]!));
  const d = amax / 127;
  const id = d ? 1 / d : 0;
  view.setUint16(at, float32ToFloat16Bits(d), true);
  for (let i = 0; i < QK8_0; i++) {
    const v = x[i]! * id;
    view.setInt8(at + 2 + i, Math.sign(v) * Math.round(Math.abs(v))); // roundf: halves away from zero
  }
}

const f32 = new Float32Array(1);
const u32 = new Uint32Array(f32.buffer);

/** IEEE binary16 bits of a float32, rounding to nearest even (as ggml's fp32-to-fp16). */
export function float32ToFloat16Bits(value: number): number {
  f32[0] = value;
  const x = u32[0]!;
  const sign = (x >>> 16) & 0x8000;
  const exp = (x >>> 23) & 0xff;
  let mant = x & 0x7fffff;
  if (exp === 0xff) return sign | 0x7c00 | (mant ? 0x200 : 0);
  const e = exp - 127 + 15;
  if (e >= 31) return sign | 0x7c00;
  if (e <= 0) {
    if (e < -10) return sign;
    mant |= 0x800000;
    const shift = 14 - e;
    let half = mant >>> shift;
    const rem = mant & ((1 << shift) - 1);
    const halfway = 1 << (shift - 1);
    if (rem > halfway || (rem === halfway && half & 1)) half++;
    return sign | half;
  }
  let half = (e << 10) | (mant >>> 13);
  const rem = mant & 0x1fff;
  if (rem > 0x1000 || (rem === 0x1000 && half & 1)) half++; // a carry into the exponent is still correct
  return sign | half;
}

/** sfc32 seeded from sha256(seed, name), mapped to uniform floats on [-a, a] plus `constant`. */
function uniformSource(seed: number, name: string, a: number, constant: number): () => number {
  const key = createHash("sha256").update(`${seed}\0${name}`).digest();
  let s0 = key.readUInt32LE(0), s1 = key.readUInt32LE(4), s2 = key.readUInt32LE(8), s3 = key.readUInt32LE(12);
  const scale = (2 * a) / 4294967296;
  return () => {
    const t = (((s0 + s1) | 0) + s3) | 0;
    s3 = (s3 + 1) | 0;
    s0 = s1 ^ (s1 >>> 9);
    s1 = (s2 + (s2 << 3)) | 0;
    s2 = (s2 << 21) | (s2 >>> 11);
    s2 = (s2 + t) | 0;
    return constant + (t >>> 0) * scale - a;
  };
}
