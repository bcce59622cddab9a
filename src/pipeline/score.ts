import { join } from "node:path";
import { RunError } from "../errors.js";
import { RunStore, type ResultRecord } from "../runs/index.js";
import { loadTask } from "../tasks/index.js";
import { parseOptions, ScoreOptionsSchema, type ScoreOptions } from "./options.js";
import type { RunOutcome } from "./runOutcome.js";
import { extraMetrics, graderErrorMetrics, graderErrorWarning, upstreamScores } from "./runMetrics.js";
import { scoreRecords } from "./scoreRecords.js";
import { writeRunReport } from "./writeRunReport.js";

/**
 * Scores a run folder again (all records, or the given ids) and rewrites results.json and
 * summary.json, then report.html (unless `report: false`).
 */
export async function score(options: ScoreOptions): Promise<RunOutcome> {
  const o = parseOptions(ScoreOptionsSchema, options, "score");
  const emit = o.onEvent ?? (() => {});
  const run = await RunStore.openExisting(o.runDir);
  try {
    const task = await loadTask(o.task, o.tasksDir !== undefined ? { tasksDir: o.tasksDir } : {});
    const { summary, results } = run;
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
    // rescore lets go of the folder: the report only reads it.
    await run.rescore({ summary, results, rescored: targets, grades, metrics });
    const report = o.report ? await writeRunReport(run.dir, emit) : {};
    return { runDir: run.dir, summary: Object.fromEntries(summary), metrics, generatedSamples: 0, ...report };
  } finally {
    await run.close();
  }
}
