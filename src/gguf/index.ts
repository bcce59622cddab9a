export { readGgufMetadata } from "./readGgufMetadata.js";
export { writeGguf, type GgufContents, type GgufTensorSource } from "./writeGguf.js";
export { writeRandomModel, type RandomModelOptions } from "./writeRandomModel.js";
export { CHATML_TEMPLATE, RANDOM_MODEL_PRESETS, type RandomModelPreset } from "./randomModelPresets.js";
export { GgufError } from "./GgufError.js";
export { GGML_TYPE, ggmlTypeName, ggmlTensorBytes, llamaFileTypeName, type GgmlTypeName } from "./ggmlTypes.js";
export { float16BitsToFloat32, float32ToBfloat16Bits, float32ToFloat16Bits } from "./float16.js";
export {
  GGUF_VALUE_TYPE,
  type GgufKv,
  type GgufMetadata,
  type GgufScalar,
  type GgufScalarTypeName,
  type GgufTensorInfo,
  type GgufValue,
  type GgufValueTypeName,
} from "./types.js";
