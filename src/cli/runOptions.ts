import { Option, type Command } from "commander";
import { LLAMA_ARGS_HELP } from "../backends/index.js";
import { DEFAULT_SAMPLING } from "../config/index.js";
import { ConfigError } from "../errors.js";
import { decodeUnicodeEscapes } from "../py/index.js";
import { int } from "./parsers.js";

/** Options evaluate and generate share (upstream's names, plus ours after --data-file). */
export function addRunOptions(cmd: Command): Command {
  return cmd
    .requiredOption("--task <name>", "task name (a tasks/*.yaml stem, see `skythought tasks`) or a task YAML path")
    .requiredOption("--model <model>", "a .gguf path or hf:owner/repo[:quant] (llama); the served model name (openai)")
    .addOption(new Option("--backend <name>", "inference backend: llama (in-process GGUF), openai, vllm (alias of openai)").default("llama"))
    .option("--backend-args <k=v,...>", "backend arguments, k=v,k=v or a Python dict literal", "")
    .option("--sampling-params <k=v,...>", `sampling parameters, merged over "${DEFAULT_SAMPLING}"`)
    .option("--n <int>", "samples per problem", int(1))
    .option("--system-prompt-name <name>", "a named system prompt from models/model_configs.yaml (see `skythought models`)")
    .option("--system-prompt <text>", "a literal system prompt (escapes like \\n are decoded)")
    .option("--assistant-prefill <text>", "text that opens the assistant turn (escapes like \\n are decoded)")
    .option("--overwrite", "start the run folder afresh instead of resuming it", false)
    .option("--no-overwrite", "resume the run folder (default)")
    .option("--seed <int>", "seed of the run (GPQA option shuffles, sampling)", int(0), 41)
    .option("--batch-size <int>", "upstream's vLLM batch size; use --backend-args max_sequences=N (llama) instead", int(1), 64)
    .option("--data-file <path>", "local rows (JSONL, JSON, CSV, Parquet) instead of the task's dataset")
    .option("--tasks-dir <dir>", "a folder of extra task YAML files")
    .option("--model-id <id>", "model config to use for a GGUF (e.g. Qwen/Qwen2.5-7B-Instruct); matched from metadata or file name otherwise")
    .option("--chat-template <file>", "a Jinja chat template that replaces the model's own")
    .option("--models-dir <dir>", "where hf: models are downloaded")
    .option("--score-concurrency <int>", "parallel scoring jobs", int(1))
    .option("--allow-errored-samples", "write results (scored as wrong answers) although samples ended in an error; by default nothing is written and the run exits 1", false)
    .option("--quiet", "no progress output and no final table", false)
    .option("--verbose", "print stack traces of errors", false)
    .addHelpText("after", LLAMA_ARGS_HELP);
}

type Raw = Record<string, unknown>;

/** The library options for a parsed command line. */
export function runLibraryOptions(raw: Raw): Record<string, unknown> {
  if (raw.batchSize !== 64) {
    throw new ConfigError(
      "--batch-size is upstream's vLLM chat batch; here use --backend-args max_sequences=N (llama) or max_concurrency=N (openai)",
    );
  }
  if (raw.systemPromptName !== undefined && raw.systemPrompt !== undefined) {
    throw new ConfigError("--system-prompt-name and --system-prompt cannot be combined; pass one of them");
  }
  const pick = (key: string) => (raw[key] === undefined ? {} : { [key]: raw[key] });
  return {
    task: raw.task,
    model: raw.model,
    backend: raw.backend,
    backendArgs: raw.backendArgs,
    overwrite: raw.overwrite,
    seed: raw.seed,
    ...pick("samplingParams"),
    ...pick("n"),
    ...pick("systemPromptName"),
    ...optional("systemPrompt", decodeUnicodeEscapes(raw.systemPrompt as string | undefined, "--system-prompt")),
    ...optional("assistantPrefill", decodeUnicodeEscapes(raw.assistantPrefill as string | undefined, "--assistant-prefill")),
    ...pick("dataFile"),
    ...pick("tasksDir"),
    ...pick("modelId"),
    ...pick("chatTemplate"),
    ...pick("modelsDir"),
    ...pick("scoreConcurrency"),
    allowErroredSamples: raw.allowErroredSamples,
  };
}

/** --start / --end: upstream's row slice, after the task's filters (part of the run config). */
export function addSliceOptions(cmd: Command): Command {
  return cmd
    .option("--start <int>", "first row, after the task's filters", int(0), 0)
    .option("--end <int>", "stop row (exclusive); <= 0 means to the end", int(-(2 ** 31)), -1);
}

/** Where bubblewrap is missing, code tasks refuse to run the model's code unless this is given. */
export const ALLOW_UNSANDBOXED_CODE: [string, string, boolean] = [
  "--allow-unsandboxed-code",
  "run the model's code without a sandbox where bubblewrap is missing (it can reach the network and your files)",
  false,
];

function optional(key: string, value: unknown): Record<string, unknown> {
  return value === undefined ? {} : { [key]: value };
}
