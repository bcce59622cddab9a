/**
 * evaluate / generate / score: wiring only. Options are validated (config/), the task and its rows
 * come from tasks/ and data/, the model from config/modelSetup, samples go to a RunStore (runs/)
 * as they finish, and scoring and metrics are runs/ functions. No console output, no process.exit:
 * progress and warnings go to `onEvent`; errors are thrown as SkyThoughtError subclasses.
 */
import { readFileSync } from "node:fs";
import { access } from "node:fs/promises";
import { arch, cpus, hostname, platform, release, totalmem } from "node:os";
import { join, resolve } from "node:path";
import { backendName, createBackend, validateBackendArgs, type Backend, type BackendName, type CreatedBackend } from "../backends/index.js";
import { buildSampling, parseKeyValues } from "../config/index.js";
import { loadRows } from "../data/index.js";
import { RunError } from "../errors.js";
import { setupModel, type ModelSetup } from "../model/index.js";
import { createPythonRandom, fromPlain, PyFloat, toPlain, type PyDict } from "../py/index.js";
import {
  buildRecord, buildSummary, FolderLock, readRunFiles, readSamples, runConfigDigest, runFolderName, RunStore,
  sampleKey, writeScoredRun,
  type Problem, type ResultRecord, type SampleLine,
} from "../runs/index.js";
import { applyTaskArgs, loadTask, taskDatasetSpec, type LoadedTask } from "../tasks/index.js";
import { dumpModelConfig, makeConversation } from "../templating/index.js";
import { generateSamples, missingSamples, type GenerationPlan } from "./generateSamples.js";
import {
  EvaluateOptionsSchema, GenerateOptionsSchema, parseOptions, ScoreOptionsSchema,
  type EvaluateOptions, type GenerateOptions, type ParsedGenerateOptions, type PipelineEvent, type ScoreOptions,
} from "./options.js";
import { extraMetrics, upstreamScores } from "./runMetrics.js";
import { scoreRecords } from "./scoreRecords.js";

export type { EvaluateOptions, GenerateOptions, PipelineEvent, ScoreOptions } from "./options.js";

export interface RunOutcome {
  runDir: string;
  /** summary.json's content. */
  summary: Record<string, unknown>;
  /** Our metrics (also in run.json). */
  metrics: Record<string, unknown>;
  /** Samples generated in this call (0 when everything was already done). */
  generatedSamples: number;
}

/** Generates (resuming what the run folder holds), scores, and writes results.json and summary.json. */
export async function evaluate(options: EvaluateOptions): Promise<RunOutcome> {
  const o = parseOptions(EvaluateOptionsSchema, options, "evaluate");
  return run("evaluate", { ...o, taskArgs: "", start: 0, end: o.asTest ? 10 : -1, resumeFrom: undefined });
}

/** Generates responses into a run folder (resuming what it holds) without scoring them. */
export async function generate(options: GenerateOptions): Promise<RunOutcome> {
  const o = parseOptions(GenerateOptionsSchema, options, "generate");
  if ((o.resultDir === undefined) === (o.resumeFrom === undefined)) {
    throw new RunError("generate: pass exactly one of --result-dir (a new run) and --resume-from (an existing run folder)");
  }
  return run("generate", { ...o, asTest: false });
}

type RunInput = ParsedGenerateOptions & { asTest: boolean; resultDir?: string | undefined };
type Emit = (e: PipelineEvent) => void;

async function run(command: "evaluate" | "generate", o: RunInput): Promise<RunOutcome> {
  const emit: Emit = o.onEvent ?? (() => {});
  const started = new Date().toISOString();
  const r = await prepareRun(command, o, emit);
  try {
    const generated = await generatePhase(command, o, r, started, emit);
    return await finishRun(command, o, r, generated, emit);
  } finally {
    await r.store.close();
  }
}

interface PreparedRun {
  task: LoadedTask;
  model: ModelSetup;
  backendName: BackendName | "custom";
  injected: Backend | undefined;
  backendArgs: PyDict;
  samplingDict: PyDict;
  config: Record<string, unknown>;
  runDir: string;
  store: RunStore;
  plan: GenerationPlan;
}

/** Options to run config, hash, folder, and the problems with their conversations (spec 2.5, 2.6). */
async function prepareRun(command: "evaluate" | "generate", o: RunInput, emit: Emit): Promise<PreparedRun> {
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
  return { task, model, backendName: name, injected, backendArgs, samplingDict: sampling.dict, config, runDir, store, plan };
}

/** Generates the samples the folder lacks; the backend is created (a model loaded) only if some are missing. */
async function generatePhase(command: string, o: RunInput, r: PreparedRun, started: string, emit: Emit): Promise<number> {
  const { store, plan } = r;
  const total = plan.problems.length * plan.n;
  const missing = plan.problems.reduce((a, p) => a + missingSamples(store, p, plan.n).length, 0);
  emit({ type: "run", runDir: r.runDir, problems: plan.problems.length, samplesTotal: total, samplesDone: total - missing });
  let backend: CreatedBackend | undefined;
  let generated = 0;
  try {
    if (missing > 0) {
      backend = r.injected ?? (await createBackend(r.backendName as BackendName, {
        model: r.model.backendModel, args: toPlain(r.backendArgs) as Record<string, unknown>, renderPrompt: r.model.renderPrompt,
        // The backend's own lines (GPU chosen or fallen back from, endpoints taken out and back).
        onLog: (level, message) => emit(level === "warn" ? { type: "warning", message } : { type: "model", message }),
      }));
    }
    await store.start(runRecord(command, r, o, backend), { command, started_at: started, samples_before: total - missing });
    if (backend) generated = (await generateSamples(store, backend, plan, { signal: o.signal, emit })).generated;
    o.signal?.throwIfAborted();
  } catch (e) {
    await store.abandon({ ended_at: new Date().toISOString(), samples_generated: generated, error: (e as Error).message });
    throw e;
  } finally {
    if (backend && backend !== r.injected) await backend.close();
  }
  return generated;
}

/** Builds the records from samples.jsonl, scores them (evaluate), writes summary.json, results.json, run.json. */
async function finishRun(command: string, o: RunInput, r: PreparedRun, generated: number, emit: Emit): Promise<RunOutcome> {
  const { store, plan, task } = r;
  const samples = plan.problems.map((p) => samplesOf(store, p, plan.n));
  const records = plan.problems.map((p, i) => buildRecord(p, samples[i]!, { numina: task.config.handler === "numina" }));
  const finishReasons = samples.flat().map((s) => s.finish_reason);
  const failed = finishReasons.filter((x) => x === "error").length;
  if (failed > 0) emit({ type: "warning", message: `${failed} sample(s) ended in an error (see samples.jsonl); they are scored as empty responses and retried on the next run` });
  let scores: { accuracy: number | PyFloat; passAtK: Record<string, PyFloat> | null } = { accuracy: new PyFloat(0), passAtK: null };
  if (command === "evaluate") {
    await scoreRecords(records, {
      handler: task.handler, task: task.config, taskName: task.name, concurrency: o.scoreConcurrency ?? 8, signal: o.signal,
      onProgress: (done, total) => emit({ type: "scoring", done, total }),
    });
    scores = upstreamScores(records);
  }
  const summary = buildSummary({ configuration: r.config, records: [...store.imported.values(), ...records], n: plan.n, ...scores });
  const metrics = { ...(command === "evaluate" ? { accuracy: scores.accuracy, pass_at_k: scores.passAtK } : {}), ...extraMetrics(records, finishReasons) };
  const results = new Map<string, ResultRecord>([...store.imported, ...records.map((x) => [x._index, x] as const)]);
  await store.finish({
    summary, results, metrics,
    session: { ended_at: new Date().toISOString(), samples_generated: generated },
  });
  return { runDir: r.runDir, summary, metrics, generatedSamples: generated };
}

async function loadProblems(task: LoadedTask, model: ModelSetup, o: RunInput): Promise<Problem[]> {
  const rows = await loadRows(taskDatasetSpec(task.config), o.dataFile !== undefined ? { dataFile: o.dataFile } : {});
  const selected = await task.handler.selectRows(rows, { task: task.config, start: o.start, end: o.end, loadRows: (s) => loadRows(s) });
  // Python's random seeded with --seed, consumed row by row in order (GPQA's option shuffles).
  const random = createPythonRandom(o.seed);
  return selected.map((row) => ({ row, conversation: makeConversation(task.handler.makePrompt(row, { task: task.config, random }), model.modelConfig) }));
}

/** The n samples of a problem in sample order; an error sample stands in as an empty response. */
function samplesOf(store: RunStore, p: Problem, n: number): SampleLine[] {
  return Array.from({ length: n }, (_, i) => {
    const s = store.done.get(sampleKey(p.row._index, i));
    if (!s) throw new RunError(`sample ${i} of row ${p.row._index} is missing after generation; rerun the command to resume`);
    return s;
  });
}

function runRecord(command: string, r: PreparedRun, o: RunInput, backend: Backend | undefined): Record<string, unknown> {
  const info = (backend as { info?: unknown } | undefined)?.info;
  return {
    command,
    task: { name: r.task.name, file: r.task.file, data_file: o.dataFile ?? null, problems: r.plan.problems.length, as_test: o.asTest },
    model: r.model.record,
    backend: { name: r.backendName, args: toPlain(r.backendArgs), ...(info !== undefined ? { info } : {}) },
    sampling: { params: toPlain(r.samplingDict), effective: r.plan.sampling, n: r.plan.n },
    seeds: { seed: o.seed, base: r.plan.seed, request_seed: "xxh32('<base>/<_index>', 0)", sample_seed: "engine: (request seed, sample index)" },
    versions: { node: process.version, skythought: packageVersion() },
    machine: { platform: platform(), release: release(), arch: arch(), cpu: cpus()[0]?.model ?? "unknown", cpus: cpus().length, memory_bytes: totalmem(), hostname: hostname() },
  };
}

/** The package's version, read from package.json (one level above both src/ and dist/). */
function packageVersion(): string {
  try {
    return (JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8")) as { version: string }).version;
  } catch {
    return "unknown";
  }
}

/** Scores a run folder again (all records, or the given ids) and rewrites results.json and summary.json. */
export async function score(options: ScoreOptions): Promise<RunOutcome> {
  const o = parseOptions(ScoreOptionsSchema, options, "score");
  const emit = o.onEvent ?? (() => {});
  const runDir = resolve(o.runDir);
  try {
    await access(runDir);
  } catch {
    throw new RunError(`Run directory ${o.runDir} does not exist.`);
  }
  // Rewrites results.json and summary.json: not while a run (or another score) writes the folder.
  const lock = await FolderLock.acquire(runDir);
  try {
    const { summary, results } = await readRunFiles(runDir);
    const task = await loadTask(o.task, o.tasksDir !== undefined ? { tasksDir: o.tasksDir } : {});
    const all = [...results.values()];
    let targets: ResultRecord[] = all;
    if (o.ids !== undefined) {
      const ids = [...new Set((Array.isArray(o.ids) ? o.ids : o.ids.replaceAll(" ", "").split(",")).filter((x) => x !== ""))];
      targets = ids.map((id) => {
        const r = results.get(id);
        if (!r) throw new RunError(`--ids: ${id} is not a key of ${join(runDir, "results.json")}`);
        return r;
      });
    }
    await scoreRecords(targets, {
      handler: task.handler, task: task.config, taskName: task.name, concurrency: o.scoreConcurrency ?? 8, signal: o.signal,
      onProgress: (done, total) => emit({ type: "scoring", done, total }),
    });
    const scores = upstreamScores(all);
    summary.set("accuracy", scores.accuracy);
    summary.set("pass_at_k", scores.passAtK);
    const finishReasons = [...readSamples(join(runDir, "samples.jsonl")).samples.values()].map((s) => s.finish_reason);
    const metrics = { accuracy: scores.accuracy, pass_at_k: scores.passAtK, ...extraMetrics(all, finishReasons.length > 0 ? finishReasons : undefined) };
    await writeScoredRun(runDir, summary, results, metrics);
    return { runDir, summary: Object.fromEntries(summary), metrics, generatedSamples: 0 };
  } finally {
    await lock.release();
  }
}
