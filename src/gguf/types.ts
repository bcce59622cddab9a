/** The GGUF v3 container: value types of the KV section and what the reader returns. */

/** `enum gguf_type` of ggml/include/gguf.h, by name. */
export const GGUF_VALUE_TYPE = {
  uint8: 0, int8: 1, uint16: 2, int16: 3, uint32: 4, int32: 5, float32: 6, bool: 7,
  string: 8, array: 9, uint64: 10, int64: 11, float64: 12,
} as const;

export type GgufValueTypeName = keyof typeof GGUF_VALUE_TYPE;
export type GgufScalarTypeName = Exclude<GgufValueTypeName, "array">;

/**
 * A plain KV value. 64-bit integers are numbers when they are safe integers, bigints otherwise;
 * arrays hold values of one scalar type (llama.cpp's gguf.cpp rejects arrays of arrays).
 */
export type GgufScalar = number | bigint | boolean | string;
export type GgufValue = GgufScalar | GgufScalar[];

/** One KV pair with its stored type, so a file can be rewritten exactly. */
export type GgufKv =
  | { key: string; type: GgufScalarTypeName; value: GgufScalar }
  | { key: string; type: "array"; itemType: GgufScalarTypeName; value: GgufScalar[] };

export interface GgufTensorInfo {
  name: string;
  /** ggml order: shape[0] is the row length (fastest-varying dimension). */
  shape: number[];
  /** ggml type id (see GGML_TYPE). */
  type: number;
  /** Offset of the data from the start of the tensor-data section. */
  offset: number;
  /** Bytes of data, when the type is one the reader knows. */
  bytes?: number;
}

export interface GgufMetadata {
  path: string;
  version: number;
  /** KV pairs by key, in file order. */
  kv: Map<string, GgufValue>;
  /** The same pairs with their stored types. */
  entries: GgufKv[];
  tensors: GgufTensorInfo[];
  tensorCount: number;
  /** `general.architecture` ("llama", "qwen2"...). */
  architecture: string | undefined;
  /** `general.name`. */
  name: string | undefined;
  /** `tokenizer.chat_template`. */
  chatTemplate: string | undefined;
  /** Name of `general.file_type` as llama.cpp's quantize tool prints it ("F16", "Q4_K_M"). */
  fileType: string | undefined;
  /** `<arch>.context_length`: the context the model was trained for. */
  contextLength: number | undefined;
  /** Total number of weights over all tensors. */
  parameterCount: number;
  alignment: number;
  /** Absolute file offset of the tensor-data section. */
  dataOffset: number;
  fileSize: number;
}
