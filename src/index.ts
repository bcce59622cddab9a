/**
 * skythought as a library: the same evaluate / generate / score as the CLI, with options as an
 * object, an AbortSignal and progress events; no console output and no process.exit, so it runs
 * in an Electron main process or a worker thread.
 */
export { evaluate, generate, score } from "./pipeline.js";
export type { PipelineEvent, RunOutcome } from "./pipeline.js";
export type { EvaluateOptions, GenerateOptions, ScoreOptions } from "./config/index.js";
export { listTasks, loadTask } from "./tasks/index.js";
export type { Handler, LoadedTask, Row, Score, TaskConfig, TaskInfo } from "./tasks/index.js";
export { extractAnswer, mathEqual, runPython } from "./scoring/index.js";
export { createBackend, BACKEND_NAMES } from "./backends/index.js";
export type {
  Backend, ChatMessage, Completion, FinishReason, GenerationRequest, GenerateOptions as BackendGenerateOptions,
  Progress, PromptRenderer, SamplingParams,
} from "./backends/index.js";
export { parseKeyValues, PyFloat, pyFloat } from "./config/index.js";
export { SkyThoughtError, ConfigError, TaskError, DataError, EngineError, BackendError, RunError } from "./errors.js";
