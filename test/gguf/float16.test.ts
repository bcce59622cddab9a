import { describe, expect, test } from "vitest";
import { float16BitsToFloat32, float32ToBfloat16Bits, float32ToFloat16Bits } from "../../src/gguf/index.js";

describe("float32ToFloat16Bits", () => {
  test.each([
    [0, 0x0000],
    [-0, 0x8000],
    [1, 0x3c00],
    [-2, 0xc000],
    [0.1, 0x2e66],
    [65504, 0x7bff],
    [65520, 0x7c00], // rounds up past the largest finite half
    [1e6, 0x7c00],
    [Infinity, 0x7c00],
    [-Infinity, 0xfc00],
    [6.103515625e-5, 0x0400], // smallest normal
    [5.960464477539063e-8, 0x0001], // smallest subnormal
    [2.9802322387695312e-8, 0x0000], // half of it: ties to even (0)
    [1e-9, 0x0000],
    [1 + 2 ** -11, 0x3c00], // tie between 1 and the next half: even wins
    [1 + 3 * 2 ** -11, 0x3c02], // tie: rounds up to even
  ])("%d -> %i", (value, bits) => {
    expect(float32ToFloat16Bits(value)).toBe(bits);
  });

  test("NaN stays NaN", () => {
    const bits = float32ToFloat16Bits(NaN);
    expect(bits & 0x7c00).toBe(0x7c00);
    expect(bits & 0x3ff).not.toBe(0);
  });
});

describe("float16BitsToFloat32", () => {
  test.each([0, -2, 0.1, 65504, 6.103515625e-5, 5.960464477539063e-8, 1 + 2 ** -10, Infinity, -Infinity])("reads back what %d was written as", (value) => {
    const bits = float32ToFloat16Bits(value);
    expect(float32ToFloat16Bits(float16BitsToFloat32(bits))).toBe(bits);
  });
});

describe("float32ToBfloat16Bits", () => {
  test.each([
    [0, 0x0000],
    [1, 0x3f80],
    [-2, 0xc000],
    [1 + 2 ** -8, 0x3f80], // a tie between 1 and the next bfloat16: even wins
    [1 + 3 * 2 ** -8, 0x3f82], // tie: rounds up to even
    [3.4e38, 0x7f80], // rounds past the largest finite bfloat16
    [Infinity, 0x7f80],
  ])("%d -> %i", (value, bits) => {
    expect(float32ToBfloat16Bits(value)).toBe(bits);
  });

  test("NaN stays a quiet NaN", () => {
    const bits = float32ToBfloat16Bits(NaN);
    expect(bits & 0x7f80).toBe(0x7f80);
    expect(bits & 0x7f).not.toBe(0);
  });
});
