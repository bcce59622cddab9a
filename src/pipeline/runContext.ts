import { join, resolve } from "node:path";
import { backendName, validateBackendArgs, type Backend, type BackendName } from "../backends/index.js";
import { buildSampling, parseKeyValues } from "../config/index.js";
import { loadRows } from "../data/index.js";
import { setupModel, type ModelSetup } from "../model/index.js";
import { createPythonRandom, fromPlain, toPlain, type PyDict } from "../py/index.js";
import { runConfigDigest, runFolderName, RunStore, type Problem } from "../runs/index.js";
import { applyTaskArgs, loadTask, taskDatasetSpec, type LoadedTask } from "../tasks/index.js";
import { dumpModelConfig, makeConversation } from "../templating/index.js";
import type { GenerationPlan } from "./generateSamples.js";
import type { ParsedGenerateOptions, PipelineEvent } from "./options.js";

/** The options of evaluate and generate, validated, in one shape. */
export type RunInput = ParsedGenerateOptions & { asTest: boolean; resultDir?: string | undefined };

/** Everything a run decides before it generates, built once by `prepareRun` and read by every phase. */
export interface RunContext {
  command: "evaluate" | "generate";
  input: RunInput;
  emit: (e: PipelineEvent) => void;
  /** ISO time the call started (run.json's session). */
  startedAt: string;
  task: LoadedTask;
  model: ModelSetup;
  backend: {
    name: BackendName | "custom";
    /** A library caller's own Backend object. */
    injected: Backend | undefined;
    /** `--backend-args`, as hashed. */
    args: PyDict;
  };
  /** `--sampling-params` as upstream hashes it. */
  samplingDict: PyDict;
  /** Upstream's run config: hashed into the folder name, written into summary.json. */
  config: Record<string, unknown>;
  runDir: string;
  store: RunStore;
  plan: GenerationPlan;
}

/**
 * Options to the run config, hash and folder, and the problems with their conversations (spec 2.5,
 * 2.6). The store it opens holds the folder's lock: the caller closes it.
 */
export async function prepareRun(command: RunContext["command"], input: RunInput): Promise<RunContext> {
  const o = input;
  const emit = o.onEvent ?? (() => {});
  const startedAt = new Date().toISOString();
  const task = await loadTask(o.task, o.tasksDir !== undefined ? { tasksDir: o.tasksDir } : {});
  if (command === "generate") task.config = applyTaskArgs(task.config, o.taskArgs);
  const sampling = buildSampling({ samplingParams: o.samplingParams, n: o.n, model: o.model });
  for (const message of sampling.warnings) emit({ type: "warning", message });
  const backendArgs: PyDict = typeof o.backendArgs === "string" ? parseKeyValues(o.backendArgs, "--backend-args") : fromPlain(o.backendArgs);
  const injected = typeof o.backend === "string" ? undefined : o.backend;
  const name = injected ? "custom" : backendName(o.backend as string);
  if (name !== "custom") await validateBackendArgs(name, o.model, toPlain(backendArgs) as Record<string, unknown>);
  // --as-test changes max_tokens for generation only, not in the hashed config (upstream's quirk).
  const params = o.asTest ? { ...sampling.params, max_tokens: 2048 } : sampling.params;

  const model = await setupModel({
    model: o.model, local: name === "llama", modelId: o.modelId, systemPromptName: o.systemPromptName,
    systemPrompt: o.systemPrompt, assistantPrefill: o.assistantPrefill, chatTemplate: o.chatTemplate,
    modelsDir: o.modelsDir, modelsConfigDir: o.modelsConfigDir, signal: o.signal,
    onWarning: (message) => emit({ type: "warning", message }),
    onDownload: (downloadedBytes, totalBytes) => emit({ type: "download", downloadedBytes, totalBytes }),
    onStatus: (message) => emit({ type: "model", message }),
  });
  const config = {
    task: { name: task.name, config: task.config, start: o.start, end: o.end },
    model: { name: model.runName, config: dumpModelConfig(model.modelConfig) },
    backend: { name, backend_args: backendArgs },
    sampling_params: sampling.dict,
  };
  const runDir = o.resumeFrom !== undefined ? resolve(o.resumeFrom) : join(resolve(o.resultDir ?? "./"), await runFolderName(model.runName, task.name, config));
  const identity = { config, configDigest: await runConfigDigest(config), seed: o.seed, modelSha256: model.sha256 };
  const store = await RunStore.open(runDir, { identity, overwrite: o.overwrite, mustExist: o.resumeFrom !== undefined });
  // Problems an upstream results.json already holds (generate --resume-from) are not generated again.
  const problems = (await loadProblems(task, model, o).catch(async (e: unknown) => {
    await store.close();
    throw e;
  })).filter((p) => !store.imported.has(p.row._index));
  const plan: GenerationPlan = { problems, n: sampling.n, sampling: params, seed: typeof params.seed === "number" ? params.seed : o.seed };
  return {
    command, input, emit, startedAt, task, model,
    backend: { name, injected, args: backendArgs },
    samplingDict: sampling.dict, config, runDir, store, plan,
  };
}

/** The task's rows after its handler's selection, each with its conversation. */
async function loadProblems(task: LoadedTask, model: ModelSetup, o: RunInput): Promise<Problem[]> {
  const rows = await loadRows(taskDatasetSpec(task.config), o.dataFile !== undefined ? { dataFile: o.dataFile } : {});
  const selected = await task.handler.selectRows(rows, { task: task.config, start: o.start, end: o.end, loadRows: (s) => loadRows(s) });
  // Python's random seeded with --seed, consumed row by row in order (GPQA's option shuffles).
  const random = createPythonRandom(o.seed);
  return selected.map((row) => ({ row, conversation: makeConversation(task.handler.makePrompt(row, { task: task.config, random }), model.modelConfig) }));
}
