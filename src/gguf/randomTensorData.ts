import { createHash } from "node:crypto";
import { endianness } from "node:os";
import { float32ToBfloat16Bits, float32ToFloat16Bits } from "./float16.js";
import { GGML_TYPE, ggmlTensorBytes, ggmlTypeName } from "./ggmlTypes.js";
import { encodeQ4KBlock, Q4_K_BLOCK } from "./q4K.js";

const QK8_0 = 32;
const SUPPORTED: readonly number[] = [GGML_TYPE.F32, GGML_TYPE.F16, GGML_TYPE.BF16, GGML_TYPE.Q8_0, GGML_TYPE.Q4_K];

/**
 * Deterministic random weights for one tensor, encoded as ggml `type` (F32, F16, BF16, Q8_0 or
 * Q4_K; the quantised ones need a multiple of their block size, 32 or 256 values).
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
  if (bytes === undefined || !SUPPORTED.includes(type)) {
    throw new RangeError(`randomTensorData: ${ggmlTypeName(type)} is not supported (use ${SUPPORTED.map(ggmlTypeName).join(", ")})`);
  }
  if (endianness() !== "LE") throw new RangeError("randomTensorData: GGUF tensors are little-endian; this machine is not");
  const out = new Uint8Array(bytes);
  const next = uniformSource(opts.seed, opts.name, opts.scale * Math.sqrt(3), opts.constant ?? 0);
  if (type === GGML_TYPE.F32) {
    const values = new Float32Array(out.buffer);
    for (let i = 0; i < elements; i++) values[i] = next();
  } else if (type === GGML_TYPE.F16 || type === GGML_TYPE.BF16) {
    const halves = new Uint16Array(out.buffer);
    const half = type === GGML_TYPE.F16 ? float32ToFloat16Bits : float32ToBfloat16Bits;
    for (let i = 0; i < elements; i++) halves[i] = half(next());
  } else if (type === GGML_TYPE.Q4_K) {
    const view = new DataView(out.buffer);
    const block = new Float32Array(Q4_K_BLOCK.values);
    for (let b = 0; b < elements / Q4_K_BLOCK.values; b++) {
      for (let i = 0; i < Q4_K_BLOCK.values; i++) block[i] = next();
      encodeQ4KBlock(block, view, b * Q4_K_BLOCK.bytes);
    }
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
