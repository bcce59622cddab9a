/**
 * ggml tensor types and llama.cpp file types, as numbered in the pinned llama.cpp
 * (ggml/include/ggml.h `enum ggml_type`, include/llama.h `enum llama_ftype`). Block and byte sizes
 * come from ggml/src/ggml-common.h; they let the reader check that tensor data is all there.
 */

export const GGML_TYPE = {
  F32: 0, F16: 1, Q4_0: 2, Q4_1: 3, Q5_0: 6, Q5_1: 7, Q8_0: 8, Q8_1: 9,
  Q2_K: 10, Q3_K: 11, Q4_K: 12, Q5_K: 13, Q6_K: 14, Q8_K: 15,
  IQ2_XXS: 16, IQ2_XS: 17, IQ3_XXS: 18, IQ1_S: 19, IQ4_NL: 20, IQ3_S: 21, IQ2_S: 22, IQ4_XS: 23,
  I8: 24, I16: 25, I32: 26, I64: 27, F64: 28, IQ1_M: 29, BF16: 30,
  TQ1_0: 34, TQ2_0: 35, MXFP4: 39, NVFP4: 40, Q1_0: 41, Q2_0: 42,
} as const;

export type GgmlTypeName = keyof typeof GGML_TYPE;

/** [elements per block, bytes per block] */
const BLOCK: Record<number, readonly [number, number]> = {
  0: [1, 4], 1: [1, 2], 2: [32, 18], 3: [32, 20], 6: [32, 22], 7: [32, 24], 8: [32, 34], 9: [32, 36],
  10: [256, 84], 11: [256, 110], 12: [256, 144], 13: [256, 176], 14: [256, 210], 15: [256, 292],
  16: [256, 66], 17: [256, 74], 18: [256, 98], 19: [256, 50], 20: [32, 18], 21: [256, 110],
  22: [256, 82], 23: [256, 136], 24: [1, 1], 25: [1, 2], 26: [1, 4], 27: [1, 8], 28: [1, 8],
  29: [256, 56], 30: [1, 2], 34: [256, 54], 35: [256, 66], 39: [32, 17], 40: [64, 36],
  41: [128, 18], 42: [64, 18],
};

const TYPE_NAMES = new Map<number, GgmlTypeName>(
  Object.entries(GGML_TYPE).map(([name, id]) => [id, name as GgmlTypeName]),
);

export function ggmlTypeName(type: number): string {
  return TYPE_NAMES.get(type) ?? `type ${type}`;
}

/** Bytes a tensor of `elements` values of `type` takes, or undefined for a type this table lacks. */
export function ggmlTensorBytes(type: number, elements: number): number | undefined {
  const block = BLOCK[type];
  if (!block) return undefined;
  const [perBlock, bytes] = block;
  return Math.ceil(elements / perBlock) * bytes;
}

const FILE_TYPES: Record<number, string> = {
  0: "F32", 1: "F16", 2: "Q4_0", 3: "Q4_1", 7: "Q8_0", 8: "Q5_0", 9: "Q5_1", 10: "Q2_K",
  11: "Q3_K_S", 12: "Q3_K_M", 13: "Q3_K_L", 14: "Q4_K_S", 15: "Q4_K_M", 16: "Q5_K_S", 17: "Q5_K_M",
  18: "Q6_K", 19: "IQ2_XXS", 20: "IQ2_XS", 21: "Q2_K_S", 22: "IQ3_XS", 23: "IQ3_XXS", 24: "IQ1_S",
  25: "IQ4_NL", 26: "IQ3_S", 27: "IQ3_M", 28: "IQ2_S", 29: "IQ2_M", 30: "IQ4_XS", 31: "IQ1_M",
  32: "BF16", 36: "TQ1_0", 37: "TQ2_0", 38: "MXFP4_MOE", 39: "NVFP4", 40: "Q1_0", 41: "Q2_0",
};

/** The name llama.cpp's quantize tool uses for a `general.file_type` value ("Q4_K_M", "F16"...). */
export function llamaFileTypeName(fileType: number): string {
  return FILE_TYPES[fileType] ?? `file type ${fileType}`;
}

/** The `general.file_type` value matching a model whose matrices are all of one ggml type. */
export function llamaFileTypeOf(type: number): number {
  switch (type) {
    case GGML_TYPE.F32: return 0;
    case GGML_TYPE.F16: return 1;
    case GGML_TYPE.Q8_0: return 7;
    case GGML_TYPE.Q4_K: return 14; // Q4_K_S: every matrix Q4_K
    case GGML_TYPE.BF16: return 32;
    default: throw new RangeError(`no llama file type for ggml ${ggmlTypeName(type)}`);
  }
}
