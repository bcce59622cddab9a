import { join, resolve } from "node:path";
import { backendName, validateBackendArgs, type Backend, type BackendName } from "../backends/index.js";
import { buildSampling, parseKeyValues } from "../config/index.js";
import { dataFileSha256, loadRows } from "../data/index.js";
import { ConfigError, RunError } from "../errors.js";
import { setupModel, type ModelSetup } from "../model/index.js";
import { createPythonRandom, fromPlain, toPlain, type PyDict } from "../py/index.js";
import { runConfigDigest, runFolderName, RunStore, type Problem } from "../runs/index.js";
import { permittedLauncher } from "../scoring/index.js";
import { applyTaskArgs, loadTask, taskDatasetSpec, type LoadedTask } from "../tasks/index.js";
import { dumpModelConfig, makeConversation } from "../templating/index.js";
import type { GenerationPlan } from "./generateSamples.js";
import { missingAnswerColumnError } from "./answerColumn.js";
import { noProblemsError } from "./noProblems.js";
import type { ParsedGenerateOptions, PipelineEvent } from "./options.js";
import { promptHash } from "./promptHash.js";

/** The options of evaluate and generate, validated, in one shape. */
export type RunInput = ParsedGenerateOptions & { asTest: boolean; resultDir?: string | undefined; allowUnsandboxedCode: boolean };

/** max_tokens of an --as-test generation (upstream's). */
const AS_TEST_MAX_TOKENS = 2048;

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
  /** What the run changed of what the user asked (run.json `sampling.overridden`): --as-test's max_tokens. */
  overridden: Record<string, unknown>;
  /** `--data-file` and its content's sha256 (run.json), when rows come from one. */
  dataFile: { path: string; sha256: string } | undefined;
  /** The code sandbox a code task's scoring uses (run.json), checked before generating. */
  sandbox: { kind: string; reason?: string | undefined } | undefined;
  /** Upstream's run config: hashed into the folder name, written into summary.json. */
  config: Record<string, unknown>;
  runDir: string;
  store: RunStore;
  plan: GenerationPlan;
}

/**
 * Options to the run config, hash and folder, and the problems with their conversations (spec 2.5,
 * 2.6). The store it opens holds the folder's lock: the caller closes it.
 *
 * @throws ConfigError for bad options or a code task without a sandbox (unless allowed), DataError
 *   when no problem is selected, RunError when the folder holds another run or other prompts
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
  // Before the model loads and anything is generated: the scores would need the code sandbox.
  const sandbox = command === "evaluate" && task.handler.runsCode ? await codeSandbox(o.allowUnsandboxedCode) : undefined;
  const { params, overridden } = asTestSampling(o, sampling.params, emit);

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
  // Rows before the folder: a run with no problems leaves nothing behind.
  let problems = await loadProblems(task, model, o, command === "evaluate");
  const dataFile = o.dataFile !== undefined ? { path: resolve(o.dataFile), sha256: await dataFileSha256(o.dataFile) } : undefined;
  const store = await RunStore.open(runDir, { identity, overwrite: o.overwrite, mustExist: o.resumeFrom !== undefined });
  try {
    refuseChangedPrompts(store, problems, { model, dataFile });
  } catch (e) {
    await store.close();
    throw e;
  }
  // Problems an upstream results.json already holds (generate --resume-from) are not generated again.
  problems = problems.filter((p) => !store.imported.has(p.row._index));
  const plan: GenerationPlan = { problems, n: sampling.n, sampling: params, seed: typeof params.seed === "number" ? params.seed : o.seed };
  return {
    command, input, emit, startedAt, task, model,
    backend: { name, injected, args: backendArgs },
    samplingDict: sampling.dict, overridden, dataFile, sandbox, config, runDir, store, plan,
  };
}

/**
 * --as-test's max_tokens, for generation only, not in the hashed config (upstream's quirk); said
 * once when it replaces a max_tokens the user gave.
 */
function asTestSampling<P extends { max_tokens: number }>(o: RunInput, params: P, emit: (e: PipelineEvent) => void): { params: P; overridden: Record<string, unknown> } {
  if (!o.asTest || params.max_tokens === AS_TEST_MAX_TOKENS) return { params, overridden: {} };
  const given = typeof o.samplingParams === "string" ? parseKeyValues(o.samplingParams, "--sampling-params").has("max_tokens") : o.samplingParams !== undefined && "max_tokens" in o.samplingParams;
  if (given) {
    emit({
      type: "warning",
      message: `--as-test generates at most ${AS_TEST_MAX_TOKENS} tokens per sample, not the max_tokens=${params.max_tokens} you passed ` +
        `(the run config and its hash keep ${params.max_tokens}, as upstream); drop --as-test to use yours`,
    });
  }
  return {
    params: { ...params, max_tokens: AS_TEST_MAX_TOKENS },
    overridden: { max_tokens: { asked: params.max_tokens, used: AS_TEST_MAX_TOKENS, by: "--as-test" } },
  };
}

/** The sandbox a code task will be scored in; throws (before any generation) when there is none and none was allowed. */
async function codeSandbox(allowUnsandboxed: boolean): Promise<NonNullable<RunContext["sandbox"]>> {
  const launcher = await permittedLauncher(allowUnsandboxed);
  return { kind: launcher.kind, ...(launcher.reason !== undefined ? { reason: launcher.reason } : {}) };
}

/**
 * The task's rows after its handler's selection, each with its conversation and prompt hash; none
 * is an error, and so, when the run scores, is a row without the task's answer column.
 */
async function loadProblems(task: LoadedTask, model: ModelSetup, o: RunInput, scores: boolean): Promise<Problem[]> {
  const spec = taskDatasetSpec(task.config);
  const rows = await loadRows(spec, o.dataFile !== undefined ? { dataFile: o.dataFile } : {});
  const select = (start: number, end: number) => task.handler.selectRows(rows, { task: task.config, start, end, loadRows: (s) => loadRows(s) });
  const selected = await select(o.start, o.end);
  const source = o.dataFile !== undefined ? `--data-file ${o.dataFile}` : `dataset ${spec.path}${spec.split != null ? ` (split ${spec.split})` : ""}`;
  if (selected.length === 0) {
    const kept = rows.length === 0 ? 0 : (await select(0, -1)).length;
    throw noProblemsError(task, source, rows, kept, { start: o.start, end: o.end });
  }
  // Python's random seeded with --seed, consumed row by row in order (GPQA's option shuffles).
  const random = createPythonRandom(o.seed);
  const problems = selected.map((row) => {
    const conversation = makeConversation(task.handler.makePrompt(row, { task: task.config, random }), model.modelConfig);
    return { row, conversation, promptHash: promptHash(conversation, model.renderPrompt) };
  });
  // generate may run on problems without answers; evaluate scores every sample it makes.
  const missing = scores ? missingAnswerColumnError(task, source, selected) : undefined;
  if (missing) throw missing;
  return problems;
}

/**
 * A resumed folder whose samples answer other prompts (another --data-file, --chat-template,
 * system prompt...) is refused, not regenerated: its samples may be all the user has of an
 * earlier run. The message says what changed when run.json recorded it.
 */
function refuseChangedPrompts(store: RunStore, problems: readonly Problem[], now: { model: ModelSetup; dataFile: RunContext["dataFile"] }): void {
  const changed = store.promptChanges(problems);
  if (changed.length === 0) return;
  const before = store.previousRecord;
  const causes: string[] = [];
  const dataBefore = before?.task as { data_file?: string | null; data_file_sha256?: string | null } | undefined;
  if (typeof dataBefore?.data_file_sha256 === "string" && dataBefore.data_file_sha256 !== now.dataFile?.sha256) {
    const was = `${dataBefore.data_file} sha256 ${dataBefore.data_file_sha256.slice(0, 12)}…`;
    causes.push(`the data file (${was}, now ${now.dataFile ? `${now.dataFile.path} sha256 ${now.dataFile.sha256.slice(0, 12)}…` : "the task's dataset"})`);
  }
  const templateBefore = (before?.model as { chat_template_sha256?: string } | undefined)?.chat_template_sha256;
  const templateNow = now.model.record.chat_template_sha256 as string | undefined;
  if (templateBefore !== undefined && templateBefore !== templateNow) {
    causes.push(`the chat template (sha256 ${templateBefore.slice(0, 12)}…, now ${templateNow?.slice(0, 12) ?? "none"}…)`);
  }
  const rows = changed.slice(0, 5).map((c) => c.id).join(", ") + (changed.length > 5 ? ", …" : "");
  throw new RunError(
    `${store.dir} holds samples of other prompts for ${changed.length} of ${problems.length} problems (rows ${rows}): ` +
      `${causes.length > 0 ? causes.join(" and ") + " changed" : "the data, the system prompt or the chat template changed"} since they were generated, ` +
      "and reusing them would pair new questions with old responses. Rerun with the earlier inputs, pass --overwrite to start afresh, " +
      "or choose another --result-dir",
  );
}
