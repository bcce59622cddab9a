/** The sampling contract shared by the CLI, the backends and the engine (a leaf: it imports only zod). */
export { SamplingParamsSchema, samplingConflict, type SamplingParams } from "./params.js";
export { isOpenAIReasoningModel } from "./reasoningModel.js";
