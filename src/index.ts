/**
 * skythought as a library: the same evaluate / generate / score as the CLI, with options as an
 * object, an AbortSignal and progress events; no console output and no process.exit, so it runs
 * in an Electron main process or a worker thread.
 */
export { evaluate, generate, score } from "./pipeline/index.js";
export type { EvaluateOptions, GenerateOptions, PipelineEvent, RunOutcome, ScoreOptions } from "./pipeline/index.js";
export { listTasks, loadTask } from "./tasks/index.js";
export type { Handler, LoadedTask, Score, TaskConfig, TaskInfo } from "./tasks/index.js";
export type { Row } from "./data/index.js";
export { extractAnswer, finalAnswer, GraderError, mathEqual, runPython } from "./scoring/index.js";
export { buildReport, writeReport, type ReportFormat, type ReportOptions } from "./report/index.js";
export { createBackend, BACKEND_NAMES } from "./backends/index.js";
export type {
  Backend, ChatMessage, Completion, FinishReason, GenerationRequest, GenerateOptions as BackendGenerateOptions,
  Progress, PromptRenderer, SamplingParams,
} from "./backends/index.js";
export { parseKeyValues } from "./config/index.js";
export { PyFloat, pyFloat } from "./py/index.js";
export { SkyThoughtError, ConfigError, TaskError, DataError, EngineError, BackendError, RunError, DiskFullError } from "./errors.js";
