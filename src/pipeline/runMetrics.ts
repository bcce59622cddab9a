import type { FinishReason } from "../backends/index.js";
import { RunError } from "../errors.js";
import { accuracy, finishReasonCounts, majAtK, passAtK, tokenStats, type ResultRecord } from "../runs/index.js";
import type { Handler } from "../tasks/index.js";
import type { GraderFailure } from "./scoreRecords.js";

export interface Scores {
  /** Upstream's summary fields. */
  accuracy: ReturnType<typeof accuracy>;
  passAtK: ReturnType<typeof passAtK>;
  /** Samples per problem (responses of the first record, as upstream). */
  N: number;
}

/** accuracy and pass@k over scored records; every response must have been scored. */
export function upstreamScores(records: readonly ResultRecord[]): Scores {
  const table = records.map((r) =>
    r.responses.map((x, i) => {
      if (x.correctness === null || x.correctness === undefined) {
        throw new RunError(`row ${r._index} sample ${i} of results.json was never scored; run score without --ids first`);
      }
      return x.correctness ? 1 : 0;
    }),
  );
  const N = records[0]?.responses.length ?? 0;
  return { accuracy: accuracy(table), passAtK: passAtK(N, table), N };
}

/**
 * Our metrics beyond upstream's (run.json `metrics`): maj@k over the handler's answer keys (when it
 * has them and the records are scored), completion token mean/median overall and split by
 * correctness, and finish-reason counts.
 */
export function extraMetrics(
  records: readonly ResultRecord[],
  finishReasons: readonly FinishReason[] | undefined,
  answerKey: Handler["answerKey"],
): Record<string, unknown> {
  const all: number[] = [];
  const correct: number[] = [];
  const incorrect: number[] = [];
  let scored = false;
  const majInput = records.map((r) =>
    r.responses.map((x, i) => {
      const tokens = r.token_usages[i]?.completion_tokens ?? 0;
      all.push(tokens);
      if (x.correctness !== null && x.correctness !== undefined) {
        scored = true;
        (x.correctness ? correct : incorrect).push(tokens);
      }
      return { answer: answerKey ? answerKey(x.content) : null, correct: x.correctness === true };
    }),
  );
  const N = records[0]?.responses.length ?? 0;
  return {
    problems: records.length,
    samples_per_problem: N,
    ...(scored && answerKey ? { maj_at_k: majAtK(N, majInput) } : {}),
    completion_tokens: tokenStats(all),
    ...(scored ? { completion_tokens_correct: tokenStats(correct), completion_tokens_incorrect: tokenStats(incorrect) } : {}),
    ...(finishReasons ? { finish_reasons: finishReasonCounts(finishReasons) } : {}),
  };
}

/** run.json's `grader_errors`: how many samples the grader failed on in this scoring, and which. */
export function graderErrorMetrics(failures: readonly GraderFailure[]): Record<string, unknown> {
  return { grader_errors: { count: failures.length, samples: failures.map((f) => ({ row: f.row, sample: f.sample, error: f.error })) } };
}

/** The warning a run emits when the grader failed on some samples (they count as not correct). */
export function graderErrorWarning(failures: readonly GraderFailure[]): string | null {
  if (failures.length === 0) return null;
  const shown = failures.slice(0, 5).map((f) => `row ${f.row} sample ${f.sample}`).join(", ");
  const more = failures.length > 5 ? `, and ${failures.length - 5} more` : "";
  return `the grader failed on ${failures.length} sample(s) (${shown}${more}); they count as not correct, run.json metrics.grader_errors has the errors; please report them`;
}
