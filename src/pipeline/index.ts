/**
 * evaluate / generate / score: wiring only. Options are validated here, the task and its rows
 * come from tasks/ and data/, the model from model/, samples go to a RunStore (runs/) as they
 * finish, and handlers score them. No console output, no process.exit: progress and warnings go
 * to `onEvent`; errors are thrown as SkyThoughtError subclasses.
 */
import { ConfigError, RunError } from "../errors.js";
import { EvaluateOptionsSchema, GenerateOptionsSchema, parseOptions, type EvaluateOptions, type GenerateOptions } from "./options.js";
import { runPrepared } from "./runPrepared.js";
import { prepareRun } from "./runContext.js";
import type { RunOutcome } from "./runOutcome.js";
import { writeRunReport } from "./writeRunReport.js";

export type { EvaluateOptions, GenerateOptions, PipelineEvent, ScoreOptions } from "./options.js";
export type { RunOutcome } from "./runOutcome.js";
export { packageVersion } from "../packageVersion.js";
export { score } from "./score.js";

/**
 * Generates (resuming what the run folder holds), scores, and writes results.json and summary.json,
 * then report.html (unless `report: false`).
 */
export async function evaluate(options: EvaluateOptions): Promise<RunOutcome> {
  const { report, ...o } = parseOptions(EvaluateOptionsSchema, options, "evaluate");
  if (o.asTest && (o.start !== 0 || o.end !== -1)) {
    throw new ConfigError("evaluate: --as-test takes rows 0 to 9; pass either it or --start/--end");
  }
  // --as-test is upstream's slice 0:10 (in the run config, so in the hash).
  const slice = o.asTest ? { start: 0, end: 10 } : { start: o.start, end: o.end };
  const outcome = await runPrepared(await prepareRun("evaluate", { ...o, ...slice, taskArgs: "", resumeFrom: undefined }));
  return report ? { ...outcome, ...(await writeRunReport(outcome.runDir, o.onEvent ?? (() => {}))) } : outcome;
}

/** Generates responses into a run folder (resuming what it holds) without scoring them. */
export async function generate(options: GenerateOptions): Promise<RunOutcome> {
  const o = parseOptions(GenerateOptionsSchema, options, "generate");
  if ((o.resultDir === undefined) === (o.resumeFrom === undefined)) {
    throw new RunError("generate: pass exactly one of --result-dir (a new run) and --resume-from (an existing run folder)");
  }
  return runPrepared(await prepareRun("generate", { ...o, asTest: false, allowUnsandboxedCode: false }));
}
