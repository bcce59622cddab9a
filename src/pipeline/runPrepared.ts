import { createBackend, type BackendName, type CreatedBackend } from "../backends/index.js";
import { RunError } from "../errors.js";
import { PyFloat, toPlain } from "../py/index.js";
import { buildRecord, buildSummary, sampleKey, type GradeLine, type Problem, type ResultRecord, type RunStore, type SampleLine } from "../runs/index.js";
import { describeGroups, groupErrors } from "./erroredSamples.js";
import { generateSamples, missingSamples } from "./generateSamples.js";
import { runRecord } from "./record.js";
import { extraMetrics, graderErrorMetrics, graderErrorWarning, upstreamScores } from "./runMetrics.js";
import type { RunContext } from "./runContext.js";
import type { RunOutcome } from "./runOutcome.js";
import { type GraderFailure, scoreRecords } from "./scoreRecords.js";

/** evaluate / generate after `prepareRun`: generate what is missing, then build (and score) the results. */
export async function runPrepared(ctx: RunContext): Promise<RunOutcome> {
  try {
    const generated = await generatePhase(ctx);
    return await finishRun(ctx, generated);
  } finally {
    await ctx.store.close();
  }
}

/**
 * Generates the samples the folder lacks; the backend is created (a model loaded) only if some are
 * missing. A session stopped by the abort signal ends with run.json status "aborted", one stopped
 * by an error with "failed"; the samples it finished are kept either way.
 */
async function generatePhase(ctx: RunContext): Promise<number> {
  const { store, plan, emit } = ctx;
  const total = plan.problems.length * plan.n;
  const missing = plan.problems.reduce((a, p) => a + missingSamples(store, p, plan.n).length, 0);
  emit({ type: "run", runDir: ctx.runDir, problems: plan.problems.length, samplesTotal: total, samplesDone: total - missing });
  let backend: CreatedBackend | undefined;
  let generated = 0;
  try {
    if (missing > 0) {
      backend = ctx.backend.injected ?? (await createBackend(ctx.backend.name as BackendName, {
        model: ctx.model.backendModel, args: toPlain(ctx.backend.args) as Record<string, unknown>, renderPrompt: ctx.model.renderPrompt,
        // The backend's own lines (GPU chosen or fallen back from, endpoints taken out and back).
        onLog: (level, message) => emit(level === "warn" ? { type: "warning", message } : { type: "model", message }),
      }));
    }
    await store.start(runRecord(ctx, backend), { command: ctx.command, started_at: ctx.startedAt, samples_before: total - missing });
    if (backend) generated = (await generateSamples(store, backend, plan, { signal: ctx.input.signal, emit })).generated;
    ctx.input.signal?.throwIfAborted();
  } catch (e) {
    const status = ctx.input.signal?.aborted ? "aborted" : "failed";
    await store.end(status, { ended_at: new Date().toISOString(), samples_generated: generated, error: (e as Error).message });
    throw e;
  } finally {
    if (backend && backend !== ctx.backend.injected) await backend.close();
  }
  return generated;
}

/** Builds the records from samples.jsonl, scores them (evaluate), writes summary.json, results.json, run.json. */
async function finishRun(ctx: RunContext, generated: number): Promise<RunOutcome> {
  const { store, plan, task, emit } = ctx;
  const samples = plan.problems.map((p) => samplesOf(store, p, plan.n));
  const session: Record<string, unknown> = { ended_at: new Date().toISOString(), samples_generated: generated };
  await settleErroredSamples(ctx, samples.flat(), session);
  const records = plan.problems.map((p, i) => buildRecord(p, samples[i]!, task.handler.recordExtras?.(p.row)));
  const finishReasons = samples.flat().map((s) => s.finish_reason);
  let scores: { accuracy: number | PyFloat; passAtK: Record<string, PyFloat> | null } = { accuracy: new PyFloat(0), passAtK: null };
  let graderFailures: GraderFailure[] = [];
  let grades: GradeLine[] = [];
  if (ctx.command === "evaluate") {
    ({ failures: graderFailures, grades } = await scoreRecords(records, {
      handler: task.handler, task: task.config, taskName: task.name, concurrency: ctx.input.scoreConcurrency ?? 8, signal: ctx.input.signal,
      allowUnsandboxedCode: ctx.input.allowUnsandboxedCode,
      onProgress: (done, total) => emit({ type: "scoring", done, total }),
    }));
    const warning = graderErrorWarning(graderFailures);
    if (warning !== null) emit({ type: "warning", message: warning });
    scores = upstreamScores(records);
  }
  const summary = buildSummary({ configuration: ctx.config, records: [...store.imported.values(), ...records], n: plan.n, ...scores });
  const metrics = {
    ...(ctx.command === "evaluate" ? { accuracy: scores.accuracy, pass_at_k: scores.passAtK, ...graderErrorMetrics(graderFailures) } : {}),
    ...extraMetrics(records, finishReasons, task.handler.answerKey),
  };
  const results = new Map<string, ResultRecord>([...store.imported, ...records.map((x) => [x._index, x] as const)]);
  await store.finish({ summary, results, grades, metrics, session });
  return { runDir: ctx.runDir, summary, metrics, generatedSamples: generated };
}

/**
 * Samples that ended in an error are not answers. Unless `allowErroredSamples`, nothing is scored
 * or written but run.json (status "incomplete", the errors grouped in the session), and this
 * throws saying how many failed, why (grouped by message) and what to do; a rerun generates them
 * again. With it, the run goes on after a warning that says the same, and the session records it.
 */
async function settleErroredSamples(ctx: RunContext, samples: readonly SampleLine[], session: Record<string, unknown>): Promise<void> {
  const errors = groupErrors(samples);
  const failed = errors.reduce((a, g) => a + g.count, 0);
  if (failed === 0) return;
  const allowed = ctx.input.allowErroredSamples;
  session.errored_samples = { count: failed, total: samples.length, by_message: errors, kept_as_empty_responses: allowed };
  const heading = `${failed} of ${samples.length} samples ended in an error`;
  const scoring = ctx.command === "evaluate";
  if (allowed) {
    const as = scoring ? "scored as wrong (empty) answers" : "written as empty responses";
    ctx.emit({ type: "warning", message: `${heading}; they are ${as}, as --allow-errored-samples asks, and retried on the next run:\n${describeGroups(errors)}` });
    return;
  }
  await ctx.store.end("incomplete", session);
  const files = scoring ? "nothing was scored and results.json and summary.json were not written" : "results.json was not written";
  throw new RunError(
    `${heading}, so ${files} (errored samples are not answers):\n${describeGroups(errors)}\n` +
      "Fix the cause and rerun the same command: finished samples are kept and only the errored ones are generated again. " +
      `To ${scoring ? "score them as wrong answers" : "write them as empty responses"} instead, pass --allow-errored-samples`,
  );
}

/** The n samples of a problem in sample order (an error sample included). */
function samplesOf(store: RunStore, p: Problem, n: number): SampleLine[] {
  return Array.from({ length: n }, (_, i) => {
    const s = store.done.get(sampleKey(p.row._index, i));
    if (!s) throw new RunError(`sample ${i} of row ${p.row._index} is missing after generation; rerun the command to resume`);
    return s;
  });
}
