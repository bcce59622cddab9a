import pLimit from "p-limit";
import type { Row } from "../data/index.js";
import { RunError, SkyThoughtError } from "../errors.js";
import type { GradeLine, ResultRecord } from "../runs/index.js";
import { withSandboxPolicy } from "../scoring/index.js";
import type { Handler, TaskConfig } from "../tasks/index.js";

export interface ScoreJob {
  handler: Handler;
  task: TaskConfig;
  taskName: string;
  /** Parallel scoring calls; code tasks spend their time in subprocesses. */
  concurrency: number;
  signal?: AbortSignal | undefined;
  /** Code tasks: run the model's code where bubblewrap cannot sandbox it (--allow-unsandboxed-code). */
  allowUnsandboxedCode: boolean;
  onProgress?: (done: number, total: number) => void;
}

/** A sample on which the grader itself failed: scored as not correct, and reported. */
export interface GraderFailure {
  row: string;
  sample: number;
  error: string;
}

/**
 * Scores every response of the given records in place (correctness, reason), with bounded
 * concurrency; the records' order and key order do not depend on completion order. A scorer that
 * throws stops the run with a message naming the task, row and sample (as upstream aborts). Returns
 * the samples whose score carries a grader error, and what grading found beyond the verdict (code
 * tests, for grades.jsonl), both in record and sample order. Code runs under the job's sandbox
 * policy: without bubblewrap it is refused unless the job allows it.
 */
export function scoreRecords(records: readonly ResultRecord[], job: ScoreJob): Promise<{ failures: GraderFailure[]; grades: GradeLine[] }> {
  return withSandboxPolicy({ allowUnsandboxed: job.allowUnsandboxedCode }, () => scoreAll(records, job));
}

async function scoreAll(records: readonly ResultRecord[], job: ScoreJob): Promise<{ failures: GraderFailure[]; grades: GradeLine[] }> {
  const limit = pLimit(job.concurrency);
  const total = records.reduce((a, r) => a + r.responses.length, 0);
  // Indexed by record and sample, so the list comes out in that order whatever order scoring ends in.
  const failures: GraderFailure[][] = records.map(() => []);
  let done = 0;
  const grades: (GradeLine | undefined)[][] = records.map(() => []);
  const tasks = records.flatMap((record, r) =>
    record.responses.map((response, i) =>
      limit(async () => {
        job.signal?.throwIfAborted();
        let score;
        try {
          score = await job.handler.score(response.content, record as Row, job.task);
        } catch (e) {
          // No sandbox (or no numpy for it): the same for every response, and its message says what to do.
          if (e instanceof SkyThoughtError) throw e;
          throw new RunError(`scoring task "${job.taskName}" row ${record._index} sample ${i} failed: ${(e as Error).message}`);
        }
        response.correctness = score.correctness;
        response.reason = score.reason;
        if (score.graderError !== undefined) failures[r]![i] = { row: record._index, sample: i, error: score.graderError };
        if (score.tests) grades[r]![i] = { id: record._index, sample: i, tests: score.tests };
        job.onProgress?.(++done, total);
      }),
    ),
  );
  try {
    await Promise.all(tasks);
  } finally {
    limit.clearQueue();
  }
  return { failures: failures.flat(), grades: grades.flat().filter((g): g is GradeLine => g !== undefined) };
}
