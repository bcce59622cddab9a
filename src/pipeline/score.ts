import { join } from "node:path";
import { ConfigError, RunError } from "../errors.js";
import { RunStore, type ResultRecord } from "../runs/index.js";
import { permittedLauncher } from "../scoring/index.js";
import { loadTask, type LoadedTask } from "../tasks/index.js";
import { parseOptions, ScoreOptionsSchema, type ScoreOptions } from "./options.js";
import type { RunOutcome } from "./runOutcome.js";
import { extraMetrics, graderErrorMetrics, graderErrorWarning, upstreamScores } from "./runMetrics.js";
import { scoreRecords } from "./scoreRecords.js";
import { writeRunReport } from "./writeRunReport.js";

/**
 * Scores a run folder again (all records, or the given ids) and rewrites results.json and
 * summary.json, then report.html (unless `report: false`).
 *
 * @throws ConfigError when `task` is not the task the run was generated for (unless
 *   `allowOtherTask`) or a code task has no sandbox (unless `allowUnsandboxedCode`); RunError for a
 *   missing or damaged folder
 */
export async function score(options: ScoreOptions): Promise<RunOutcome> {
  const o = parseOptions(ScoreOptionsSchema, options, "score");
  const emit = o.onEvent ?? (() => {});
  const run = await RunStore.openExisting(o.runDir);
  try {
    const task = await loadTask(o.task, o.tasksDir !== undefined ? { tasksDir: o.tasksDir } : {});
    const { summary, results } = run;
    if (!o.allowOtherTask) refuseOtherTask(summary, task, o.runDir);
    const sandbox = task.handler.runsCode ? await permittedLauncher(o.allowUnsandboxedCode) : undefined;
    const all = [...results.values()];
    let targets: ResultRecord[] = all;
    if (o.ids !== undefined) {
      const ids = [...new Set((Array.isArray(o.ids) ? o.ids : o.ids.replaceAll(" ", "").split(",")).filter((x) => x !== ""))];
      targets = ids.map((id) => {
        const r = results.get(id);
        if (!r) throw new RunError(`--ids: ${id} is not a key of ${join(run.dir, "results.json")}`);
        return r;
      });
    }
    const { failures: graderFailures, grades } = await scoreRecords(targets, {
      handler: task.handler, task: task.config, taskName: task.name, concurrency: o.scoreConcurrency ?? 8, signal: o.signal,
      allowUnsandboxedCode: o.allowUnsandboxedCode,
      onProgress: (done, total) => emit({ type: "scoring", done, total }),
    });
    const warning = graderErrorWarning(graderFailures);
    if (warning !== null) emit({ type: "warning", message: warning });
    const scores = upstreamScores(all);
    summary.set("accuracy", scores.accuracy);
    summary.set("pass_at_k", scores.passAtK);
    const metrics = {
      accuracy: scores.accuracy,
      pass_at_k: scores.passAtK,
      ...graderErrorMetrics(graderFailures),
      ...extraMetrics(all, run.finishReasons, task.handler.answerKey),
    };
    const facts = { scored_with_task: task.name, ...(sandbox ? { sandbox: { kind: sandbox.kind, ...(sandbox.reason ? { reason: sandbox.reason } : {}) } } : {}) };
    // rescore lets go of the folder: the report only reads it.
    await run.rescore({ summary, results, rescored: targets, grades, metrics, facts });
    const report = o.report ? await writeRunReport(run.dir, emit) : {};
    return { runDir: run.dir, summary: Object.fromEntries(summary), metrics, generatedSamples: 0, ...report };
  } finally {
    await run.close();
  }
}

/**
 * Another task's handler would grade the responses against the wrong answers (a gsm8k run scored
 * as aime24 "succeeds"): the task must be the one summary.json's configuration names.
 */
function refuseOtherTask(summary: Map<string, unknown>, task: LoadedTask, runDir: string): void {
  const configured = (summary.get("configuration") as { task?: { name?: unknown } } | undefined)?.task?.name;
  if (typeof configured !== "string" || configured === task.name) return;
  throw new ConfigError(
    `${runDir} was generated for task "${configured}", not "${task.name}": pass --task ${configured}, ` +
      `or --allow-other-task to score its responses with ${task.name}'s handler and answers anyway`,
  );
}
