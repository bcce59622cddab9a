import { ConfigError } from "../errors.js";
import type { RunReport } from "./runReport.js";

/** A problem that some of the compared runs solve and others do not. */
export interface FlippedProblem {
  id: string;
  question: string;
  /** Correct responses per run, in the order of the runs (null: the run has no scored responses for it). */
  correct: (number | null)[];
  /** Responses per run. */
  n: number[];
}

/** Compared runs must be of one task: their problems are matched by `_index`. */
export function checkComparable(runs: readonly RunReport[]): void {
  const tasks = [...new Set(runs.map((r) => r.task))];
  if (tasks.length > 1) {
    throw new ConfigError(
      `report: runs of different tasks cannot be compared (${runs.map((r) => `${r.name}: ${r.task}`).join("; ")}); pass run folders of one task, or make one report per run`,
    );
  }
}

/**
 * Problems solved (at least one correct response) by some runs and by none of the responses of
 * another, in the first run's order; a problem missing from a run or unscored there is not
 * counted as unsolved.
 */
export function flippedProblems(runs: readonly RunReport[]): FlippedProblem[] {
  const byId = runs.map((r) => new Map(r.problems.map((p) => [p.id, p])));
  const out: FlippedProblem[] = [];
  for (const problem of runs[0]?.problems ?? []) {
    const rows = byId.map((m) => m.get(problem.id));
    const correct = rows.map((p) => (p === undefined || p.samples.some((s) => s.correct === null) ? null : p.samples.filter((s) => s.correct).length));
    const known = correct.filter((c): c is number => c !== null);
    if (known.some((c) => c > 0) && known.some((c) => c === 0)) {
      out.push({ id: problem.id, question: problem.question, correct, n: rows.map((p) => p?.samples.length ?? 0) });
    }
  }
  return out;
}
