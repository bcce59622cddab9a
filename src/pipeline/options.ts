import { z } from "zod";
import type { Backend } from "../backends/index.js";
import { ConfigError } from "../errors.js";

/** What the pipeline reports while it runs; the CLI turns these into a progress bar and lines. */
export type PipelineEvent =
  | { type: "warning"; message: string }
  | { type: "download"; downloadedBytes: number; totalBytes: number }
  | { type: "run"; runDir: string; samplesTotal: number; samplesDone: number; problems: number }
  | { type: "model"; message: string }
  | {
      type: "progress";
      samplesDone: number;
      samplesTotal: number;
      generatedTokens: number;
      tokensPerSec: number;
      active: number;
      /** What the backend has been waiting for, since when (ms since the epoch), while nothing finishes. */
      waiting?: { what: string; since: number } | undefined;
      /** llama, KV pool: sequences preempted so far (each recomputed later, its text unchanged). */
      preemptions?: number;
    }
  | { type: "scoring"; done: number; total: number };

const kv = z.union([z.string(), z.record(z.string(), z.unknown())]);
const backend = z.union([
  z.string(),
  z.custom<Backend>((v) => typeof v === "object" && v !== null && typeof (v as Backend).generate === "function", {
    message: "must be a backend name (llama, openai, vllm) or an object with generate() and close()",
  }),
]);

const common = {
  signal: z.custom<AbortSignal>((v) => v instanceof AbortSignal, { message: "must be an AbortSignal" }).optional(),
  onEvent: z.custom<(e: PipelineEvent) => void>((v) => typeof v === "function", { message: "must be a function" }).optional(),
  tasksDir: z.string().optional(),
  /** Parallel scoring jobs (code tasks run a subprocess each). */
  scoreConcurrency: z.number().int().min(1).optional(),
};

const run = {
  ...common,
  model: z.string().min(1),
  task: z.string().min(1),
  backend: backend.default("llama"),
  backendArgs: kv.default(""),
  samplingParams: kv.optional(),
  n: z.number().int().min(1).optional(),
  systemPromptName: z.string().optional(),
  systemPrompt: z.string().optional(),
  assistantPrefill: z.string().optional(),
  overwrite: z.boolean().default(false),
  seed: z.number().int().min(0).max(2 ** 32 - 1).default(41),
  dataFile: z.string().optional(),
  /** Model config to use for a GGUF file (a key of models/model_configs.yaml or any model id). */
  modelId: z.string().optional(),
  /** A Jinja chat template file that replaces the model's own. */
  chatTemplate: z.string().optional(),
  /** Where `hf:` models are downloaded (node-llama-cpp's default models folder otherwise). */
  modelsDir: z.string().optional(),
  /** Folder of model_configs.yaml (the package's models/ otherwise). */
  modelsConfigDir: z.string().optional(),
  /**
   * Write results.json and summary.json although samples ended in an error, scoring those as
   * empty (wrong) responses. Without it such a run writes neither, says which errors (grouped)
   * and how to fix them, and throws; a rerun retries the errored samples.
   */
  allowErroredSamples: z.boolean().default(false),
};

/** Write report.html into the run folder at the end (the CLI's --no-report turns it off). */
const report = z.boolean().default(true);

/** First row after the task's filters, and the stop row (exclusive; <= 0: to the end): upstream's slice. */
const slice = {
  start: z.number().int().default(0),
  end: z.number().int().default(-1),
};

/**
 * Run the model's code where bubblewrap cannot sandbox it (rlimits only: it can reach the network
 * and your files). Code tasks refuse to start without a sandbox otherwise.
 */
const allowUnsandboxedCode = z.boolean().default(false);

export const EvaluateOptionsSchema = z
  .object({ ...run, ...slice, resultDir: z.string().default("./"), asTest: z.boolean().default(false), allowUnsandboxedCode, report })
  .strict();

export const GenerateOptionsSchema = z
  .object({
    ...run,
    resultDir: z.string().optional(),
    resumeFrom: z.string().optional(),
    taskArgs: kv.default(""),
    ...slice,
  })
  .strict();

export const ScoreOptionsSchema = z
  .object({
    ...common,
    runDir: z.string().min(1),
    task: z.string().min(1),
    ids: z.union([z.string(), z.array(z.string())]).optional(),
    report,
    allowUnsandboxedCode,
    /** Score with a task other than the one the run was generated for (its handler and answers). */
    allowOtherTask: z.boolean().default(false),
  })
  .strict();

export type EvaluateOptions = z.input<typeof EvaluateOptionsSchema>;
export type GenerateOptions = z.input<typeof GenerateOptionsSchema>;
export type ScoreOptions = z.input<typeof ScoreOptionsSchema>;
export type ParsedGenerateOptions = z.output<typeof GenerateOptionsSchema>;

/** Validates library options; an unknown key or a bad value names it (and lists the valid keys). */
export function parseOptions<S extends z.ZodObject>(schema: S, options: unknown, what: string): z.output<S> {
  const parsed = schema.safeParse(options);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0]!;
  const valid = Object.keys(schema.shape).join(", ");
  if (issue.code === "unrecognized_keys") {
    throw new ConfigError(`${what}: unknown option${issue.keys.length > 1 ? "s" : ""} ${issue.keys.join(", ")}; valid options are ${valid}`);
  }
  throw new ConfigError(`${what}: bad value for option ${issue.path.join(".") || "(options)"}: ${issue.message}`);
}
