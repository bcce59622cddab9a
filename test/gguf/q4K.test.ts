import { describe, expect, test } from "vitest";
import { encodeQ4KBlock, Q4_K_BLOCK } from "../../src/gguf/q4K.js";
import { float16BitsToFloat32 } from "../../src/gguf/index.js";

/** ggml's dequantize_row_q4_K for one block, with get_scale_min_k4's unpacking. */
function dequantize(view: DataView): Float32Array {
  const d = float16BitsToFloat32(view.getUint16(0, true));
  const dmin = float16BitsToFloat32(view.getUint16(2, true));
  const q = (k: number) => view.getUint8(4 + k);
  const scaleMin = (j: number): [number, number] =>
    j < 4 ? [q(j) & 63, q(j + 4) & 63] : [(q(j + 4) & 0xf) | ((q(j - 4) >> 6) << 4), (q(j + 4) >> 4) | ((q(j) >> 6) << 4)];
  const out = new Float32Array(256);
  for (let c = 0; c < 4; c++) {
    const [sc1, m1] = scaleMin(2 * c);
    const [sc2, m2] = scaleMin(2 * c + 1);
    for (let l = 0; l < 32; l++) {
      const byte = view.getUint8(16 + 32 * c + l);
      out[64 * c + l] = d * sc1 * (byte & 0xf) - dmin * m1;
      out[64 * c + 32 + l] = d * sc2 * (byte >> 4) - dmin * m2;
    }
  }
  return out;
}

describe("Q4_K blocks", () => {
  test.each([
    ["uniform around 0", (i: number) => Math.sin(i * 12.9898) * 0.035],
    ["all positive, different ranges per sub-block", (i: number) => (1 + (i >> 5)) * 0.01 * (1 + Math.cos(i))],
    ["all zero", () => 0],
  ])("%s: decodes to within a quantisation step", (_name, value) => {
    const x = Float32Array.from({ length: Q4_K_BLOCK.values }, (_, i) => value(i));
    const bytes = new Uint8Array(Q4_K_BLOCK.bytes);
    encodeQ4KBlock(x, new DataView(bytes.buffer), 0);
    const y = dequantize(new DataView(bytes.buffer));
    const range = Math.max(...x) - Math.min(0, ...x);
    for (let i = 0; i < x.length; i++) expect(Math.abs(y[i]! - x[i]!)).toBeLessThanOrEqual(range / 15 / 2 + range / 63 + 1e-6);
  });
});
