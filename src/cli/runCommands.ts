import { Command } from "commander";
import { evaluate, generate, score, type PipelineEvent, type RunOutcome } from "../pipeline/index.js";
import { metricsTable } from "./metricsTable.js";
import { int } from "./parsers.js";
import { ProgressDisplay } from "./progress.js";
import { addRunOptions, addSliceOptions, ALLOW_UNSANDBOXED_CODE, runLibraryOptions } from "./runOptions.js";

type Raw = Record<string, unknown>;

/**
 * Signals that stop a run cleanly (Ctrl-C, and `kill` or a job scheduler's SIGTERM), with the
 * exit code a shell reports for each (128 + the signal's number).
 */
export const STOP_SIGNALS = { SIGINT: 130, SIGTERM: 143 } as const;
type StopSignal = keyof typeof STOP_SIGNALS;

/**
 * Runs a pipeline call with a progress display and signal handling: the first SIGINT or SIGTERM
 * aborts cleanly (finished samples are kept for the next run, run.json says "aborted"), a second
 * one exits at once.
 */
async function execute(raw: Raw, call: (signal: AbortSignal, onEvent: (e: PipelineEvent) => void) => Promise<RunOutcome>): Promise<void> {
  const display = new ProgressDisplay({ quiet: raw.quiet === true, tty: process.stderr.isTTY === true });
  const controller = new AbortController();
  let stoppedBy: StopSignal | undefined;
  const onSignal = (signal: StopSignal) => {
    if (stoppedBy) process.exit(STOP_SIGNALS[signal]);
    stoppedBy = signal;
    const again = signal === "SIGINT" ? "Ctrl-C" : signal;
    process.stderr.write(`\ninterrupted by ${signal}: stopping; finished samples are kept, rerun the same command to resume (${again} again to quit now)\n`);
    controller.abort(new Error(`interrupted by ${signal}`));
  };
  const signals = Object.keys(STOP_SIGNALS) as StopSignal[];
  for (const s of signals) process.on(s, onSignal);
  try {
    const outcome = await call(controller.signal, display.onEvent);
    display.stop();
    if (raw.quiet !== true) process.stdout.write(metricsTable(outcome, outcome.report ? [["report", outcome.report]] : []));
  } finally {
    display.stop();
    for (const s of signals) process.off(s, onSignal);
  }
  if (stoppedBy) process.exitCode = STOP_SIGNALS[stoppedBy];
}

export function evaluateCommand(): Command {
  return addSliceOptions(addRunOptions(new Command("evaluate").description("Evaluate a model on a task")))
    .option("--as-test", "test run: rows 0-9 and max_tokens 2048", false)
    .option("--no-as-test", "full run (default)")
    .option("--result-dir <dir>", "parent folder of the run folder", "./")
    .option("--no-report", "do not write report.html into the run folder")
    .option(...ALLOW_UNSANDBOXED_CODE)
    .action(async (raw: Raw) => {
      await execute(raw, (signal, onEvent) =>
        evaluate({
          ...runLibraryOptions(raw),
          asTest: raw.asTest,
          resultDir: raw.resultDir,
          start: raw.start,
          end: raw.end,
          allowUnsandboxedCode: raw.allowUnsandboxedCode,
          report: raw.report,
          signal,
          onEvent,
        } as Parameters<typeof evaluate>[0]),
      );
    });
}

export function generateCommand(): Command {
  return addSliceOptions(addRunOptions(new Command("generate").description("Generate model responses for a task and save them (no scoring)")))
    .option("--result-dir <dir>", "parent folder of a new run folder")
    .option("--resume-from <dir>", "an existing run folder to continue")
    .option("--task-args <k=v,...>", "TaskConfig fields to replace, k=v,k=v or a Python dict literal", "")
    .action(async (raw: Raw) => {
      await execute(raw, (signal, onEvent) =>
        generate({
          ...runLibraryOptions(raw),
          ...(raw.resultDir !== undefined ? { resultDir: raw.resultDir } : {}),
          ...(raw.resumeFrom !== undefined ? { resumeFrom: raw.resumeFrom } : {}),
          taskArgs: raw.taskArgs,
          start: raw.start,
          end: raw.end,
          signal,
          onEvent,
        } as Parameters<typeof generate>[0]),
      );
    });
}

export function scoreCommand(): Command {
  return new Command("score")
    .description("Score a run folder (results.json) again and rewrite results.json and summary.json")
    .requiredOption("--run-dir <dir>", "folder holding results.json and summary.json")
    .requiredOption("--task <name>", "task whose handler scores the responses")
    .option("--ids <ids>", "comma-separated results.json keys to score again (default: all)")
    .option("--tasks-dir <dir>", "a folder of extra task YAML files")
    .option("--score-concurrency <int>", "parallel scoring jobs", int(1))
    .option("--no-report", "do not write report.html into the run folder")
    .option("--allow-other-task", "score with --task although the run was generated for another task", false)
    .option(...ALLOW_UNSANDBOXED_CODE)
    .option("--quiet", "no progress output and no final table", false)
    .option("--verbose", "print stack traces of errors", false)
    .action(async (raw: Raw) => {
      await execute(raw, (signal, onEvent) =>
        score({
          allowOtherTask: raw.allowOtherTask as boolean,
          allowUnsandboxedCode: raw.allowUnsandboxedCode as boolean,
          runDir: raw.runDir as string,
          task: raw.task as string,
          ...(raw.ids !== undefined ? { ids: raw.ids as string } : {}),
          ...(raw.tasksDir !== undefined ? { tasksDir: raw.tasksDir as string } : {}),
          ...(raw.scoreConcurrency !== undefined ? { scoreConcurrency: raw.scoreConcurrency as number } : {}),
          report: raw.report === true,
          signal,
          onEvent,
        }),
      );
    });
}
