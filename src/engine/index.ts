/** The in-process llama.cpp engine: load a GGUF model, create engines, generate. */
export { LlamaModel, type LlamaModelOptions, type LlamaModelMetadata, type LlamaGpuInfo, type KvMemory } from "./LlamaModel.js";
export {
  ENGINE_LIMITS,
  LlamaEngine,
  type LlamaEngineOptions,
  type LlamaEngineInfo,
  type EngineRequest,
  type EngineCompletion,
  type EngineFinishReason,
  type EngineProgress,
  type EngineGenerateOptions,
  type KvType,
  type KvMode,
  type FlashAttn,
} from "./LlamaEngine.js";
export { sampleTokens } from "./sampleTokens.js";
export { engineVersions, type GpuRequest, type AddonVariant } from "./loadAddon.js";
export {
  runBenchmarkCase,
  runVariedLengths,
  logNormalLengths,
  benchmarkPrompt,
  benchmarkPromptText,
  type BenchmarkCase,
  type BenchmarkResult,
  type VariedLengthsCase,
  type VariedLengthsResult,
} from "./benchmark.js";
