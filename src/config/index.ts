/** Options and their parsing: `k=v` strings (Python literals), sampling params, library option schemas, model setup. */
export { parseKeyValues } from "./keyValues.js";
export { parsePythonLiteral } from "./literal.js";
export { PyFloat, pyFloat, fromPlain, toPlain, type PyDict, type PyValue } from "./pyValue.js";
export { buildSampling, DEFAULT_SAMPLING, SAMPLING_KEYS, type Sampling } from "./sampling.js";
export { applyTaskArgs } from "./taskArgs.js";
export {
  EvaluateOptionsSchema, GenerateOptionsSchema, ScoreOptionsSchema, parseOptions,
  type EvaluateOptions, type GenerateOptions, type ScoreOptions, type ParsedGenerateOptions, type PipelineEvent,
} from "./options.js";
export { setupModel, type ModelSetup } from "./modelSetup.js";
export { resolveModelPath, modelRunName } from "./modelSource.js";
