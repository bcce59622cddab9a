import { float16BitsToFloat32, float32ToFloat16Bits } from "./float16.js";

/** Values in one Q4_K super-block (ggml's QK_K) and its bytes: d, dmin (f16), 12 scale bytes, 128 nibble bytes. */
export const Q4_K_BLOCK = { values: 256, bytes: 144 } as const;

/**
 * Encodes 256 floats as one ggml Q4_K block (ggml-common.h `block_q4_K`): eight sub-blocks of 32,
 * each x ≈ d·sc·q − dmin·m with 4-bit q and 6-bit sc, m packed as `get_scale_min_k4` reads them.
 * A plain min/max fit per sub-block, not ggml's iterative search: any valid encoding serves a
 * random-weight model.
 */
export function encodeQ4KBlock(x: Float32Array, view: DataView, at: number): void {
  const scale = new Float64Array(8);
  const lift = new Float64Array(8); // -min of each sub-block, >= 0
  for (let j = 0; j < 8; j++) {
    let lo = Infinity;
    let hi = -Infinity;
    for (let i = 0; i < 32; i++) {
      lo = Math.min(lo, x[32 * j + i]!);
      hi = Math.max(hi, x[32 * j + i]!);
    }
    lo = Math.min(lo, 0);
    scale[j] = (hi - lo) / 15;
    lift[j] = -lo;
  }
  const dBits = float32ToFloat16Bits(Math.max(...scale) / 63);
  const dminBits = float32ToFloat16Bits(Math.max(...lift) / 63);
  const d = float16BitsToFloat32(dBits);
  const dmin = float16BitsToFloat32(dminBits);
  const sc = scale.map((s) => (d > 0 ? Math.min(63, Math.round(s / d)) : 0));
  const m = lift.map((l) => (dmin > 0 ? Math.min(63, Math.round(l / dmin)) : 0));
  view.setUint16(at, dBits, true);
  view.setUint16(at + 2, dminBits, true);
  // ggml's packing: sub-blocks 0-3 in the low 6 bits of bytes 0-3 (scale) and 4-7 (min);
  // 4-7 in the nibbles of bytes 8-11 plus the top 2 bits of bytes 0-7.
  const scales = new Array<number>(12).fill(0);
  for (let j = 0; j < 8; j++) {
    const s = sc[j]!;
    const mm = m[j]!;
    if (j < 4) {
      scales[j] = scales[j]! | s;
      scales[j + 4] = scales[j + 4]! | mm;
    } else {
      scales[j + 4] = (s & 0xf) | ((mm & 0xf) << 4);
      scales[j - 4] = scales[j - 4]! | ((s >> 4) << 6);
      scales[j] = scales[j]! | ((mm >> 4) << 6);
    }
  }
  scales.forEach((b, k) => view.setUint8(at + 4 + k, b));
  const q = (j: number, i: number) => {
    const step = d * sc[j]!;
    return step > 0 ? Math.max(0, Math.min(15, Math.round((x[32 * j + i]! + dmin * m[j]!) / step))) : 0;
  };
  // Each 64 values share 32 bytes: sub-block 2c in the low nibbles, 2c + 1 in the high ones.
  for (let c = 0; c < 4; c++) {
    for (let i = 0; i < 32; i++) view.setUint8(at + 16 + 32 * c + i, q(2 * c, i) | (q(2 * c + 1, i) << 4));
  }
}
